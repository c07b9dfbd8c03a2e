// Create, with name reuse. When the name is taken, find out why before deciding: still being purged after a
// force delete → wait and retry; in a recovery window → fail with the ways out; made by this very resource's create
// in an earlier, interrupted run (its token, ownership.ts) → take it into state; live otherwise → "already exists".

import {
    CreateSecretCommand,
    CreateSecretCommandOutput,
    GetSecretValueCommand,
    RestoreSecretCommand,
} from "@aws-sdk/client-secrets-manager";
import { randomUUID } from "crypto";
import { describeSecret, Described, isNameTaken, replicaStatusesOf } from "../aws/secrets";
import { withoutUndefined } from "./check";
import { ProviderContext, purgePollOptions, purgeTimeoutMs } from "./context";
import { CreatedButIncompleteError, failure, operationError } from "../core/errors";
import { createToken, ownedBy, OWNER_TAG } from "../core/ownership";
import { DeletionPolicyOutput, policyFor, policyOutput } from "../core/policy";
import { outputsFromDescribed } from "./read";
import { updateSecret } from "./update";
import { ReplicaStatus, SecretInputs, SecretOutputs } from "../core/types";
import { pollUntil, PollResult, PollTimeoutError } from "./wait";

/**
 * Telling a name being purged after a force delete from one held by a secret in its recovery window, from
 * DescribeSecret's DeletedDate, which AWS documents both as the scheduled deletion date (DescribeSecret) and as the
 * time the deletion was requested (ListSecrets). A date well ahead can only be a scheduled date, one long past
 * only a window's request time: both are windows at once. A date about now is either a purge in progress or a
 * window requested just now; a purge ends within seconds, so a holder that keeps the same ARN and date for
 * HELD_NAME_BOUND_MS is a window.
 */
const WINDOW_AHEAD_MS = 60 * 60 * 1000;
const PURGE_TYPICAL_MAX_MS = 10 * 60 * 1000;
export const HELD_NAME_BOUND_MS = 60 * 1000;

export type NameHolder =
    | { kind: "purging" }
    | { kind: "ours"; described: Described }
    | { kind: "live"; arn?: string | undefined }
    | { kind: "recovery-window"; deletedDate: Date; heldForMs?: number | undefined };

/**
 * Why a name is taken, from DescribeSecret of that name (undefined: AWS no longer finds it). `heldSinceMs` is when
 * this create first saw the same holder (ARN and DeletedDate) — the caller keeps it across attempts.
 */
export function classifyNameHolder(
    d: Described | undefined,
    tokens: string[],
    now: number,
    heldSinceMs = now,
    boundMs = HELD_NAME_BOUND_MS,
): NameHolder {
    if (!d) return { kind: "purging" };
    if (!d.DeletedDate) return tokens.some((t) => ownedBy(d, t) === "ours") ? { kind: "ours", described: d } : { kind: "live", arn: d.ARN };
    const t = d.DeletedDate.getTime();
    if (t > now + WINDOW_AHEAD_MS || t < now - PURGE_TYPICAL_MAX_MS) return { kind: "recovery-window", deletedDate: d.DeletedDate };
    if (now - heldSinceMs >= boundMs) return { kind: "recovery-window", deletedDate: d.DeletedDate, heldForMs: now - heldSinceMs };
    return { kind: "purging" };
}

/** CreateSecret's parameters; `token` is this process's request token (one across SDK retries and purge retries). */
export function createParameters(inputs: SecretInputs, token: string) {
    return {
        Name: inputs.name,
        Description: inputs.description,
        KmsKeyId: inputs.kmsKeyId,
        SecretString: inputs.secretString,
        ClientRequestToken: token,
        // Written atomically with the secret, so any later run can tell this resource's secret from another's.
        Tags: [
            ...Object.entries(inputs.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
            ...(inputs.owner ? [{ Key: OWNER_TAG, Value: createToken(inputs.owner, inputs.name, inputs.region) }] : []),
        ],
        AddReplicaRegions: inputs.replicas?.length ? inputs.replicas.map((r) => ({ Region: r.region, KmsKeyId: r.kmsKeyId })) : undefined,
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
    // The request token is this process's: AWS would answer a replay of an earlier run's token with that run's
    // secret as it was, ignoring inputs changed since. The owner tag is what a later run recognises.
    const token = randomUUID();
    const params = createParameters(inputs, token);
    const ownerToken = inputs.owner ? createToken(inputs.owner, inputs.name, inputs.region) : token;
    const now = ctx.now ?? Date.now;
    let holder: { key: string; since: number } | undefined;
    const heldSince = (d: Described | undefined) => {
        const key = `${d?.ARN}|${d?.DeletedDate?.getTime()}`;
        if (holder?.key !== key) holder = { key, since: now() };
        return holder.since;
    };

    type Created = { arn: string; versionId?: string | undefined; replicaStatus: ReplicaStatus[] };
    const attempt = async (): Promise<PollResult<Created | { ours: Described }>> => {
        let out: CreateSecretCommandOutput;
        try {
            out = await client.send(new CreateSecretCommand(params));
        } catch (e) {
            if (!isNameTaken(e)) return { state: "failure", error: operationError("creating", name, e, "nothing was created") };
            const d = await describeSecret(client, name);
            const holder = classifyNameHolder(
                d,
                [token, ownerToken],
                now(),
                heldSince(d),
                Math.min(HELD_NAME_BOUND_MS, purgeTimeoutMs(ctx) / 2),
            );
            switch (holder.kind) {
                case "purging":
                    return { state: "retry", reason: `${name}: the name is still being purged by AWS after a force delete` };
                case "ours":
                    return { state: "success", value: { ours: holder.described } };
                case "live":
                    return {
                        state: "failure",
                        error: failure(
                            "creating",
                            name,
                            `a secret with this name already exists in ${inputs.region} (${holder.arn})`,
                            "choose another name, delete that secret, or take it over by setting `adopt: true` on the Secret",
                        ),
                    };
                case "recovery-window":
                    return {
                        state: "failure",
                        error: failure(
                            "creating",
                            name,
                            holder.heldForMs === undefined
                                ? `a secret with this name is scheduled for deletion (deletion date ${holder.deletedDate.toISOString()}) and holds the name until then`
                                : `a secret with this name is scheduled for deletion (AWS gives the date ${holder.deletedDate.toISOString()}) and has held the name ` +
                                      `unchanged for ${Math.round(holder.heldForMs / 1000)}s, longer than a purge after a force delete takes: it is in a recovery window`,
                            "restore it and take it over by setting `adopt: true` and `restoreIfScheduled: true` on the Secret, " +
                                `free the name now with \`aws secretsmanager delete-secret --secret-id ${name} --force-delete-without-recovery\`, ` +
                                `or choose another name`,
                        ),
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
            throw failure(
                "creating",
                name,
                `the name was still held by a deleted secret after ${Math.round(e.elapsedMs / 1000)}s`,
                "raise the stack's purgeTimeoutSeconds and run `pulumi up` again, or choose another name",
            );
        }
        throw e;
    }
    if ("ours" in created) {
        // An earlier create of this resource made it (its answer was lost, or that run was killed); the program may have
        // changed since, so bring it to what is declared now.
        // Its value is compared first, so an unchanged value makes no second version.
        const current =
            inputs.secretString === undefined
                ? undefined
                : await client.send(new GetSecretValueCommand({ SecretId: created.ours.ARN! })).then(
                      (v) => v.SecretString,
                      () => undefined,
                  );
        return adoptSecret(
            created.ours,
            inputs,
            policy,
            ctx,
            "taken into state (an interrupted earlier create of this resource made it)",
            current,
        );
    }
    ctx.log(
        `${name}: created in ${inputs.region}${created.replicaStatus.length ? ` with replicas in ${created.replicaStatus.map((r) => r.region).join(", ")}` : ""}`,
    );
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
async function adoptSecret(
    existing: Described,
    inputs: SecretInputs,
    policy: DeletionPolicyOutput,
    ctx: ProviderContext,
    how = "adopted",
    currentValue?: string,
): Promise<{ id: string; outs: SecretOutputs }> {
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
    const asFound = outputsFromDescribed(described, {
        ...inputs,
        description: undefined,
        kmsKeyId: undefined,
        tags: undefined,
        replicas: undefined,
        secretString: currentValue,
    });
    try {
        const outs = await updateSecret(id, asFound, inputs, ctx);
        ctx.log(`${name}: ${how} (${id})`);
        return { id, outs };
    } catch (e) {
        throw new CreatedButIncompleteError(id, withoutUndefined({ ...asFound, deletionPolicy: policy }), e as Error);
    }
}
