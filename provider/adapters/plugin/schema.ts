// The plugin's Pulumi package schema: what `pulumi package add`, YAML programs and `pulumi import` learn the Secret
// from. The stack keys come from the one table in stack-config.ts; the Secret's properties are those of the dynamic
// Secret (secret.ts), minus what only the dynamic adapter needs (the owner, stack and resource name it sends).

import { SecretInputName } from "../../core/properties";

import { STACK_KEYS } from "../../core/stack-keys";
import { PLUGIN_NAMESPACE, PLUGIN_SECRET_TYPE } from "../../core/identity";

type Spec = Record<string, unknown>;
const str = (description: string): Spec => ({ type: "string", description });
const int = (description: string): Spec => ({ type: "integer", description });
const bool = (description: string): Spec => ({ type: "boolean", description });
const ref = (type: string, description: string): Spec => ({ $ref: `#/types/${PLUGIN_NAMESPACE}:index:${type}`, description });
const list = (type: string, description: string): Spec => ({
    type: "array",
    items: { $ref: `#/types/${PLUGIN_NAMESPACE}:index:${type}` },
    description,
});

// Exactly the names of inputs.ts, which check holds every program to.
const INPUTS: Record<SecretInputName, Spec> = {
    name: str(
        "The secret's name. Changing it replaces the secret (the new one is created first). Default: the resource name and a suffix, kept once chosen.",
    ),
    region: str("The secret's region. Changing it replaces the secret. Default: safesecret:region, else AWS_REGION."),
    description: str("The secret's description."),
    secretString: { ...str("The value. Kept in state only as an encrypted Pulumi secret."), secret: true },
    kmsKeyId: str("KMS key id, alias or ARN. Default: the AWS-managed key aws/secretsmanager."),
    tags: { type: "object", additionalProperties: { type: "string" }, description: "Tags of the secret." },
    replicas: list("Replica", "Regions to replicate to; all are removed before the primary is deleted."),
    forceOverwriteReplicaSecret: bool("Overwrite a secret of the same name already in a replica region."),
    recoveryWindowInDays: int("Days (7–30) AWS keeps the secret recoverable after a destroy. Overrides the stack's keys."),
    forceDelete: bool("true: a destroy deletes the secret at once, without recovery. Overrides the stack's keys."),
    inUseGuardDays: int("Refuse a delete without recovery while AWS reports the secret accessed within this many days (0: off)."),
    adopt: bool('Take over a live secret of this name instead of failing with "already exists".'),
    restoreIfScheduled: bool("With adopt: restore a secret of this name that is scheduled for deletion, then take it over."),
    profile: str("AWS profile for this secret's calls. Default: safesecret:profile, else the SDK's credential chain."),
    assumeRole: ref("AssumeRole", "Role assumed for this secret's calls (another account)."),
};

const OUTPUTS: Record<string, Spec> = {
    ...INPUTS,
    arn: str("The secret's ARN."),
    versionId: str("Id of the version labelled AWSCURRENT."),
    replicaStatus: list("ReplicaStatus", "Each replica's region and status as AWS reports it."),
    deletionPolicy: ref("DeletionPolicy", "What `pulumi destroy` will do to this secret under the configuration of the last up."),
    lastAccessedDate: str("The day AWS last saw the value read (ISO 8601), as of the last refresh."),
};

export function pluginSchema(version: string): Spec {
    return {
        name: PLUGIN_NAMESPACE,
        displayName: "Safe Secret",
        version,
        description: "AWS Secrets Manager secrets whose teardown is governed by stack configuration.",
        license: "Apache-2.0",
        config: {
            variables: {
                ...Object.fromEntries(STACK_KEYS.map((k) => [k.key, { type: k.type, description: k.description }])),
                region: str("The region of Secrets without a region input (the dynamic provider reads aws:region)."),
                profile: str("The AWS profile of Secrets without a profile input (the dynamic provider reads aws:profile)."),
            },
        },
        provider: { description: "Configured only by the stack's safesecret:* keys, read when each operation starts." },
        resources: {
            [PLUGIN_SECRET_TYPE]: {
                description: "An AWS Secrets Manager secret whose teardown follows the stack configuration.",
                inputProperties: INPUTS,
                properties: OUTPUTS,
                required: ["arn", "name", "region", "replicaStatus", "deletionPolicy"],
            },
        },
        types: {
            [`${PLUGIN_NAMESPACE}:index:Replica`]: {
                type: "object",
                properties: { region: str("Region to replicate to."), kmsKeyId: str("KMS key for the replica.") },
                required: ["region"],
            },
            [`${PLUGIN_NAMESPACE}:index:AssumeRole`]: {
                type: "object",
                properties: {
                    roleArn: str("The role's ARN."),
                    externalId: str("External id the role requires."),
                    sessionName: str("Session name. Default: pulumi-safe-secret."),
                    durationSeconds: int("900–43200. Default: one hour."),
                },
                required: ["roleArn"],
            },
            [`${PLUGIN_NAMESPACE}:index:ReplicaStatus`]: {
                type: "object",
                properties: { region: str(""), kmsKeyId: str(""), status: str(""), statusMessage: str("") },
                required: ["region"],
            },
            [`${PLUGIN_NAMESPACE}:index:DeletionPolicy`]: {
                type: "object",
                properties: {
                    mode: str('"force" or "window".'),
                    recoveryWindowInDays: int('The window, for mode "window".'),
                    source: str('Which setting decided: "resource", "stack" or "aws-default".'),
                    description: str("The policy in words."),
                },
                required: ["mode", "source", "description"],
            },
        },
    };
}
