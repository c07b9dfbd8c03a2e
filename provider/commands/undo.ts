// `pulumi-safe-secret undo`: brings back what a teardown (or a sweep) scheduled for deletion, from its JSON summary —
// RestoreSecret for each secret still in its recovery window, then its replicas re-created where the summary says
// they were removed. A secret deleted without recovery cannot come back and is reported so.

import {
    DescribeSecretCommand,
    ReplicateSecretToRegionsCommand,
    RestoreSecretCommand,
    SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { secretsManager } from "../aws/client";
import { errorMessage, errorName, isNotFound, replicaRegionsOf } from "../aws/secrets";
import { regionOfArn } from "../aws/target";
import { EXIT, SecretOutcome } from "./outcome";

export type UndoOutcome = "restored" | "not-scheduled" | "not-recoverable" | "failed";

export interface UndoneSecret {
    id: string;
    name: string;
    region: string;
    outcome: UndoOutcome;
    detail: string;
    replicasRecreated?: string[] | undefined;
}

export interface UndoSummary {
    v: 1;
    result: "done" | "failed";
    exitCode: number;
    secrets: UndoneSecret[];
}

/** The secrets of a teardown's or a sweep's summary (parsed JSON), with the stack each came from. */
export function secretsOfSummary(summary: unknown): SecretOutcome[] {
    const s = summary as { secrets?: SecretOutcome[]; stacks?: { secrets?: SecretOutcome[] }[] } | null;
    if (!s || typeof s !== "object") throw new Error("not a teardown or sweep summary (no JSON object)");
    const all = [...(s.secrets ?? []), ...(s.stacks ?? []).flatMap((x) => x.secrets ?? [])];
    if (!s.secrets && !s.stacks) throw new Error("not a teardown or sweep summary (no secrets or stacks in it)");
    return all;
}

export async function undo(
    secrets: SecretOutcome[],
    progress: (line: string) => void,
    client: (region: string) => SecretsManagerClient = secretsManager,
): Promise<UndoSummary> {
    const out: UndoneSecret[] = [];
    for (const s of secrets) {
        const region = s.region ?? regionOfArn(s.id) ?? "us-east-1";
        const base = { id: s.id, name: s.name, region };
        if (s.outcome === "force-deleted") {
            out.push({ ...base, outcome: "not-recoverable", detail: "it was deleted without recovery" });
            continue;
        }
        if (s.outcome !== "scheduled" && s.outcome !== "already-scheduled") {
            out.push({ ...base, outcome: "not-scheduled", detail: `the teardown left it ${s.outcome}; nothing to restore` });
            continue;
        }
        out.push(await restoreOne(client(region), s, base, progress));
    }
    const failed = out.some((o) => o.outcome === "failed");
    return { v: 1, result: failed ? "failed" : "done", exitCode: failed ? EXIT.FAILED : EXIT.DONE, secrets: out };
}

async function restoreOne(
    client: SecretsManagerClient,
    s: SecretOutcome,
    base: { id: string; name: string; region: string },
    progress: (line: string) => void,
): Promise<UndoneSecret> {
    try {
        const d = await client.send(new DescribeSecretCommand({ SecretId: s.id }));
        if (d.DeletedDate) {
            await client.send(new RestoreSecretCommand({ SecretId: s.id }));
            progress(`${s.name}: restored`);
        }
        const want = (s.replicasRemoved ?? []).filter((r) => !replicaRegionsOf(d).includes(r));
        if (want.length) {
            await client.send(
                new ReplicateSecretToRegionsCommand({ SecretId: s.id, AddReplicaRegions: want.map((Region) => ({ Region })) }),
            );
            progress(`${s.name}: replicas re-created in ${want.join(", ")}`);
        }
        return {
            ...base,
            outcome: "restored",
            detail: d.DeletedDate ? "restored (RestoreSecret)" : "already live; nothing to restore",
            ...(want.length ? { replicasRecreated: want } : {}),
        };
    } catch (e) {
        if (isNotFound(e))
            return {
                ...base,
                outcome: "not-recoverable",
                detail: "AWS no longer has it (its recovery window ended, or it was deleted since)",
            };
        return {
            ...base,
            outcome: "failed",
            detail: `${errorName(e) ?? "Error"}: ${errorMessage(e)} — run the undo again once the cause is fixed`,
        };
    }
}

export function undoLine(u: UndoneSecret): string {
    const mark = u.outcome === "restored" ? "✓" : u.outcome === "failed" ? "✗" : "·";
    return `${mark} ${u.name} (${u.region}): ${u.outcome} — ${u.detail}${u.replicasRecreated ? `; replicas re-created in ${u.replicasRecreated.join(", ")}` : ""}`;
}
