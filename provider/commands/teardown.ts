// `pulumi-safe-secret teardown`: the steps a pipeline takes to tear an environment down, through the Automation API
// of the project's own @pulumi/pulumi. The provider's delete does the deleting (and refuses what teardown protection
// forbids); this file sets the policy, gates on each secret's delete decision and on the policy packs' judgement, runs
// the destroy and reports what happened to each secret.

import type { Deployment, EngineEvent, LocalWorkspace, ProjectSettings, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import * as path from "path";
import { describeDeletion, TeardownOptions } from "./args";
import { DeleteEvent, EVENTS_ENV, parseEvent } from "../events";
import { ConfigJsonRead, readConfigJson, stackPart, withDeletionKeys } from "../destroy-config";
import { destroyDecision } from "../policy";
import { keyNamespace } from "../policy-pack/rules";
import { inUseRefusal } from "../delete";
import { arnDigest, DeletionKeys, formatRun, runConfig, TeardownRun } from "../teardown-run";
import { analyzeWithPacks, PackJudgement, PackRefusal } from "./pack-gate";
import { acquireRunLock, lockFile } from "./run-lock";
import {
    EXIT,
    GONE,
    overallResult,
    parseProviderLine,
    reasonLeft,
    SecretInState,
    secretInState,
    SecretOutcome,
    secretOutcomes,
    StateResource,
    TeardownSummary,
} from "./outcome";

export interface TeardownIo {
    /** Progress while the engine works (the results are the summary this returns). */
    progress(line: string): void;
}

type Automation = typeof import("@pulumi/pulumi/automation");

/**
 * The environment of the teardown's engine runs. The provider reports each delete as an event (events.ts) when asked
 * to. With --run-program the program runs only to hand the engine its resources and the other providers their
 * configuration: a type error that crept into it since the last `pulumi up` must not keep an environment alive, so
 * TypeScript programs run transpiled only unless PULUMI_NODEJS_TRANSPILE_ONLY says otherwise.
 */
export function teardownEnv(given: Record<string, string> = {}): Record<string, string> {
    return { PULUMI_NODEJS_TRANSPILE_ONLY: process.env.PULUMI_NODEJS_TRANSPILE_ONLY ?? "true", ...given, [EVENTS_ENV]: "1" };
}

/** The summary of a teardown that threw before it could say more (the engine or the backend failed). */
export function failedTeardown(stack: string, deletion: TeardownOptions["deletion"], e: Error): TeardownSummary {
    return { ...newSummary(stack, deletion), result: "failed", exitCode: EXIT.FAILED, reason: e.message.split("\n")[0] ?? e.message };
}

function newSummary(stack: string, deletion: TeardownOptions["deletion"]): TeardownSummary {
    return {
        v: 1,
        stack,
        result: "done",
        exitCode: EXIT.DONE,
        policy: describeDeletion(deletion),
        stackFound: true,
        stackRemoved: false,
        secrets: [],
    };
}

let pulumiCommand: Promise<PulumiCommand> | undefined;

export async function teardown(opts: TeardownOptions, io: TeardownIo, given?: Automation): Promise<TeardownSummary> {
    // The project's own @pulumi/pulumi (the package's peer), loaded only when a teardown runs.
    const automation = given ?? (await import("@pulumi/pulumi/automation"));
    // One CLI for every teardown of the process (a sweep runs many): its `pulumi version` is asked once.
    pulumiCommand ??= automation.PulumiCommand.get();
    const ws: LocalWorkspace = await automation.LocalWorkspace.create({
        workDir: path.resolve(opts.cwd),
        envVars: teardownEnv(opts.env),
        pulumiCommand: await pulumiCommand,
    });
    const project = await ws.projectSettings();
    const lock = acquireRunLock(lockFile(backendOf(project, ws), project.name, stackPart(opts.stack)), opts.stack);
    if ("busy" in lock) return { ...newSummary(opts.stack, opts.deletion), result: "busy", exitCode: EXIT.FAILED, reason: lock.busy };
    try {
        return await tearDown(automation, ws, project, opts, io);
    } finally {
        lock.held.release();
    }
}

/** The backend a stack lives in, as far as this process can tell without a CLI call (the lock's key). */
function backendOf(project: ProjectSettings, ws: LocalWorkspace): string {
    return ws.envVars.PULUMI_BACKEND_URL ?? process.env.PULUMI_BACKEND_URL ?? project.backend?.url ?? "";
}

async function tearDown(
    automation: Automation,
    ws: LocalWorkspace,
    project: ProjectSettings,
    opts: TeardownOptions,
    io: TeardownIo,
): Promise<TeardownSummary> {
    const summary = newSummary(opts.stack, opts.deletion);
    const stop = (result: "refused" | "failed", reason: string): TeardownSummary =>
        Object.assign(summary, { result, exitCode: result === "refused" ? EXIT.REFUSED : EXIT.FAILED, reason });
    // Selecting it is the existence check too (no `stack ls` before it); its state and configuration are read beside it
    // (all of the configuration decrypted only where packs judge it, as a preview would hand it to them).
    const scope = ["--stack", opts.stack, "--non-interactive"];
    const configRead = readConfigJson(ws.pulumiCommand.command, scope, ws.workDir, opts.policyPacks.length > 0);
    const [stack, exported] = await Promise.all([
        automation.Stack.select(opts.stack, ws).catch((e: unknown) => {
            if ((e as Error | undefined)?.name === "StackNotFoundError") return undefined;
            throw e;
        }),
        ws.exportStack(opts.stack).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))),
    ]);
    if (!stack) return missingStack(summary, opts, io);
    if (opts.unlock) {
        // A killed run (a cancelled pipeline job) leaves the stack locked; `pulumi cancel` is the documented way out.
        io.progress("removing the stack's lock (--unlock: nothing else may be updating this stack)");
        await stack.cancel();
    }
    if (exported instanceof Error) throw exported;
    const before = secretsOf(exported);
    io.progress(`${before.length} secret${before.length === 1 ? "" : "s"} in stack ${opts.stack}`);

    if (before.length > 0) {
        const policy = await policyInForce(await configRead, ws, scope, project.name, before, opts);
        if ("problem" in policy) {
            summary.secrets = before.map((s) => keptSecret(s, "not deleted: the teardown stopped before the destroy"));
            return stop("failed", `could not read the stack's configuration, nothing was deleted: ${policy.problem}`);
        }
        io.progress(`deletion policy: ${summary.policy}`);
        // The gates, before anything is deleted: each secret's delete decision made here as its delete will make it (a
        // refusal stops the whole stack, not the secrets after the first), then the policy packs' judgement of the stack
        // (a destroy runs no pack).
        const gate =
            decisionGate(before, policy, io) ?? (opts.policyPacks.length ? await packGate(ws, before, policy, opts, io) : undefined);
        if (gate) {
            summary.secrets = gateOutcomes(before, gate);
            return stop(gate.refused ? "refused" : "failed", gate.reason);
        }
        // The policy the gates judged travels with the destroy, bound to this run and to the secrets of this stack.
        Object.assign(
            ws.envVars,
            formatRun({ stack: opts.stack, settings: policy.settings, source: policy.source, secrets: before.map((s) => arnDigest(s.id)) }),
        );
    }

    const destroyed = await destroyStack(stack, before, opts, io);
    summary.secrets = destroyed.outcomes;
    const { result, exitCode } = overallResult(summary.secrets, destroyed.error);
    if (result !== "done") return stop(result, reasonLeft(summary.secrets, destroyed.error));
    summary.exitCode = exitCode;
    if (opts.removeStack) {
        await ws.removeStack(opts.stack);
        summary.stackRemoved = true;
        io.progress(`stack ${opts.stack} removed`);
    }
    return summary;
}

function missingStack(summary: TeardownSummary, opts: TeardownOptions, io: TeardownIo): TeardownSummary {
    summary.stackFound = false;
    if (opts.allowMissing) {
        // A re-run of a teardown that finished (and removed the stack): nothing is left to do.
        io.progress(`stack ${opts.stack} does not exist in this backend: nothing to tear down (--allow-missing)`);
        return summary;
    }
    return Object.assign(summary, {
        result: "missing",
        exitCode: EXIT.MISSING,
        reason: `stack ${opts.stack} does not exist in this backend — check the name; if a finished teardown already removed it, re-run with --allow-missing`,
    });
}

/** The deletion keys each namespace's deletes will decide by: the stack's as they are now, the teardown's flags over them. */
interface PolicyInForce {
    settings: Record<string, DeletionKeys>;
    source: TeardownRun["source"];
    /** Every key of the stack with the policy over it, as the packs judge it (where they do: read decrypted). */
    config: Record<string, string>;
}

/**
 * From the one configuration read, decrypting (beyond what packs need) only the deletion keys: the project's namespace
 * (the dynamic Secret's keys) and each other namespace a secret of the stack reads (the plugin's). The teardown's flag
 * replaces the stack's deletion keys.
 */
async function policyInForce(
    read: ConfigJsonRead,
    ws: LocalWorkspace,
    scope: string[],
    projectName: string,
    secrets: StateSecret[],
    opts: TeardownOptions,
): Promise<PolicyInForce | { problem: string }> {
    const namespaces = [...new Set([projectName, ...secrets.map((s) => s.project)])];
    const got = await withDeletionKeys(read, ws.pulumiCommand.command, scope, ws.workDir, namespaces);
    if (!got.ok) return { problem: got.problem };
    const config: Record<string, string> = {};
    for (const k of got.keys) {
        const v = got.get(k);
        if (v !== undefined) config[k] = v;
    }
    const settings: Record<string, DeletionKeys> = {};
    for (const ns of namespaces) {
        const key = (k: string) => got.get(`${ns}:${k}`);
        const keys: DeletionKeys = {
            recoveryWindowInDays: key("recoveryWindowInDays"),
            forceDelete: key("forceDelete"),
            teardownProtection: key("teardownProtection"),
            inUseGuardDays: key("inUseGuardDays"),
        };
        if (opts.deletion === "force") Object.assign(keys, { forceDelete: "true", recoveryWindowInDays: undefined });
        else if (opts.deletion !== undefined) Object.assign(keys, { recoveryWindowInDays: String(opts.deletion), forceDelete: undefined });
        settings[ns] = JSON.parse(JSON.stringify(keys)) as DeletionKeys;
        for (const [k, v] of Object.entries(keys)) {
            if (v === undefined) delete config[`${ns}:${k}`];
            else config[`${ns}:${k}`] = v;
        }
    }
    return { settings, source: opts.deletion === undefined ? "current" : "teardown", config };
}

/** Runs the destroy (without the program unless --run-program) and tells each secret's outcome from the provider's events. */
async function destroyStack(
    stack: Stack,
    before: StateSecret[],
    opts: TeardownOptions,
    io: TeardownIo,
): Promise<{ outcomes: SecretOutcome[]; error: string | undefined }> {
    io.progress(opts.runProgram ? "destroying (running the program)" : "destroying");
    const events = new Map<string, DeleteEvent>();
    const errors = new Map<string, string>();
    let destroyError: string | undefined;
    let otherError: string | undefined;
    const managed = new Set(before.map((s) => s.urn));
    try {
        await stack.destroy({
            color: "never",
            runProgram: opts.runProgram,
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
    return { outcomes: secretOutcomes(before, after, events, errors), error: destroyError };
}

function keptSecret(s: StateSecret, detail: string): SecretOutcome {
    return { urn: s.urn, id: s.id, name: s.name, ...(s.region ? { region: s.region } : {}), outcome: "kept", detail };
}

/** Each secret's line when a gate stopped the run: refused (or in use) where the gate named it, else kept. */
function gateOutcomes(before: StateSecret[], stop: GateStop): SecretOutcome[] {
    return before.map((s) => {
        const own = stop.byUrn.get(s.urn);
        const lastAccessedDate = stop.inUse?.get(s.urn);
        const refused = stop.refused && (own !== undefined || stop.all === true);
        return {
            ...keptSecret(s, own ?? "not deleted: the teardown stopped before the destroy"),
            outcome: lastAccessedDate ? "in-use" : refused ? "refused" : "kept",
            ...(lastAccessedDate ? { lastAccessedDate } : {}),
        };
    });
}

/**
 * Undefined when every secret's delete may go ahead; else the refusals. The decision is policy.ts's, fed exactly what
 * the destroy's delete will be fed (teardown-run.ts): the same keys, validated by the same code.
 */
function decisionGate(secrets: StateSecret[], policy: PolicyInForce, io: TeardownIo): GateStop | undefined {
    io.progress("checking each secret's delete against the policy");
    const byUrn = new Map<string, string>();
    const inUseAt = new Map<string, string>();
    for (const s of secrets) {
        const current = runConfig(policy.settings[s.project] ?? {}, s.project, policy.source);
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
 * analyze` shows them, with the configuration the destroy will apply (pack-gate.ts).
 */
async function packGate(
    ws: LocalWorkspace,
    secrets: StateSecret[],
    policy: PolicyInForce,
    opts: TeardownOptions,
    io: TeardownIo,
): Promise<GateStop | undefined> {
    const packs = `policy pack${opts.policyPacks.length > 1 ? "s" : ""} ${opts.policyPacks.join(", ")}`;
    io.progress(`judging the stack's resources with ${packs} (pulumi policy analyze)`);
    let judged: PackJudgement;
    try {
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
            // The packs judge the policy the destroy will apply: the teardown's flags over the stack's keys.
            config: policy.config,
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
            // A preview (the only other place a pack judges) would judge the stack's configuration as committed, not the
            // policy this destroy applies, which no file holds.
            return {
                refused: false,
                reason:
                    "this pulumi CLI has no `pulumi policy analyze`, which judges the stack's state under the teardown's policy; " +
                    "nothing was deleted — upgrade the pulumi CLI, or run without --policy-pack",
                byUrn: new Map(),
            };
    }
}

/** A mandatory rule's refusal of the stack (a re-run cannot help): every secret takes it, each with its own messages. */
function packRefusal(refusals: PackRefusal[]): GateStop {
    const byUrn = new Map<string, string>();
    for (const r of refusals) if (r.urn) byUrn.set(r.urn, byUrn.has(r.urn) ? `${byUrn.get(r.urn)}; ${r.message}` : r.message);
    const reasons = [...new Set(refusals.map((r) => r.message))];
    return { refused: true, reason: `refused by policy, nothing was deleted: ${reasons.join("; ")}`, byUrn, all: true };
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
