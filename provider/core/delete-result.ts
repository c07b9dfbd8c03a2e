// What one delete did, in one typed shape from the lifecycle's delete to the teardown's report: the lifecycle returns a
// DeleteResult (done, refused or failed, as data); the provider writes it, as it is, inside a versioned event line; the
// teardown reads that line and puts the same fields in its summary. This is the one place both sides of the format
// live. Human-readable progress lines are for people only: no outcome is ever read back from them.
//
// The provider writes events only when PULUMI_SAFE_SECRET_EVENTS=1 (the teardown sets it), so a plain
// `pulumi destroy` shows people only the progress lines.

import type { ConfigSource, DeletionPolicy, DestroyDecision } from "./policy";
import { describePolicy } from "./policy";
import { SecretOperationError } from "./errors";

/** The secret is gone (or will be on the date AWS gave): the engine removes it from state. Dates are ISO 8601. */
export type DeleteDone =
    | { outcome: "already-gone"; replicasRemoved: string[] }
    /** `deletionDate`: the date the already scheduled secret carries, when AWS told it. */
    | { outcome: "already-scheduled"; deletionDate?: string; replicasRemoved: string[] }
    /** `deletionDate`: AWS's DeletionDate for this delete. */
    | { outcome: "scheduled"; deletionDate?: string; recoveryWindowInDays: number; replicasRemoved: string[] }
    /** `purged`: whether AWS had finished purging the name when the delete returned. */
    | { outcome: "force-deleted"; purged: boolean; replicasRemoved: string[] };

/**
 * Nothing was deleted, and a re-run would change nothing: a human decides. "refused": by the destroy decision (before
 * any AWS call); "in-use": by the in-use guard (AWS reports the secret accessed within the guard's days), with that day.
 * `error` is the refusal as the engine shows it.
 */
export type DeleteRefused =
    | { outcome: "refused"; error: string; replicasRemoved: [] }
    | { outcome: "in-use"; error: string; lastAccessedDate?: string; replicasRemoved: [] };

/** The secret still exists (a re-run finishes the job); `replicasRemoved` were removed before the failure. */
export interface DeleteFailed {
    outcome: "failed";
    error: string;
    replicasRemoved: string[];
}

export type DeleteResult = DeleteDone | DeleteRefused | DeleteFailed;
export type DeleteOutcome = DeleteResult["outcome"];

/** Whether the secret is gone; otherwise the engine must be told the delete did not happen (the secret still exists). */
export const isDone = (r: DeleteResult): r is DeleteDone => r.outcome !== "refused" && r.outcome !== "in-use" && r.outcome !== "failed";

/** The policy applied, in words, and which configuration decided it (absent when nothing was decided). */
export interface DecidedBy {
    policy?: string;
    /** The level whose setting decided the policy: the Secret's own input, the stack's keys, or AWS's default window. */
    policySource?: DeletionPolicy["source"];
    configSource?: ConfigSource;
}

/** A delete's result with who decided it: what the event carries and what the teardown's summary lists per secret. */
export type DeleteReport = DeleteResult & DecidedBy;

export const EVENT_PREFIX = "[pulumi-safe-secret:event] ";
export const EVENTS_ENV = "PULUMI_SAFE_SECRET_EVENTS";

/** Who the event is about. `id` is the secret's ARN: unique across regions, and what the stack's state records. */
export interface EventEnvelope {
    v: 1;
    kind: "delete";
    id: string;
    name: string;
    region: string;
}

/**
 * One line per delete: the envelope and the report side by side in one flat JSON object. This is the `v: 1` wire format
 * pipelines parse (`outcome`, `deletionDate`, `recoveryWindowInDays`, `lastAccessedDate`, `purged`, `replicasRemoved`,
 * `policy`, `configSource`, `error`): a field may be added, none renamed or given another meaning without a new `v`.
 */
export type DeleteEvent = EventEnvelope & DeleteReport;

/** The refusal (or failure) as the engine is told it: the secret still exists, and the message says why, once. */
export class DeleteNotDoneError extends SecretOperationError {
    constructor(readonly result: DeleteRefused | DeleteFailed) {
        super(result.error);
    }
}

export function decidedBy(decision: DestroyDecision): DecidedBy {
    return decision.kind === "delete"
        ? { policy: describePolicy(decision.policy), policySource: decision.policy.source, configSource: decision.configSource }
        : {};
}

export function deleteEvent(
    secret: { id: string; name: string; region: string },
    decision: DestroyDecision,
    result: DeleteResult,
): DeleteEvent {
    return { v: 1, kind: "delete", ...secret, ...result, ...decidedBy(decision) };
}

/** The report an event carries, without its envelope. */
export function reportOf(e: DeleteEvent): DeleteReport {
    const { v: _v, kind: _kind, id: _id, name: _name, region: _region, ...report } = e;
    return report;
}

export function formatEvent(e: DeleteEvent): string {
    return `${EVENT_PREFIX}${JSON.stringify(e)}`;
}

const DONE_OUTCOMES: ReadonlySet<string> = new Set<DeleteDone["outcome"]>([
    "already-gone",
    "already-scheduled",
    "scheduled",
    "force-deleted",
]);
const NOT_DONE_OUTCOMES: ReadonlySet<string> = new Set<(DeleteRefused | DeleteFailed)["outcome"]>(["refused", "in-use", "failed"]);

/** Whether a parsed line holds a v1 delete event: who, a known outcome, the replicas, and for a refusal or failure why. */
function isDeleteEvent(e: unknown): e is DeleteEvent {
    if (typeof e !== "object" || e === null) return false;
    const { v, kind, id, outcome, replicasRemoved, error } = e as Record<string, unknown>;
    if (v !== 1 || kind !== "delete" || typeof id !== "string" || typeof outcome !== "string") return false;
    if (!Array.isArray(replicasRemoved) || !replicasRemoved.every((r) => typeof r === "string")) return false;
    return DONE_OUTCOMES.has(outcome) || (NOT_DONE_OUTCOMES.has(outcome) && typeof error === "string");
}

/** The event a line carries (a line as the engine relays it may have surrounding whitespace), else undefined. */
export function parseEvent(line: string): DeleteEvent | undefined {
    const at = line.indexOf(EVENT_PREFIX);
    if (at < 0) return undefined;
    try {
        const e: unknown = JSON.parse(line.slice(at + EVENT_PREFIX.length).trim());
        return isDeleteEvent(e) ? e : undefined;
    } catch {
        return undefined;
    }
}
