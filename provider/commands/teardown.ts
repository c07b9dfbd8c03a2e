// `pulumi-safe-secret teardown`: the steps a pipeline takes to tear an environment down, through the Automation API
// of the project's own @pulumi/pulumi. The provider's delete does the deleting (and refuses what teardown protection
// forbids); this file sets the policy, gates on each secret's delete decision and on the policy packs' judgement, runs
// the destroy and reports what happened to each secret.

import type { Deployment, EngineEvent, LocalWorkspace, ProjectSettings, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import * as path from "path";
import { describeDeletion, TeardownOptions } from "./args";
import * as fs from "fs";
import { DeleteEvent, EVENTS_ENV, parseEvent } from "../events";
import { readCurrentStackConfig, RunningCli } from "../destroy-config";
import { destroyDecision } from "../policy";
import { keyNamespace } from "../policy-pack/rules";
import { inUseRefusal } from "../delete";
import { analyzeWithPacks, mandatoryRefusal, PackJudgement, PackRefusal } from "./pack-gate";
import {
    EXIT,
    GONE,
    overallResult,
    parseProviderLine,
    reasonLeft,
    SecretInState,
    secretInState,
    secretOutcomes,
    StateResource,
    TeardownSummary,
} from "./outcome";

export interface TeardownIo {
    /** Progress while the engine works (the results are the summary this returns). */
    progress(line: string): void;
}

type Automation = typeof import("@pulumi/pulumi/automation");

/** A stack's settings file as bytes (undefined: it does not exist), to be put back exactly as it was. */
interface SettingsSnapshot {
    file: string;
    bytes: Buffer | undefined;
}

function snapshotSettings(ws: LocalWorkspace, project: ProjectSettings, stackName: string): SettingsSnapshot {
    // Pulumi.yaml's `config:` is the stack settings folder when a string (a project config schema otherwise).
    const dir: unknown = project.config;
    const file = path.join(ws.workDir, typeof dir === "string" ? dir : "", `Pulumi.${stackName.split("/").pop()}.yaml`);
    return { file, bytes: fs.existsSync(file) ? fs.readFileSync(file) : undefined };
}

function restoreSettings(s: SettingsSnapshot): void {
    if (s.bytes === undefined) fs.rmSync(s.file, { force: true });
    else fs.writeFileSync(s.file, s.bytes);
}

/**
 * The environment of the teardown's engine runs. The provider reports each delete as an event (events.ts) when asked
 * to. The program runs only to hand the engine its resources and the provider its configuration: a type error that
 * crept into it since the last `pulumi up` must not keep an environment alive, and the check would cost seconds per
 * run, so TypeScript programs run transpiled only unless PULUMI_NODEJS_TRANSPILE_ONLY says otherwise.
 */
export function teardownEnv(given: Record<string, string> = {}): Record<string, string> {
    return { PULUMI_NODEJS_TRANSPILE_ONLY: process.env.PULUMI_NODEJS_TRANSPILE_ONLY ?? "true", ...given, [EVENTS_ENV]: "1" };
}

/** The summary of a teardown that threw before it could say more (the engine or the backend failed). */
export function failedTeardown(stack: string, deletion: TeardownOptions["deletion"], e: Error): TeardownSummary {
    return {
        v: 1,
        stack,
        result: "failed",
        exitCode: EXIT.FAILED,
        policy: describeDeletion(deletion),
        stackFound: true,
        stackRemoved: false,
        secrets: [],
        reason: e.message.split("\n")[0] ?? e.message,
    };
}

let pulumiCommand: Promise<PulumiCommand> | undefined;

export async function teardown(opts: TeardownOptions, io: TeardownIo, given?: Automation): Promise<TeardownSummary> {
    // The project's own @pulumi/pulumi (the package's peer), loaded only when a teardown runs.
    const automation = given ?? (await import("@pulumi/pulumi/automation"));
    const cwd = path.resolve(opts.cwd);
    const summary: TeardownSummary = {
        v: 1,
        stack: opts.stack,
        result: "done",
        exitCode: EXIT.DONE,
        policy: describeDeletion(opts.deletion),
        stackFound: true,
        stackRemoved: false,
        secrets: [],
    };
    // One CLI for every teardown of the process (a sweep runs many): its `pulumi version` is asked once.
    pulumiCommand ??= automation.PulumiCommand.get();
    const ws: LocalWorkspace = await automation.LocalWorkspace.create({
        workDir: cwd,
        envVars: teardownEnv(opts.env),
        pulumiCommand: await pulumiCommand,
    });
    // Selecting it is the existence check too (no `stack ls` before it); its state is read beside it.
    const [stack, exported] = await Promise.all([
        automation.Stack.select(opts.stack, ws).catch((e: unknown) => {
            if ((e as Error | undefined)?.name === "StackNotFoundError") return undefined;
            throw e;
        }),
        ws.exportStack(opts.stack).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))),
    ]);
    if (!stack) {
        summary.stackFound = false;
        if (opts.allowMissing) {
            // A re-run of a teardown that finished (and removed the stack): nothing is left to do.
            io.progress(`stack ${opts.stack} does not exist in this backend: nothing to tear down (--allow-missing)`);
            return summary;
        }
        summary.result = "missing";
        summary.exitCode = EXIT.MISSING;
        summary.reason = `stack ${opts.stack} does not exist in this backend — check the name; if a finished teardown already removed it, re-run with --allow-missing`;
        return summary;
    }
    if (opts.unlock) {
        // A killed run (a cancelled pipeline job) leaves the stack locked; `pulumi cancel` is the documented way out.
        io.progress("removing the stack's lock (--unlock: nothing else may be updating this stack)");
        await stack.cancel();
    }

    if (exported instanceof Error) throw exported;
    const before = secretsOf(exported);
    io.progress(`${before.length} secret${before.length === 1 ? "" : "s"} in stack ${opts.stack}`);

    // A run that does not finish puts the stack's settings file back byte for byte: a forceDelete left in a protected
    // stack would make its next `pulumi up` fail, and in a GitOps repository the file is committed.
    let snapshot: SettingsSnapshot | undefined;
    if (opts.deletion !== undefined) {
        io.progress(`setting the deletion policy: ${summary.policy}`);
        const projectSettings = await ws.projectSettings();
        snapshot = snapshotSettings(ws, projectSettings, opts.stack);
        // Written in this process (the workspace's own settings file I/O), not by `pulumi config`: no CLI calls. The
        // workspace writes the whole file anew; the snapshot puts the original bytes back if the run does not finish.
        // The project's keys (the dynamic Secret's), and the plugin's own where the stack holds plugin Secrets.
        const namespaces = new Set([projectSettings.name, ...before.map((s) => s.project)]);
        const settings = await ws.stackSettings(opts.stack);
        const config = { ...settings.config };
        const [set, unset] = opts.deletion === "force" ? ["forceDelete", "recoveryWindowInDays"] : ["recoveryWindowInDays", "forceDelete"];
        for (const ns of namespaces) {
            config[`${ns}:${set}`] = String(opts.deletion === "force" ? true : opts.deletion);
            delete config[`${ns}:${unset}`];
        }
        await ws.saveStackSettings(opts.stack, { ...settings, config });
    }
    const finish = (result: Exclude<TeardownSummary["result"], "done" | "missing">, reason: string): TeardownSummary => {
        summary.result = result;
        summary.exitCode = result === "refused" ? EXIT.REFUSED : EXIT.FAILED;
        summary.reason = reason;
        if (snapshot) {
            try {
                restoreSettings(snapshot);
                summary.settingsRestored = true;
                io.progress(`the stack's settings file is as it was before the teardown (${snapshot.file})`);
            } catch (e) {
                summary.settingsRestored = false;
                summary.reason +=
                    `; the teardown set ${summary.policy} in ${snapshot.file} and could not put the file back ` +
                    `(${(e as Error).message}) — restore it from version control, or re-run the teardown to finish`;
            }
        }
        return summary;
    };

    // The gates, before anything is deleted, side by side (both only read): each secret's delete decision made here as
    // its delete will make it (a refusal by teardown protection or by a bad setting stops the whole stack, not the
    // secrets after the first), and the policy packs' judgement of the stack (a destroy runs no pack).
    if (before.length > 0) {
        const [decided, judged] = await Promise.all([
            decisionGate(before, opts.stack, cwd, io),
            opts.policyPacks.length ? packGate(ws, stack, before, opts, io) : undefined,
        ]);
        const stop = decided ?? judged;
        if (stop) {
            summary.secrets = before.map(({ urn, id, name, region }) => {
                const own = stop.byUrn.get(urn);
                const lastAccessedDate = stop.inUse?.get(urn);
                const refused = stop.refused && (own !== undefined || stop.all === true);
                return {
                    urn,
                    id,
                    name,
                    ...(region ? { region } : {}),
                    outcome: lastAccessedDate ? "in-use" : refused ? "refused" : "kept",
                    detail: own ?? "not deleted: the teardown stopped before the destroy",
                    ...(lastAccessedDate ? { lastAccessedDate } : {}),
                };
            });
            return finish(stop.refused ? "refused" : "failed", stop.reason);
        }
    }

    io.progress("destroying");
    const events = new Map<string, DeleteEvent>();
    const errors = new Map<string, string>();
    let destroyError: string | undefined;
    let otherError: string | undefined;
    const managed = new Set(before.map((s) => s.urn));
    try {
        await stack.destroy({
            color: "never",
            // With the program run, the engine hands the provider the configuration as it is now (not as recorded).
            runProgram: !opts.noPreview,
            onEvent: (e: EngineEvent) => {
                const d = e.diagnosticEvent;
                if (!d) return;
                const event = parseEvent(d.message);
                if (event) {
                    events.set(event.id, event);
                    return;
                }
                const line = parseProviderLine(d.message);
                if (line) io.progress(`${line.name}: ${line.message}`);
                if (d.severity !== "error") return;
                if (d.urn && managed.has(d.urn)) errors.set(d.urn, d.message.trim());
                // An error of no secret: the program's own failure (it names no resource), or another resource's.
                else otherError ??= statement(d.message);
            },
        });
    } catch (e) {
        destroyError = otherError ?? engineError(e, opts.stack);
    }
    // Every secret reported: the events say it all. Otherwise state tells a secret not reached from one gone unreported.
    const after = before.every((s) => events.has(s.id))
        ? before.filter((s) => !GONE.has(events.get(s.id)!.outcome))
        : await secretsInState(stack);
    summary.secrets = secretOutcomes(before, after, events, errors);
    const { result, exitCode } = overallResult(summary.secrets, destroyError);
    if (result !== "done") return finish(result, reasonLeft(summary.secrets, destroyError));
    summary.exitCode = exitCode;
    if (opts.removeStack) {
        await ws.removeStack(opts.stack);
        summary.stackRemoved = true;
        io.progress(`stack ${opts.stack} removed`);
    }
    return summary;
}

/**
 * Undefined when every secret's delete may go ahead; else the refusals. The decision is policy.ts's, fed with the
 * configuration the destroy's delete will read (the stack's as it is now, the teardown's policy included), read once
 * through the CLI and decrypting only the deletion keys, as the delete reads it.
 */
async function decisionGate(secrets: StateSecret[], stackName: string, cwd: string, io: TeardownIo): Promise<GateStop | undefined> {
    io.progress("checking each secret's delete against the stack's configuration");
    const running: RunningCli = { pid: process.pid, command: "destroy", stack: stackName, processCwd: cwd };
    const byUrn = new Map<string, string>();
    const inUseAt = new Map<string, string>();
    for (const s of secrets) {
        const recordedStack = typeof s.props.stack === "string" ? s.props.stack : stackName;
        const current = await readCurrentStackConfig({ recordedStack, project: s.project, secretId: s.id }, undefined, running);
        if (!current.ok)
            return { refused: false, reason: `could not read the stack's configuration, nothing was deleted: ${current.problem}`, byUrn };
        // With the program run, the provider is configured with this same configuration.
        const d = destroyDecision(s.props, current.stack, current);
        if (d.kind === "refuse") {
            byUrn.set(s.urn, d.fix ? `${d.reason} — ${d.fix}` : d.reason);
            continue;
        }
        // The in-use guard as the delete will apply it, on the last access the state knows (from the last refresh);
        // the delete asks AWS again, so a secret the state saw idle is still guarded.
        const accessed = typeof s.props.lastAccessedDate === "string" ? new Date(s.props.lastAccessedDate) : undefined;
        const inUse = d.policy.mode === "force" ? inUseRefusal(s.name, accessed, d.inUseGuard, Date.now()) : undefined;
        if (inUse && accessed) {
            byUrn.set(s.urn, `${inUse} (as of the stack's last refresh)`);
            inUseAt.set(s.urn, accessed.toISOString());
        }
    }
    if (!byUrn.size) return undefined;
    return {
        refused: true,
        reason: `refused by policy, nothing was deleted: ${[...new Set(byUrn.values())].join("; ")}`,
        byUrn,
        inUse: inUseAt,
    };
}

/**
 * A secret of the stack with what its delete decides on: its recorded inputs, and the namespace of the stack keys its
 * delete reads (the project's, from its URN, for the dynamic Secret; the plugin's own for the plugin's).
 */
interface StateSecret extends SecretInState {
    props: Record<string, unknown>;
    project: string;
}

async function secretsInState(stack: Stack): Promise<StateSecret[]> {
    return secretsOf(await stack.exportStack());
}

function secretsOf(deployment: Deployment): StateSecret[] {
    const resources: StateResource[] = deployment.deployment?.resources ?? [];
    return resources.flatMap((r) => {
        // A resource marked for deletion (the old half of a replace) is the engine's to finish, not a secret to report.
        const secret = r.delete ? undefined : secretInState(r);
        // urn:pulumi:<stack>::<project>::<type>::<name>
        return secret ? [{ ...secret, props: r.outputs ?? {}, project: keyNamespace(r.type, r.urn.split("::")[1] ?? "") }] : [];
    });
}

/** A refusal or failure of a gate: the run's reason, and each secret's own message where the gate named it. */
interface GateStop {
    refused: boolean;
    reason: string;
    byUrn: Map<string, string>;
    /** The secrets refused as in use, with the day the state last saw them accessed. */
    inUse?: Map<string, string>;
    /** Every secret takes the run's outcome (a pack's judgement of the stack), not only those named. */
    all?: boolean;
}

/**
 * Undefined when the packs passed the stack; else why not. They judge the resources in state, as `pulumi policy
 * analyze` shows them, with the configuration the destroy will read (pack-gate.ts); on a CLI without that command,
 * in a preview, which runs the program.
 */
async function packGate(
    ws: LocalWorkspace,
    stack: Stack,
    secrets: StateSecret[],
    opts: TeardownOptions,
    io: TeardownIo,
): Promise<GateStop | undefined> {
    const packs = `policy pack${opts.policyPacks.length > 1 ? "s" : ""} ${opts.policyPacks.join(", ")}`;
    io.progress(`judging the stack's resources with ${packs} (pulumi policy analyze)`);
    let judged: PackJudgement;
    try {
        const config = Object.fromEntries(Object.entries(await ws.getAllConfig(opts.stack)).map(([k, v]) => [k, v.value]));
        const parts = opts.stack.split("/");
        // The organization as the stack's name gives it, else as a secret recorded it ("org/project/stack").
        const recorded = secrets.map((s) => s.props.stack).find((x): x is string => typeof x === "string" && x.split("/").length === 3);
        judged = await analyzeWithPacks({
            command: ws.pulumiCommand.command,
            cwd: ws.workDir,
            stack: opts.stack,
            policyPacks: opts.policyPacks.map((p) => path.resolve(p)),
            policyPackConfigs: opts.policyPackConfigs.map((p) => path.resolve(p)),
            env: { ...(ws.pulumiHome ? { PULUMI_HOME: ws.pulumiHome } : {}), ...ws.envVars },
            config,
            identity: {
                project: (await ws.projectSettings()).name,
                stack: parts[parts.length - 1]!,
                organization: parts.length === 3 ? parts[0] : recorded?.split("/")[0],
            },
        });
    } catch (e) {
        judged = { kind: "failed", reason: engineError(e, opts.stack) };
    }
    switch (judged.kind) {
        case "passed":
            return undefined;
        case "refused":
            return packRefusal(judged.refusals);
        case "failed":
            return { refused: false, reason: `the policy analysis failed, nothing was deleted: ${judged.reason}`, byUrn: new Map() };
        case "unsupported":
            if (opts.noPreview)
                return {
                    refused: false,
                    reason:
                        "this pulumi CLI has no `pulumi policy analyze`, and without it a policy pack judges only in a preview, " +
                        "which --no-preview skips; nothing was deleted — upgrade the CLI, or run without --no-preview",
                    byUrn: new Map(),
                };
            io.progress("this pulumi CLI has no `pulumi policy analyze`: the packs judge in a preview instead");
            return previewGate(stack, opts, io);
    }
}

/** A mandatory rule's refusal of the stack (a re-run cannot help): every secret takes it, each with its own messages. */
function packRefusal(refusals: PackRefusal[]): GateStop {
    const byUrn = new Map<string, string>();
    for (const r of refusals) if (r.urn) byUrn.set(r.urn, byUrn.has(r.urn) ? `${byUrn.get(r.urn)}; ${r.message}` : r.message);
    const reasons = [...new Set(refusals.map((r) => r.message))];
    return { refused: true, reason: `refused by policy, nothing was deleted: ${reasons.join("; ")}`, byUrn, all: true };
}

/** Undefined when the preview passed; else why not: a mandatory rule's refusal (a re-run cannot help), or a failure. */
async function previewGate(stack: Stack, opts: TeardownOptions, io: TeardownIo): Promise<GateStop | undefined> {
    io.progress(`previewing with policy pack${opts.policyPacks.length > 1 ? "s" : ""} ${opts.policyPacks.join(", ")}`);
    const refusals: PackRefusal[] = [];
    const errors: string[] = [];
    try {
        await stack.preview({
            color: "never",
            policyPacks: opts.policyPacks.map((p) => path.resolve(p)),
            policyPackConfigs: opts.policyPackConfigs.map((p) => path.resolve(p)),
            onEvent: (e: EngineEvent) => {
                const p = e.policyEvent;
                // The engine sends the rule's description, then the violation's own text.
                if (p && p.enforcementLevel === "mandatory") refusals.push(mandatoryRefusal(p.resourceUrn, p.policyName, p.message));
                const d = e.diagnosticEvent;
                if (d && d.severity === "error") errors.push(d.message.trim());
            },
        });
        return undefined;
    } catch (e) {
        if (refusals.length) return packRefusal(refusals);
        const reason = errors.find((m) => !/^preview failed$/.test(m)) ?? engineError(e, opts.stack);
        return { refused: false, reason: `the preview failed, nothing was deleted: ${reason}`, byUrn: new Map() };
    }
}

/** The first line of a message, with the line after it when it ends in a colon ("… an unhandled exception:"). */
function statement(message: string): string {
    const lines = message
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l);
    const first = lines[0] ?? message.trim();
    return first.endsWith(":") && lines[1] ? `${first} ${lines[1]}` : first;
}

/** The CLI's own error line from an Automation API failure, with the way out when the stack is locked. */
export function engineError(e: unknown, stackName: string): string {
    const text = e instanceof Error ? e.message : String(e);
    if (/currently locked/.test(text)) {
        return `stack ${stackName} is locked: another update is running, or one was killed — if none is running, run the same command with --unlock`;
    }
    // The Automation API's message starts "code: … stderr: "; the CLI's own error line may follow on that line.
    const m = /(?:^|\s)error: ([^]*)$/m.exec(text);
    return statement(m?.[1] ?? text);
}
