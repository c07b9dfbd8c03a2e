// What a delete did, as one structured, versioned line per secret: written by the provider, read by the teardown
// command (and any pipeline) — the one place both sides of the format live. The outcome is what the delete code
// returned or threw (typed), never re-derived from the human-readable progress lines.
//
// The provider writes events only when PULUMI_SAFE_SECRET_EVENTS=1 (the teardown sets it), so a plain
// `pulumi destroy` shows people only the progress lines.

import type { ConfigSource, DestroyDecision } from "./policy";
import { describePolicy } from "./policy";

/** What a delete did, as the lifecycle returns it. */
export type DeleteOutcome =
    | { outcome: "already-gone"; replicasRemoved: string[] }
    | { outcome: "already-scheduled"; deletionDate?: Date | undefined; replicasRemoved: string[] }
    | { outcome: "scheduled"; deletionDate?: Date | undefined; recoveryWindowInDays: number; replicasRemoved: string[] }
    | { outcome: "force-deleted"; purged: boolean; replicasRemoved: string[] };

export const EVENT_PREFIX = "[pulumi-safe-secret:event] ";
export const EVENTS_ENV = "PULUMI_SAFE_SECRET_EVENTS";

/** "in-use": refused by the in-use guard (AWS reports the secret accessed within the guard's days). */
export type DeleteEventOutcome = DeleteOutcome["outcome"] | "refused" | "in-use" | "failed";

export interface DeleteEvent {
    v: 1;
    kind: "delete";
    /** The secret's id (its ARN): unique across regions, and what the stack's state records for the resource. */
    id: string;
    name: string;
    region: string;
    outcome: DeleteEventOutcome;
    /** AWS's DeletionDate for a scheduled delete (ISO 8601), or the date an already scheduled secret carries. */
    deletionDate?: string;
    recoveryWindowInDays?: number;
    /** In-use refusal: the day AWS reports the secret last accessed (ISO 8601). */
    lastAccessedDate?: string;
    /** Force delete: whether AWS had finished purging the name when the delete returned. */
    purged?: boolean;
    replicasRemoved: string[];
    /** The policy applied, in words, and which configuration decided it (absent when nothing was decided). */
    policy?: string;
    configSource?: ConfigSource;
    /** The refusal or the error, as the engine shows it. */
    error?: string;
}

export type DeleteResult =
    | { outcome: DeleteOutcome }
    | { refused: string; inUse?: { lastAccessedDate?: Date | undefined } | undefined }
    | { failed: string; replicasRemoved: string[] };

export function deleteEvent(
    secret: { id: string; name: string; region: string },
    decision: DestroyDecision,
    result: DeleteResult,
): DeleteEvent {
    const decided = decision.kind === "delete" ? { policy: describePolicy(decision.policy), configSource: decision.configSource } : {};
    const base = { v: 1 as const, kind: "delete" as const, ...secret, ...decided };
    if ("refused" in result) {
        const accessed = result.inUse?.lastAccessedDate;
        return {
            ...base,
            outcome: result.inUse ? "in-use" : "refused",
            replicasRemoved: [],
            error: result.refused,
            ...(accessed ? { lastAccessedDate: accessed.toISOString() } : {}),
        };
    }
    if ("failed" in result) return { ...base, outcome: "failed", replicasRemoved: result.replicasRemoved, error: result.failed };
    const o = result.outcome;
    return {
        ...base,
        outcome: o.outcome,
        replicasRemoved: o.replicasRemoved,
        ...("deletionDate" in o && o.deletionDate ? { deletionDate: o.deletionDate.toISOString() } : {}),
        ...("recoveryWindowInDays" in o ? { recoveryWindowInDays: o.recoveryWindowInDays } : {}),
        ...("purged" in o ? { purged: o.purged } : {}),
    };
}

export function formatEvent(e: DeleteEvent): string {
    return `${EVENT_PREFIX}${JSON.stringify(e)}`;
}

/** The event a line carries (a line as the engine relays it may have surrounding whitespace), else undefined. */
export function parseEvent(line: string): DeleteEvent | undefined {
    const at = line.indexOf(EVENT_PREFIX);
    if (at < 0) return undefined;
    try {
        const e = JSON.parse(line.slice(at + EVENT_PREFIX.length).trim());
        return e && e.v === 1 && e.kind === "delete" && typeof e.id === "string" && typeof e.outcome === "string"
            ? (e as DeleteEvent)
            : undefined;
    } catch {
        return undefined;
    }
}
