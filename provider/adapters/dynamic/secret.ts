import * as pulumi from "@pulumi/pulumi";
import { OUTPUT_ONLY, PROVIDER_INPUTS, PUBLISHED, PublishedName, SECRET_VALUES, SecretInputName, ValueOf } from "../../core/properties";
import { PROVIDER_TEXT, providerStub, useProviderText } from "./stub";
import { AssumeRoleSpec, DeletionPolicyOutput, GenerateSecretStringSpec, ReplicaStatus } from "../../core/types";

/** A role to assume for a secret's calls, as @pulumi/aws's assumeRoles entries are written. */
export interface AssumeRoleArgs {
    /** The role's ARN, e.g. "arn:aws:iam::123456789012:role/deployer". */
    readonly roleArn: pulumi.Input<string>;
    /** @default - none */
    readonly externalId?: pulumi.Input<string>;
    /** @default "pulumi-safe-secret" */
    readonly sessionName?: pulumi.Input<string>;
    /** 900–43200. @default - AWS's one hour */
    readonly durationSeconds?: pulumi.Input<number>;
}

/** The value AWS generates: GetRandomPassword's parameters, and CDK's JSON template form. */
export interface GenerateSecretStringArgs {
    /** 1–4096. @default 32, as AWS */
    readonly passwordLength?: pulumi.Input<number>;
    /** Characters the value must not contain, e.g. `"\"'\\/@"` for a connection string. @default - none */
    readonly excludeCharacters?: pulumi.Input<string>;
    /** Leave out 0–9. @default false */
    readonly excludeNumbers?: pulumi.Input<boolean>;
    /** Leave out the punctuation characters ``!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~``. @default false */
    readonly excludePunctuation?: pulumi.Input<boolean>;
    /** Leave out A–Z. @default false */
    readonly excludeUppercase?: pulumi.Input<boolean>;
    /** Leave out a–z. @default false */
    readonly excludeLowercase?: pulumi.Input<boolean>;
    /** Include the space character. @default false */
    readonly includeSpace?: pulumi.Input<boolean>;
    /** At least one character of each included class. @default true, as AWS */
    readonly requireEachIncludedType?: pulumi.Input<boolean>;
    /**
     * A JSON object as text (`JSON.stringify({ username: "app" })`); with `generateStringKey` the value is this object
     * with the password at that key: `{"username":"app","password":"…"}`. Kept in state as given: put no secret in it.
     * @default - the value is the password alone
     */
    readonly secretStringTemplate?: pulumi.Input<string>;
    /** The key of `secretStringTemplate` that receives the password, e.g. "password". Required with the template. */
    readonly generateStringKey?: pulumi.Input<string>;
}

export interface ReplicaArgs {
    /** Region to replicate to; must differ from the secret's own region. */
    readonly region: pulumi.Input<string>;
    /** KMS key for the replica. @default - the aws/secretsmanager key of that region */
    readonly kmsKeyId?: pulumi.Input<string>;
}

/**
 * What a program gives a Secret. Written by hand for its docs (the traps and defaults a reader needs in an editor);
 * the compiler holds it to the property table (properties.ts), at the end of this file.
 */
export interface SecretArgs {
    /**
     * The secret's name. Changing it replaces the secret: the new one is created first, then the old one deleted
     * under the deletion policy (old first only where both would hold the same name in one region).
     * Trap: after a delete with a recovery window the name stays taken until the window ends.
     * @default - the resource name and a random suffix, kept once chosen
     */
    readonly name?: pulumi.Input<string>;
    /** @default - no description */
    readonly description?: pulumi.Input<string>;
    /**
     * The value. Stored in state only as an encrypted Pulumi secret; wrapped with `pulumi.secret` if it is not one.
     * @default - no value (the secret is created without a version)
     */
    readonly secretString?: pulumi.Input<string>;
    /**
     * Have AWS generate the value (GetRandomPassword) when the secret is created, instead of giving `secretString`: the
     * value never passes through the program and is not in the state, not even encrypted. Read it from Secrets Manager
     * where it is used. Cannot be set together with `secretString`; a value the program must know (a third-party API
     * key) still goes through `secretString`.
     * Trap: changing these parameters alone does not generate a new value (the one in AWS is kept); change
     * `generation` for that. Switching from `secretString` generates once; a secret taken over with `adopt` keeps its value.
     * @default - no generated value
     */
    readonly generateSecretString?: pulumi.Input<GenerateSecretStringArgs>;
    /**
     * With `generateSecretString`: any string or number; changing it has AWS generate a new value (PutSecretValue, so
     * `versionId` changes). Nothing else regenerates the value. Stored as a string: 2 and "2" are the same.
     * @default - none; the value generated at create is kept
     */
    readonly generation?: pulumi.Input<string | number>;
    /** KMS key id, alias or ARN. @default - the AWS-managed key aws/secretsmanager */
    readonly kmsKeyId?: pulumi.Input<string>;
    /** @default - no tags */
    readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Regions to replicate to; all are removed before the primary is deleted. @default - no replicas */
    readonly replicas?: pulumi.Input<pulumi.Input<ReplicaArgs>[]>;
    /** Overwrite a secret of the same name already in a replica region. @default false */
    readonly forceOverwriteReplicaSecret?: pulumi.Input<boolean>;
    /** The secret's region. Changing it replaces the secret. @default - the `aws:region` stack config, else AWS_REGION */
    readonly region?: pulumi.Input<string>;
    /**
     * Days (7–30) AWS keeps the secret recoverable after a destroy. Overrides the stack's `recoveryWindowInDays`
     * and `forceDelete`. Cannot be set together with `forceDelete`.
     * @default - the stack configuration, else AWS's 30 days
     */
    readonly recoveryWindowInDays?: pulumi.Input<number>;
    /**
     * true: a destroy deletes the secret at once, unrecoverably (for ephemeral environments). false: keep a window.
     * Overrides the stack configuration. Cannot be set together with `recoveryWindowInDays`.
     * @default - the stack configuration, else a 30-day recovery window
     */
    readonly forceDelete?: pulumi.Input<boolean>;
    /**
     * Take over a secret that already exists with this name instead of failing with "already exists": its
     * description, KMS key, tags, replicas and (if given) value are brought to what this program declares, and from
     * then on it is managed like one this program created — a destroy deletes it under the deletion policy.
     * (Pulumi's `import` option and `pulumi import` cannot work with dynamic providers; this is the way in.)
     * @default false
     */
    readonly adopt?: pulumi.Input<boolean>;
    /**
     * With `adopt`: if the secret with this name is scheduled for deletion, restore it (RestoreSecret) and take it over.
     * @default false - a scheduled secret holds the name and the create fails with its deletion date
     */
    readonly restoreIfScheduled?: pulumi.Input<boolean>;
    /**
     * Refuse a delete without recovery of this secret while AWS reports it accessed within this many days (0 turns the
     * guard off). Overrides the stack's `inUseGuardDays`.
     * @default - the stack's `inUseGuardDays`, else off
     */
    readonly inUseGuardDays?: pulumi.Input<number>;
    /** AWS profile for this secret's calls (another account). @default - the stack's `aws:profile`, else the SDK's chain */
    readonly profile?: pulumi.Input<string>;
    /**
     * Role assumed for this secret's calls (another account), instead of the stack's `aws:assumeRoles`.
     * @default - the stack's `aws:assumeRoles`
     */
    readonly assumeRole?: pulumi.Input<AssumeRoleArgs>;
}

/**
 * An AWS Secrets Manager secret whose teardown follows the stack configuration: `pulumi config set forceDelete true`
 * for ephemeral stacks, `pulumi config set recoveryWindowInDays 7` (7–30) otherwise; per-resource inputs win.
 */
export class Secret extends pulumi.dynamic.Resource {
    // The outputs of the property table (properties.ts); the compiler holds this list to it, at the end of this file.
    declare public readonly arn: pulumi.Output<string>;
    declare public readonly name: pulumi.Output<string>;
    declare public readonly region: pulumi.Output<string>;
    declare public readonly description: pulumi.Output<string | undefined>;
    declare public readonly secretString: pulumi.Output<string | undefined>;
    /** The parameters of the generated value (never the value: it is only in AWS). */
    declare public readonly generateSecretString: pulumi.Output<GenerateSecretStringSpec | undefined>;
    /** The generation of the generated value, as a string. */
    declare public readonly generation: pulumi.Output<string | undefined>;
    declare public readonly kmsKeyId: pulumi.Output<string | undefined>;
    declare public readonly tags: pulumi.Output<Record<string, string> | undefined>;
    declare public readonly replicas: pulumi.Output<{ region: string; kmsKeyId?: string }[] | undefined>;
    declare public readonly forceOverwriteReplicaSecret: pulumi.Output<boolean | undefined>;
    /** The recovery window the resource sets, as check stored it. */
    declare public readonly recoveryWindowInDays: pulumi.Output<number | undefined>;
    /** The resource's own forceDelete, as check stored it. */
    declare public readonly forceDelete: pulumi.Output<boolean | undefined>;
    declare public readonly adopt: pulumi.Output<boolean | undefined>;
    declare public readonly restoreIfScheduled: pulumi.Output<boolean | undefined>;
    declare public readonly inUseGuardDays: pulumi.Output<number | undefined>;
    declare public readonly profile: pulumi.Output<string | undefined>;
    declare public readonly assumeRole: pulumi.Output<AssumeRoleSpec | undefined>;
    /** Id of the version labelled AWSCURRENT. */
    declare public readonly versionId: pulumi.Output<string | undefined>;
    declare public readonly replicaStatus: pulumi.Output<ReplicaStatus[]>;
    /** The day AWS last saw the value read (ISO 8601, AWS's day resolution), as of the last refresh. */
    declare public readonly lastAccessedDate: pulumi.Output<string | undefined>;
    /** What `pulumi destroy` will do to this secret under the current configuration. */
    declare public readonly deletionPolicy: pulumi.Output<DeletionPolicyOutput>;

    /**
     * Reads an existing secret by ARN (or name) without managing it: the program can use its outputs, and a destroy
     * leaves it alone. To manage a secret that exists already, create a Secret with `adopt: true` instead.
     */
    public static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Secret {
        return new Secret(name, {}, { ...opts, id });
    }

    constructor(name: string, args: SecretArgs = {}, opts?: pulumi.CustomResourceOptions) {
        refuseReservedArgs(name, args);
        const stackId = `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
        // The SDK gives each of a resource's ~20 outputs four promises, each stamped with `new Error().stack` for its
        // promise-leak report, and ts-node's source-map support maps every one of those stacks. For 100 Secrets that was
        // a fifth of a preview and of an up (runs interleaved, medians of 3: preview 4.4 s → 3.6 s, up 9.1 s → 7.3 s).
        // The SDK's source position of the resource sets its own limit, so it is kept. What loses its frames: the leak
        // report's stacks of these promises, and an error thrown while the SDK constructs the resource (a
        // transformation's, say), whose message is unchanged.
        const stackTraceLimit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            super(
                providerStub,
                name,
                {
                    // Every output key must be present (even undefined) for the SDK to resolve it: a declared output
                    // missing here would read undefined in the program, not an Output.
                    ...Object.fromEntries(PUBLISHED.map((k) => [k, undefined])),
                    // All of them, also names a Secret does not take (a typo, a JavaScript program's guess): check
                    // refuses those by name at preview, where dropping them here would ignore them without a word.
                    ...args,
                    // The secret values (secretString), wrapped if the program did not: state keeps them encrypted.
                    ...Object.fromEntries(SECRET_VALUES.map((k) => [k, args[k] === undefined ? undefined : pulumi.secret(args[k])])),
                    resourceName: name,
                    // Fully qualified, so the destroy-time configuration read can tell this stack from one that took its name.
                    stack: stackId,
                    // Lets a later process recognise the secret this resource's create made (ownership.ts).
                    owner: opts?.parent ? pulumi.interpolate`${stackId}::${opts.parent.urn}::${name}` : `${stackId}::${name}`,
                    // Lets check show an autoname as unknown in a preview instead of a suffix `up` will not draw; not stored.
                    dryRun: pulumi.runtime.isDryRun(),
                },
                {
                    ...opts,
                    additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...SECRET_VALUES],
                    transformations: [...(opts?.transformations ?? []), useProviderText(PROVIDER_TEXT)],
                },
                "secretsmanager",
                "Secret",
            );
        } finally {
            Error.stackTraceLimit = stackTraceLimit;
        }
    }
}

// The compiler holds SecretArgs and the declared outputs to the property table (properties.ts). Each constant below
// compiles only when its type is `true`; otherwise the error names the property that disagrees: one the table has and
// SecretArgs or the class lacks (or the reverse), or one given another type here than there.

/** `true` when T is never, else T itself (the names that disagree), so the assignment of `true` fails naming them. */
type NoneOf<T> = [T] extends [never] ? true : T;
/** The names in one set and not the other. */
type Mismatch<A, B> = Exclude<A, B> | Exclude<B, A>;

const argsNamed: NoneOf<Mismatch<keyof SecretArgs, SecretInputName>> = true;
const argsTyped: NoneOf<
    {
        [K in SecretInputName]: K extends keyof SecretArgs
            ? [pulumi.Unwrap<NonNullable<SecretArgs[K]>>] extends [ValueOf<K>]
                ? never
                : K
            : K;
    }[SecretInputName]
> = true;
const outputsDeclared: NoneOf<Exclude<PublishedName, keyof Secret>> = true;
const outputsTyped: NoneOf<
    {
        [K in PublishedName]: K extends keyof Secret
            ? Secret[K] extends pulumi.Output<infer T>
                ? [T] extends [ValueOf<K> | undefined]
                    ? never
                    : K
                : K
            : K;
    }[PublishedName]
> = true;
void [argsNamed, argsTyped, outputsDeclared, outputsTyped];

/**
 * A name the provider sets itself, or an output, given as an argument: the constructor would overwrite it before check
 * could see it, so it is refused here, in check's words.
 */
function refuseReservedArgs(resource: string, args: object): void {
    const reserved: readonly string[] = [...PROVIDER_INPUTS, ...OUTPUT_ONLY];
    const given = Object.keys(args).filter((k) => reserved.includes(k));
    if (given.length > 0) {
        throw new Error(
            `Secret "${resource}": ${given.join(", ")} ${given.length === 1 ? "is" : "are"} set by the provider, not an input of a Secret — remove ${given.length === 1 ? "it" : "them"}`,
        );
    }
}
