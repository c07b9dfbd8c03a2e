// `pulumi-safe-secret teardown`: the steps a pipeline takes to tear an environment down, through the Automation API
// of the project's own @pulumi/pulumi. The provider's delete does the deleting (and refuses what teardown protection
// forbids); this file sets the policy, gates on a preview, runs the destroy and reports what happened to each secret.

import type { EngineEvent, LocalWorkspace, ProjectSettings, Stack } from "@pulumi/pulumi/automation";
import * as path from "path";
import { SECRET_TYPE } from "../policy-pack/rules";
import { describeDeletion, TeardownOptions } from "./args";
import * as fs from "fs";
import { DeleteEvent, EVENTS_ENV, parseEvent } from "../events";
import {
    EXIT,
    GONE,
    isPolicyRefusal,
    overallResult,
    parseProviderLine,
    reasonLeft,
    SecretInState,
    secretOutcomes,
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
    // The provider reports each delete as an event (events.ts) when asked to.
    const ws: LocalWorkspace = await automation.LocalWorkspace.create({ workDir: cwd, envVars: { ...opts.env, [EVENTS_ENV]: "1" } });
    const exists = (await ws.listStacks()).some(
        (s) => s.name === opts.stack || s.name.endsWith(`/${opts.stack}`) || opts.stack.endsWith(`/${s.name}`),
    );
    if (!exists) {
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
    const stack: Stack = await automation.Stack.select(opts.stack, ws);
    if (opts.unlock) {
        // A killed run (a cancelled pipeline job) leaves the stack locked; `pulumi cancel` is the documented way out.
        io.progress("removing the stack's lock (--unlock: nothing else may be updating this stack)");
        await stack.cancel();
    }

    // A run that does not finish puts the stack's settings file back byte for byte: a forceDelete left in a protected
    // stack would make its next `pulumi up` fail, and in a GitOps repository the file is committed.
    let snapshot: SettingsSnapshot | undefined;
    if (opts.deletion !== undefined) {
        io.progress(`setting the deletion policy: ${summary.policy}`);
        const projectSettings = await ws.projectSettings();
        snapshot = snapshotSettings(ws, projectSettings, opts.stack);
        // Written in this process (the workspace's own settings file I/O), not by `pulumi config`: no CLI calls. The
        // workspace writes the whole file anew; the snapshot puts the original bytes back if the run does not finish.
        const project = projectSettings.name;
        const settings = await ws.stackSettings(opts.stack);
        const config = { ...settings.config };
        const [set, unset] = opts.deletion === "force" ? ["forceDelete", "recoveryWindowInDays"] : ["recoveryWindowInDays", "forceDelete"];
        config[`${project}:${set}`] = String(opts.deletion === "force" ? true : opts.deletion);
        delete config[`${project}:${unset}`];
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

    const before = await secretsInState(stack);
    io.progress(`${before.length} secret${before.length === 1 ? "" : "s"} in stack ${opts.stack}`);

    // The gate: `check` runs with the teardown's policy (teardown protection refuses here), and the policy packs
    // judge the stack — before anything is deleted. A destroy alone would run neither.
    if (before.length > 0 && !opts.noPreview) {
        const stop = await previewGate(stack, opts, io);
        if (stop) {
            summary.secrets = before.map((s) => ({
                ...s,
                outcome: stop.refused ? "refused" : "kept",
                detail: stop.byUrn.get(s.urn) ?? `not deleted: the teardown stopped at the preview`,
            }));
            return finish(stop.refused ? "refused" : "failed", stop.reason);
        }
    }

    io.progress("destroying");
    const events = new Map<string, DeleteEvent>();
    const errors = new Map<string, string>();
    let destroyError: string | undefined;
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
                if (d.severity === "error" && d.urn) errors.set(d.urn, d.message.trim());
            },
        });
    } catch (e) {
        destroyError = engineError(e, opts.stack);
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

/** The fields of a resource in an exported deployment that the teardown reads. */
interface StateResource {
    urn: string;
    type: string;
    id?: string;
    external?: boolean;
    delete?: boolean;
    outputs?: Record<string, unknown>;
}

async function secretsInState(stack: Stack): Promise<SecretInState[]> {
    const deployment = await stack.exportStack();
    const resources: StateResource[] = deployment.deployment?.resources ?? [];
    return resources
        .filter((r) => r.type === SECRET_TYPE && !r.external && !r.delete && typeof r.id === "string")
        .map((r) => {
            const name = r.outputs?.name;
            const region = r.outputs?.region;
            return {
                urn: r.urn,
                id: r.id!,
                name: typeof name === "string" ? name : r.id!,
                ...(typeof region === "string" ? { region } : {}),
            };
        });
}

/** A refusal or failure of the preview gate: the run's reason, and each secret's own message where the engine named it. */
interface GateStop {
    refused: boolean;
    reason: string;
    byUrn: Map<string, string>;
}

/** Undefined when the preview passed; else why not, and whether that is a refusal by policy (a re-run cannot help). */
async function previewGate(stack: Stack, opts: TeardownOptions, io: TeardownIo): Promise<GateStop | undefined> {
    io.progress(
        `previewing${opts.policyPacks.length ? ` with policy pack${opts.policyPacks.length > 1 ? "s" : ""} ${opts.policyPacks.join(", ")}` : ""}`,
    );
    const refusals: { urn?: string | undefined; message: string }[] = [];
    const errors: string[] = [];
    try {
        await stack.preview({
            color: "never",
            policyPacks: opts.policyPacks.map((p) => path.resolve(p)),
            policyPackConfigs: opts.policyPackConfigs.map((p) => path.resolve(p)),
            onEvent: (e: EngineEvent) => {
                const p = e.policyEvent;
                // The engine sends the rule's description, then the violation's own text.
                if (p && p.enforcementLevel === "mandatory")
                    refusals.push({ urn: p.resourceUrn, message: `[mandatory] ${p.policyName}: ${lastLine(p.message)}` });
                const d = e.diagnosticEvent;
                if (d && d.severity === "error") {
                    if (isPolicyRefusal(d.message)) refusals.push({ urn: d.urn, message: d.message.trim() });
                    else errors.push(d.message.trim());
                }
            },
        });
        return undefined;
    } catch (e) {
        if (refusals.length) {
            const byUrn = new Map<string, string>();
            for (const r of refusals) if (r.urn) byUrn.set(r.urn, byUrn.has(r.urn) ? `${byUrn.get(r.urn)}; ${r.message}` : r.message);
            const reasons = [...new Set(refusals.map((r) => r.message))];
            return { refused: true, reason: `refused by policy, nothing was deleted: ${reasons.join("; ")}`, byUrn };
        }
        const reason = errors.find((m) => !/^preview failed$/.test(m)) ?? engineError(e, opts.stack);
        return { refused: false, reason: `the preview failed, nothing was deleted: ${reason}`, byUrn: new Map() };
    }
}

function lastLine(s: string): string {
    return s.trim().split("\n").pop()!.trim();
}

/** The CLI's own error line from an Automation API failure, with the way out when the stack is locked. */
export function engineError(e: unknown, stackName: string): string {
    const text = e instanceof Error ? e.message : String(e);
    if (/currently locked/.test(text)) {
        return `stack ${stackName} is locked: another update is running, or one was killed — if none is running, run the same command with --unlock`;
    }
    return (
        /^\s*error: (.+)$/m.exec(text)?.[1]?.trim() ??
        text
            .split("\n")
            .map((l) => l.trim())
            .find((l) => l) ??
        text
    );
}
