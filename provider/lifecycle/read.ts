// Read (refresh): a secret deleted or scheduled for deletion outside Pulumi is gone; otherwise report what AWS
// holds for description, KMS key, tags and replicas so drift shows. The value is not read back: reading it
// would put whatever is in AWS into state, and the provider never needs it.

import { currentVersionOf, DEFAULT_KMS_KEY, Described, describeSecret, replicaStatusesOf, tagsOf } from "../aws/secrets";
import { ProviderContext } from "./context";
import { operationError } from "../core/errors";
import { SecretOutputs } from "../core/types";

export async function readSecret(
    id: string,
    props: Partial<SecretOutputs>,
    ctx: ProviderContext,
    region = props.region!,
): Promise<{ id?: string; props?: SecretOutputs }> {
    let d;
    try {
        d = await describeSecret(ctx.client(region), id);
    } catch (e) {
        throw operationError("reading", props.name ?? id, e);
    }
    if (!d || d.DeletedDate) {
        ctx.log(
            `${props.name ?? id}: ${d ? `scheduled for deletion outside Pulumi (${d.DeletedDate!.toISOString()})` : "deleted outside Pulumi"}; removed from the stack`,
        );
        return {};
    }
    return { id: d.ARN ?? id, props: outputsFromDescribed(d, { ...props, region }) };
}

/** State as AWS reports it, keeping what AWS does not report (the value, the deletion settings) from `props`. */
export function outputsFromDescribed(d: Described, props: Partial<SecretOutputs> & { region: string }): SecretOutputs {
    const keyOf = (k: string | undefined) => (k === undefined || k === DEFAULT_KMS_KEY ? undefined : k);
    const replicas = (d.ReplicationStatus ?? []).map((r) => {
        const declared = props.replicas?.find((p) => p.region === r.Region);
        const kmsKeyId = declared?.kmsKeyId ?? keyOf(r.KmsKeyId);
        return kmsKeyId ? { region: r.Region!, kmsKeyId } : { region: r.Region! };
    });
    return {
        ...props,
        name: d.Name ?? props.name!,
        arn: d.ARN ?? props.arn!,
        description: d.Description || undefined,
        kmsKeyId: props.kmsKeyId !== undefined && d.KmsKeyId === undefined ? props.kmsKeyId : keyOf(d.KmsKeyId),
        tags: tagsOf(d),
        replicas: replicas.length ? replicas : undefined,
        replicaStatus: replicaStatusesOf(d.ReplicationStatus),
        versionId: currentVersionOf(d) ?? props.versionId,
        lastAccessedDate: d.LastAccessedDate?.toISOString() ?? props.lastAccessedDate,
    };
}
