// The names a Secret takes: one list, from which the dynamic Secret's props (secret.ts), the plugin's schema
// (plugin/schema.ts) and check's refusal of any other name (validate.ts) come. A name missing here is refused at
// preview, so adding an input is one edit here and the compiler points at the others.

/** What a program may give a Secret (SecretArgs in secret.ts, inputProperties in the plugin's schema). */
export const SECRET_INPUTS = [
    "name",
    "description",
    "secretString",
    "kmsKeyId",
    "tags",
    "replicas",
    "forceOverwriteReplicaSecret",
    "region",
    "recoveryWindowInDays",
    "forceDelete",
    "adopt",
    "restoreIfScheduled",
    "inUseGuardDays",
    "profile",
    "assumeRole",
] as const;

export type SecretInputName = (typeof SECRET_INPUTS)[number];

/**
 * Inputs the provider sets itself (the dynamic Secret's constructor and its provider text, the plugin's check) or
 * that check records, in state of every release so far: known to check, never a program's to give.
 */
export const PROVIDER_INPUTS = ["resourceName", "stack", "owner", "dryRun", "autonamed", "deletionPolicy", "__provider"] as const;

/** Outputs only: AWS sets them, so a program giving one would be ignored. */
export const OUTPUT_ONLY = ["arn", "versionId", "replicaStatus", "lastAccessedDate"] as const;
