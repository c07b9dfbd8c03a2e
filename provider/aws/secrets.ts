// Thin wrappers over the Secrets Manager calls the provider makes, and the classification of AWS errors:
// by error name first, and by a loose pattern of AWS's text (quoted below) only where one name covers several cases.

import {
    CreateSecretCommand,
    CreateSecretCommandInput,
    DeleteSecretCommand,
    DeleteSecretCommandInput,
    DescribeSecretCommand,
    DescribeSecretCommandOutput,
    GetRandomPasswordCommand,
    GetRandomPasswordCommandInput,
    GetSecretValueCommand,
    PutSecretValueCommand,
    PutSecretValueCommandInput,
    RemoveRegionsFromReplicationCommand,
    ReplicateSecretToRegionsCommand,
    ReplicateSecretToRegionsCommandInput,
    ReplicationStatusType,
    RestoreSecretCommand,
    SecretsManagerClient,
    TagResourceCommand,
    UntagResourceCommand,
    UpdateSecretCommand,
    UpdateSecretCommandInput,
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

// Every other Secrets Manager call of the package, one line each: what a step sends is greppable here, and its
// errors reach the caller unchanged (the SDK's retries are the client's, aws/client.ts).
export const sendCreateSecret = (c: SecretsManagerClient, input: CreateSecretCommandInput) => c.send(new CreateSecretCommand(input));
export const sendUpdateSecret = (c: SecretsManagerClient, input: UpdateSecretCommandInput) => c.send(new UpdateSecretCommand(input));
export const sendDeleteSecret = (c: SecretsManagerClient, input: DeleteSecretCommandInput) => c.send(new DeleteSecretCommand(input));
export const sendRestoreSecret = (c: SecretsManagerClient, secretId: string) => c.send(new RestoreSecretCommand({ SecretId: secretId }));
export const sendGetSecretString = async (c: SecretsManagerClient, secretId: string) =>
    (await c.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
export const sendGetRandomPassword = async (c: SecretsManagerClient, input: GetRandomPasswordCommandInput) =>
    (await c.send(new GetRandomPasswordCommand(input))).RandomPassword;
export const sendPutSecretValue = (c: SecretsManagerClient, input: PutSecretValueCommandInput) => c.send(new PutSecretValueCommand(input));
export const sendReplicateSecretToRegions = (c: SecretsManagerClient, input: ReplicateSecretToRegionsCommandInput) =>
    c.send(new ReplicateSecretToRegionsCommand(input));
export const sendRemoveRegionsFromReplication = (c: SecretsManagerClient, secretId: string, regions: string[]) =>
    c.send(new RemoveRegionsFromReplicationCommand({ SecretId: secretId, RemoveReplicaRegions: regions }));
export const sendTagResource = (c: SecretsManagerClient, secretId: string, tags: Record<string, string>) =>
    c.send(new TagResourceCommand({ SecretId: secretId, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }));
export const sendUntagResource = (c: SecretsManagerClient, secretId: string, keys: string[]) =>
    c.send(new UntagResourceCommand({ SecretId: secretId, TagKeys: keys }));
