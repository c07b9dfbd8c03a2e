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

/** What `pulumi preview` shows a destroy would do, resolved from inputs and the stack configuration. */
export interface DeletionPolicyOutput {
    mode: "force" | "window";
    recoveryWindowInDays?: number;
    source: "resource" | "stack" | "aws-default";
    description: string;
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
    /** The stack that owns the secret, to read its configuration at destroy time. */
    stack?: string;
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
    awsRegion?: string;
}
