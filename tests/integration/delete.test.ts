import { strict as assert } from "assert";
import { DeleteSecretCommand, RemoveRegionsFromReplicationCommand, ReplicateSecretToRegionsCommand } from "@aws-sdk/client-secrets-manager";
import { createSecret } from "../../provider/lifecycle/create";
import { deleteSecret } from "../../provider/lifecycle/delete";
import { aws } from "../support/harness";
import { DAY_MS, describeOrUndefined, inputs, observer, testContext } from "../support/aws-fixtures";

describe("delete maps the deletion policy onto DeleteSecret", () => {
    it("schedules deletion with the stack's recoveryWindowInDays and returns AWS's DeletionDate", async () => {
        const ctx = testContext({ recoveryWindowInDays: "7" });
        const { id, outs } = await createSecret(inputs("win7"), ctx);
        aws().layer.reset();
        const before = Date.now();
        const r = await deleteSecret(id, outs, ctx);
        assert.equal(r.outcome, "scheduled");
        const date = r.deletionDate!;
        assert.ok(Math.abs(Date.parse(date) - (before + 7 * DAY_MS)) < 60_000, `DeletionDate ${date} is not now + 7 days`);
        const del = aws().layer.calls.find((c) => c.op === "DeleteSecret")!;
        assert.deepEqual(del.body, { SecretId: id, RecoveryWindowInDays: 7 });
        assert.ok((await describeOrUndefined(id))?.DeletedDate, "secret is not scheduled for deletion");
        assert.match(ctx.lines.join("\n"), new RegExp(`win7: scheduled for deletion on ${date}`));
    });

    it("uses AWS's 30-day window when nothing is configured", async () => {
        const ctx = testContext();
        const { id, outs } = await createSecret(inputs("default30"), ctx);
        const before = Date.now();
        const r = await deleteSecret(id, outs, ctx);
        assert.equal(r.outcome, "scheduled");
        assert.ok(Math.abs(Date.parse(r.deletionDate!) - (before + 30 * DAY_MS)) < 60_000);
    });

    it("force-deletes without recovery when the stack says forceDelete=true", async () => {
        const ctx = testContext({ forceDelete: "true" });
        const { id, outs } = await createSecret(inputs("forced"), ctx);
        aws().layer.reset();
        const r = await deleteSecret(id, outs, ctx);
        assert.equal(r.outcome, "force-deleted");
        const del = aws().layer.calls.find((c) => c.op === "DeleteSecret")!;
        assert.deepEqual(del.body, { SecretId: id, ForceDeleteWithoutRecovery: true });
        assert.equal(await describeOrUndefined(id), undefined);
    });

    it("lets the resource's own input win over the stack configuration", async () => {
        const ctx = testContext({ forceDelete: "true" });
        const { id, outs } = await createSecret(inputs("keepme", { recoveryWindowInDays: 10 }), ctx);
        const r = await deleteSecret(id, outs, ctx);
        assert.equal(r.outcome, "scheduled");
        assert.equal(r.recoveryWindowInDays, 10);
    });

    it("refuses to delete when both keys are set, before any AWS call", async () => {
        const ctx = testContext();
        const { id, outs } = await createSecret(inputs("conflict"), ctx);
        aws().layer.reset();
        const r = await deleteSecret(id, outs, testContext({ forceDelete: "true", recoveryWindowInDays: "7" }));
        assert.equal(r.outcome, "refused");
        assert.match(r.error, /deleting secret conflict: nothing was deleted: .*contradict each other/);
        assert.deepEqual(aws().layer.ops(), []);
        assert.equal((await describeOrUndefined(id))?.DeletedDate, undefined);
    });

    it("refuses a forceDelete typo instead of deleting", async () => {
        const ctx = testContext();
        const { id, outs } = await createSecret(inputs("typo"), ctx);
        aws().layer.reset();
        const r = await deleteSecret(id, outs, testContext({ forceDelete: "ture" }));
        assert.equal(r.outcome, "refused");
        assert.match(r.error, /proj:forceDelete is "ture", but only true or false/);
        assert.deepEqual(aws().layer.ops(), []);
    });

    it("removes every replica region, including one added outside Pulumi, before deleting the primary", async () => {
        const ctx = testContext();
        const { id, outs } = await createSecret(inputs("replicated", { replicas: [{ region: "eu-west-1" }] }), ctx);
        await observer().send(new ReplicateSecretToRegionsCommand({ SecretId: id, AddReplicaRegions: [{ Region: "ap-southeast-2" }] }));
        aws().layer.reset();
        const r = await deleteSecret(id, outs, ctx);
        assert.deepEqual([...r.replicasRemoved].sort(), ["ap-southeast-2", "eu-west-1"]);
        const ops = aws().layer.ops();
        assert.ok(ops.indexOf("RemoveRegionsFromReplication") < ops.indexOf("DeleteSecret"), ops.join(","));
        assert.equal(await describeOrUndefined("replicated", "eu-west-1"), undefined);
        assert.equal(await describeOrUndefined("replicated", "ap-southeast-2"), undefined);
        assert.ok((await describeOrUndefined(id))?.DeletedDate);
        assert.match(ctx.lines.join("\n"), /replicated: replicas removed from (eu-west-1, ap-southeast-2|ap-southeast-2, eu-west-1)/);
    });

    it("finds replicas added outside Pulumi when state knows of none, and removes them first", async () => {
        const ctx = testContext();
        const { id, outs } = await createSecret(inputs("surprise"), ctx);
        await observer().send(new ReplicateSecretToRegionsCommand({ SecretId: id, AddReplicaRegions: [{ Region: "eu-central-1" }] }));
        aws().layer.reset();
        const r = await deleteSecret(id, outs, ctx);
        assert.equal(r.outcome, "scheduled");
        assert.deepEqual(r.replicasRemoved, ["eu-central-1"]);
        assert.deepEqual(aws().layer.ops(), ["DeleteSecret", "DescribeSecret", "RemoveRegionsFromReplication", "DeleteSecret"]);
        assert.equal(await describeOrUndefined("surprise", "eu-central-1"), undefined);
    });

    it("completes on a re-run after failing between removing replicas and deleting the primary", async () => {
        const ctx = testContext({ forceDelete: "true" });
        const { id, outs } = await createSecret(inputs("halfway", { replicas: [{ region: "eu-west-1" }] }), ctx);
        aws().layer.faults.push({
            op: "DeleteSecret",
            kind: "error",
            times: 1,
            errorName: "AccessDeniedException",
            errorMessage: "not allowed right now",
        });
        const failed = await deleteSecret(id, outs, ctx);
        assert.equal(failed.outcome, "failed", "a failed delete is a result, not an exception");
        assert.match(
            failed.error,
            /deleting secret halfway: AccessDeniedException: not allowed right now — its replicas were removed but the primary remains/,
        );
        assert.deepEqual(failed.replicasRemoved, ["eu-west-1"]);
        assert.equal(await describeOrUndefined("halfway", "eu-west-1"), undefined);
        assert.ok(await describeOrUndefined(id), "primary must survive the failed step");
        const r = await deleteSecret(id, outs, ctx);
        assert.equal(r.outcome, "force-deleted");
        assert.equal(await describeOrUndefined(id), undefined);
    });

    it("treats a secret deleted outside Pulumi as already gone, in one call", async () => {
        const ctx = testContext({ recoveryWindowInDays: "7" });
        const { id, outs } = await createSecret(inputs("oob"), ctx);
        await observer().send(new DeleteSecretCommand({ SecretId: id, ForceDeleteWithoutRecovery: true }));
        aws().layer.reset();
        const r = await deleteSecret(id, outs, ctx);
        assert.equal(r.outcome, "already-gone");
        assert.deepEqual(aws().layer.ops(), ["DeleteSecret"]);
        assert.match(ctx.lines.join("\n"), /oob: already gone from us-east-1; nothing to delete/);
    });

    it("describes first when state knows of replicas, and treats a vanished one as already gone", async () => {
        const ctx = testContext();
        const { id, outs } = await createSecret(inputs("oob-rep", { replicas: [{ region: "eu-west-1" }] }), ctx);
        await observer().send(new RemoveRegionsFromReplicationCommand({ SecretId: id, RemoveReplicaRegions: ["eu-west-1"] }));
        await observer().send(new DeleteSecretCommand({ SecretId: id, ForceDeleteWithoutRecovery: true }));
        aws().layer.reset();
        const r = await deleteSecret(id, outs, ctx);
        assert.equal(r.outcome, "already-gone");
        assert.deepEqual(aws().layer.ops(), ["DescribeSecret"]);
    });

    it("leaves an already scheduled secret alone under a window policy", async () => {
        const ctx = testContext({ recoveryWindowInDays: "7" });
        const { id, outs } = await createSecret(inputs("sched"), ctx);
        await deleteSecret(id, outs, ctx);
        aws().layer.reset();
        const r = await deleteSecret(id, outs, ctx);
        assert.equal(r.outcome, "already-scheduled");
        assert.deepEqual(aws().layer.ops(), ["DeleteSecret", "DescribeSecret"]);
        const refused = aws().layer.calls[0];
        assert.equal(refused.status, 400, "AWS refuses to schedule a scheduled secret again");
        assert.match(ctx.lines.join("\n"), /sched: already scheduled for deletion \(deleted date \d{4}-/);
    });

    it("force-deletes an already scheduled secret under a force policy", async () => {
        const { id, outs } = await createSecret(inputs("sched-force"), testContext());
        await deleteSecret(id, outs, testContext({ recoveryWindowInDays: "7" }));
        const r = await deleteSecret(id, outs, testContext({ forceDelete: "true" }));
        assert.equal(r.outcome, "force-deleted");
        assert.equal(await describeOrUndefined(id), undefined);
    });
});
