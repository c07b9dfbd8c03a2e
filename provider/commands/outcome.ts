// What a teardown did, decided from what the engine reported (pure: no Pulumi, no AWS). One line per secret, a JSON
// summary and an exit code a pipeline can branch on.

import type { DeleteEvent, DeleteOutcome, DeleteReport } from "../core/delete-result";
import { reportOf } from "../core/delete-result";

import { ConfigSource } from "../core/policy";
import { isSecretType } from "../core/identity";

/**
 * Exit codes: a pipeline retries on FAILED, stops and asks a human on REFUSED, checks its stack name on MISSING.
 * SUMMARY_NOT_WRITTEN: the command finished, but its --summary-file could not be written (the summary is on stdout).
 */
export const EXIT = { DONE: 0, FAILED: 1, REFUSED: 2, MISSING: 3, USAGE: 64, SUMMARY_NOT_WRITTEN: 74 } as const;

/** A delete's outcome as the provider reported it, or what the teardown knows without a report. "in-use": refused by the in-use guard. */
export type SecretOutcomeKind = DeleteOutcome | "kept" | "unreported";

/**
 * A secret's entry in the summary. For a secret whose delete the provider reported, the entry holds that report's
 * fields as the event carried them (core/delete-result.ts: DeleteReport), plus `detail`; a secret the teardown knows of
 * without a report (kept, unreported, stopped by a gate) has only the fields that apply. A summary is also read back
 * from a file (undo), so every field but the secret's identity, `outcome` and `detail` is optional here.
 */
export interface SecretOutcome {
    urn: string;
    /** The secret's ARN. */
    id: string;
    name: string;
    region?: string;
    outcome: SecretOutcomeKind;
    /** In words: the date, the policy and where it came from, or the error. */
    detail: string;
    /** AWS's DeletionDate (ISO 8601) for a scheduled secret (or the one an already scheduled secret carries). */
    deletionDate?: string;
    /** For "scheduled": the recovery window the delete asked for. */
    recoveryWindowInDays?: number;
    /** For "force-deleted": whether AWS had finished purging the name when the delete returned. */
    purged?: boolean;
    /** For a refusal or failure the provider reported: its message as the engine showed it (`detail` says the same). */
    error?: string;
    /** For "in-use": the day AWS reports the secret last accessed. */
    lastAccessedDate?: string;
    /** Replica regions removed before the primary was deleted. */
    replicasRemoved?: string[];
    /** The policy applied, and which configuration decided it. */
    policy?: string;
    configSource?: ConfigSource;
}

/**
 * "missing": the stack does not exist (a typo, or a re-run after removal: see --allow-missing). "busy": another run is
 * tearing the stack down; this one touched nothing.
 */
export type Result = "done" | "refused" | "failed" | "missing" | "busy";

export interface TeardownSummary {
    /** The summary's format; bumped when a field changes meaning. */
    v: 1;
    stack: string;
    result: Result;
    exitCode: number;
    policy: string;
    stackFound: boolean;
    stackRemoved: boolean;
    secrets: SecretOutcome[];
    /** Why the run was refused or failed, when it was. */
    reason?: string;
}

/** The secrets a stack's state holds and manages (read-only `Secret.get` lookups are not the stack's to delete). */
export interface SecretInState {
    urn: string;
    id: string;
    name: string;
    region?: string;
}

/** The fields of a resource in an exported deployment (or a checkpoint) that the commands read. */
export interface StateResource {
    urn: string;
    type: string;
    id?: string;
    external?: boolean;
    delete?: boolean;
    outputs?: Record<string, unknown>;
}

/** Who a resource of a deployment is, when it is a secret the stack manages (undefined otherwise). */
export function secretInState(r: StateResource): SecretInState | undefined {
    if (!isSecretType(r.type) || r.external || typeof r.id !== "string") return undefined;
    const { name, region } = r.outputs ?? {};
    return { urn: r.urn, id: r.id, name: typeof name === "string" ? name : r.id, ...(typeof region === "string" ? { region } : {}) };
}

/** The provider's progress lines ("[pulumi-safe-secret] <name>: <message>") split into the name and the message. */
export function parseProviderLine(line: string): { name: string; message: string } | undefined {
    const m = /\[pulumi-safe-secret\] ([^:\s]+): (.*)$/s.exec(line.trim());
    return m ? { name: m[1]!, message: m[2]!.trim() } : undefined;
}

/** Outcomes after which the secret has left the stack. */
export const GONE: ReadonlySet<SecretOutcomeKind> = new Set(["scheduled", "force-deleted", "already-gone", "already-scheduled"]);
/** Outcomes of secrets the teardown did not get rid of (or cannot vouch for). */
const LEFT: ReadonlySet<SecretOutcomeKind> = new Set(["refused", "in-use", "failed", "kept", "unreported"]);
/** Outcomes a re-run cannot change: a human decides. */
const REFUSALS: ReadonlySet<SecretOutcomeKind> = new Set(["refused", "in-use"]);
const secretsLeft = (outcomes: SecretOutcome[]) => outcomes.filter((o) => LEFT.has(o.outcome));

/** The words for a delete's report. */
export function reportDetail(r: DeleteReport): string {
    // A Secret's own input decided it whatever the stack's configuration said: naming a configuration would claim it did.
    const byStack = r.policySource !== "resource";
    const by = !byStack
        ? ""
        : r.configSource === "teardown"
          ? ", set by the teardown"
          : r.configSource
            ? `, from the ${r.configSource} configuration`
            : "";
    const decided = r.policy ? ` — ${r.policy}${by}` : "";
    switch (r.outcome) {
        case "scheduled":
            return `scheduled for deletion on ${r.deletionDate ?? "(no date returned)"}${decided}`;
        case "force-deleted":
            return `deleted without recovery${r.purged === false ? "; AWS was still purging the name" : ""}${decided}`;
        case "already-gone":
            return "already gone; nothing to delete";
        case "already-scheduled":
            return `already scheduled for deletion${r.deletionDate ? ` (${r.deletionDate})` : ""}; left as it was`;
        case "refused":
        case "in-use":
        case "failed":
            return r.error;
    }
}

/**
 * Each secret's outcome: the provider's event for its id when there is one; else, while still in state, the engine's
 * error for it or "kept" (the destroy stopped before it); a secret that left state without an event is "unreported".
 */
export function secretOutcomes(
    before: SecretInState[],
    after: SecretInState[],
    events: Map<string, DeleteEvent>,
    errors: Map<string, string>,
): SecretOutcome[] {
    const remaining = new Set(after.map((s) => s.urn));
    return before.map((s) => {
        const base = { urn: s.urn, id: s.id, name: s.name, ...(s.region ? { region: s.region } : {}) };
        const e = events.get(s.id);
        if (e) {
            // The outcome and its words first, as a person reads the entry; then the rest of the report as the event
            // carried it.
            const report = reportOf(e);
            const { outcome, ...carried } = report;
            return { ...base, outcome, detail: reportDetail(report), ...carried };
        }
        if (!remaining.has(s.urn)) return { ...base, outcome: "unreported", detail: "left the stack without a report from the provider" };
        const error = errors.get(s.urn);
        if (error) return { ...base, outcome: "failed", detail: error };
        return { ...base, outcome: "kept", detail: "not deleted: the destroy stopped before reaching it" };
    });
}

/** The run's result: refused only when every secret left behind was refused by policy (a re-run would change nothing). */
export function overallResult(
    outcomes: SecretOutcome[],
    destroyError: string | undefined,
): { result: Exclude<Result, "missing" | "busy">; exitCode: number } {
    const left = secretsLeft(outcomes);
    if (left.length === 0 && !destroyError) return { result: "done", exitCode: EXIT.DONE };
    if (left.length > 0 && left.every((o) => REFUSALS.has(o.outcome))) return { result: "refused", exitCode: EXIT.REFUSED };
    return { result: "failed", exitCode: EXIT.FAILED };
}

/** Why a run did not finish, in one line: the secrets left and, when no secret says why, the engine's error. */
export function reasonLeft(outcomes: SecretOutcome[], destroyError: string | undefined): string {
    const left = secretsLeft(outcomes);
    if (left.length === 0) return destroyError ?? "the destroy did not finish";
    const named = left.some((o) => o.outcome !== "kept");
    return (
        `${left.length} of ${outcomes.length} secrets not deleted (${left.map((o) => o.name).join(", ")})` +
        (!named && destroyError ? `: ${destroyError}` : "; each line above says why")
    );
}

/** "  ✓ preview/pr-7/db-password (us-east-1): force-deleted — ..." */
export function outcomeLine(o: SecretOutcome): string {
    const mark = !LEFT.has(o.outcome) ? "✓" : o.outcome === "kept" ? "…" : "✗";
    const detail = o.detail.replace(/\s+/g, " ").trim();
    return `${mark} ${o.name}${o.region ? ` (${o.region})` : ""}: ${o.outcome} — ${detail}`;
}
