// Create, with name reuse. When the name is taken, find out why before deciding: still being purged after a
// force delete → wait and retry; in a recovery window → fail with the ways out; made by this very resource's create
// in an earlier, interrupted run (its token, ownership.ts) → take it into state; live otherwise → "already exists".

import type { CreateSecretCommandOutput } from "@aws-sdk/client-secrets-manager";
import { randomUUID } from "crypto";
import {
    describeSecret,
    Described,
    isNameTaken,
    replicaStatusesOf,
    sendCreateSecret,
    sendGetSecretString,
    sendRestoreSecret,
} from "../aws/secrets";
import { withoutUndefined } from "./check";
import { ProviderContext, purgePollOptions, purgeTimeoutMs } from "./context";
import { CreatedButIncompleteError, failure, operationError, withoutValues } from "../core/errors";
import { generateValue } from "./generate";
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

/**
 * CreateSecret's parameters; `token` is this process's request token (one across SDK retries and purge retries);
 * `generated`, the value AWS generated for generateSecretString, which goes nowhere else.
 */
export function createParameters(inputs: SecretInputs, token: string, generated?: string) {
    return {
        Name: inputs.name,
        Description: inputs.description,
        KmsKeyId: inputs.kmsKeyId,
        SecretString: generated ?? inputs.secretString,
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

/** What a create leaves in state: the secret's ARN as its id, and its outputs. */
type Recorded = { id: string; outs: SecretOutputs };

/**
 * Creates the secret, or takes over the one holding its name where the program says so (`adopt`) or where an
 * earlier, interrupted create of this resource made it. Each step below says what AWS may have done if it throws;
 * once AWS has created or restored the secret, a failure is a CreatedButIncompleteError, which lands it in state.
 */
export async function createSecret(inputs: SecretInputs, ctx: ProviderContext): Promise<Recorded> {
    const policy = policyOutput(policyFor(inputs, ctx.stack));
    const toAdopt = await secretToAdopt(inputs, ctx);
    if (toAdopt) return adoptSecret(toAdopt, inputs, policy, ctx);
    const outcome = await createWaitingOutPurge(inputs, ctx);
    if (outcome.kind === "made-earlier") return takeOverInterruptedCreate(outcome.described, inputs, policy, ctx);
    return recordCreated(outcome, inputs, policy, ctx);
}

/**
 * With `adopt`, the secret holding the name that is to be taken over: a live one, or one scheduled for deletion
 * when `restoreIfScheduled` says so. Undefined: create one. Throws having changed nothing in AWS.
 */
async function secretToAdopt(inputs: SecretInputs, ctx: ProviderContext): Promise<Described | undefined> {
    if (!inputs.adopt) return undefined;
    const existing = await describeSecret(ctx.client(inputs.region), inputs.name).catch((e) => {
        throw operationError("adopting", inputs.name, e, "nothing was changed");
    });
    return existing && (!existing.DeletedDate || inputs.restoreIfScheduled) ? existing : undefined;
}

/** CreateSecret's answer, or the secret an earlier, interrupted create of this resource made under the name. */
type CreateOutcome =
    | { kind: "created"; arn: string; versionId?: string | undefined; replicaStatus: ReplicaStatus[] }
    | { kind: "made-earlier"; described: Described };

/**
 * CreateSecret, retried while AWS is still purging the name after a force delete (bounded by purgeTimeoutSeconds,
 * with progress lines). One request token across every attempt, so a retried call that AWS had already carried out
 * answers with that secret instead of making a second. Throws when the name is held otherwise, the wait runs out or
 * AWS refuses: AWS has created nothing — unless its answer was lost past the SDK's retries, and then the secret carries
 * the owner tag by which the next `pulumi up` takes it into state.
 */
async function createWaitingOutPurge(inputs: SecretInputs, ctx: ProviderContext): Promise<CreateOutcome> {
    // The request token is this process's: AWS would answer a replay of an earlier run's token with that run's
    // secret as it was, ignoring inputs changed since. The owner tag is what a later run recognises.
    const requestToken = randomUUID();
    const ownTokens = [requestToken, inputs.owner ? createToken(inputs.owner, inputs.name, inputs.region) : requestToken];
    const client = ctx.client(inputs.region);
    // Generated once: every attempt sends the same value under the same token.
    const generated = inputs.generateSecretString && (await generateValue(client, inputs.generateSecretString, "creating", inputs.name));
    const params = createParameters(inputs, requestToken, generated ? generated.value : undefined);
    const now = ctx.now ?? Date.now;
    const heldSince = sameHolderSince(now);
    const boundMs = Math.min(HELD_NAME_BOUND_MS, purgeTimeoutMs(ctx) / 2);
    const attempt = async (): Promise<PollResult<CreateOutcome>> => {
        const answer = await sendCreateSecret(client, params).catch((e: unknown) => ({ refused: e }));
        if (!("refused" in answer)) return { state: "success", value: createdFrom(answer) };
        if (!isNameTaken(answer.refused)) {
            const cause = generated ? withoutValues(answer.refused, generated.hidden) : answer.refused;
            return { state: "failure", error: operationError("creating", inputs.name, cause, "nothing was created") };
        }
        const holderDescribed = await describeSecret(client, inputs.name);
        return nameTakenAnswer(classifyNameHolder(holderDescribed, ownTokens, now(), heldSince(holderDescribed), boundMs), inputs);
    };
    try {
        return await pollUntil(attempt, purgePollOptions(ctx));
    } catch (e) {
        if (!(e instanceof PollTimeoutError)) throw e;
        throw failure(
            "creating",
            inputs.name,
            `the name was still held by a deleted secret after ${Math.round(e.elapsedMs / 1000)}s`,
            "raise the stack's purgeTimeoutSeconds and run `pulumi up` again, or choose another name",
        );
    }
}

function createdFrom(out: CreateSecretCommandOutput): CreateOutcome {
    return { kind: "created", arn: out.ARN!, versionId: out.VersionId, replicaStatus: replicaStatusesOf(out.ReplicationStatus) };
}

/**
 * When this create first saw the name's current holder (its ARN and DeletedDate), kept across attempts: a holder
 * that stays the same for long enough is in a recovery window, not being purged (classifyNameHolder).
 */
function sameHolderSince(now: () => number): (holder: Described | undefined) => number {
    let seen: { key: string; since: number } | undefined;
    return (holder) => {
        const key = `${holder?.ARN}|${holder?.DeletedDate?.getTime()}`;
        if (seen?.key !== key) seen = { key, since: now() };
        return seen.since;
    };
}

/** What the purge wait does about a name held by `holder`: retry while it is purged, take ours, else fail with the ways out. */
function nameTakenAnswer(holder: NameHolder, inputs: SecretInputs): PollResult<CreateOutcome> {
    const name = inputs.name;
    switch (holder.kind) {
        case "purging":
            return { state: "retry", reason: `${name}: the name is still being purged by AWS after a force delete` };
        case "ours":
            return { state: "success", value: { kind: "made-earlier", described: holder.described } };
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

/**
 * Takes into state the secret an earlier create of this resource made (its answer was lost, or that run was killed),
 * brought to what the program declares now. The secret exists: a failure is a CreatedButIncompleteError.
 */
async function takeOverInterruptedCreate(
    described: Described,
    inputs: SecretInputs,
    policy: DeletionPolicyOutput,
    ctx: ProviderContext,
): Promise<Recorded> {
    // Its value is compared first, so an unchanged value makes no second version; one that cannot be read is written.
    const currentValue =
        inputs.secretString === undefined
            ? undefined
            : await sendGetSecretString(ctx.client(inputs.region), described.ARN!).catch(() => undefined);
    const recorded = await adoptSecret(
        described,
        inputs,
        policy,
        ctx,
        "taken into state (an interrupted earlier create of this resource made it)",
        currentValue,
    );
    // A generated value is never read back, so which value the earlier run stored cannot be told: say it is kept.
    if (inputs.generateSecretString !== undefined) {
        ctx.log(
            `${inputs.name}: the value the interrupted create stored is kept, not generated again — ` +
                "set or change generation to have AWS generate a new one",
        );
    }
    return recorded;
}

/** The state of a secret CreateSecret has just made (with its tags and replicas). Never throws. */
function recordCreated(
    created: Extract<CreateOutcome, { kind: "created" }>,
    inputs: SecretInputs,
    policy: DeletionPolicyOutput,
    ctx: ProviderContext,
): Recorded {
    const { arn, versionId, replicaStatus } = created;
    const replicaRegions = replicaStatus.map((r) => r.region).join(", ");
    ctx.log(`${inputs.name}: created in ${inputs.region}${replicaStatus.length ? ` with replicas in ${replicaRegions}` : ""}`);
    return { id: arn, outs: { ...inputs, deletionPolicy: policy, arn, versionId, replicaStatus } };
}

/**
 * Takes over a secret that already has the name (opt-in with `adopt`, or made by an interrupted create of this
 * resource): restores it first if it is scheduled for deletion, then brings description, KMS key, tags, replicas and
 * value to what the program declares. Throws before the restore having changed nothing; after it, a failure is a
 * CreatedButIncompleteError recording the secret, as AWS holds it, in state.
 */
async function adoptSecret(
    existing: Described,
    inputs: SecretInputs,
    policy: DeletionPolicyOutput,
    ctx: ProviderContext,
    how = "adopted",
    currentValue?: string,
): Promise<Recorded> {
    const described = existing.DeletedDate ? await restoreScheduled(existing, inputs, ctx) : existing;
    const id = existing.ARN!;
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
        ctx.log(`${inputs.name}: ${how} (${id})`);
        return { id, outs };
    } catch (e) {
        throw new CreatedButIncompleteError(id, withoutUndefined({ ...asFound, deletionPolicy: policy }), e as Error);
    }
}

/** RestoreSecret of a secret scheduled for deletion, and how it is described after. Throws having changed nothing. */
async function restoreScheduled(scheduled: Described, inputs: SecretInputs, ctx: ProviderContext): Promise<Described> {
    try {
        await sendRestoreSecret(ctx.client(inputs.region), scheduled.ARN!);
    } catch (e) {
        throw operationError("adopting", inputs.name, e, "it is still scheduled for deletion; nothing was changed");
    }
    ctx.log(`${inputs.name}: restored (it was scheduled for deletion on ${scheduled.DeletedDate!.toISOString()})`);
    return { ...scheduled, DeletedDate: undefined };
}
