// Thin wrappers over the Secrets Manager calls the provider makes, and the classification of AWS errors:
// by error name first, and by a loose pattern of AWS's text (quoted below) only where one name covers several cases.

import {
    DescribeSecretCommand,
    DescribeSecretCommandOutput,
    ReplicateSecretToRegionsCommand,
    ReplicationStatusType,
    RestoreSecretCommand,
    SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { NameStatus, OWNER_TAG, ownedBy } from "../core/ownership";
import { ReplicaStatus } from "../core/types";
import { errorMessage, errorName } from "../core/errors";

export type Described = DescribeSecretCommandOutput;

/** The AWS-managed key: what AWS reports when a secret has no key of its own, and what restores that state. */
export const DEFAULT_KMS_KEY = "alias/aws/secretsmanager";

export const isNotFound = (e: unknown) => errorName(e) === "ResourceNotFoundException";

/**
 * CreateSecret refused because the name is held. AWS: InvalidRequestException "You can't create this secret
 * because a secret with this name is already scheduled for deletion." (older: "...because it was deleted.")
 * for a deleted name; ResourceExistsException for a live one (moto also uses it for a scheduled one).
 */
export function isNameTaken(e: unknown): boolean {
    const name = errorName(e);
    if (name === "ResourceExistsException") return true;
    return name === "InvalidRequestException" && /already scheduled for deletion|because it was deleted/i.test(errorMessage(e));
}

/** "You can't perform this operation on the secret because it was marked for deletion." */
export function isMarkedForDeletion(e: unknown): boolean {
    return errorName(e) === "InvalidRequestException" && /marked (for deletion|deleted)/i.test(errorMessage(e));
}

/** DescribeSecret, with "not found" as undefined rather than an error. */
export async function describeSecret(client: SecretsManagerClient, secretId: string): Promise<Described | undefined> {
    try {
        return await client.send(new DescribeSecretCommand({ SecretId: secretId }));
    } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
    }
}

/** Replica regions as AWS reports them (not as state remembers them). */
export function replicaRegionsOf(d: Described | undefined): string[] {
    return (d?.ReplicationStatus ?? []).map((r) => r.Region!).filter(Boolean);
}

/** AWS's ReplicationStatus list (from Create, Describe or ReplicateSecretToRegions) as state stores it. */
export function replicaStatusesOf(list: ReplicationStatusType[] | undefined): ReplicaStatus[] {
    // Only the fields AWS sent: it leaves StatusMessage (and KmsKeyId) out when there is nothing to say.
    return (list ?? []).map((r) => ({
        region: r.Region!,
        ...(r.KmsKeyId !== undefined ? { kmsKeyId: r.KmsKeyId } : {}),
        ...(r.Status !== undefined ? { status: r.Status } : {}),
        ...(r.StatusMessage !== undefined ? { statusMessage: r.StatusMessage } : {}),
    }));
}

/** The secret's tags as the program declares them: the provider's own create-token tag is not the user's. */
export function tagsOf(d: Described): Record<string, string> | undefined {
    const tags = (d.Tags ?? []).filter((t) => t.Key !== OWNER_TAG);
    if (tags.length === 0) return undefined;
    return Object.fromEntries(tags.map((t) => [t.Key!, t.Value ?? ""]));
}

/** Whether `name` is free, held by the secret a create with `token` made, or held by something else. */
export async function nameStatus(client: SecretsManagerClient, name: string, token: string): Promise<NameStatus> {
    return ownedBy(await describeSecret(client, name), token);
}

/** The version currently labelled AWSCURRENT, if the secret has a value. */
export function currentVersionOf(d: Described): string | undefined {
    return Object.entries(d.VersionIdsToStages ?? {}).find(([, stages]) => stages?.includes("AWSCURRENT"))?.[0];
}

/** Cancels a secret's scheduled deletion (undo). */
export async function restoreSecret(client: SecretsManagerClient, secretId: string): Promise<void> {
    await client.send(new RestoreSecretCommand({ SecretId: secretId }));
}

/** Re-creates replicas in these regions, each with AWS's own key there (undo of a delete that removed them). */
export async function replicateToRegions(client: SecretsManagerClient, secretId: string, regions: string[]): Promise<void> {
    await client.send(
        new ReplicateSecretToRegionsCommand({ SecretId: secretId, AddReplicaRegions: regions.map((Region) => ({ Region })) }),
    );
}
