// Pure diff of stored outputs against new inputs. Name or region changes replace the secret: the new one is created
// before the old one is deleted, so a failed create leaves the old secret in place; only where the two would hold
// the same name in one region (a region change onto a region the other one occupies) is the old one deleted first.
// Everything else updates in place; deletion settings and where calls go are state only (no AWS call).

// Which fields replace, which update with an AWS call, which update state only: the table's `diff` column. Outputs,
// and what never changes once set (the owner), are not compared.
import { AWS_FIELDS, REPLACE_FIELDS, STATE_FIELDS } from "./properties";
import { ReplicaSpec, SecretInputs, SecretOutputs } from "./types";

export function normalizeReplicas(r: ReplicaSpec[] | undefined): string {
    return JSON.stringify([...(r ?? [])].map((x) => [x.region, x.kmsKeyId ?? null]).sort());
}

function normalizeTags(t: Record<string, string> | undefined): string {
    return JSON.stringify(Object.entries(t ?? {}).sort(([a], [b]) => a.localeCompare(b)));
}

export function fieldChanged(field: keyof SecretInputs, olds: Partial<SecretOutputs>, news: Partial<SecretInputs>): boolean {
    const o: unknown = olds[field];
    const n: unknown = news[field];
    switch (field) {
        case "tags":
            return normalizeTags(olds.tags) !== normalizeTags(news.tags);
        case "replicas":
            return normalizeReplicas(olds.replicas) !== normalizeReplicas(news.replicas);
        case "description":
            return (o ?? "") !== (n ?? "");
        default:
            return JSON.stringify(o ?? null) !== JSON.stringify(n ?? null);
    }
}

export interface SecretDiff {
    changes: boolean;
    replaces: string[];
    updates: string[];
    deleteBeforeReplace: boolean;
}

export function diffSecret(olds: Partial<SecretOutputs>, news: Partial<SecretInputs>): SecretDiff {
    const replaces = REPLACE_FIELDS.filter((f) => fieldChanged(f, olds, news));
    const updates = [...AWS_FIELDS, ...STATE_FIELDS].filter((f) => fieldChanged(f, olds, news));
    return {
        changes: replaces.length + updates.length > 0,
        replaces,
        updates,
        deleteBeforeReplace: replaces.length > 0 && namesClash(olds, news),
    };
}

/** Secret names are per region: the old and new secret clash when they share the name in any region either occupies. */
export function namesClash(olds: Partial<SecretOutputs>, news: Partial<SecretInputs>): boolean {
    if (olds.name !== news.name) return false;
    const regions = (s: Partial<SecretInputs>) => [s.region, ...(s.replicas ?? []).map((r) => r.region)];
    const taken = new Set(regions(olds));
    return regions(news).some((r) => taken.has(r));
}
