// Delete: a destroy decision (policy.ts: resource input > stack config > AWS default, teardown protection, the
// configuration in force) carried out with DeleteSecret, every replica AWS reports removed first. It returns what it
// did as a typed outcome, or throws a DeleteError that says whether it refused or failed and which replicas are gone.
// Every step is safe to re-run: a destroy interrupted anywhere completes when re-run.

import type { DeleteOutcome } from "../core/delete-result";
import { DeleteSecretCommand, RemoveRegionsFromReplicationCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

import { describeSecret, isMarkedForDeletion, isNotFound, replicaRegionsOf } from "../aws/secrets";
import { ProviderContext, purgePollOptions } from "./context";

import { failure, operationError, SecretOperationError } from "../core/errors";

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
import { errorMessage, errorName } from "../core/errors";

/**
 * A delete that did not happen: refused before any AWS call by the decision, refused by the in-use guard (nothing
 * changed either), or failed after removing `replicasRemoved`.
 */
export class DeleteError extends SecretOperationError {
    constructor(
        message: string,
        readonly kind: "refused" | "in-use" | "failed",
        readonly replicasRemoved: string[],
        cause?: unknown,
        readonly lastAccessedDate?: Date,
    ) {
        super(message, { cause });
    }
}

/** A pass without Describe, one with it, and one more for a replica added between our RemoveRegions and DeleteSecret. */
const DELETE_PASSES = 3;

/** `decision` defaults to the configuration in `ctx` taken as it is (the adapters pass the destroy-time one). */
export async function deleteSecret(
    id: string,
    props: SecretOutputs,
    ctx: ProviderContext,
    decision: DestroyDecision = destroyDecision(props, ctx.stack),
): Promise<DeleteOutcome> {
    const name = props.name ?? id;
    if (decision.kind === "refuse")
        throw new DeleteError(failure("deleting", name, `nothing was deleted: ${decision.reason}`, decision.fix).message, "refused", []);
    if (decision.note) ctx.log(`${name}: ${decision.note}`);
    const replicasRemoved: string[] = [];
    try {
        return await carryOut(id, props, name, decision.policy, decision.inUseGuard, replicasRemoved, ctx);
    } catch (e) {
        if (e instanceof DeleteError) throw e;
        throw new DeleteError((e as Error).message, "failed", replicasRemoved, e);
    }
}

async function carryOut(
    id: string,
    props: SecretOutputs,
    name: string,
    policy: DeletionPolicy,
    guard: InUseGuard,
    replicasRemoved: string[],
    ctx: ProviderContext,
): Promise<DeleteOutcome> {
    // The guard needs DescribeSecret's LastAccessedDate before a delete that cannot be undone.
    const guarded = policy.mode === "force" && guard.days > 0;
    const client = ctx.client(props.region);
    const alreadyGone = (): DeleteOutcome => {
        ctx.log(`${name}: already gone from ${props.region}; nothing to delete`);
        return { outcome: "already-gone", replicasRemoved };
    };
    const alreadyScheduled = (deletionDate: Date | undefined): DeleteOutcome => {
        const when = deletionDate ? ` (deleted date ${deletionDate.toISOString()})` : "";
        ctx.log(`${name}: already scheduled for deletion${when}; left as it is`);
        return { outcome: "already-scheduled", deletionDate, replicasRemoved };
    };

    // When state knows of no replicas, the common case is a single DeleteSecret: AWS's answer says whether the secret
    // is gone, already scheduled, or still has replicas (added outside Pulumi), which sends us through Describe.
    let describeFirst = guarded || (props.replicaStatus?.length ?? 0) > 0 || (props.replicas?.length ?? 0) > 0;
    for (let pass = 1; ; pass++) {
        if (describeFirst) {
            const d = await describeOrFail(client, id, name);
            if (!d) return alreadyGone();
            if (d.DeletedDate && policy.mode === "window") return alreadyScheduled(d.DeletedDate);
            // Before anything changes (replicas included): a secret still in use is not deleted for good.
            const inUse = guarded ? inUseRefusal(name, d.LastAccessedDate, guard, (ctx.now ?? Date.now)()) : undefined;
            if (inUse) throw new DeleteError(failure("deleting", name, inUse).message, "in-use", [], undefined, d.LastAccessedDate);
            const replicas = replicaRegionsOf(d);
            if (replicas.length) {
                try {
                    await client.send(new RemoveRegionsFromReplicationCommand({ SecretId: id, RemoveReplicaRegions: replicas }));
                } catch (e) {
                    throw operationError(
                        "deleting",
                        name,
                        e,
                        `removing replicas ${replicas.join(", ")} failed; nothing else was changed — run the destroy again`,
                    );
                }
                replicasRemoved.push(...replicas);
                ctx.log(`${name}: replicas removed from ${replicas.join(", ")}`);
            }
        }
        describeFirst = true;

        let deletionDate: Date | undefined;
        try {
            const out = await client.send(new DeleteSecretCommand({ SecretId: id, ...deleteSecretParameters(policy) }));
            deletionDate = out.DeletionDate;
        } catch (e) {
            if (isNotFound(e)) return alreadyGone();
            if (policy.mode === "window" && isMarkedForDeletion(e)) {
                // Rare, so one more call to tell the user the date it was scheduled with.
                return alreadyScheduled((await describeSecret(client, id).catch(() => undefined))?.DeletedDate);
            }
            // AWS: "You can't delete secret <id> that still has replica regions [r1,r2]"
            if (pass < DELETE_PASSES && errorName(e) === "InvalidParameterException" && /replica regions/i.test(errorMessage(e))) {
                continue;
            }
            throw operationError(
                "deleting",
                name,
                e,
                replicasRemoved.length
                    ? "its replicas were removed but the primary remains; run the destroy again to finish"
                    : "nothing was changed; run the destroy again once the cause is fixed",
            );
        }

        if (policy.mode === "window") {
            ctx.log(
                `${name}: scheduled for deletion on ${deletionDate?.toISOString() ?? "(no date returned)"} — ` +
                    `${describePolicy(policy)}; recoverable until then with \`aws secretsmanager restore-secret --secret-id ${name}\``,
            );
            return { outcome: "scheduled", deletionDate, recoveryWindowInDays: policy.recoveryWindowInDays, replicasRemoved };
        }
        const purged = await waitUntilPurged(client, id, name, ctx);
        ctx.log(`${name}: force-deleted without recovery (${policySource(policy)})${purged ? "" : "; AWS is still purging the name"}`);
        return { outcome: "force-deleted", purged, replicasRemoved };
    }
}

async function describeOrFail(client: SecretsManagerClient, id: string, name: string) {
    try {
        return await describeSecret(client, id);
    } catch (e) {
        throw operationError("deleting", name, e, "nothing was changed; run the destroy again once the cause is fixed");
    }
}

/**
 * AWS purges a force-deleted secret asynchronously; until then its name cannot be reused. Waiting here lets a
 * replacement with the same name follow at once. A timeout is not a failure: the secret is already unrecoverable,
 * and create handles a name still being purged.
 */
async function waitUntilPurged(client: SecretsManagerClient, id: string, name: string, ctx: ProviderContext): Promise<boolean> {
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
