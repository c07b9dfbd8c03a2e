// The provider plugin from a Python program (examples/python), run by Pulumi's real Python language host with the
// typed SDK `pulumi package add` generates from the plugin's schema, offline.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { describeOrUndefined } from "../support/aws-fixtures";
import { aws } from "../support/harness";
import { cli, collect, resourcesOf } from "../support/engine";
import { pythonStack, pythonVenv } from "../support/python";

const TYPE = "safesecret:index:Secret";
const VALUE = "py-secret-value-8d2e";

describe("the provider plugin from a Python program", function () {
    this.timeout(240_000);
    before(function () {
        this.timeout(180_000);
        pythonVenv();
    });

    it("the example goes up with a secret config value; safesecret:forceDelete set after the up deletes at once", async () => {
        const s = await pythonStack("pyforce", "py");
        // `package add` generated the SDK under the schema's Python name and put it in requirements.txt.
        assert.ok(fs.existsSync(path.join(s.workDir, "sdks", "safesecret", "pulumi_safesecret", "secret.py")));
        assert.match(fs.readFileSync(path.join(s.workDir, "requirements.txt"), "utf8"), /^sdks\/safesecret$/m);
        await s.stack.setConfig("dbPassword", { value: VALUE, secret: true });
        const up = await s.stack.up(collect(s));
        assert.equal(up.outputs.onDestroy!.value, "recovery window of 30 days (AWS default)");
        const tags = (await describeOrUndefined("py/db"))?.Tags?.map((t) => `${t.Key}=${t.Value}`) ?? [];
        assert.ok(tags.includes("team=platform"), tags.join(", "));
        assert.ok(!s.stateText().includes(VALUE), "the value is in state in plain text");
        const db = (await resourcesOf(s)).find((r) => r.type === TYPE);
        assert.ok(db.outputs.secretString?.ciphertext, "the value is not a Pulumi secret in state");

        await s.stack.setConfig("safesecret:forceDelete", { value: "true" });
        aws().layer.reset();
        const destroyed = await cli(s, ["destroy", "--yes", "--stack", "py"]);
        assert.match(destroyed, /py\/db: force-deleted without recovery \(stack config\)/);
        const deletes = aws().layer.calls.filter((c) => c.op === "DeleteSecret");
        assert.deepEqual(
            deletes.map((c) => c.body.ForceDeleteWithoutRecovery),
            [true],
        );
        assert.equal(await describeOrUndefined("py/db"), undefined);
    });
});
