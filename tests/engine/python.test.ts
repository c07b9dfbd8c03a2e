// The provider plugin from a Python program (examples/python), run by Pulumi's real Python language host with the
// typed SDK `pulumi package add` generates from the plugin's schema, offline. One stack goes through the whole life a
// user's would (each Python stack costs seconds of `package add` and host start-up).

import { strict as assert } from "assert";
import { GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import * as fs from "fs";
import * as path from "path";
import { daysUntilDeletion, describeOrUndefined, observer } from "../support/aws-fixtures";
import { aws } from "../support/harness";
import { cli, collect, resourcesOf } from "../support/engine";
import { pythonStack, pythonVenv } from "../support/python";

const TYPE = "safesecret:index:Secret";
const VALUE = "py-secret-value-8d2e";
const REPLICA = "eu-west-1";

const tagsOf = async (id: string) => (await describeOrUndefined(id))?.Tags?.map((t) => `${t.Key}=${t.Value}`) ?? [];

describe("the provider plugin from a Python program", function () {
    this.timeout(240_000);
    before(function () {
        this.timeout(180_000);
        pythonVenv();
    });

    it("the example: bad keys refused at preview; up with a replica and a secret config value, and a generated value nowhere in state; forceDelete set after the up; re-created while AWS purges; updated in place; destroyed with a 7-day window", async () => {
        const s = await pythonStack("pyforce", "py");
        // `package add` generated the SDK under the schema's Python name and put it in requirements.txt.
        assert.ok(fs.existsSync(path.join(s.workDir, "sdks", "safesecret", "pulumi_safesecret", "secret.py")));
        assert.match(fs.readFileSync(path.join(s.workDir, "requirements.txt"), "utf8"), /^sdks\/safesecret$/m);
        await s.stack.setConfig("dbPassword", { value: VALUE, secret: true });
        await s.stack.setConfig("replicaRegion", { value: REPLICA });

        // A window AWS would refuse: the preview names the key and the fix, before any AWS call.
        await s.stack.setConfig("safesecret:recoveryWindowInDays", { value: "3" });
        aws().layer.reset();
        await assert.rejects(s.stack.preview(collect(s)), (e: Error) => {
            assert.match(e.message, /safesecret:recoveryWindowInDays is "3", but AWS accepts only a whole number of days from 7 to 30/);
            assert.match(e.message, /pulumi config set safesecret:recoveryWindowInDays 7/);
            return true;
        });
        assert.deepEqual(aws().layer.ops(), []);
        await s.stack.removeConfig("safesecret:recoveryWindowInDays");

        const up = await s.stack.up(collect(s));
        assert.equal(up.outputs.onDestroy!.value, "recovery window of 30 days (AWS default)");
        assert.ok((await tagsOf("py/db")).includes("team=platform"));
        assert.equal((await describeOrUndefined("py/db", REPLICA))?.Name, "py/db");
        assert.ok(!s.stateText().includes(VALUE), "the value is in state in plain text");
        const db = (await resourcesOf(s)).find((r) => r.type === TYPE && r.outputs.name === "py/db");
        assert.ok(db.outputs.secretString?.ciphertext, "the value is not a Pulumi secret in state");
        // The generated value (the SDK's GenerateSecretStringArgs, from the schema) is in AWS as asked, and nowhere in
        // state, not even encrypted: no secretString at all.
        const generated = (await observer().send(new GetSecretValueCommand({ SecretId: "py/signing-key" }))).SecretString!;
        assert.match(generated, /^[A-Za-z0-9]{48}$/);
        assert.ok(!s.stateText().includes(generated), "the generated value is in state");
        const key = (await resourcesOf(s)).find((r) => r.type === TYPE && r.outputs.name === "py/signing-key");
        assert.equal(key.outputs.secretString, undefined);

        // safesecret:forceDelete set after the up governs the destroy.
        await s.stack.setConfig("safesecret:forceDelete", { value: "true" });
        aws().layer.reset();
        // The name stays taken until a create of it was refused, as while AWS purges it.
        aws().layer.purgeCreateRefusals = 1;
        const destroyed = await cli(s, ["destroy", "--yes", "--stack", "py"]);
        assert.match(destroyed, /py\/db: force-deleted without recovery \(stack config\)/);
        const deletes = aws().layer.calls.filter((c) => c.op === "DeleteSecret");
        assert.deepEqual(
            deletes.map((c) => c.body.ForceDeleteWithoutRecovery),
            [true, true],
        );
        assert.equal(await describeOrUndefined("py/db"), undefined);

        // The same name comes back while AWS still purges it, now under a 7-day window.
        await s.stack.removeConfig("safesecret:forceDelete");
        await s.stack.setConfig("safesecret:recoveryWindowInDays", { value: "7" });
        const back = await s.stack.up(collect(s));
        assert.equal(back.outputs.onDestroy!.value, "recovery window of 7 days (stack config)");
        assert.ok(
            aws().layer.calls.some((c) => c.op === "CreateSecret" && c.status === 400),
            "the purge was not reproduced",
        );
        assert.match(s.printed(), /the name is still being purged by AWS after a force delete; waiting/);
        assert.equal((await describeOrUndefined("py/db", REPLICA))?.Name, "py/db");

        // An update in place, as a user edits the program: a tag added, nothing replaced, no secret re-created.
        const program = path.join(s.workDir, "__main__.py");
        const code = fs.readFileSync(program, "utf8");
        assert.ok(code.includes(`tags={"team": "platform"}`), "examples/python/__main__.py no longer tags the secret");
        fs.writeFileSync(program, code.replace(`tags={"team": "platform"}`, `tags={"team": "platform", "tier": "gold"}`));
        aws().layer.reset();
        const again = await s.stack.up(collect(s));
        assert.equal(again.summary.resourceChanges?.update, 1);
        assert.equal(again.summary.resourceChanges?.replace ?? 0, 0);
        const ops = aws().layer.ops();
        assert.ok(ops.includes("TagResource") && !ops.includes("CreateSecret") && !ops.includes("DeleteSecret"), ops.join(","));
        const tags = await tagsOf("py/db");
        assert.ok(tags.includes("team=platform") && tags.includes("tier=gold"), tags.join(", "));

        // The destroy keeps the stack's window; the replica goes first (AWS refuses to delete a secret that has one).
        aws().layer.reset();
        await s.stack.destroy(collect(s));
        const order = aws()
            .layer.calls.filter((c) => String(c.body.SecretId).includes("py/db"))
            .map((c) => c.op);
        const removed = order.indexOf("RemoveRegionsFromReplication");
        assert.ok(removed >= 0 && removed < order.indexOf("DeleteSecret"), order.join(","));
        assert.equal(await describeOrUndefined("py/db", REPLICA), undefined);
        assert.equal(await daysUntilDeletion("py/db"), 7);
    });
});
