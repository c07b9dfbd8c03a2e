// End-to-end through the real Pulumi engine: `pulumi up` / `preview` / `refresh` / `destroy` of the examples and
// of small inline programs, with the provider running in the engine's dynamic-provider process.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { DeleteSecretCommand } from "@aws-sdk/client-secrets-manager";
import { pulumi, Secret } from "../support/engine";
import { describeOrUndefined, observer } from "../support/aws-fixtures";
import { summaryOf, teardownCommand } from "../support/teardown-command";
import { aws, TEST_ACCESS_KEY, TEST_SECRET_KEY } from "../support/harness";
import { cleanRootStackFiles, collect, inlineStack, installedPackage, projectStack, typeCheckedPrograms } from "../support/engine";

const DAY_MS = 24 * 60 * 60 * 1000;

/** moto reports a scheduled secret's DeletedDate as the date it will be deleted. */
async function scheduledFor(name: string, region?: string): Promise<number | undefined> {
    return (await describeOrUndefined(name, region))?.DeletedDate?.getTime();
}

describe("through the Pulumi engine", function () {
    this.timeout(240_000);
    after(cleanRootStackFiles);
    // The examples and the demo as users run them: type-checked by the language host.
    typeCheckedPrograms();

    it("forceDelete set after the last up governs the destroy, and the same names come back at once", async () => {
        const s = await projectStack("ephemeral", "pr-42");
        const first = await s.stack.up(collect(s));
        assert.deepEqual(first.outputs.secretNames.value, [
            "preview/pr-42/db-password",
            "preview/pr-42/api-token",
            "preview/pr-42/session-key",
        ]);
        assert.equal(first.outputs.onDestroy.value, "recovery window of 30 days (AWS default)");

        await s.stack.setConfig("forceDelete", { value: "true" });
        // AWS purges force-deleted names asynchronously: here each name stays taken until a create of it was refused,
        // however late the re-create comes on a busy machine.
        aws().layer.purgeCreateRefusals = 1;
        await s.stack.destroy(collect(s));
        for (const n of first.outputs.secretNames.value)
            assert.equal(await describeOrUndefined(n), undefined, `${n} was not force-deleted`);
        const deletes = aws().layer.calls.filter((c) => c.op === "DeleteSecret");
        assert.equal(deletes.length, 3);
        assert.ok(deletes.every((c) => c.body.ForceDeleteWithoutRecovery === true && c.body.RecoveryWindowInDays === undefined));
        assert.match(s.printed(), /force-deleted without recovery \(stack config\)/);

        const again = await s.stack.up(collect(s));
        assert.equal(again.summary.result, "succeeded");
        const refused = aws().layer.calls.filter((c) => c.op === "CreateSecret" && c.status === 400);
        assert.ok(refused.length >= 1, "the purge was not reproduced: no CreateSecret was refused");
        assert.match(s.printed(), /the name is still being purged by AWS after a force delete; waiting \(\d+s of \d+s\)/);
        for (const n of first.outputs.secretNames.value) assert.ok(await describeOrUndefined(n), `${n} was not re-created`);
        await s.stack.destroy(collect(s));
    });

    it("preview fails with the clear message when both keys are set, and nothing changes", async () => {
        const s = await inlineStack(async () => {
            new Secret("db", { name: "conflicted", secretString: "v" });
        }, "conflict");
        await s.stack.setConfig("forceDelete", { value: "true" });
        await s.stack.setConfig("recoveryWindowInDays", { value: "7" });
        await assert.rejects(s.stack.preview(collect(s)), (e: Error) => {
            assert.match(
                e.message,
                /conflict:recoveryWindowInDays is "7" and conflict:forceDelete is "true": a recovery window and a delete without recovery contradict each other/,
            );
            assert.match(e.message, /pulumi config rm forceDelete/);
            return true;
        });
        assert.deepEqual(
            aws()
                .layer.ops()
                .filter((o) => o !== "DescribeSecret"),
            [],
        );
        assert.equal(await describeOrUndefined("conflicted"), undefined);
    });

    it("a deletion-policy change shows in preview and is recorded without any AWS call", async () => {
        const s = await inlineStack(async () => {
            const sec = new Secret("policy", { name: "policy/shown", secretString: pulumi.secret("policy-value-1") });
            return { onDestroy: sec.deletionPolicy.description };
        }, "policyshown");
        await s.stack.up(collect(s));
        await s.stack.setConfig("forceDelete", { value: "true" });
        aws().layer.reset();
        const preview = await s.stack.preview(collect(s));
        assert.equal(preview.changeSummary.update, 1);
        assert.match(preview.stdout, /force delete without recovery \(stack config\)/);
        const up = await s.stack.up(collect(s));
        assert.equal(up.outputs.onDestroy.value, "force delete without recovery (stack config)");
        assert.deepEqual(aws().layer.ops(), [], "a policy change must not call AWS");
        await s.stack.destroy(collect(s));
        assert.equal(await describeOrUndefined("policy/shown"), undefined);
    });

    it("a replicated secret loses its replicas before the primary is deleted, which recoveryWindowInDays=7 schedules 7 days out; the value and AWS credentials are never in the state file in plain text", async () => {
        const value = "api-key-5f2e9b1c";
        const s = await projectStack("replicated", "rep", { apiKey: value, recoveryWindowInDays: "7" });
        const up = await s.stack.up(collect(s));
        assert.deepEqual(up.outputs.replicas.value.map((r: any) => r.region).sort(), ["ap-southeast-2", "eu-west-1"]);
        const state = s.stateText();
        assert.ok(state.includes("shared/api-key"), "state file not found");
        assert.ok(!state.includes(value), "secret value in state");
        assert.ok(!state.includes(TEST_SECRET_KEY) && !state.includes(TEST_ACCESS_KEY), "AWS credentials in state");
        // The engine still records where the program declared it (the constructor turns stack capture off around the
        // SDK); SDKs older than source positions (the 3.139 compatibility run) record none.
        if (state.includes('"sourcePosition"')) assert.match(state, /"sourcePosition": ?"project:\/\/\/index\.ts#6,\d+"/);
        aws().layer.reset();
        const before = Date.now();
        await s.stack.destroy(collect(s));
        const when = await scheduledFor("shared/api-key");
        assert.ok(when && Math.abs(when - (before + 7 * DAY_MS)) < 120_000, `scheduled for ${when && new Date(when).toISOString()}`);
        assert.match(s.printed(), /shared\/api-key: scheduled for deletion on .* recovery window of 7 days \(stack config\)/);
        const ops = aws().layer.ops();
        assert.ok(
            ops.indexOf("RemoveRegionsFromReplication") >= 0 && ops.indexOf("RemoveRegionsFromReplication") < ops.indexOf("DeleteSecret"),
            ops.join(","),
        );
        assert.equal(await describeOrUndefined("shared/api-key", "eu-west-1"), undefined);
        assert.equal(await describeOrUndefined("shared/api-key", "ap-southeast-2"), undefined);
        assert.match(s.printed(), /shared\/api-key: replicas removed from/);
        assert.ok(!s.printed().includes(value), "secret value in engine output");
    });

    it("refresh drops a secret deleted outside Pulumi, and destroy then has nothing to do", async () => {
        const s = await inlineStack(async () => {
            const sec = new Secret("oob", { name: "oob/secret", secretString: pulumi.secret("oob-value-1") });
            return { arn: sec.arn };
        }, "refresh");
        const up = await s.stack.up(collect(s));
        await observer().send(new DeleteSecretCommand({ SecretId: up.outputs.arn.value, ForceDeleteWithoutRecovery: true }));
        const r = await s.stack.refresh(collect(s));
        assert.equal(r.summary.resourceChanges?.delete, 1);
        assert.match(s.printed(), /oob\/secret: deleted outside Pulumi; removed from the stack/);
        aws().layer.reset();
        await s.stack.destroy(collect(s));
        assert.equal(aws().layer.count("DeleteSecret"), 0);
    });

    it("runs offline with @pulumi/aws loaded by the program; with no configuration its destroy schedules deletion 30 days out", async () => {
        const s = await inlineStack(async () => {
            const awsPkg = installedPackage().require("@pulumi/aws");
            const sec = new Secret("regional", { name: "regional", secretString: "v-regional", region: awsPkg.Region.EUWest1 });
            return { region: sec.region };
        }, "withaws");
        const up = await s.stack.up(collect(s));
        assert.equal(up.outputs.region.value, "eu-west-1");
        assert.ok(await describeOrUndefined("regional", "eu-west-1"));
        const before = Date.now();
        await s.stack.destroy(collect(s));
        const when = await scheduledFor("regional", "eu-west-1");
        assert.ok(when && Math.abs(when - (before + 30 * DAY_MS)) < 120_000, `scheduled for ${when && new Date(when).toISOString()}`);
        assert.match(s.printed(), /regional: scheduled for deletion on .* recovery window of 30 days \(AWS default\)/);
    });

    it("the root project's demo program goes up and down", async () => {
        const s = await projectStack(".", "demo", { forceDelete: "true" });
        const up = await s.stack.up(collect(s));
        assert.equal(up.outputs.secrets.value.length, 3);
        assert.deepEqual(up.outputs.apiReplicas.value.map((r: any) => r.region).sort(), ["ap-southeast-2", "eu-west-1"]);
        await s.stack.destroy(collect(s));
        assert.equal(await describeOrUndefined("demo/db-password"), undefined);
    });

    it("a type error fails `pulumi preview` as users run it, and does not keep the teardown from tearing the stack down", async () => {
        const s = await projectStack("ephemeral", "pr-77");
        await s.stack.up();
        // Valid JavaScript, wrong TypeScript: a dependency's types changed since the last up, say.
        fs.appendFileSync(path.join(s.workDir, "index.ts"), '\nconst drift: number = "not a number";\nvoid drift;\n');
        await assert.rejects(s.stack.preview(), /TS2322: Type 'string' is not assignable to type 'number'/);
        const r = await teardownCommand(s, ["teardown", "--stack", "pr-77", "--force-delete"]);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.deepEqual(
            summaryOf(r).secrets.map((x: any) => x.outcome),
            ["force-deleted", "force-deleted", "force-deleted"],
        );
        assert.equal(await describeOrUndefined("preview/pr-77/db-password"), undefined);
    });
});
