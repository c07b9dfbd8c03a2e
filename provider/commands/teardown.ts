// `pulumi-safe-secret teardown`: the steps a pipeline takes to tear an environment down, through the Automation API
// of the project's own @pulumi/pulumi. The provider's delete does the deleting (and refuses what teardown protection
// forbids); this file sets the policy, gates on each secret's delete decision and on the policy packs' judgement, runs
// the destroy and reports what happened to each secret.

import type { EngineEvent, LocalWorkspace, ProjectSettings, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import * as path from "path";
import { describeDeletion, TeardownOptions } from "./args";
import { DeleteEvent, EVENTS_ENV, parseEvent } from "../core/delete-result";
import { stackPart } from "../destroy-time/cli-config";
import { arnDigest, formatRun } from "../destroy-time/teardown-run";
import { engineError, statement } from "./engine-error";
import { decisionGate, gateOutcomes, keptSecret, readStack, secretsOf, StackReading, StateSecret } from "./gates";
import { acquireRunLock, lockFile } from "./run-lock";
import { EXIT, GONE, overallResult, parseProviderLine, reasonLeft, SecretOutcome, secretOutcomes, TeardownSummary } from "./outcome";

export interface TeardownIo {
    /** Progress while the engine works (the results are the summary this returns). */
    progress(line: string): void;
}

type Automation = typeof import("@pulumi/pulumi/automation");

/**
 * The environment of the teardown's engine runs. The provider reports each delete as an event (core/delete-result.ts)
 * when asked to. With --run-program the program runs only to hand the engine its resources and the other providers their
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
    // The gates' reads start at once, by the CLI itself, while the Automation API loads (most of the start-up).
    const reading = readStack(opts, io);
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
        return await tearDown(automation, ws, await reading, opts, io);
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
    reading: StackReading,
    opts: TeardownOptions,
    io: TeardownIo,
): Promise<TeardownSummary> {
    const summary = newSummary(opts.stack, opts.deletion);
    const stop = (result: "refused" | "failed", reason: string): TeardownSummary =>
        Object.assign(summary, { result, exitCode: result === "refused" ? EXIT.REFUSED : EXIT.FAILED, reason });
    // Selecting it is the existence check (no `stack ls` before it).
    const stack = await automation.Stack.select(opts.stack, ws).catch((e: unknown) => {
        if ((e as Error | undefined)?.name === "StackNotFoundError") return undefined;
        throw e;
    });
    if (!stack) return missingStack(summary, opts, io);
    if (opts.unlock) {
        // A killed run (a cancelled pipeline job) leaves the stack locked; `pulumi cancel` is the documented way out.
        io.progress("removing the stack's lock (--unlock: nothing else may be updating this stack)");
        await stack.cancel();
    }
    const before = reading.secrets;
    if (before instanceof Error) throw before;
    io.progress(`${before.length} secret${before.length === 1 ? "" : "s"} in stack ${opts.stack}`);

    const { policy } = reading;
    if (policy && "problem" in policy) {
        summary.secrets = before.map((s) => keptSecret(s, "not deleted: the teardown stopped before the destroy"));
        return stop("failed", `could not read the stack's configuration, nothing was deleted: ${policy.problem}`);
    }
    if (policy) {
        io.progress(`deletion policy: ${summary.policy}`);
        // Each secret's delete decision made here as its delete will make it (a refusal stops the whole stack, not the
        // secrets after the first), then the policy packs' judgement of the stack (a destroy runs no pack).
        const gate = decisionGate(before, policy, io) ?? (await reading.judged);
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

async function secretsInState(stack: Stack): Promise<StateSecret[]> {
    return secretsOf(await stack.exportStack());
}
