// Update in place with the fewest calls: one UpdateSecret for description, KMS key and value together; a generated
// value by PutSecretValue, only when generateReason (core/generated-value.ts) says so; tags by difference; replicas by
// set difference against what AWS reports. Deletion settings and generation parameters alone need no call.

import { randomUUID } from "crypto";
import {
    DEFAULT_KMS_KEY,
    describeSecret,
    replicaStatusesOf,
    sendRemoveRegionsFromReplication,
    sendReplicateSecretToRegions,
    sendTagResource,
    sendUntagResource,
    sendUpdateSecret,
} from "../aws/secrets";
import { ProviderContext } from "./context";
import { policyFor, policyOutput } from "../core/policy";
import { fieldChanged } from "../core/diff";
import { generateReason } from "../core/generated-value";
import { putGeneratedValue } from "./generate";
import { failure, operationError } from "../core/errors";
import { ReplicaSpec, ReplicaStatus, SecretInputs, SecretOutputs } from "../core/types";

/** The progress line of a generated value: why it was put, never the value. */
const GENERATED_LOG = {
    rotate: "a new value generated (generation changed)",
    switch: "a generated value replaced the given one (secretString → generateSecretString)",
    first: "a generated value stored (the secret had none)",
} as const;

export async function updateSecret(id: string, olds: SecretOutputs, news: SecretInputs, ctx: ProviderContext): Promise<SecretOutputs> {
    const name = olds.name;
    const client = ctx.client(olds.region);
    const deletionPolicy = policyOutput(policyFor(news, ctx.stack));
    let versionId = olds.versionId;
    let replicaStatus: ReplicaStatus[] = olds.replicaStatus ?? [];
    const step = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
        try {
            return await f();
        } catch (e) {
            throw operationError(
                "updating",
                name,
                e,
                `${what} failed; earlier steps of this update were applied — run \`pulumi up\` again`,
            );
        }
    };

    const descChanged = fieldChanged("description", olds, news);
    const kmsChanged = fieldChanged("kmsKeyId", olds, news);
    // A given value replaced by a generated one is put below (PutSecretValue), not sent here.
    const generate = generateReason(olds, news);
    const valueChanged = fieldChanged("secretString", olds, news) && news.secretString !== undefined;
    if (news.secretString === undefined && olds.secretString !== undefined && news.generateSecretString === undefined) {
        throw failure(
            "updating",
            name,
            "secretString was removed, but AWS cannot remove a secret's value",
            "keep a value, have AWS generate one with generateSecretString, or replace the secret by changing its name",
        );
    }
    if (descChanged || kmsChanged || valueChanged) {
        const out = await step("UpdateSecret", () =>
            sendUpdateSecret(client, {
                SecretId: id,
                Description: descChanged ? (news.description ?? "") : undefined,
                KmsKeyId: kmsChanged ? (news.kmsKeyId ?? DEFAULT_KMS_KEY) : undefined,
                SecretString: valueChanged ? news.secretString : undefined,
                ClientRequestToken: valueChanged ? randomUUID() : undefined,
            }),
        );
        if (out.VersionId) versionId = out.VersionId;
    }

    // After UpdateSecret, so a new KMS key already encrypts the generated value.
    if (generate && news.generateSecretString) {
        const fix = "earlier steps of this update were applied — run `pulumi up` again";
        versionId = (await putGeneratedValue(client, id, name, news.generateSecretString, fix)) ?? versionId;
        ctx.log(`${name}: ${GENERATED_LOG[generate]}`);
    }

    if (fieldChanged("tags", olds, news)) {
        const before = olds.tags ?? {};
        const after = news.tags ?? {};
        const removed = Object.keys(before).filter((k) => !(k in after));
        const set = Object.entries(after).filter(([k, v]) => before[k] !== v);
        if (removed.length) await step("UntagResource", () => sendUntagResource(client, id, removed));
        if (set.length) {
            await step("TagResource", () => sendTagResource(client, id, Object.fromEntries(set)));
        }
    }

    if (fieldChanged("replicas", olds, news)) {
        replicaStatus = await reconcileReplicas(id, name, news, ctx, step);
    }

    ctx.log(`${name}: updated`);
    return { ...news, arn: olds.arn, versionId, replicaStatus, deletionPolicy };
}

async function reconcileReplicas(
    id: string,
    name: string,
    news: SecretInputs,
    ctx: ProviderContext,
    step: <T>(what: string, f: () => Promise<T>) => Promise<T>,
): Promise<ReplicaStatus[]> {
    const client = ctx.client(news.region);
    const actual = await step("DescribeSecret", () => describeSecret(client, id));
    if (!actual)
        throw failure("updating", name, "the secret no longer exists", "run `pulumi refresh`, then `pulumi up` to create it again");
    const desired = new Map((news.replicas ?? []).map((r) => [r.region, r]));
    const current = new Map((actual.ReplicationStatus ?? []).map((r) => [r.Region!, r]));
    // A replica whose KMS key changes is removed and added again; AWS has no call to re-key a replica.
    const rekeyed = [...desired.values()].filter(
        (r) => current.has(r.region) && r.kmsKeyId !== undefined && current.get(r.region)!.KmsKeyId !== r.kmsKeyId,
    );
    const remove = [...current.keys()].filter((r) => !desired.has(r) || rekeyed.some((k) => k.region === r));
    const add: ReplicaSpec[] = [...desired.values()].filter((r) => !current.has(r.region) || remove.includes(r.region));
    let status = replicaStatusesOf([...current.values()].filter((r) => !remove.includes(r.Region!)));
    if (remove.length) {
        await step("RemoveRegionsFromReplication", () => sendRemoveRegionsFromReplication(client, id, remove));
        ctx.log(`${name}: replicas removed from ${remove.join(", ")}`);
    }
    if (add.length) {
        const out = await step("ReplicateSecretToRegions", () =>
            sendReplicateSecretToRegions(client, {
                SecretId: id,
                AddReplicaRegions: add.map((r) => ({ Region: r.region, KmsKeyId: r.kmsKeyId })),
                ForceOverwriteReplicaSecret: news.forceOverwriteReplicaSecret,
            }),
        );
        ctx.log(`${name}: replicated to ${add.map((r) => r.region).join(", ")}`);
        const added = replicaStatusesOf(out.ReplicationStatus);
        status = [...status.filter((r) => !added.some((a) => a.region === r.region)), ...added];
    }
    return status;
}
