// The one description of a Secret's properties. Everything that lists them derives from SECRET_PROPERTIES: the state
// types (SecretInputs, SecretOutputs, below, mapped from it), the plugin's schema (plugin/schema.ts), diff's field
// classes (diff.ts), check's known names and its refusal of outputs (validate.ts), both adapters' secret marks, and
// the dynamic Secret's registered outputs and refused arguments (secret.ts), whose hand-written SecretArgs and
// declared outputs (kept for their docs) the compiler holds to this table. Adding a property is one entry here
// (and its behaviour); the compiler points at anything else. State written by an older release must stay readable:
// add optional properties, never rename one.

import type { GenerateSecretStringSpec } from "./generated-value";
import type { DeletionPolicyOutput } from "./policy";

/** A replica a program asks for. */
export interface ReplicaSpec {
    /** AWS region of the replica, e.g. "eu-west-1". */
    region: string;
    /** KMS key for the replica; AWS uses aws/secretsmanager of that region when omitted. */
    kmsKeyId?: string | undefined;
}

/** A replica as AWS reports it. */
export interface ReplicaStatus {
    region: string;
    kmsKeyId?: string | undefined;
    status?: string | undefined;
    statusMessage?: string | undefined;
}

/** A role to assume, as @pulumi/aws spells it. */
export interface AssumeRoleSpec {
    roleArn: string;
    externalId?: string | undefined;
    sessionName?: string | undefined;
    durationSeconds?: number | undefined;
}

/** The type vocabulary of the table: each name, the value it stands for (the plugin's schema maps each to its spec). */
export interface PropertyTypes {
    string: string;
    integer: number;
    boolean: boolean;
    "map<string>": Record<string, string>;
    "Replica[]": ReplicaSpec[];
    "ReplicaStatus[]": ReplicaStatus[];
    AssumeRole: AssumeRoleSpec;
    DeletionPolicy: DeletionPolicyOutput;
    GenerateSecretString: GenerateSecretStringSpec;
    /** A program may give a number; check stores it as its decimal string. */
    "string | number": string | number;
}

export type PropertyType = keyof PropertyTypes;

export interface PropertySpec {
    readonly type: PropertyType;
    /**
     * "input": among the inputs check receives and state keeps, not published; "both": an input published as an
     * output too (the schema's properties, the Secret class); "output": read from AWS, published, never an input.
     */
    readonly io: "input" | "output" | "both";
    /** Who sets it: a program, the provider itself (the constructor or check; a program may not), or AWS. */
    readonly from: "program" | "provider" | "aws";
    /** The value is a secret: the schema marks it, both adapters keep it encrypted in state. */
    readonly secret?: true;
    /**
     * What diff does when it changes: "replace" the secret; update it in place with an AWS call ("aws") or in state
     * only ("state"); "none": not compared (outputs, and what never changes once set).
     */
    readonly diff: "replace" | "aws" | "state" | "none";
    /**
     * Always present: "always" once check has run (the types and the schema say so); "schema": the schema promises it
     * (every up records it), but state a refresh or an import wrote before any up lacks it, so the types do not.
     */
    readonly required?: "always" | "schema";
    /** Sent to check and dropped there, never stored (not in SecretInputs). */
    readonly transient?: true;
    /** The one-line doc of the schema (the dynamic SecretArgs carry a longer one). */
    readonly doc: string;
    /** What happens when it is not given, where the schema says. */
    readonly default?: string;
}

/**
 * Every name a Secret's inputs or outputs may hold. Program inputs come first, in the order a refusal of an unknown
 * name lists them.
 */
export const SECRET_PROPERTIES = {
    name: {
        type: "string",
        io: "both",
        from: "program",
        diff: "replace",
        required: "always",
        doc: "The secret's name. Changing it replaces the secret (the new one is created first).",
        default: "the resource name and a suffix, kept once chosen",
    },
    description: { type: "string", io: "both", from: "program", diff: "aws", doc: "The secret's description." },
    secretString: {
        type: "string",
        io: "both",
        from: "program",
        secret: true,
        diff: "aws",
        doc: "The value. Kept in state only as an encrypted Pulumi secret.",
    },
    generateSecretString: {
        type: "GenerateSecretString",
        io: "both",
        from: "program",
        // Changing the parameters alone generates nothing: a value is replaced only when `generation` asks for it.
        diff: "state",
        doc:
            "Have AWS generate the value (GetRandomPassword) at create: it is never in the program or the state. Instead of " +
            "secretString. Changing these parameters alone does not generate a new value; changing `generation` does.",
    },
    generation: {
        type: "string | number",
        io: "both",
        from: "program",
        diff: "aws",
        doc: "With generateSecretString: change it (any string or number) to have AWS generate a new value (a new version).",
    },
    kmsKeyId: {
        type: "string",
        io: "both",
        from: "program",
        diff: "aws",
        doc: "KMS key id, alias or ARN.",
        default: "the AWS-managed key aws/secretsmanager",
    },
    tags: { type: "map<string>", io: "both", from: "program", diff: "aws", doc: "Tags of the secret." },
    replicas: {
        type: "Replica[]",
        io: "both",
        from: "program",
        diff: "aws",
        doc: "Regions to replicate to; all are removed before the primary is deleted.",
    },
    forceOverwriteReplicaSecret: {
        type: "boolean",
        io: "both",
        from: "program",
        diff: "state",
        doc: "Overwrite a secret of the same name already in a replica region.",
    },
    region: {
        type: "string",
        io: "both",
        from: "program",
        diff: "replace",
        required: "always",
        doc: "The secret's region. Changing it replaces the secret.",
        default: "safesecret:region, else AWS_REGION",
    },
    recoveryWindowInDays: {
        type: "integer",
        io: "both",
        from: "program",
        diff: "state",
        doc: "Days (7–30) AWS keeps the secret recoverable after a destroy. Overrides the stack's keys.",
    },
    forceDelete: {
        type: "boolean",
        io: "both",
        from: "program",
        diff: "state",
        doc: "true: a destroy deletes the secret at once, without recovery. Overrides the stack's keys.",
    },
    adopt: {
        type: "boolean",
        io: "both",
        from: "program",
        diff: "state",
        doc: 'Take over a live secret of this name instead of failing with "already exists".',
    },
    restoreIfScheduled: {
        type: "boolean",
        io: "both",
        from: "program",
        diff: "state",
        doc: "With adopt: restore a secret of this name that is scheduled for deletion, then take it over.",
    },
    inUseGuardDays: {
        type: "integer",
        io: "both",
        from: "program",
        diff: "state",
        doc: "Refuse a delete without recovery while AWS reports the secret accessed within this many days (0: off).",
    },
    profile: {
        type: "string",
        io: "both",
        from: "program",
        diff: "state",
        doc: "AWS profile for this secret's calls.",
        default: "safesecret:profile, else the SDK's credential chain",
    },
    assumeRole: {
        type: "AssumeRole",
        io: "both",
        from: "program",
        diff: "state",
        doc: "Role assumed for this secret's calls (another account).",
    },

    deletionPolicy: {
        type: "DeletionPolicy",
        io: "both",
        from: "provider",
        diff: "state",
        required: "schema",
        doc: "What `pulumi destroy` will do to this secret under the configuration of the last up.",
    },
    autonamed: {
        type: "boolean",
        io: "input",
        from: "provider",
        diff: "state",
        doc: "True when `name` was generated, so it stays stable across updates.",
    },
    resourceName: { type: "string", io: "input", from: "provider", diff: "state", doc: "The Pulumi resource name, used only to autoname." },
    stack: {
        type: "string",
        io: "input",
        from: "provider",
        diff: "state",
        doc:
            'The stack that owns the secret, to read its configuration at destroy time: "org/project/stack" since 0.2.0, ' +
            "the bare stack name in state written by 0.1.0.",
    },
    owner: {
        type: "string",
        io: "input",
        from: "provider",
        // Kept from the first create on (check), so it never changes.
        diff: "none",
        doc:
            'What the resource\'s URN is made of ("org/project/stack::[parent URN::]resource name"), kept from the first ' +
            "create on: the create's request token and autoname derive from it (ownership.ts). Absent in state before 0.4.0.",
    },
    dryRun: {
        type: "boolean",
        io: "input",
        from: "provider",
        diff: "none",
        transient: true,
        doc: "True in a preview, so check shows an autoname as unknown instead of a suffix `up` will not draw.",
    },
    __provider: {
        type: "string",
        io: "input",
        from: "provider",
        diff: "none",
        transient: true,
        doc: "The dynamic provider's text (stub.ts), which the engine stores and runs at destroy time.",
    },

    arn: { type: "string", io: "output", from: "aws", diff: "none", required: "always", doc: "The secret's ARN." },
    versionId: { type: "string", io: "output", from: "aws", diff: "none", doc: "Id of the version labelled AWSCURRENT." },
    replicaStatus: {
        type: "ReplicaStatus[]",
        io: "output",
        from: "aws",
        diff: "none",
        required: "always",
        doc: "Each replica's region and status as AWS reports it.",
    },
    lastAccessedDate: {
        type: "string",
        io: "output",
        from: "aws",
        diff: "none",
        doc: "The day AWS last saw the value read (ISO 8601), as of the last refresh.",
    },
} as const satisfies Record<string, PropertySpec>;

// ---- Types derived from the table -------------------------------------------------------------------------------

type Table = typeof SECRET_PROPERTIES;
export type PropertyName = keyof Table;

/** The names whose entries have the facets in `Where`, e.g. NamesWhere<{ from: "program" }>. */
export type NamesWhere<Where> = { [K in PropertyName]: Table[K] extends Where ? K : never }[PropertyName];

/** The value a property holds. */
export type ValueOf<K extends PropertyName> = PropertyTypes[Table[K]["type"]];

type AlwaysPresent = NamesWhere<{ required: "always" }>;

/** An object of the properties `Names`: those required "always" present, the others optional. */
type Shape<Names extends PropertyName> = { [K in Names & AlwaysPresent]: ValueOf<K> } & {
    [K in Exclude<Names, AlwaysPresent>]?: ValueOf<K> | undefined;
};

/** Flattens an intersection, so an editor shows one object. */
type Flat<T> = { [K in keyof T]: T[K] };

/** What a program may give a Secret. */
export type SecretInputName = NamesWhere<{ from: "program" }>;
/** What state keeps among the inputs: the program's and the provider's own, not those dropped at check. */
export type StoredInputName = Exclude<NamesWhere<{ io: "input" | "both" }>, NamesWhere<{ transient: true }>>;
/** What the schema and the Secret class publish as outputs. */
export type PublishedName = NamesWhere<{ io: "output" | "both" }>;

/**
 * Inputs after `check`: validated, the name and region resolved, so later steps never guess them. A type alias (not
 * an interface) so that it is also a RawInputs, the shape the engine hands to every call.
 */
export type SecretInputs = Flat<Shape<StoredInputName>>;
/** State after create, read or update: the inputs and what AWS reports. */
export type SecretOutputs = Flat<Shape<StoredInputName | NamesWhere<{ io: "output" }>>>;

// ---- Lists derived from the table ------------------------------------------------------------------------------

/** A selection of the table by facets: each facet given must hold one of the values listed. */
type Where = { readonly [F in keyof PropertySpec]?: readonly NonNullable<PropertySpec[F]>[] };

/** The facets a selection asks for, as NamesWhere takes them: { from: ["program"] } → { from: "program" }. */
type Facets<W extends Where> = { [F in keyof W]: W[F] extends readonly (infer V)[] ? V : never };

/** The names a selection picks, as a list in the table's order and as a type, from the one argument. */
function namesWhere<const W extends Where>(where: W): readonly NamesWhere<Facets<W>>[] {
    const facets = Object.entries(where) as [keyof PropertySpec, readonly unknown[]][];
    const names = (Object.keys(SECRET_PROPERTIES) as PropertyName[]).filter((name) => {
        const spec: PropertySpec = SECRET_PROPERTIES[name];
        return facets.every(([facet, values]) => values.includes(spec[facet]));
    });
    return names as NamesWhere<Facets<W>>[];
}

/** What a program may give a Secret (SecretArgs in secret.ts, inputProperties in the plugin's schema). */
export const SECRET_INPUTS = namesWhere({ from: ["program"] });

/**
 * Inputs the provider sets itself (the dynamic Secret's constructor and its provider text, the plugin's check) or
 * that check records, in state of every release so far: known to check, never a program's to give.
 */
export const PROVIDER_INPUTS = namesWhere({ from: ["provider"], io: ["input", "both"] });

/** Outputs only: AWS sets them, so a program giving one would be ignored. */
export const OUTPUT_ONLY = namesWhere({ io: ["output"] });

/** Published as outputs: the schema's properties, and every key the dynamic Secret registers for the SDK to resolve. */
export const PUBLISHED = namesWhere({ io: ["output", "both"] });

/** Outputs the schema promises are always there. */
export const REQUIRED_OUTPUTS = namesWhere({ io: ["output", "both"], required: ["always", "schema"] });

/** Secret values: marked secret in the schema and by both adapters, so state keeps them encrypted. */
export const SECRET_VALUES = namesWhere({ secret: [true] });

/** Diff's field classes: a change replaces the secret, updates it with an AWS call, or updates state only. */
export const REPLACE_FIELDS = namesWhere({ diff: ["replace"] });
export const AWS_FIELDS = namesWhere({ diff: ["aws"] });
export const STATE_FIELDS = namesWhere({ diff: ["state"] });
