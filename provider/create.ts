// Create, with name reuse. When the name is taken, find out why before deciding: still being purged after a
// force delete → wait and retry; in a recovery window → fail at once with the ways out; live → "already exists".

import { CreateSecretCommand, CreateSecretCommandOutput, RestoreSecretCommand } from "@aws-sdk/client-secrets-manager";
import { randomUUID } from "crypto";
import { currentVersionOf, describeSecret, Described, isNameTaken, replicaStatusesOf } from "./aws/secrets";
import { withoutUndefined } from "./check";
import { ProviderContext, purgePollOptions } from "./context";
import { CreatedButIncompleteError, failure, operationError } from "./errors";
import { DeletionPolicyOutput, policyFor, policyOutput } from "./policy";
import { outputsFromDescribed } from "./read";
import { updateSecret } from "./update";
import { ReplicaStatus, SecretInputs, SecretOutputs } from "./types";
import { pollUntil, PollResult, PollTimeoutError } from "./wait";

/**
 * A DeletedDate this far ahead is a recovery window (AWS reports the scheduled date). A force-deleted secret
 * being purged shows a date about now; one deleted this long ago and still present is in a window too.
 */
const WINDOW_AHEAD_MS = 60 * 60 * 1000;
const PURGE_TYPICAL_MAX_MS = 10 * 60 * 1000;

export type NameHolder =
    | { kind: "purging" }
    | { kind: "ours"; described: Described }
    | { kind: "live"; arn?: string }
    | { kind: "recovery-window"; deletedDate: Date };

/** Why a name is taken, from DescribeSecret of that name (undefined: AWS no longer finds it). */
export function classifyNameHolder(d: Described | undefined, token: string, now: number): NameHolder {
    if (!d) return { kind: "purging" };
    if (!d.DeletedDate) {
        return d.VersionIdsToStages?.[token] ? { kind: "ours", described: d } : { kind: "live", arn: d.ARN };
    }
    const t = d.DeletedDate.getTime();
    if (t > now + WINDOW_AHEAD_MS || t < now - PURGE_TYPICAL_MAX_MS) return { kind: "recovery-window", deletedDate: d.DeletedDate };
    return { kind: "purging" };
}

export function createParameters(inputs: SecretInputs, token: string) {
    return {
        Name: inputs.name,
        Description: inputs.description,
        KmsKeyId: inputs.kmsKeyId,
        SecretString: inputs.secretString,
        // One token across SDK retries and our purge retries: a create whose answer was lost is recognised.
        ClientRequestToken: token,
        Tags: inputs.tags ? Object.entries(inputs.tags).map(([Key, Value]) => ({ Key, Value })) : undefined,
        AddReplicaRegions: inputs.replicas?.length
            ? inputs.replicas.map((r) => ({ Region: r.region, KmsKeyId: r.kmsKeyId }))
            : undefined,
        ForceOverwriteReplicaSecret: inputs.replicas?.length ? inputs.forceOverwriteReplicaSecret : undefined,
    };
}

export async function createSecret(inputs: SecretInputs, ctx: ProviderContext): Promise<{ id: string; outs: SecretOutputs }> {
    const name = inputs.name;
    const policy = policyOutput(policyFor(inputs, ctx.stack));
    const client = ctx.client(inputs.region);
    if (inputs.adopt) {
        const existing = await describeSecret(client, name).catch((e) => {
            throw operationError("adopting", name, e, "nothing was changed");
        });
        if (existing && (!existing.DeletedDate || inputs.restoreIfScheduled)) return adoptSecret(existing, inputs, policy, ctx);
    }
    const token = randomUUID();
    const params = createParameters(inputs, token);

    const attempt = async (): Promise<PollResult<{ arn: string; versionId?: string; replicaStatus: ReplicaStatus[] }>> => {
        let out: CreateSecretCommandOutput;
        try {
            out = await client.send(new CreateSecretCommand(params));
        } catch (e) {
            if (!isNameTaken(e)) return { state: "failure", error: operationError("creating", name, e, "nothing was created") };
            const holder = classifyNameHolder(await describeSecret(client, name), token, (ctx.now ?? Date.now)());
            switch (holder.kind) {
                case "purging":
                    return { state: "retry", reason: `${name}: the name is still being purged by AWS after a force delete` };
                case "ours":
                    return { state: "success", value: fromDescribed(holder.described) };
                case "live":
                    return {
                        state: "failure",
                        error: failure("creating", name, `a secret with this name already exists in ${inputs.region} (${holder.arn})`,
                            "choose another name, delete that secret, or take it over by setting `adopt: true` on the Secret"),
                    };
                case "recovery-window":
                    return {
                        state: "failure",
                        error: failure("creating", name,
                            `a secret with this name is scheduled for deletion (deletion date ${holder.deletedDate.toISOString()}) and holds the name until then`,
                            "restore it and take it over by setting `adopt: true` and `restoreIfScheduled: true` on the Secret, " +
                                `free the name now with \`aws secretsmanager delete-secret --secret-id ${name} --force-delete-without-recovery\`, ` +
                                `or choose another name`),
                    };
            }
        }
        return {
            state: "success",
            value: {
                arn: out.ARN!,
                versionId: out.VersionId,
                replicaStatus: replicaStatusesOf(out.ReplicationStatus),
            },
        };
    };

    let created;
    try {
        created = await pollUntil(attempt, purgePollOptions(ctx));
    } catch (e) {
        if (e instanceof PollTimeoutError) {
            throw failure("creating", name, `the name was still held by a deleted secret after ${Math.round(e.elapsedMs / 1000)}s`,
                "raise the stack's purgeTimeoutSeconds and run `pulumi up` again, or choose another name");
        }
        throw e;
    }
    ctx.log(`${name}: created in ${inputs.region}${created.replicaStatus.length ? ` with replicas in ${created.replicaStatus.map((r) => r.region).join(", ")}` : ""}`);
    return {
        id: created.arn,
        outs: { ...inputs, deletionPolicy: policy, ...created },
    };
}

/**
 * Takes over a secret that already has the name (opt-in with `adopt`): restores it first if it is scheduled for
 * deletion (opt-in with `restoreIfScheduled`), then brings description, KMS key, tags, replicas and value to what
 * the program declares. A failure after AWS has acted still records the secret, as AWS reports it, in state.
 */
async function adoptSecret(existing: Described, inputs: SecretInputs, policy: DeletionPolicyOutput, ctx: ProviderContext): Promise<{ id: string; outs: SecretOutputs }> {
    const name = inputs.name;
    const client = ctx.client(inputs.region);
    const id = existing.ARN!;
    let described = existing;
    if (existing.DeletedDate) {
        try {
            await client.send(new RestoreSecretCommand({ SecretId: id }));
        } catch (e) {
            throw operationError("adopting", name, e, "it is still scheduled for deletion; nothing was changed");
        }
        ctx.log(`${name}: restored (it was scheduled for deletion on ${existing.DeletedDate.toISOString()})`);
        described = { ...existing, DeletedDate: undefined };
    }
    // What AWS holds, as state would record it; the update compares against it, so only real differences cost a call.
    const asFound = outputsFromDescribed(described, { ...inputs, description: undefined, kmsKeyId: undefined, tags: undefined, replicas: undefined, secretString: undefined });
    try {
        const outs = await updateSecret(id, asFound, inputs, ctx);
        ctx.log(`${name}: adopted (${id})`);
        return { id, outs };
    } catch (e) {
        throw new CreatedButIncompleteError(id, withoutUndefined({ ...asFound, deletionPolicy: policy }), e as Error);
    }
}

function fromDescribed(d: Described) {
    return {
        arn: d.ARN!,
        versionId: currentVersionOf(d),
        replicaStatus: replicaStatusesOf(d.ReplicationStatus),
    };
}
