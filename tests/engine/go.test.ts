// The provider plugin from a Go program (examples/go), compiled and run by Pulumi's real Go language host with the
// typed SDK `pulumi package add` generates from the plugin's schema, offline. One test: each Go stack costs a
// compile, seconds since scripts/toolchain.sh put Pulumi's Go SDK in Go's build cache (75-105 s without it).

import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { describeOrUndefined } from "../support/aws-fixtures";
import { aws } from "../support/harness";
import { cli, collect, resourcesOf, ROOT } from "../support/engine";
import { goStack } from "../support/go";

const TYPE = "safesecret:index:Secret";
const VALUE = "go-secret-value-5c1a";
/** The stack's region (AWS_REGION of the engine's environment) and the explicit provider's, in examples/go/main.go. */
const STACK_REGION = "us-east-1";
const EU = "eu-west-1";

const tagsOf = async (id: string, region: string) => (await describeOrUndefined(id, region))?.Tags?.map((t) => `${t.Key}=${t.Value}`) ?? [];

describe("the provider plugin from a Go program", function () {
    this.timeout(420_000);

    it("the example: package add leaves its go.mod as shipped; up with a secret config value and an explicit provider in eu-west-1; forceDelete set after the up force-deletes both, each in its region", async () => {
        const s = await goStack("goforce", "go");
        // `package add` generated the SDK under the schema's Go path, and found the example's go.mod and go.sum whole.
        assert.ok(fs.existsSync(path.join(s.workDir, "sdks", "safesecret", "safesecret", "secret.go")));
        for (const f of ["go.mod", "go.sum"]) {
            assert.equal(
                fs.readFileSync(path.join(s.workDir, f), "utf8"),
                fs.readFileSync(path.join(ROOT, "examples", "go", f), "utf8"),
                `pulumi package add changed the example's ${f}`,
            );
        }
        await cli(s, ["config", "set", "--secret", "dbPassword", VALUE, "--stack", "go"]);

        const up = await s.stack.up(collect(s));
        assert.equal(up.outputs.onDestroy!.value, "recovery window of 30 days (AWS default)");
        assert.match(String(up.outputs.dbArn!.value), new RegExp(`^arn:aws:secretsmanager:${STACK_REGION}:`));
        assert.match(String(up.outputs.euDbArn!.value), new RegExp(`^arn:aws:secretsmanager:${EU}:`));
        // The explicit provider's region governs its Secret; the default provider's stays the stack's.
        assert.ok((await tagsOf("go/db", STACK_REGION)).includes("team=platform"));
        assert.equal(await describeOrUndefined("go/db", EU), undefined);
        assert.ok((await tagsOf("go/db-eu", EU)).includes("team=platform"));
        assert.equal(await describeOrUndefined("go/db-eu", STACK_REGION), undefined, "the eu Secret went to the stack's region");

        assert.ok(!s.stateText().includes(VALUE), "the value is in state in plain text");
        const secrets = (await resourcesOf(s)).filter((r) => r.type === TYPE);
        assert.equal(secrets.length, 2);
        for (const r of secrets) assert.ok(r.outputs.secretString?.ciphertext, `${r.urn}: the value is not a Pulumi secret in state`);

        // safesecret:forceDelete set after the up governs the destroy of both, the explicit provider's Secret included.
        await cli(s, ["config", "set", "safesecret:forceDelete", "true", "--stack", "go"]);
        aws().layer.reset();
        const destroyed = await cli(s, ["destroy", "--yes", "--stack", "go"]);
        assert.match(destroyed, /go\/db: force-deleted without recovery \(stack config\)/);
        assert.match(destroyed, /go\/db-eu: force-deleted without recovery \(stack config\)/);
        const deletes = aws().layer.calls.filter((c) => c.op === "DeleteSecret");
        assert.deepEqual(
            deletes.map((c) => c.body.ForceDeleteWithoutRecovery),
            [true, true],
        );
        // Each delete went to its Secret's region: gone there, not merely scheduled, and nothing left in the other.
        for (const region of [STACK_REGION, EU]) {
            assert.equal(await describeOrUndefined("go/db", region), undefined, `go/db is still in ${region}`);
            assert.equal(await describeOrUndefined("go/db-eu", region), undefined, `go/db-eu is still in ${region}`);
        }
    });
});
