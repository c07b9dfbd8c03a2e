// Shapes of the provider's inputs and outputs as they are stored in Pulumi state.
// State written by an older version must stay readable: add optional fields, never rename.

export interface ReplicaSpec {
    /** AWS region of the replica, e.g. "eu-west-1". */
    region: string;
    /** KMS key for the replica; AWS uses aws/secretsmanager of that region when omitted. */
    kmsKeyId?: string;
}

export interface ReplicaStatus {
    region: string;
    kmsKeyId?: string;
    status?: string;
    statusMessage?: string;
}

export type { DeletionPolicyOutput } from "./policy";
import type { DeletionPolicyOutput } from "./policy";

/** A role to assume, as @pulumi/aws spells it. */
export interface AssumeRoleSpec {
    roleArn: string;
    externalId?: string;
    sessionName?: string;
    durationSeconds?: number;
}

/** Inputs after `check`: the name and region are resolved, so later steps never guess them. */
export interface SecretInputs {
    name: string;
    /** True when `name` was generated, so it stays stable across updates. */
    autonamed?: boolean;
    region: string;
    description?: string;
    secretString?: string;
    kmsKeyId?: string;
    tags?: Record<string, string>;
    replicas?: ReplicaSpec[];
    forceOverwriteReplicaSecret?: boolean;
    recoveryWindowInDays?: number | string;
    forceDelete?: boolean | string;
    /** AWS profile for this secret's calls, over the stack's aws:profile. */
    profile?: string;
    /** Role assumed for this secret's calls, instead of the stack's aws:assumeRoles. */
    assumeRole?: AssumeRoleSpec;
    /** Take over a live secret that already has this name instead of failing. */
    adopt?: boolean;
    /** With adopt: restore a secret of this name that is scheduled for deletion, then take it over. */
    restoreIfScheduled?: boolean;
    /**
     * The stack that owns the secret, to read its configuration at destroy time: "org/project/stack" since 0.2.0,
     * the bare stack name in state written by 0.1.0.
     */
    stack?: string;
    /**
     * What the resource's URN is made of ("org/project/stack::[parent URN::]resource name"), kept from the first
     * create on: the create's request token and autoname derive from it (ownership.ts). Absent in state before 0.4.0.
     */
    owner?: string;
    /** The Pulumi resource name, used only to autoname. */
    resourceName?: string;
    deletionPolicy?: DeletionPolicyOutput;
}

export interface SecretOutputs extends SecretInputs {
    arn: string;
    versionId?: string;
    replicaStatus: ReplicaStatus[];
}

/** The stack configuration the provider reads, raw. */
export interface StackSettings {
    project: string;
    recoveryWindowInDays?: unknown;
    forceDelete?: unknown;
    purgeTimeoutSeconds?: unknown;
    teardownProtection?: unknown;
    /** The stack's @pulumi/aws keys, raw (JSON text for the structured ones). */
    aws?: { region?: string; profile?: string; assumeRoles?: string; endpoints?: string };
}
