import * as pulumi from "@pulumi/pulumi";
import type * as aws from "@pulumi/aws";
import { serializableProvider } from "./stub";
import { DeletionPolicyOutput, ReplicaStatus } from "./types";

export interface ReplicaArgs {
    /** Region to replicate to; must differ from the secret's own region. */
    readonly region: pulumi.Input<aws.Region | string>;
    /** KMS key for the replica. @default - the aws/secretsmanager key of that region */
    readonly kmsKeyId?: pulumi.Input<string>;
}

export interface SecretArgs {
    /**
     * The secret's name. Changing it replaces the secret, deleting the old one first.
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
    /** KMS key id, alias or ARN. @default - the AWS-managed key aws/secretsmanager */
    readonly kmsKeyId?: pulumi.Input<string>;
    /** @default - no tags */
    readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Regions to replicate to; all are removed before the primary is deleted. @default - no replicas */
    readonly replicas?: pulumi.Input<pulumi.Input<ReplicaArgs>[]>;
    /** Overwrite a secret of the same name already in a replica region. @default false */
    readonly forceOverwriteReplicaSecret?: pulumi.Input<boolean>;
    /** The secret's region. Changing it replaces the secret. @default - the `aws:region` stack config, else AWS_REGION */
    readonly region?: pulumi.Input<aws.Region | string>;
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
}

/**
 * An AWS Secrets Manager secret whose teardown follows the stack configuration: `pulumi config set forceDelete true`
 * for ephemeral stacks, `pulumi config set recoveryWindowInDays 7` (7–30) otherwise; per-resource inputs win.
 */
export class Secret extends pulumi.dynamic.Resource {
    declare public readonly arn: pulumi.Output<string>;
    declare public readonly name: pulumi.Output<string>;
    declare public readonly region: pulumi.Output<string>;
    declare public readonly description: pulumi.Output<string | undefined>;
    declare public readonly secretString: pulumi.Output<string | undefined>;
    declare public readonly kmsKeyId: pulumi.Output<string | undefined>;
    declare public readonly tags: pulumi.Output<Record<string, string> | undefined>;
    declare public readonly replicas: pulumi.Output<{ region: string; kmsKeyId?: string }[] | undefined>;
    /** Id of the version labelled AWSCURRENT. */
    declare public readonly versionId: pulumi.Output<string | undefined>;
    declare public readonly replicaStatus: pulumi.Output<ReplicaStatus[]>;
    /** What `pulumi destroy` will do to this secret under the current configuration. */
    declare public readonly deletionPolicy: pulumi.Output<DeletionPolicyOutput>;

    constructor(name: string, args: SecretArgs = {}, opts?: pulumi.CustomResourceOptions) {
        super(
            serializableProvider(),
            name,
            {
                // Every output key must be present (even undefined) for the SDK to resolve it.
                name: args.name,
                description: args.description,
                secretString: args.secretString === undefined ? undefined : pulumi.secret(args.secretString),
                kmsKeyId: args.kmsKeyId,
                tags: args.tags,
                replicas: args.replicas,
                forceOverwriteReplicaSecret: args.forceOverwriteReplicaSecret,
                region: args.region,
                recoveryWindowInDays: args.recoveryWindowInDays,
                forceDelete: args.forceDelete,
                resourceName: name,
                stack: pulumi.getStack(),
                arn: undefined,
                versionId: undefined,
                replicaStatus: undefined,
                deletionPolicy: undefined,
            },
            { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "secretString"] },
            "secretsmanager",
            "Secret",
        );
    }
}
