// Delete: a destroy decision (policy.ts: resource input > stack config > AWS default, teardown protection, the
// configuration in force) carried out with DeleteSecret, every replica AWS reports removed first. It returns what it
// did as a DeleteResult (core/delete-result.ts) — done, refused or failed — and does not throw: the caller tells the
// engine. Every step is safe to re-run: a destroy interrupted anywhere completes when re-run.
//
// The steps, in order: when state knows of replicas or the in-use guard needs AWS's LastAccessedDate, a describe-first
// pass (gone? already scheduled? in use? replicas to remove?); then DeleteSecret, whose answer may send us back through
// that pass (replicas added outside Pulumi); after a force delete, the wait for AWS's purge of the name.

import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

import {
    describeSecret,
    Described,
    isMarkedForDeletion,
    isNotFound,
    replicaRegionsOf,
    sendDeleteSecret,
    sendRemoveRegionsFromReplication,
} from "../aws/secrets";
import { ProviderContext, purgePollOptions } from "./context";
import type { DeleteDone, DeleteResult } from "../core/delete-result";
import { errorMessage, errorName, failure, operationError } from "../core/errors";
import {
    DeletionPolicy,
    deleteSecretParameters,
    describePolicy,
    destroyDecision,
    DestroyDecision,
    InUseGuard,
    inUseRefusal,
    policySource,
} from "../core/policy";
import { SecretOutputs } from "../core/types";
import { pollUntil, PollTimeoutError } from "./wait";

/** A pass without Describe, one with it, and one more for a replica added between our RemoveRegions and DeleteSecret. */
const DELETE_PASSES = 3;

/** One secret being deleted: who it is, how, and the replicas removed so far (what a failed result reports). */
interface SecretBeingDeleted {
    readonly id: string;
    readonly name: string;
    readonly region: string;
    readonly client: SecretsManagerClient;
    readonly policy: DeletionPolicy;
    readonly guard: InUseGuard;
    readonly ctx: ProviderContext;
    readonly replicasRemoved: string[];
}

/**
 * Carries out `decision` (by default the configuration in `ctx` taken as it is; the adapters pass the destroy-time
 * one). A refused result changed nothing; a failed one means the secret still exists (its `replicasRemoved` are gone).
 */
export async function deleteSecret(
    id: string,
    props: SecretOutputs,
    ctx: ProviderContext,
    decision: DestroyDecision = destroyDecision(props, ctx.stack),
): Promise<DeleteResult> {
    const name = props.name ?? id;
    if (decision.kind === "refuse") {
        const error = failure("deleting", name, `nothing was deleted: ${decision.reason}`, decision.fix).message;
        return { outcome: "refused", error, replicasRemoved: [] };
    }
    if (decision.note) ctx.log(`${name}: ${decision.note}`);
    const { policy, inUseGuard: guard } = decision;
    const replicasRemoved: string[] = [];
    try {
        const secret = { id, name, region: props.region, client: ctx.client(props.region), policy, guard, ctx, replicasRemoved };
        return await deleteInPasses(secret, needsDescribeFirst(props, policy, guard));
    } catch (e) {
        return { outcome: "failed", error: errorMessage(e), replicasRemoved };
    }
}

/**
 * When state knows of no replicas and no guard needs AWS's LastAccessedDate, the common case is a single DeleteSecret:
 * AWS's answer says whether the secret is gone, already scheduled, or still has replicas (added outside Pulumi).
 */
function needsDescribeFirst(props: SecretOutputs, policy: DeletionPolicy, guard: InUseGuard): boolean {
    return isGuarded(policy, guard) || (props.replicaStatus?.length ?? 0) > 0 || (props.replicas?.length ?? 0) > 0;
}

/** The guard stands only before a delete that cannot be undone. */
const isGuarded = (policy: DeletionPolicy, guard: InUseGuard) => policy.mode === "force" && guard.days > 0;

/** Up to DELETE_PASSES rounds of (describe-first pass, DeleteSecret), until AWS's answer settles the result. */
async function deleteInPasses(secret: SecretBeingDeleted, describeFirst: boolean): Promise<DeleteResult> {
    for (let pass = 1; ; pass++) {
        if (describeFirst || pass > 1) {
            const settled = await describeFirstPass(secret);
            if (settled) return settled;
        }
        const answer = await requestDeletion(secret, pass < DELETE_PASSES);
        if (answer !== "replicas-remain") return answer;
    }
}

/**
 * Before DeleteSecret: the result when DescribeSecret settles it (gone, already scheduled, in use), else undefined
 * once every replica AWS reports is removed. Nothing changes before the in-use guard has spoken.
 */
async function describeFirstPass(secret: SecretBeingDeleted): Promise<DeleteResult | undefined> {
    const described = await describeOrFail(secret);
    if (!described) return alreadyGone(secret);
    if (described.DeletedDate && secret.policy.mode === "window") return alreadyScheduled(secret, described.DeletedDate);
    const inUse = inUseRefusalOf(secret, described);
    if (inUse) return inUse;
    await removeReplicas(secret, replicaRegionsOf(described));
    return undefined;
}

function inUseRefusalOf(secret: SecretBeingDeleted, described: Described): DeleteResult | undefined {
    if (!isGuarded(secret.policy, secret.guard)) return undefined;
    const lastAccessed = described.LastAccessedDate;
    const why = inUseRefusal(secret.name, lastAccessed, secret.guard, (secret.ctx.now ?? Date.now)());
    if (!why) return undefined;
    const error = failure("deleting", secret.name, why).message;
    return { outcome: "in-use", error, ...(lastAccessed ? { lastAccessedDate: lastAccessed.toISOString() } : {}), replicasRemoved: [] };
}

async function removeReplicas(secret: SecretBeingDeleted, regions: string[]): Promise<void> {
    if (!regions.length) return;
    try {
        await sendRemoveRegionsFromReplication(secret.client, secret.id, regions);
    } catch (e) {
        const fix = `removing replicas ${regions.join(", ")} failed; nothing else was changed — run the destroy again`;
        throw operationError("deleting", secret.name, e, fix);
    }
    secret.replicasRemoved.push(...regions);
    secret.ctx.log(`${secret.name}: replicas removed from ${regions.join(", ")}`);
}

/** DeleteSecret with the policy's one parameter; "replicas-remain" asks for one more describe-first pass. */
async function requestDeletion(secret: SecretBeingDeleted, mayPassAgain: boolean): Promise<DeleteResult | "replicas-remain"> {
    let deletionDate: Date | undefined;
    try {
        const out = await sendDeleteSecret(secret.client, { SecretId: secret.id, ...deleteSecretParameters(secret.policy) });
        deletionDate = out.DeletionDate;
    } catch (e) {
        return resultOfDeleteSecretError(secret, e, mayPassAgain);
    }
    return secret.policy.mode === "window" ? scheduled(secret, secret.policy.recoveryWindowInDays, deletionDate) : forceDeleted(secret);
}

/** What AWS's error for DeleteSecret means: already done, replicas still there, or a failure (thrown). */
async function resultOfDeleteSecretError(
    secret: SecretBeingDeleted,
    e: unknown,
    mayPassAgain: boolean,
): Promise<DeleteResult | "replicas-remain"> {
    if (isNotFound(e)) return alreadyGone(secret);
    if (secret.policy.mode === "window" && isMarkedForDeletion(e)) {
        // Rare, so one more call to tell the user the date it was scheduled with.
        return alreadyScheduled(secret, (await describeSecret(secret.client, secret.id).catch(() => undefined))?.DeletedDate);
    }
    // AWS: "You can't delete secret <id> that still has replica regions [r1,r2]"
    if (mayPassAgain && errorName(e) === "InvalidParameterException" && /replica regions/i.test(errorMessage(e))) return "replicas-remain";
    const fix = secret.replicasRemoved.length
        ? "its replicas were removed but the primary remains; run the destroy again to finish"
        : "nothing was changed; run the destroy again once the cause is fixed";
    throw operationError("deleting", secret.name, e, fix);
}

function alreadyGone(secret: SecretBeingDeleted): DeleteDone {
    secret.ctx.log(`${secret.name}: already gone from ${secret.region}; nothing to delete`);
    return { outcome: "already-gone", replicasRemoved: secret.replicasRemoved };
}

function alreadyScheduled(secret: SecretBeingDeleted, deletedDate: Date | undefined): DeleteDone {
    const when = deletedDate ? ` (deleted date ${deletedDate.toISOString()})` : "";
    secret.ctx.log(`${secret.name}: already scheduled for deletion${when}; left as it is`);
    return { outcome: "already-scheduled", ...isoDate(deletedDate), replicasRemoved: secret.replicasRemoved };
}

function scheduled(secret: SecretBeingDeleted, recoveryWindowInDays: number, deletionDate: Date | undefined): DeleteDone {
    secret.ctx.log(
        `${secret.name}: scheduled for deletion on ${deletionDate?.toISOString() ?? "(no date returned)"} — ` +
            `${describePolicy(secret.policy)}; recoverable until then with \`aws secretsmanager restore-secret --secret-id ${secret.name}\``,
    );
    return { outcome: "scheduled", ...isoDate(deletionDate), recoveryWindowInDays, replicasRemoved: secret.replicasRemoved };
}

async function forceDeleted(secret: SecretBeingDeleted): Promise<DeleteDone> {
    const purged = await waitUntilPurged(secret);
    const still = purged ? "" : "; AWS is still purging the name";
    secret.ctx.log(`${secret.name}: force-deleted without recovery (${policySource(secret.policy)})${still}`);
    return { outcome: "force-deleted", purged, replicasRemoved: secret.replicasRemoved };
}

const isoDate = (d: Date | undefined): { deletionDate?: string } => (d ? { deletionDate: d.toISOString() } : {});

async function describeOrFail(secret: SecretBeingDeleted): Promise<Described | undefined> {
    try {
        return await describeSecret(secret.client, secret.id);
    } catch (e) {
        throw operationError("deleting", secret.name, e, "nothing was changed; run the destroy again once the cause is fixed");
    }
}

/**
 * AWS purges a force-deleted secret asynchronously; until then its name cannot be reused. Waiting here lets a
 * replacement with the same name follow at once. A timeout is not a failure: the secret is already unrecoverable,
 * and create handles a name still being purged.
 */
async function waitUntilPurged({ client, id, name, ctx }: SecretBeingDeleted): Promise<boolean> {
    try {
        await pollUntil<true>(async () => {
            const d = await describeSecret(client, id);
            return d ? { state: "retry", reason: `${name} is still being purged by AWS` } : { state: "success", value: true };
        }, purgePollOptions(ctx));
        return true;
    } catch (e) {
        if (e instanceof PollTimeoutError) {
            ctx.log(`${name}: force-deleted, but AWS had not finished purging the name after ${Math.round(e.elapsedMs / 1000)}s`);
            return false;
        }
        throw operationError("deleting", name, e, "the secret was force-deleted; only the wait for AWS's purge failed");
    }
}
