import { strict as assert } from "assert";
import {
    CreateSecretCommand,
    DescribeSecretCommand,
    GetSecretValueCommand,
    ListSecretsCommand,
    SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { createSecret } from "../../provider/lifecycle/create";
import { deleteSecret } from "../../provider/lifecycle/delete";
import { AWS_NAME_SCHEDULED } from "../support/aws-layer";
import { aws } from "../support/harness";
import { inputs, observer, testContext } from "../support/aws-fixtures";

describe("create", () => {
    it("creates the secret with its value, description, tags and replicas", async () => {
        const ctx = testContext();
        const { id, outs } = await createSecret(
            inputs("full", {
                description: "the db",
                tags: { team: "payments" },
                replicas: [{ region: "eu-west-1" }, { region: "ap-southeast-2" }],
            }),
            ctx,
        );
        const d = await observer().send(new DescribeSecretCommand({ SecretId: id }));
        assert.equal(d.Name, "full");
        assert.equal(d.Description, "the db");
        assert.deepEqual(d.Tags, [{ Key: "team", Value: "payments" }]);
        assert.deepEqual(d.ReplicationStatus!.map((r) => r.Region).sort(), ["ap-southeast-2", "eu-west-1"]);
        assert.equal(outs.arn, id);
        assert.deepEqual(outs.replicaStatus.map((r) => r.region).sort(), ["ap-southeast-2", "eu-west-1"]);
        const v = await observer().send(new GetSecretValueCommand({ SecretId: id }));
        assert.equal(v.SecretString, "value-full");
        assert.equal(v.VersionId, outs.versionId);
        assert.deepEqual(outs.deletionPolicy, {
            mode: "window",
            recoveryWindowInDays: 30,
            source: "aws-default",
            description: "recovery window of 30 days (AWS default)",
        });
    });

    it("never makes a second secret when the answer to CreateSecret is lost and the SDK retries", async () => {
        aws().layer.faults.push({ op: "CreateSecret", kind: "lost-answer", times: 1 });
        const { id } = await createSecret(inputs("once"), testContext());
        const creates = aws().layer.calls.filter((c) => c.op === "CreateSecret");
        assert.ok(creates.length >= 2, "the SDK did not retry");
        assert.equal(new Set(creates.map((c) => c.body.ClientRequestToken)).size, 1, "retries must reuse one ClientRequestToken");
        const list = await observer().send(new ListSecretsCommand({}));
        assert.deepEqual(
            list.SecretList!.map((s) => s.ARN),
            [id],
        );
    });

    it("re-creates a force-deleted name once AWS has purged it, with progress shown", async () => {
        const ctx = testContext({ forceDelete: "true" });
        const first = await createSecret(inputs("reused"), ctx);
        aws().layer.purgeDelayMs = 1500;
        // The name stays taken until a create of it has been refused, however slow the machine.
        aws().layer.purgeCreateRefusals = 1;
        await deleteSecret(first.id, first.outs, ctx);
        const second = await createSecret(inputs("reused"), ctx);
        assert.notEqual(second.id, first.id);
        const refused = aws().layer.calls.filter((c) => c.op === "CreateSecret" && c.status === 400);
        assert.ok(refused.length >= 1);
        assert.match(ctx.lines.join("\n"), /reused: the name is still being purged by AWS after a force delete; waiting \(\d+s of \d+s\)/);
    });

    it("fails at once on a name in its recovery window, with the date and the ways out", async () => {
        const ctx = testContext({ recoveryWindowInDays: "7" });
        const first = await createSecret(inputs("windowed"), ctx);
        await deleteSecret(first.id, first.outs, ctx);
        aws().layer.reset();
        await assert.rejects(createSecret(inputs("windowed"), ctx), (e: Error) => {
            assert.match(e.message, /^creating secret windowed: a secret with this name is scheduled for deletion \(deletion date \d{4}-/);
            assert.match(e.message, /`adopt: true` and `restoreIfScheduled: true`/);
            assert.match(e.message, /--force-delete-without-recovery/);
            assert.match(e.message, /choose another name/);
            return true;
        });
        assert.equal(aws().layer.count("CreateSecret"), 1);
    });

    it("says a live secret with the name already exists", async () => {
        await createSecret(inputs("taken"), testContext());
        await assert.rejects(
            createSecret(inputs("taken"), testContext()),
            /creating secret taken: a secret with this name already exists in us-east-1 \(arn:aws:secretsmanager:/,
        );
    });

    it("gives up after purgeTimeoutSeconds with the fix", async () => {
        const ctx = testContext({ forceDelete: "true", purgeTimeoutSeconds: "1" });
        const first = await createSecret(inputs("slowpurge"), ctx);
        aws().layer.purgeDelayMs = 60_000;
        await deleteSecret(first.id, first.outs, ctx);
        await assert.rejects(
            createSecret(inputs("slowpurge"), ctx),
            /creating secret slowpurge: the name was still held by a deleted secret after 1s — raise the stack's purgeTimeoutSeconds/,
        );
    });

    it("sees AWS's error, not moto's, for a name being purged or in its recovery window", async () => {
        const viaLayer = new SecretsManagerClient({ region: "us-east-1" });
        const ctx = testContext({ forceDelete: "true" });
        const first = await createSecret(inputs("awstext"), ctx);
        aws().layer.purgeDelayMs = 60_000;
        await deleteSecret(first.id, first.outs, ctx);
        await assert.rejects(
            viaLayer.send(new CreateSecretCommand({ Name: "awstext", SecretString: "x" })),
            (e: Error) => e.name === "InvalidRequestException" && e.message === AWS_NAME_SCHEDULED,
        );
        const w = await createSecret(inputs("awswindow"), testContext());
        await deleteSecret(w.id, w.outs, testContext());
        await assert.rejects(
            viaLayer.send(new CreateSecretCommand({ Name: "awswindow", SecretString: "x" })),
            (e: Error) => e.name === "InvalidRequestException" && e.message === AWS_NAME_SCHEDULED,
        );
    });

    it("records a secret created without a value with no empty fields (the engine rejects undefined)", async () => {
        const { outs } = await createSecret({ name: "novalue", region: "us-east-1" }, testContext());
        const { withoutUndefined } = await import("../../provider/lifecycle/check");
        assert.deepEqual(
            Object.keys(withoutUndefined(outs)).filter((k) => (outs as any)[k] === undefined),
            [],
        );
        assert.equal("secretString" in withoutUndefined(outs), false);
    });
});

describe("adopt", () => {
    it("takes over a live secret with the same name and brings it to what the program declares", async () => {
        const existing = await observer().send(
            new CreateSecretCommand({
                Name: "adopt/live",
                SecretString: "old",
                Description: "made by hand",
                Tags: [{ Key: "owner", Value: "ops" }],
            }),
        );
        aws().layer.reset();
        const ctx = testContext();
        const { id, outs } = await createSecret(
            inputs("adopt/live", { adopt: true, description: "managed", tags: { team: "payments" } }),
            ctx,
        );
        assert.equal(id, existing.ARN, "the existing secret is taken over, not a new one made");
        assert.equal(aws().layer.count("CreateSecret"), 0);
        const d = await observer().send(new DescribeSecretCommand({ SecretId: id }));
        assert.equal(d.Description, "managed");
        assert.deepEqual(d.Tags, [{ Key: "team", Value: "payments" }]);
        const v = await observer().send(new GetSecretValueCommand({ SecretId: id }));
        assert.equal(v.SecretString, "value-adopt/live");
        assert.equal(outs.arn, existing.ARN);
        assert.match(ctx.lines.join("\n"), /adopt\/live: adopted/);
    });

    it("creates the secret as usual when there is nothing to adopt", async () => {
        const { id } = await createSecret(inputs("adopt/none", { adopt: true }), testContext());
        assert.ok(await observer().send(new DescribeSecretCommand({ SecretId: id })));
        assert.equal(aws().layer.count("CreateSecret"), 1);
    });

    it("restores a secret scheduled for deletion, then takes it over, when restoreIfScheduled is set", async () => {
        const ctx = testContext({ recoveryWindowInDays: "7" });
        const first = await createSecret(inputs("adopt/scheduled"), ctx);
        await deleteSecret(first.id, first.outs, ctx);
        const { id } = await createSecret(inputs("adopt/scheduled", { adopt: true, restoreIfScheduled: true }), ctx);
        assert.equal(id, first.id);
        const d = await observer().send(new DescribeSecretCommand({ SecretId: id }));
        assert.equal(d.DeletedDate, undefined, "still scheduled for deletion");
        assert.match(ctx.lines.join("\n"), /adopt\/scheduled: restored \(it was scheduled for deletion on/);
    });

    it("leaves a scheduled secret alone without restoreIfScheduled, and says how to take it over", async () => {
        const ctx = testContext({ recoveryWindowInDays: "7" });
        const first = await createSecret(inputs("adopt/kept"), ctx);
        await deleteSecret(first.id, first.outs, ctx);
        await assert.rejects(
            createSecret(inputs("adopt/kept", { adopt: true }), ctx),
            /scheduled for deletion .*`restoreIfScheduled: true`/,
        );
        assert.ok((await observer().send(new DescribeSecretCommand({ SecretId: first.id }))).DeletedDate);
    });

    it("reports a failure after the takeover with the secret's id, so the engine keeps it in state", async () => {
        await observer().send(new CreateSecretCommand({ Name: "adopt/halfway", SecretString: "old" }));
        aws().layer.faults.push({
            op: "TagResource",
            kind: "error",
            times: 1,
            errorName: "AccessDeniedException",
            errorMessage: "not allowed to tag",
        });
        await assert.rejects(createSecret(inputs("adopt/halfway", { adopt: true, tags: { a: "b" } }), testContext()), (e: any) => {
            assert.match(e.id, /^arn:aws:secretsmanager:us-east-1:\d+:secret:adopt\/halfway-/);
            assert.equal(e.properties.name, "adopt/halfway");
            assert.match(e.message, /not allowed to tag.*recorded in the stack; run `pulumi up` again/);
            return true;
        });
    });
});
