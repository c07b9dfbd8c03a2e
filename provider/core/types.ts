// Shapes of the provider's inputs and outputs as they are stored in Pulumi state.
// State written by an older version must stay readable: add optional fields, never rename.

// The Secret's own shapes derive from the one property table (properties.ts); they are re-exported here, beside the
// other shapes, for the modules that import them from here.
export type { AssumeRoleSpec, ReplicaSpec, ReplicaStatus, SecretInputs, SecretOutputs } from "./properties";
export type { DeletionPolicyOutput } from "./policy";
export type { GenerateSecretStringSpec } from "./generated-value";

/** A resource's inputs as the program sent them, before `check` has validated anything. */
export type RawInputs = Record<string, unknown>;

/** The stack configuration the provider reads, raw. */
export interface StackSettings {
    /** The namespace of the keys below ("<project>:forceDelete" for the dynamic provider, "safesecret:" for the plugin). */
    project: string;
    /** The namespace of the region and profile keys: "aws" (the dynamic provider's, @pulumi/aws's) unless set. */
    awsNamespace?: string | undefined;
    /** How messages name the region setting, where it is not `<awsNamespace>:region` (an explicit provider's region). */
    regionKey?: string | undefined;
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
