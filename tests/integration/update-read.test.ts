import { strict as assert } from "assert";
import {
    DeleteSecretCommand,
    DescribeSecretCommand,
    GetSecretValueCommand,
    RemoveRegionsFromReplicationCommand,
    ReplicateSecretToRegionsCommand,
    TagResourceCommand,
    UpdateSecretCommand,
} from "@aws-sdk/client-secrets-manager";
import { createSecret } from "../../provider/lifecycle/create";
import { diffSecret } from "../../provider/core/diff";
import { readSecret } from "../../provider/lifecycle/read";
import { updateSecret } from "../../provider/lifecycle/update";
import { aws } from "../support/harness";
import { inputs, observer, testContext } from "../support/aws-fixtures";

describe("update in place", () => {
    it("changes description and value in one UpdateSecret call and reports the new version", async () => {
        const ctx = testContext();
        const { id, outs } = await createSecret(inputs("upd", { description: "old" }), ctx);
        aws().layer.reset();
        const next = await updateSecret(id, outs, { ...outs, description: "new", secretString: "rotated" }, ctx);
        assert.deepEqual(aws().layer.ops(), ["UpdateSecret"]);
        const v = await observer().send(new GetSecretValueCommand({ SecretId: id }));
        assert.equal(v.SecretString, "rotated");
        assert.equal(next.versionId, v.VersionId);
        assert.notEqual(next.versionId, outs.versionId);
        assert.equal((await observer().send(new DescribeSecretCommand({ SecretId: id }))).Description, "new");
    });

    it("adds, changes and removes tags by difference", async () => {
        const ctx = testContext();
        const { id, outs } = await createSecret(inputs("tagged", { tags: { a: "1", b: "2" } }), ctx);
        await updateSecret(id, outs, { ...outs, tags: { b: "3", c: "4" } }, ctx);
        const d = await observer().send(new DescribeSecretCommand({ SecretId: id }));
        assert.deepEqual(Object.fromEntries(d.Tags!.map((t) => [t.Key, t.Value])), { b: "3", c: "4" });
    });

    it("adds and removes replica regions by set difference", async () => {
        const ctx = testContext();
        const { id, outs } = await createSecret(inputs("rep", { replicas: [{ region: "eu-west-1" }] }), ctx);
        const next = await updateSecret(id, outs, { ...outs, replicas: [{ region: "ap-southeast-2" }] }, ctx);
        const d = await observer().send(new DescribeSecretCommand({ SecretId: id }));
        assert.deepEqual(
            d.ReplicationStatus!.map((r) => r.Region),
            ["ap-southeast-2"],
        );
        assert.deepEqual(
            next.replicaStatus.map((r) => r.region),
            ["ap-southeast-2"],
        );
        const ops = aws().layer.ops();
        assert.ok(ops.includes("RemoveRegionsFromReplication") && ops.includes("ReplicateSecretToRegions"));
    });

    it("records a deletion-policy change in state without any AWS call", async () => {
        const ctx = testContext();
        const { id, outs } = await createSecret(inputs("policy"), ctx);
        aws().layer.reset();
        const next = await updateSecret(id, outs, { ...outs, forceDelete: true }, ctx);
        assert.deepEqual(aws().layer.ops(), []);
        assert.equal(next.deletionPolicy?.mode, "force");
    });
});

describe("diff", () => {
    const olds: any = {
        name: "a",
        region: "us-east-1",
        arn: "x",
        replicaStatus: [],
        tags: { k: "v" },
        replicas: [{ region: "eu-west-1" }],
    };
    it("replaces on a name change, creating the new secret before the old one is deleted", () => {
        assert.deepEqual(diffSecret(olds, { ...olds, name: "b" }), {
            changes: true,
            replaces: ["name"],
            updates: [],
            deleteBeforeReplace: false,
        });
    });

    it("replaces on a region change, creating first while the regions stay apart", () => {
        assert.equal(diffSecret(olds, { ...olds, region: "eu-central-1", replicas: undefined }).deleteBeforeReplace, false);
    });

    it("deletes first when the new region is one of the old secret's replica regions (the replica holds the name)", () => {
        const replicated = { ...olds, replicas: [{ region: "eu-west-1" }] };
        assert.equal(diffSecret(replicated, { ...replicated, region: "eu-west-1", replicas: undefined }).deleteBeforeReplace, true);
    });

    it("deletes first when a new replica would land in the old secret's region", () => {
        assert.equal(diffSecret(olds, { ...olds, region: "eu-central-1", replicas: [{ region: olds.region }] }).deleteBeforeReplace, true);
    });
    it("updates in place for tags, ignoring key order", () => {
        assert.equal(diffSecret(olds, { ...olds, tags: { k: "v" } }).changes, false);
        assert.deepEqual(diffSecret(olds, { ...olds, tags: { k: "w" } }).updates, ["tags"]);
    });
    it("shows a deletion-setting change as an update", () => {
        assert.deepEqual(diffSecret(olds, { ...olds, recoveryWindowInDays: 7 }).updates, ["recoveryWindowInDays"]);
    });
});

describe("read (refresh)", () => {
    it("reports a secret deleted outside Pulumi as gone", async () => {
        const ctx = testContext();
        const { id, outs } = await createSecret(inputs("gone"), ctx);
        await observer().send(new DeleteSecretCommand({ SecretId: id, ForceDeleteWithoutRecovery: true }));
        assert.deepEqual(await readSecret(id, outs, ctx), {});
        assert.match(ctx.lines.join("\n"), /gone: deleted outside Pulumi/);
    });

    it("reports a secret scheduled for deletion outside Pulumi as gone", async () => {
        const ctx = testContext();
        const { id, outs } = await createSecret(inputs("scheduled"), ctx);
        await observer().send(new DeleteSecretCommand({ SecretId: id, RecoveryWindowInDays: 7 }));
        assert.deepEqual(await readSecret(id, outs, ctx), {});
    });

    it("reports drift of description, tags and replicas", async () => {
        const ctx = testContext();
        const { id, outs } = await createSecret(inputs("drift", { description: "mine", tags: { a: "1" } }), ctx);
        await observer().send(new UpdateSecretCommand({ SecretId: id, Description: "theirs" }));
        await observer().send(new TagResourceCommand({ SecretId: id, Tags: [{ Key: "b", Value: "2" }] }));
        const r = await readSecret(id, outs, ctx);
        assert.equal(r.id, id);
        assert.equal(r.props!.description, "theirs");
        assert.deepEqual(r.props!.tags, { a: "1", b: "2" });
        assert.equal(r.props!.secretString, outs.secretString, "the value is kept from state, not read back");
    });

    it("reports a replica added or removed outside Pulumi", async () => {
        const ctx = testContext();
        const { id, outs } = await createSecret(inputs("repdrift", { replicas: [{ region: "eu-west-1" }] }), ctx);
        await observer().send(new RemoveRegionsFromReplicationCommand({ SecretId: id, RemoveReplicaRegions: ["eu-west-1"] }));
        await observer().send(new ReplicateSecretToRegionsCommand({ SecretId: id, AddReplicaRegions: [{ Region: "ap-northeast-1" }] }));
        const r = await readSecret(id, outs, ctx);
        assert.deepEqual(r.props!.replicas, [{ region: "ap-northeast-1" }]);
        assert.deepEqual(
            r.props!.replicaStatus.map((x) => x.region),
            ["ap-northeast-1"],
        );
    });
});
