// Values AWS generates (generateSecretString) through the real engine, on the packed package: a TypeScript program (the
// dynamic Secret, run by the Node.js language host) and a YAML program (the provider plugin, run by the YAML language
// host). Each value is read from AWS with the SDK, checked against its constraints, and searched for in what a user or
// an attacker with the state could read: `pulumi stack export --show-secrets`, the state files, and the whole output
// of `pulumi up -v=9 --logtostderr`. Two stacks, several assertions each: every engine operation costs seconds of CPU.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { daysUntilDeletion, describeOrUndefined } from "../support/aws-fixtures";
import { aws } from "../support/harness";
import { cli, collect, EngineStack, programStack, writeYamlProgram, YAML_HEADER, yamlStack } from "../support/engine";
import { assertNowhere, assertOnlyFrom, passwordIn, PUNCTUATION, valueOf, versionCount } from "../support/secret-values";

/** Characters a connection string cannot hold unescaped: what a user would exclude. */
const EXCLUDED = "\"'\\/@:";

const TS_PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import { Secret } from "pulumi-safe-secret";
const config = new pulumi.Config();
const prefix = config.require("prefix");
const db = new Secret("db", {
    name: prefix + "/db",
    generateSecretString: { passwordLength: config.getNumber("length") ?? 40, excludeCharacters: ${JSON.stringify(EXCLUDED)} },
    generation: config.get("generation"),
});
const app = new Secret("app", {
    name: prefix + "/app",
    generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: "app" }),
        generateStringKey: "password",
        passwordLength: 24,
        excludePunctuation: true,
        excludeNumbers: true,
    },
});
export const dbVersion = db.versionId;
export const appVersion = app.versionId;
`;

const YAML_PROGRAM = (prefix: string, generation: number, extra = "") => `${YAML_HEADER}resources:
  app:
    type: safesecret:index:Secret
    properties:
      name: ${prefix}/app
${extra}      generateSecretString:
        secretStringTemplate: '{"username":"app"}'
        generateStringKey: password
        passwordLength: 20
        excludePunctuation: true
        requireEachIncludedType: true
      generation: ${generation}
outputs:
  versionId: \${app.versionId}
`;

/**
 * `pulumi up -v=9 --logtostderr`, as a user debugging a run would capture it: stdout and stderr, every line. The log
 * must show, property by property, what each Secret's Create returned: where a value handed back would be printed.
 */
async function verboseUp(s: EngineStack, secrets: string[]): Promise<string> {
    const out = await cli(s, ["up", "--yes", "--skip-preview", "-v=9", "--logtostderr", "--stack", "test"]);
    fs.writeFileSync(path.join(s.workDir, `verbose-up-${Date.now()}.log`), out);
    for (const name of secrets) {
        const returned = new RegExp(
            `Unmarshaling property for RPC\\[Provider\\[\\w+\\]\\.Create\\(urn:[^)]*:Secret::${name}\\)\\.outputs\\]: versionId=`,
        );
        assert.match(out, returned, `the verbose log does not show ${name}'s Create outputs: -v=9 did not take`);
    }
    return out;
}

/** Everything a reader of the stack can see afterwards: the export with secrets shown, and the state files. */
async function readable(s: EngineStack): Promise<[string, string][]> {
    return [
        ["`pulumi stack export --show-secrets`", await cli(s, ["stack", "export", "--show-secrets", "--stack", "test"])],
        ["the state files", s.stateText()],
    ];
}

const callsOf = (op: string, name: string) =>
    aws().layer.calls.filter((c) => c.op === op && String(c.body.SecretId ?? c.body.Name).includes(name));

describe("generated values (generateSecretString) through the engine", function () {
    this.timeout(300_000);

    it("TypeScript: generated to their constraints and nowhere in state or -v=9 output; a parameter change puts no value, a generation change exactly one; forceDelete set after the up governs the destroy", async () => {
        const prefix = `gen-ts-${process.pid}`;
        const s = await programStack("gents", TS_PROGRAM);
        await s.stack.setConfig("prefix", { value: prefix });
        aws().layer.reset();
        const first = await verboseUp(s, ["db", "app"]);

        // AWS was asked for what the program declared, and generated to it.
        const asked = aws().layer.calls.filter((c) => c.op === "GetRandomPassword");
        assert.equal(asked.length, 2, "one GetRandomPassword per Secret");
        assert.ok(
            asked.some((c) => c.body.PasswordLength === 40 && c.body.ExcludeCharacters === EXCLUDED),
            JSON.stringify(asked.map((c) => c.body)),
        );
        const db = await valueOf(`${prefix}/db`);
        assert.equal(db.length, 40);
        assertOnlyFrom(
            db,
            [...`abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789${PUNCTUATION}`]
                .filter((c) => !EXCLUDED.includes(c))
                .join(""),
            "the value",
        );
        const app = await valueOf(`${prefix}/app`);
        const appPassword = passwordIn(app, 24);
        assertOnlyFrom(appPassword, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", "the template's password");
        assertNowhere([db, app, appPassword], [["the output of `pulumi up -v=9 --logtostderr`", first], ...(await readable(s))]);
        const outputs = await s.stack.outputs();
        const dbVersion = outputs.dbVersion!.value as string;
        assert.ok(dbVersion, "no versionId output");

        // Only the parameters change: the value AWS holds is kept, nothing is generated.
        await s.stack.setConfig("length", { value: "48" });
        aws().layer.reset();
        await s.stack.up(collect(s));
        assert.deepEqual(
            aws()
                .layer.ops()
                .filter((o) => o === "GetRandomPassword" || o === "PutSecretValue"),
            [],
        );
        assert.equal(await valueOf(`${prefix}/db`), db);
        assert.equal((await s.stack.outputs()).dbVersion!.value, dbVersion);
        assert.equal(await versionCount(`${prefix}/db`), 1);

        // generation changes: exactly one new version, of that Secret, generated to the parameters now declared.
        await s.stack.setConfig("generation", { value: "2" });
        aws().layer.reset();
        const rotated = await cli(s, ["up", "--yes", "--skip-preview", "-v=9", "--logtostderr", "--stack", "test"]);
        assert.equal(aws().layer.count("PutSecretValue"), 1);
        assert.equal(callsOf("PutSecretValue", `${prefix}/db`).length, 1);
        assert.equal(aws().layer.count("GetRandomPassword"), 1);
        const newVersion = (await s.stack.outputs()).dbVersion!.value as string;
        assert.notEqual(newVersion, dbVersion, "versionId did not change");
        assert.equal(await versionCount(`${prefix}/db`), 2);
        assert.equal(await versionCount(`${prefix}/app`), 1, "the other Secret got a version");
        const db2 = await valueOf(`${prefix}/db`);
        assert.notEqual(db2, db);
        assert.equal(db2.length, 48, "the new value follows the parameters declared now");
        assertNowhere([db2, db], [["the output of the rotating `pulumi up -v=9`", rotated], ...(await readable(s))]);

        // The destroy-time policy applies as to any Secret: forceDelete set after the last up.
        await s.stack.setConfig("forceDelete", { value: "true" });
        aws().layer.reset();
        await s.stack.destroy(collect(s));
        const deletes = aws().layer.calls.filter((c) => c.op === "DeleteSecret");
        assert.equal(deletes.length, 2);
        assert.ok(
            deletes.every((c) => c.body.ForceDeleteWithoutRecovery === true),
            JSON.stringify(deletes.map((c) => c.body)),
        );
        assert.equal(await describeOrUndefined(`${prefix}/db`), undefined);
        assert.equal(await describeOrUndefined(`${prefix}/app`), undefined);
    });

    it("YAML: secretString with generateSecretString is refused at preview with no AWS call; the template form is generated, nowhere in state or -v=9 output; generation 1 → 2 puts one version; a window set after the up governs the destroy", async () => {
        const prefix = `gen-yaml-${process.pid}`;
        const s = await yamlStack("genyaml", YAML_PROGRAM(prefix, 1, "      secretString:\n        fn::secret: given-value-1b2c\n"));
        aws().layer.reset();
        await assert.rejects(s.stack.preview(collect(s)), (e: Error) => {
            assert.match(e.message, /secretString and generateSecretString are both given/);
            assert.match(e.message, /remove the other/);
            return true;
        });
        assert.deepEqual(aws().layer.ops(), [], "AWS was called for a program refused at preview");

        const write = (generation: number) => writeYamlProgram(s.workDir, "genyaml", YAML_PROGRAM(prefix, generation));
        write(1);
        const first = await verboseUp(s, ["app"]);
        const value = await valueOf(`${prefix}/app`);
        const password = passwordIn(value, 20);
        assertOnlyFrom(password, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "the password");
        for (const [name, chars] of [
            ["lowercase", "abcdefghijklmnopqrstuvwxyz"],
            ["uppercase", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"],
            ["digit", "0123456789"],
        ]) {
            assert.ok(
                [...password].some((c) => chars.includes(c)),
                `requireEachIncludedType: no ${name} in the password`,
            );
        }
        assertNowhere([value, password], [["the output of `pulumi up -v=9 --logtostderr`", first], ...(await readable(s))]);
        const version = (await s.stack.outputs()).versionId!.value as string;

        write(2);
        aws().layer.reset();
        await s.stack.up(collect(s));
        assert.equal(aws().layer.count("PutSecretValue"), 1);
        assert.notEqual((await s.stack.outputs()).versionId!.value, version, "versionId did not change");
        assert.equal(await versionCount(`${prefix}/app`), 2);
        const value2 = await valueOf(`${prefix}/app`);
        const password2 = passwordIn(value2, 20);
        assert.notEqual(password2, password);
        assertNowhere([value2, password2], await readable(s));

        await s.stack.setConfig("safesecret:recoveryWindowInDays", { value: "7" });
        aws().layer.reset();
        await s.stack.destroy(collect(s));
        const deletes = aws().layer.calls.filter((c) => c.op === "DeleteSecret");
        assert.equal(deletes.length, 1);
        assert.equal(deletes[0].body.RecoveryWindowInDays, 7, JSON.stringify(deletes[0].body));
        assert.equal(await daysUntilDeletion(`${prefix}/app`), 7);
    });
});
