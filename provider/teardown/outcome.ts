// What a teardown did, decided from what the engine reported (pure: no Pulumi, no AWS). One line per secret, a JSON
// summary and an exit code a pipeline can branch on.

import { PROTECTION_REFUSAL } from "../policy";

/** Exit codes: a pipeline retries on FAILED, stops and asks a human on REFUSED. */
export const EXIT = { DONE: 0, FAILED: 1, REFUSED: 2, USAGE: 64 } as const;

export type SecretOutcomeKind = "scheduled" | "force-deleted" | "already-gone" | "already-scheduled" | "refused" | "failed" | "kept";

export interface SecretOutcome {
    urn: string;
    name: string;
    region?: string;
    outcome: SecretOutcomeKind;
    /** What the provider reported (deletion date, purge state), or the error. */
    detail: string;
    /** Replica regions removed before the primary was deleted. */
    replicasRemoved?: string[];
}

export type Result = "done" | "refused" | "failed";

export interface TeardownSummary {
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

/** The secrets a stack's state holds, as the teardown lists them. */
export interface SecretInState {
    urn: string;
    name: string;
    region?: string;
}

/** The provider's progress lines ("[pulumi-safe-secret] <name>: <message>") split into the name and the message. */
export function parseProviderLine(line: string): { name: string; message: string } | undefined {
    const m = /\[pulumi-safe-secret\] ([^:\s]+): (.*)$/s.exec(line.trim());
    return m ? { name: m[1], message: m[2].trim() } : undefined;
}

/** The outcome a provider message reports for a secret's delete (see provider/delete.ts). */
export function outcomeFromProviderMessage(message: string): Exclude<SecretOutcomeKind, "refused" | "failed" | "kept"> | undefined {
    if (/^scheduled for deletion on /.test(message)) return "scheduled";
    if (/^force-deleted/.test(message)) return "force-deleted";
    if (/^already gone from /.test(message)) return "already-gone";
    if (/^already scheduled for deletion/.test(message)) return "already-scheduled";
    return undefined;
}

/** A refusal by policy: the provider's teardown protection, a mandatory policy-pack rule. */
export function isPolicyRefusal(message: string): boolean {
    return message.includes(`teardownProtection is true, ${PROTECTION_REFUSAL}`) || message.includes("[mandatory]");
}

/** Outcomes of secrets the teardown did not get rid of. */
const LEFT: ReadonlySet<SecretOutcomeKind> = new Set(["refused", "failed", "kept"]);
const secretsLeft = (outcomes: SecretOutcome[]) => outcomes.filter((o) => LEFT.has(o.outcome));

/**
 * Each secret's outcome: the provider's last line about it if it left state, else the error reported for it, else
 * "kept" (still in state, not reached: the destroy stopped before it).
 */
export function secretOutcomes(
    before: SecretInState[],
    after: SecretInState[],
    providerMessages: Map<string, string[]>,
    errors: Map<string, string>,
): SecretOutcome[] {
    const remaining = new Set(after.map((s) => s.urn));
    return before.map((s) => {
        const messages = providerMessages.get(s.name) ?? [];
        const replicasRemoved = messages.flatMap((m) => /^replicas removed from (.*)$/.exec(m)?.[1].split(/,\s*/) ?? []);
        const base = { urn: s.urn, name: s.name, region: s.region, ...(replicasRemoved.length ? { replicasRemoved } : {}) };
        if (!remaining.has(s.urn)) {
            const outcome = messages.map(outcomeFromProviderMessage).filter((o) => o !== undefined).pop();
            return { ...base, outcome: outcome ?? "scheduled", detail: messages.length ? messages.join("; ") : "deleted" };
        }
        const error = errors.get(s.urn);
        if (error) return { ...base, outcome: isPolicyRefusal(error) ? "refused" : "failed", detail: error };
        return { ...base, outcome: "kept", detail: "not deleted: the destroy stopped before reaching it" };
    });
}

/** The run's result: refused only when every secret left behind was refused by policy (a re-run would change nothing). */
export function overallResult(outcomes: SecretOutcome[], destroyError: string | undefined): { result: Result; exitCode: number } {
    const left = secretsLeft(outcomes);
    if (left.length === 0 && !destroyError) return { result: "done", exitCode: EXIT.DONE };
    if (left.length > 0 && left.every((o) => o.outcome === "refused")) return { result: "refused", exitCode: EXIT.REFUSED };
    return { result: "failed", exitCode: EXIT.FAILED };
}

/** Why a run did not finish, in one line: the secrets left and, when no secret says why, the engine's error. */
export function reasonLeft(outcomes: SecretOutcome[], destroyError: string | undefined): string {
    const left = secretsLeft(outcomes);
    if (left.length === 0) return destroyError ?? "the destroy did not finish";
    const named = left.some((o) => o.outcome !== "kept");
    return `${left.length} of ${outcomes.length} secrets not deleted (${left.map((o) => o.name).join(", ")})` +
        (!named && destroyError ? `: ${destroyError}` : "; each line above says why");
}

/** "  ✓ preview/pr-7/db-password (us-east-1): force-deleted — ..." */
export function outcomeLine(o: SecretOutcome): string {
    const mark = !LEFT.has(o.outcome) ? "✓" : o.outcome === "kept" ? "…" : "✗";
    const detail = o.detail.replace(/\s+/g, " ").trim();
    return `${mark} ${o.name}${o.region ? ` (${o.region})` : ""}: ${o.outcome} — ${detail}`;
}
