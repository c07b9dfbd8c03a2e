// The provider plugin (safesecret:index:Secret) through the real engine, from a Pulumi YAML program run by the real
// YAML language host: the plugin folder of the installed package, named in the project's Pulumi.yaml as users do.

import { strict as assert } from "assert";
import { CreateSecretCommand } from "@aws-sdk/client-secrets-manager";
import * as fs from "fs";
import * as path from "path";
import { daysUntilDeletion, describeOrUndefined, observer } from "../support/aws-fixtures";
import { aws } from "../support/harness";
import { cli, collect, installedPackage, newWorkDir, resourcesOf, ROOT, writeYamlProgram, YAML_HEADER, yamlStack } from "../support/engine";
import { assertForceDeletedByStack, summaryOf, teardownCommand } from "../support/teardown-command";

const TYPE = "safesecret:index:Secret";

const EXAMPLE = fs.readFileSync(path.join(ROOT, "examples", "yaml", "Pulumi.yaml"), "utf8");

const PROGRAM = (prefix: string) => `${YAML_HEADER}resources:
  db:
    type: ${TYPE}
    properties:
      name: ${prefix}/db
      secretString:
        fn::secret: yaml-secret-value-4f1e
      replicas:
        - region: eu-west-1
  api:
    type: ${TYPE}
    properties:
      name: ${prefix}/api
      tags:
        team: platform
outputs:
  dbArn: \${db.arn}
  onDestroy: \${db.deletionPolicy.description}
`;

describe("the provider plugin from a YAML program", function () {
    this.timeout(240_000);

    it("the example creates and updates; a destroy keeps the stack's window, replicas removed first; the value is secret in state", async () => {
        // The example as the README shows it, in a stack named "yaml".
        const s = await yamlStack("yamlwindow", EXAMPLE, "yaml");
        await s.stack.setConfig("dbPassword", { value: "yaml-secret-value-4f1e", secret: true });
        await s.stack.setConfig("safesecret:recoveryWindowInDays", { value: "7" });
        const up = await s.stack.up(collect(s));
        assert.equal(up.outputs.onDestroy!.value, "recovery window of 7 days (stack config)");
        assert.equal((await describeOrUndefined("yaml/db", "eu-west-1"))?.Name, "yaml/db");
        const state = s.stateText();
        assert.ok(!state.includes("yaml-secret-value-4f1e"), "the value is in state in plain text");
        const db = (await resourcesOf(s)).find((r) => r.type === TYPE && r.outputs.name === "yaml/db");
        assert.ok(db.outputs.secretString?.ciphertext, "the value is not a Pulumi secret in state");

        // An update in place: a tag added, nothing replaced.
        const yaml = path.join(s.workDir, "Pulumi.yaml");
        fs.writeFileSync(yaml, fs.readFileSync(yaml, "utf8").replace("team: platform", "team: platform\n        tier: gold"));
        const again = await s.stack.up(collect(s));
        assert.equal(again.summary.resourceChanges?.update, 1);
        assert.equal(again.summary.resourceChanges?.replace ?? 0, 0);
        const tags = (await describeOrUndefined("yaml/api"))?.Tags?.map((t) => `${t.Key}=${t.Value}`) ?? [];
        assert.ok(tags.includes("team=platform") && tags.includes("tier=gold"), tags.join(", "));

        aws().layer.reset();
        await s.stack.destroy(collect(s));
        const ops = aws()
            .layer.calls.filter((c) => String(c.body.SecretId).includes("yaml/db"))
            .map((c) => c.op);
        assert.ok(
            ops.indexOf("RemoveRegionsFromReplication") >= 0 && ops.indexOf("RemoveRegionsFromReplication") < ops.indexOf("DeleteSecret"),
            ops.join(","),
        );
        assert.equal(await describeOrUndefined("yaml/db", "eu-west-1"), undefined);
        assert.equal(await daysUntilDeletion("yaml/db"), 7);
        assert.equal(await daysUntilDeletion("yaml/api"), 7);
    });

    it("safesecret:forceDelete set after the last up governs the destroy, and the same names come back while AWS purges", async () => {
        const s = await yamlStack("yamlforce", PROGRAM("yamlf"));
        const up = await s.stack.up(collect(s));
        assert.equal(up.outputs.onDestroy!.value, "recovery window of 30 days (AWS default)");
        await s.stack.setConfig("safesecret:forceDelete", { value: "true" });
        // Each name stays taken until a create of it was refused, as while AWS purges it.
        aws().layer.purgeCreateRefusals = 1;
        // The plain `pulumi destroy`, with no CLI for a configuration read (which the dynamic provider needs, and without
        // which it refuses a force delete from the stack's keys): the engine hands the plugin its keys as they are now.
        const destroyed = await cli(s, ["destroy", "--yes", "--stack", "test"], { PULUMI_SAFE_SECRET_CLI: "/nonexistent/pulumi" });
        assert.match(destroyed, /yamlf\/db: force-deleted without recovery \(stack config\)/);
        const deletes = aws().layer.calls.filter((c) => c.op === "DeleteSecret");
        assert.equal(deletes.length, 2);
        assert.ok(
            deletes.every((c) => c.body.ForceDeleteWithoutRecovery === true),
            JSON.stringify(deletes.map((c) => c.body)),
        );
        assert.equal(await describeOrUndefined("yamlf/db"), undefined);

        const back = await s.stack.up(collect(s));
        assert.equal(back.summary.result, "succeeded");
        assert.ok(
            aws().layer.calls.some((c) => c.op === "CreateSecret" && c.status === 400),
            "the purge was not reproduced",
        );
        assert.match(s.printed(), /the name is still being purged by AWS after a force delete; waiting/);
        assert.ok(await describeOrUndefined("yamlf/db"));
        await s.stack.destroy(collect(s));
    });

    it("preview refuses contradicting safesecret keys, naming them and the fix, before any AWS call", async () => {
        const s = await yamlStack("yamlconflict", PROGRAM("yamlc"));
        await s.stack.setConfig("safesecret:forceDelete", { value: "true" });
        await s.stack.setConfig("safesecret:recoveryWindowInDays", { value: "7" });
        await assert.rejects(s.stack.preview(collect(s)), (e: Error) => {
            assert.match(e.message, /safesecret:recoveryWindowInDays is "7" and safesecret:forceDelete is "true"/);
            assert.match(e.message, /pulumi config rm safesecret:forceDelete/);
            return true;
        });
        assert.deepEqual(
            aws()
                .layer.ops()
                .filter((o) => o !== "DescribeSecret"),
            [],
        );
    });

    it("`pulumi import` and the import option bring existing secrets under management; a destroy then follows the stack", async () => {
        const one = await observer().send(new CreateSecretCommand({ Name: "legacy/one", SecretString: "v1", Description: "made by hand" }));
        const two = await observer().send(new CreateSecretCommand({ Name: "legacy/two", SecretString: "v2" }));
        const s = await yamlStack(
            "yamlimport",
            `${YAML_HEADER}resources:
  two:
    type: ${TYPE}
    properties:
      name: legacy/two
      region: us-east-1
    options:
      import: ${two.ARN}
`,
        );
        await s.stack.setConfig("safesecret:recoveryWindowInDays", { value: "7" });
        const up = await s.stack.up(collect(s));
        assert.equal(up.summary.resourceChanges?.import, 1, s.printed());
        const out = await cli(s, ["import", TYPE, "one", one.ARN!, "--yes", "--protect=false", "--stack", "test"]);
        assert.match(out, /legacy\/one|one/);
        const managed = (await resourcesOf(s))
            .filter((r) => r.type === TYPE)
            .map((r) => r.id)
            .sort();
        assert.deepEqual(managed, [one.ARN, two.ARN].sort());
        assert.equal((await describeOrUndefined("legacy/one"))?.Description, "made by hand", "the import changed the secret");
        await s.stack.destroy(collect(s));
        assert.equal(await daysUntilDeletion(one.ARN!), 7);
        assert.equal(await daysUntilDeletion(two.ARN!), 7);
    });

    it("`pulumi import` of a secret, then the code it generates as the program, previews with no changes", async () => {
        const made = await observer().send(
            new CreateSecretCommand({
                Name: "legacy/clean",
                SecretString: "v",
                Description: "made by hand",
                Tags: [{ Key: "team", Value: "a" }],
            }),
        );
        const s = await yamlStack("yamlimportclean", `${YAML_HEADER}resources: {}\n`);
        await s.stack.setConfig("safesecret:recoveryWindowInDays", { value: "7" });
        await s.stack.up(collect(s));
        const code = path.join(s.workDir, "imported.yaml");
        await cli(s, ["import", TYPE, "clean", made.ARN!, "--yes", "--protect=false", "--out", code, "--stack", "test"]);
        const generated = fs.readFileSync(code, "utf8");
        assert.match(generated, /name: legacy\/clean/);
        assert.doesNotMatch(generated, /deletionPolicy|owner|resourceName|autonamed/, generated);
        writeYamlProgram(s.workDir, "yamlimportclean", `${YAML_HEADER}${generated}`);
        aws().layer.reset();
        await cli(s, ["preview", "--expect-no-changes", "--diff", "--stack", "test"]);
        // A refresh and an up of the imported Secret change nothing either, and a destroy follows the stack's window.
        await cli(s, ["up", "--refresh", "--expect-no-changes", "--yes", "--stack", "test"]);
        assert.equal(aws().layer.count("UpdateSecret") + aws().layer.count("TagResource"), 0);
        await s.stack.destroy(collect(s));
        assert.equal(await daysUntilDeletion(made.ARN!), 7);
    });

    it("an explicit provider's region and profile govern the Secrets that use it, at create and at destroy; a bad region is refused at preview", async () => {
        const dir = newWorkDir("yamlprovidercreds");
        const credentials = path.join(dir, "credentials");
        fs.writeFileSync(credentials, "[euprofile]\naws_access_key_id = AKIAEUPROVIDER000001\naws_secret_access_key = eu-profile-secret\n");
        const program = (region: string) => `${YAML_HEADER}resources:
  eu:
    type: pulumi:providers:safesecret
    properties:
      region: ${region}
      profile: euprofile
  db:
    type: ${TYPE}
    properties:
      name: yamleu/db
    options:
      provider: \${eu}
  home:
    type: ${TYPE}
    properties:
      name: yamleu/home
outputs:
  dbRegion: \${db.region}
`;
        const s = await yamlStack("yamlprovider", program("eu-west-1"), "test", {
            AWS_SHARED_CREDENTIALS_FILE: credentials,
            AWS_CONFIG_FILE: path.join(dir, "none"),
        });
        const up = await s.stack.up(collect(s));
        assert.equal(up.outputs.dbRegion!.value, "eu-west-1");
        assert.equal((await describeOrUndefined("yamleu/db", "eu-west-1"))?.Name, "yamleu/db");
        assert.equal(await describeOrUndefined("yamleu/db"), undefined, "the secret was made in the stack's region");
        assert.ok(await describeOrUndefined("yamleu/home"), "a Secret of the default provider left the stack's region");
        const created = aws().layer.calls.find((c) => c.op === "CreateSecret" && c.body.Name === "yamleu/db");
        assert.equal(created?.accessKey, "AKIAEUPROVIDER000001");

        // The deletion keys stay the stack's, read when the destroy runs; the engine configures the provider from the
        // arguments recorded in state, so the delete goes out with the provider's profile (no Secret records it).
        await s.stack.setConfig("safesecret:forceDelete", { value: "true" });
        aws().layer.reset();
        await s.stack.destroy(collect(s));
        const deleted = aws().layer.calls.find((c) => c.op === "DeleteSecret" && String(c.body.SecretId).includes("yamleu/db"));
        assert.equal(deleted?.accessKey, "AKIAEUPROVIDER000001");
        assert.equal(deleted?.body.ForceDeleteWithoutRecovery, true);
        assert.equal(await describeOrUndefined("yamleu/db", "eu-west-1"), undefined);

        writeYamlProgram(s.workDir, "yamlprovider", program("Europe"));
        aws().layer.reset();
        await assert.rejects(s.stack.preview(collect(s)), (e: Error) => {
            assert.match(e.message, /region of provider eu "Europe" is not an AWS region name — use one such as "us-east-1"/);
            return true;
        });
        // The deletion keys are the stack's alone: a provider given one is refused, not silently ignored.
        const yaml = path.join(s.workDir, "Pulumi.yaml");
        fs.writeFileSync(yaml, fs.readFileSync(yaml, "utf8").replace("region: Europe", "region: eu-west-1\n      forceDelete: true"));
        await assert.rejects(s.stack.preview(collect(s)), (e: Error) => {
            assert.match(e.message, /Property forceDelete does not exist on 'pulumi:providers:safesecret'/);
            return true;
        });
        assert.deepEqual(
            aws()
                .layer.ops()
                .filter((o) => o !== "DescribeSecret"),
            [],
        );
    });

    it("the teardown command tears down a stack of plugin Secrets, and refuses one under safesecret:teardownProtection; invalid guards refuse a force delete at a plain destroy and at the teardown", async () => {
        const s = await yamlStack("yamlteardown", PROGRAM("yamlt"), "pr-7");
        await s.stack.up(collect(s));
        // A guard set to a value no validator accepts after the up is never read as "off": a plain destroy and the
        // teardown's gate refuse the force delete, naming the key, the value and the fix.
        await s.stack.setConfig("safesecret:forceDelete", { value: "true" });
        await s.stack.setConfig("safesecret:teardownProtection", { value: "True" });
        aws().layer.reset();
        const plain = await cli(s, ["destroy", "--yes"]).then(
            (o) => o,
            (e: { stdout?: string; stderr?: string }) => `failed: ${e.stdout}${e.stderr}`,
        );
        assert.match(plain, /^failed: /);
        assert.match(
            plain,
            /safesecret:teardownProtection is "True", but only true or false is accepted — run `pulumi config set safesecret:teardownProtection true` \(or false\)/,
        );
        await s.stack.removeConfig("safesecret:teardownProtection");
        await s.stack.setConfig("safesecret:inUseGuardDays", { value: "abc" });
        const guarded = await teardownCommand(s, ["teardown", "--stack", "pr-7"]);
        assert.equal(guarded.code, 2, guarded.stdout + guarded.stderr);
        assert.match(summaryOf(guarded).reason, /safesecret:inUseGuardDays is "abc", but it must be a whole number of days/);
        assert.equal(aws().layer.count("DeleteSecret"), 0);
        for (const k of ["safesecret:inUseGuardDays", "safesecret:forceDelete"]) await s.stack.removeConfig(k);

        await s.stack.setConfig("safesecret:teardownProtection", { value: "true" });
        const refused = await teardownCommand(s, ["teardown", "--stack", "pr-7", "--force-delete"]);
        assert.equal(refused.code, 2, refused.stdout + refused.stderr);
        assert.match(refused.stdout, /safesecret:teardownProtection is true/);
        assert.ok(await describeOrUndefined("yamlt/db"), "a protected secret was deleted");

        await s.stack.removeConfig("safesecret:teardownProtection");
        const r = await teardownCommand(s, ["teardown", "--stack", "pr-7", "--force-delete", "--remove-stack"]);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        await assertForceDeletedByStack(r, ["yamlt/db", "yamlt/api"]);
        assert.deepEqual(
            summaryOf(r).secrets.map((x: any) => x.outcome),
            ["force-deleted", "force-deleted"],
        );
        assert.equal(summaryOf(r).stackRemoved, true);
    });

    it("the policy pack judges plugin Secrets by the safesecret keys", async () => {
        const s = await yamlStack("yamlpolicy", PROGRAM("yamlp"), "production");
        await s.stack.setConfig("safesecret:forceDelete", { value: "true" });
        const pack = path.join(installedPackage().dir, "node_modules", "pulumi-safe-secret", "policy-pack");
        const out = await cli(s, ["preview", "--policy-pack", pack]).then(
            () => assert.fail("the pack let a force delete through in a protected stack"),
            (e: { stdout?: string; stderr?: string }) => `${e.stdout ?? ""}${e.stderr ?? ""}`,
        );
        assert.match(out, /secrets-keep-recovery-window-in-protected-stacks/);
        assert.match(out, /Secret "db" would be deleted without recovery .*— run `pulumi config rm safesecret:forceDelete`/);
        assert.match(out, /safesecret:teardownProtection is not true, .*run `pulumi config set safesecret:teardownProtection true`/);
        assert.equal(await describeOrUndefined("yamlp/db"), undefined);
    });

    it("its schema generates an SDK (`pulumi package gen-sdk`, the step `pulumi package add` takes), the value an additional secret output", async () => {
        const out = path.join(installedPackage().dir, "stacks", `gen-sdk-${process.pid}`);
        fs.rmSync(out, { recursive: true, force: true });
        const plugin = path.join(installedPackage().dir, "node_modules", "pulumi-safe-secret", "plugin", "pulumi-resource-safesecret");
        await cli({ workDir: installedPackage().dir }, ["package", "gen-sdk", plugin, "--language", "nodejs", "--out", out]);
        const secret = fs.readFileSync(path.join(out, "nodejs", "secret.ts"), "utf8");
        assert.match(secret, /export class Secret extends pulumi\.CustomResource/);
        assert.match(secret, /__pulumiType = 'safesecret:index:Secret'/);
        assert.match(secret, /additionalSecretOutputs: \["secretString"\]/);
        assert.match(fs.readFileSync(path.join(out, "nodejs", "config", "vars.ts"), "utf8"), /forceDelete/);
        fs.rmSync(out, { recursive: true, force: true });
    });
});
