// Which secret in AWS a resource's create made, recognisable by any later process. A killed `pulumi up` leaves AWS
// holding a secret that state does not know; the next run must find that secret and take it into state instead of
// failing on the name (named secrets) or drawing a new name and leaving an orphan (autonamed ones). So what marks a
// create is not drawn at random: a create token and the autoname derive from the resource's owner key (its stack,
// parent and name — what its URN is made of) and what it is created as (name, region). The create writes the token
// as a tag in the same CreateSecret call, so every secret carries it, with or without a value. (The request's
// ClientRequestToken stays per process: AWS answers a replayed token with the earlier secret as it was.)

import { createHash } from "crypto";

/** The tag every secret this package creates carries; never shown as drift, never removed by an update. */
export const OWNER_TAG = "pulumi-safe-secret:create-token";

/** How many autoname candidates a create tries past names held by others (or by its own scheduled predecessors). */
export const AUTONAME_CANDIDATES = 20;

const digest = (...parts: string[]) => createHash("sha256").update(parts.join("\0")).digest("hex");

/**
 * The create token (the OWNER_TAG value) of the create of `name` in `region` by the resource `owner`. A replacement
 * differs in name or region (the only fields that replace), so it never matches the secret it replaces.
 */
export function createToken(owner: string, name: string, region: string): string {
    const h = digest("create", owner, name, region);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The n-th autoname a resource tries: its resource name and a suffix derived from its owner key. */
export function autonameCandidate(resourceName: string, owner: string, region: string, n: number): string {
    return `${resourceName}-${digest("autoname", owner, region, String(n)).slice(0, 7)}`;
}

/** What holds a name, as far as this resource is concerned. */
export type NameStatus = "free" | "ours" | "taken";

/** "ours": a live secret whose tag (or version id, for a value) is this create's token. */
/** What ownedBy reads of DescribeSecret's answer. */
export interface HolderFacts {
    DeletedDate?: Date | undefined;
    Tags?: { Key?: string | undefined; Value?: string | undefined }[] | undefined;
    VersionIdsToStages?: Record<string, string[]> | undefined;
}

export function ownedBy(d: HolderFacts | undefined, token: string): NameStatus {
    if (!d) return "free";
    if (d.DeletedDate) return "taken";
    const tagged = d.Tags?.some((t) => t.Key === OWNER_TAG && t.Value === token) ?? false;
    return tagged || d.VersionIdsToStages?.[token] ? "ours" : "taken";
}

/**
 * The first autoname candidate that is free or already this resource's (from a create that was interrupted). A
 * name held by anything else — another stack's secret, or this resource's own predecessor in a recovery window — is
 * passed over, so a re-created secret gets a fresh name.
 */
export async function chooseAutoname(
    resourceName: string,
    owner: string,
    region: string,
    status: (name: string, token: string) => Promise<NameStatus>,
): Promise<string | undefined> {
    for (let n = 0; n < AUTONAME_CANDIDATES; n++) {
        const name = autonameCandidate(resourceName, owner, region, n);
        if ((await status(name, createToken(owner, name, region))) !== "taken") return name;
    }
    return undefined;
}
