// Shapes of the provider's inputs and outputs as they are stored in Pulumi state.
// State written by an older version must stay readable: add optional fields, never rename.

export interface ReplicaSpec {
    /** AWS region of the replica, e.g. "eu-west-1". */
    region: string;
    /** KMS key for the replica; AWS uses aws/secretsmanager of that region when omitted. */
    kmsKeyId?: string | undefined;
}

export interface ReplicaStatus {
    region: string;
    kmsKeyId?: string | undefined;
    status?: string | undefined;
    statusMessage?: string | undefined;
}

export type { DeletionPolicyOutput } from "./policy";
import type { DeletionPolicyOutput } from "./policy";

/** A role to assume, as @pulumi/aws spells it. */
export interface AssumeRoleSpec {
    roleArn: string;
    externalId?: string | undefined;
    sessionName?: string | undefined;
    durationSeconds?: number | undefined;
}

/** A resource's inputs as the program sent them, before `check` has validated anything. */
export type RawInputs = Record<string, unknown>;

/**
 * Inputs after `check`: validated, the name and region resolved, so later steps never guess them. A type alias (not
 * an interface) so that it is also a RawInputs, the shape the engine hands to every call.
 */
export type SecretInputs = {
    name: string;
    /** True when `name` was generated, so it stays stable across updates. */
    autonamed?: boolean | undefined;
    region: string;
    description?: string | undefined;
    secretString?: string | undefined;
    kmsKeyId?: string | undefined;
    tags?: Record<string, string> | undefined;
    replicas?: ReplicaSpec[] | undefined;
    forceOverwriteReplicaSecret?: boolean | undefined;
    recoveryWindowInDays?: number | undefined;
    forceDelete?: boolean | undefined;
    /** AWS profile for this secret's calls, over the stack's aws:profile. */
    profile?: string | undefined;
    /** Role assumed for this secret's calls, instead of the stack's aws:assumeRoles. */
    assumeRole?: AssumeRoleSpec | undefined;
    /** Refuse a delete without recovery of this secret if AWS reports it accessed within this many days (0: off). */
    inUseGuardDays?: number | undefined;
    /** Take over a live secret that already has this name instead of failing. */
    adopt?: boolean | undefined;
    /** With adopt: restore a secret of this name that is scheduled for deletion, then take it over. */
    restoreIfScheduled?: boolean | undefined;
    /**
     * The stack that owns the secret, to read its configuration at destroy time: "org/project/stack" since 0.2.0,
     * the bare stack name in state written by 0.1.0.
     */
    stack?: string | undefined;
    /**
     * What the resource's URN is made of ("org/project/stack::[parent URN::]resource name"), kept from the first
     * create on: the create's request token and autoname derive from it (ownership.ts). Absent in state before 0.4.0.
     */
    owner?: string | undefined;
    /** The Pulumi resource name, used only to autoname. */
    resourceName?: string | undefined;
    deletionPolicy?: DeletionPolicyOutput | undefined;
};

export type SecretOutputs = SecretInputs & {
    arn: string;
    /** The day AWS last saw the value read (ISO 8601, AWS's day resolution), as of the last refresh. */
    lastAccessedDate?: string | undefined;
    versionId?: string | undefined;
    replicaStatus: ReplicaStatus[];
};

/** The stack configuration the provider reads, raw. */
export interface StackSettings {
    /** The namespace of the keys below ("<project>:forceDelete" for the dynamic provider, "safesecret:" for the plugin). */
    project: string;
    /** The namespace of the region and profile keys: "aws" (the dynamic provider's, @pulumi/aws's) unless set. */
    awsNamespace?: string | undefined;
    recoveryWindowInDays?: unknown | undefined;
    forceDelete?: unknown | undefined;
    purgeTimeoutSeconds?: unknown | undefined;
    teardownProtection?: unknown | undefined;
    inUseGuardDays?: unknown | undefined;
    /**
     * The other keys set in the namespace (bare names), to catch a misspelt one; a value only where it is true, false
     * or a whole number (what a deletion key holds), so no secret of the program's is kept here. Absent when the
     * adapter cannot list the namespace's keys.
     */
    unreadKeys?: Readonly<Record<string, string | undefined>> | undefined;
    /** The stack's @pulumi/aws keys, raw (JSON text for the structured ones). */
    aws?:
        | { region?: string | undefined; profile?: string | undefined; assumeRoles?: string | undefined; endpoints?: string | undefined }
        | undefined;
}
