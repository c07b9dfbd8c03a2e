// The policy a teardown (or a sweep) hands the destroy it starts. It travels in that destroy's environment, never
// through a file of the user's project: a teardown killed at any moment leaves the stack's settings file as it was,
// and the next plain `pulumi destroy` follows the committed configuration.
//
// A value in the environment is only a claim. A provider's delete follows it only when all of these hold:
//  - the teardown process that wrote it is an ancestor of this provider process (same pid and start time), so a value
//    left in a shell's environment, or copied into another command's, governs nothing;
//  - the `pulumi` command between them was told the stack the teardown names (`--stack`);
//  - this secret's ARN was in that stack's state when the teardown judged it (the stack is proven by its state, not by
//    a name).
// Otherwise the delete reads the configuration as a plain destroy does.

import { createHash } from "crypto";
import { ancestorCli, processStartTime, providerAncestors, RunningCli } from "./cli-config";
import { CurrentConfigRead, DestroyDecision } from "../core/policy";

export const RUN_ENV = "PULUMI_SAFE_SECRET_TEARDOWN";

/** The deletion keys of one namespace as the teardown hands them over: raw, validated by the delete as preview does. */
export interface DeletionKeys {
    recoveryWindowInDays?: string | undefined;
    forceDelete?: string | undefined;
    teardownProtection?: string | undefined;
    inUseGuardDays?: string | undefined;
}

export interface TeardownRun {
    v: 1;
    /** The stack as the teardown names it to the CLI (`--stack`). */
    stack: string;
    /** The teardown process, by pid and start time. */
    pid: number;
    started: string;
    /** The deletion keys in force, per namespace ("<project>" for the dynamic Secret, "safesecret" for the plugin). */
    settings: Record<string, DeletionKeys>;
    /** arnDigest of every secret the stack's state held when the teardown judged it. */
    secrets: string[];
    /** "teardown": its flags set the policy; "current": the stack's own configuration, as the teardown read it. */
    source: "teardown" | "current";
}

/** A short digest of a secret's ARN: the environment stays small for a stack of thousands of secrets. */
export function arnDigest(arn: string): string {
    return createHash("sha256").update(arn).digest("hex").slice(0, 20);
}

/** The environment variable's value for a teardown run of `stack` by this process. */
export function formatRun(run: Omit<TeardownRun, "v" | "pid" | "started">, pid = process.pid): Record<string, string> {
    const started = processStartTime(pid);
    if (started === undefined) throw new Error(`cannot read the start time of process ${pid}, which binds the teardown's policy to it`);
    const value: TeardownRun = { v: 1, pid, started, ...run };
    return { [RUN_ENV]: JSON.stringify(value) };
}

function parseRun(text: string): TeardownRun | undefined {
    try {
        const r = JSON.parse(text) as Partial<TeardownRun> | null;
        const ok =
            r?.v === 1 &&
            typeof r.pid === "number" &&
            typeof r.started === "string" &&
            typeof r.stack === "string" &&
            Array.isArray(r.secrets) &&
            typeof r.settings === "object" &&
            r.settings !== null &&
            (r.source === "teardown" || r.source === "current");
        return ok ? (r as TeardownRun) : undefined;
    } catch {
        return undefined;
    }
}

/** What the environment says about this delete: nothing, a run that governs it, or a value that does not bind here. */
export type RunVerdict =
    | { readonly kind: "none" }
    | { readonly kind: "governed"; readonly run: TeardownRun; readonly keys: DeletionKeys }
    /** `keepsWindow`: the value, though not followed, asks this secret's delete to stay recoverable. */
    | { readonly kind: "ignored"; readonly why: string; readonly keepsWindow?: boolean };

export interface RunChecks {
    /** The pids and start times of this process's ancestors, nearest first. */
    ancestors(): { pid: number; started?: string | undefined }[];
    /** The `pulumi` command among them. */
    runningCli(): RunningCli | undefined;
}

// Each delete of a destroy asks; the provider process looks its ancestors up once.
const liveChecks: RunChecks = { ancestors: providerAncestors, runningCli: ancestorCli };

/**
 * Whether the teardown's policy governs the delete of the secret `arn`, whose stack keys live in `namespace`. Pure but
 * for the process lookups `checks` makes.
 */
export function runVerdict(
    arn: string,
    namespace: string,
    env: NodeJS.ProcessEnv = process.env,
    checks: RunChecks = liveChecks,
): RunVerdict {
    const text = env[RUN_ENV];
    if (text === undefined || text === "") return { kind: "none" };
    const run = parseRun(text);
    if (!run) return { kind: "ignored", why: `${RUN_ENV} is not a teardown's policy` };
    const namesThisSecret = run.secrets.includes(arnDigest(arn));
    // A policy naming this secret that asks it to stay recoverable: refused force deletes stay refused (withRunNote).
    const keepsWindow = namesThisSecret && run.settings[namespace]?.forceDelete !== "true";
    if (!checks.ancestors().some((a) => a.pid === run.pid && a.started === run.started))
        return {
            kind: "ignored",
            why: `${RUN_ENV} was set by a teardown (process ${run.pid}) that did not start this destroy`,
            keepsWindow,
        };
    const cli = checks.runningCli();
    if (cli?.stack !== run.stack)
        return {
            kind: "ignored",
            why: `${RUN_ENV} is for stack ${run.stack}, and this destroy is of ${cli?.stack ?? "an unnamed stack"}`,
            keepsWindow,
        };
    if (!namesThisSecret) return { kind: "ignored", why: `${RUN_ENV} is for stack ${run.stack}, whose state did not hold this secret` };
    return { kind: "governed", run, keys: run.settings[namespace] ?? {} };
}

/** The configuration a delete under a teardown's policy decides by (the teardown's gate decides by the same). */
export function runConfig(keys: DeletionKeys, namespace: string, source: TeardownRun["source"]): Extract<CurrentConfigRead, { ok: true }> {
    return { ok: true, stack: { project: namespace, ...keys }, source };
}

export function governedConfig(
    verdict: Extract<RunVerdict, { kind: "governed" }>,
    namespace: string,
): Extract<CurrentConfigRead, { ok: true }> {
    return runConfig(verdict.keys, namespace, verdict.run.source);
}

/**
 * A decision that also says why a teardown's policy in the environment was not followed (a stale or foreign value). A
 * value that names this secret and asks for a recovery window is not followed either, but a delete without recovery
 * is then refused: the teardown that asked for a window may be this destroy's own, unproven here (fail closed).
 */
export function withRunNote(decision: DestroyDecision, verdict: RunVerdict): DestroyDecision {
    if (verdict.kind !== "ignored" || decision.kind !== "delete") return decision;
    if (verdict.keepsWindow && decision.policy.mode === "force") {
        return {
            kind: "refuse",
            reason: `not following ${verdict.why}, which asks this secret to stay recoverable, so it is not deleted without recovery`,
            fix: `run the teardown again, or unset ${RUN_ENV} for a plain \`pulumi destroy\``,
        };
    }
    const note = `not following ${verdict.why}`;
    return { ...decision, note: decision.note ? `${decision.note}; ${note}` : note };
}
