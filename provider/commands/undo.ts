// `pulumi-safe-secret undo`: brings back what a teardown (or a sweep) scheduled for deletion, from its JSON summary or
// from the stack's state before its last destroy. Every entry is checked first (undo-check.ts: its shape, then AWS's
// DescribeSecret of its ARN); one that does not hold together refuses the whole summary before anything is restored.
// Then RestoreSecret for each secret the teardown scheduled that is still in its recovery window, and its replicas
// re-created where the summary says they were removed. Nothing else is touched: a secret that was already scheduled
// before the teardown stays as it is.

import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

import { secretsManager } from "../aws/client";

import { Described, describeSecret, replicaRegionsOf, sendReplicateSecretToRegions, sendRestoreSecret } from "../aws/secrets";
import { EXIT } from "./outcome";

import { inPool } from "./sweep-select";
import { errorMessage, errorName } from "../core/errors";

import {
    awsProblem,
    CheckedEntry,
    checkSummaryShape,
    refusedSummary,
    restoreDecision,
    SummaryProblem,
    UndoneSecret,
    undoResult,
    UndoSummary,
} from "./undo-check";

/** DescribeSecrets of the check in flight at once (the client's rate limiter keeps them within AWS's quota). */
const CHECKS_AT_ONCE = 8;

export interface UndoIo {
    progress: (line: string) => void;
    client?: (region: string) => SecretsManagerClient;
}

type Checked =
    | { entry: CheckedEntry; described: Described | undefined }
    | { entry: CheckedEntry; problem: SummaryProblem }
    | { entry: CheckedEntry; error: unknown };

async function checkAgainstAws(entry: CheckedEntry, client: (region: string) => SecretsManagerClient): Promise<Checked> {
    try {
        const described = await describeSecret(client(entry.secret.region), entry.secret.id);
        const problem = awsProblem(entry, described);
        return problem ? { entry, problem } : { entry, described };
    } catch (error) {
        return { entry, error };
    }
}

/**
 * Undoes what a summary (parsed JSON, as read) reports, once all of it has been checked. `source` names it in the
 * refusal ("the summary teardown.json"). Never throws for AWS's answers: each secret's line says what happened.
 */
export async function undo(summary: unknown, source: string, io: UndoIo): Promise<UndoSummary> {
    const client = io.client ?? secretsManager;
    const shape = checkSummaryShape(summary);
    if (!shape.ok) return refusedSummary(shape.problems, source);
    const checked = await inPool(shape.entries, CHECKS_AT_ONCE, (e) => checkAgainstAws(e, client));
    const problems = checked.flatMap((c) => ("problem" in c ? [c.problem] : []));
    if (problems.length) return refusedSummary(problems, source);
    const unchecked = checked.flatMap((c) => ("error" in c ? [c] : []));
    if (unchecked.length) {
        const first = unchecked[0]!;
        return {
            v: 1,
            result: "failed",
            exitCode: EXIT.FAILED,
            secrets: [],
            reason:
                `${unchecked.length} ${unchecked.length === 1 ? "secret" : "secrets"} could not be checked against AWS (${first.entry.at}, ${first.entry.secret.name}: ` +
                `${errorName(first.error) ?? "Error"}: ${errorMessage(first.error)}); nothing restored — run the undo again once the cause is fixed`,
        };
    }
    const out: UndoneSecret[] = [];
    for (const c of checked)
        if ("described" in c) out.push(await undoOne(client(c.entry.secret.region), c.entry, c.described, io.progress));
    return undoResult(out, source);
}

async function undoOne(
    client: SecretsManagerClient,
    { secret: s }: CheckedEntry,
    described: Described | undefined,
    progress: (line: string) => void,
): Promise<UndoneSecret> {
    const base = { id: s.id, name: s.name, region: s.region, teardownOutcome: s.outcome };
    const decision = restoreDecision(s, described, replicaRegionsOf(described));
    try {
        if (decision.action === "restore") {
            await sendRestoreSecret(client, s.id);
            progress(`${s.name}: restored`);
        }
        const replicas = await recreateReplicas(client, s.id, s.name, decision.replicas, progress);
        const done = decision.action === "restore" ? { outcome: "restored" as const, detail: "restored (RestoreSecret)" } : decision;
        return { ...base, outcome: done.outcome, detail: done.detail, ...replicas };
    } catch (e) {
        return {
            ...base,
            outcome: "failed",
            detail: `${errorName(e) ?? "Error"}: ${errorMessage(e)} — run the undo again once the cause is fixed`,
        };
    }
}

async function recreateReplicas(
    client: SecretsManagerClient,
    id: string,
    name: string,
    regions: string[],
    progress: (line: string) => void,
): Promise<{ replicasRecreated?: string[] }> {
    if (regions.length === 0) return {};
    await sendReplicateSecretToRegions(client, { SecretId: id, AddReplicaRegions: regions.map((Region) => ({ Region })) });
    progress(`${name}: replicas re-created in ${regions.join(", ")}`);
    return { replicasRecreated: regions };
}
