// Day-2 operations through the real engine, with the package installed from its packed tarball into a separate
// project (tests/support/user-project.ts): refresh, adopt, rename, replace, stack rename, destroy-time
// configuration (secret keys, --config-file, fallbacks) and AWS settings. Upgrades are in upgrade.test.ts.

import { strict as assert } from "assert";
import { CreateSecretCommand, DeleteSecretCommand } from "@aws-sdk/client-secrets-manager";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROVIDER_TEXT } from "../../provider/adapters/dynamic/stub";
import { daysUntilDeletion, describeOrUndefined, observer } from "../support/aws-fixtures";
import { aws } from "../support/harness";
import { cli, collect, inlineStack, resourcesOf, installedPackage, newWorkDir, pulumi, ROOT, Secret } from "../support/engine";

describe("day-2 operations through the engine, with the package installed from its tarball", function () {
    this.timeout(240_000);

    it("installed as users get it, with the one-line provider text in state: refresh of live secrets (no value, with replicas, AWS omitting StatusMessage) leaves nothing to change", async () => {
        const pkgDir = path.join(installedPackage().dir, "node_modules", "pulumi-safe-secret");
        assert.equal(fs.lstatSync(pkgDir).isSymbolicLink(), false);
        assert.ok(!fs.realpathSync(pkgDir).startsWith(ROOT), "the installed package must not live in the repository");
        aws().layer.omitReplicaStatusMessage = true;
        const s = await inlineStack(async () => {
            new Secret("bare", { name: "refresh/no-value" });
            new Secret("rich", {
                name: "refresh/replicated",
                secretString: pulumi.secret("rich-value"),
                description: "d",
                tags: { a: "1" },
                replicas: [{ region: "eu-west-1" }],
            });
        }, "refreshlive");
        const up = await s.stack.up(collect(s));
        assert.equal(up.summary.resourceChanges?.create, 3);
        const secrets = (await resourcesOf(s)).filter((x) => x.type === "pulumi-nodejs:dynamic/secretsmanager:Secret");
        assert.equal(secrets.length, 2);
        for (const r of secrets) {
            assert.equal(r.inputs.__provider, PROVIDER_TEXT);
            assert.equal(r.outputs.__provider, PROVIDER_TEXT);
        }
        const refreshed = await s.stack.refresh(collect(s));
        assert.equal(refreshed.summary.result, "succeeded");
        await s.stack.preview({ ...collect(s), expectNoChanges: true });
        await s.stack.up({ ...collect(s), refresh: true } as any);
        await s.stack.destroy({ ...collect(s), refresh: true } as any);
        assert.ok((await describeOrUndefined("refresh/replicated"))?.DeletedDate);
    });

    it("a failure after AWS has acted still lands the secret in state, and the next up finishes", async () => {
        await observer().send(new CreateSecretCommand({ Name: "halfway/adopted", SecretString: "old" }));
        const s = await inlineStack(async () => {
            new Secret("halfway", { name: "halfway/adopted", adopt: true, tags: { team: "a" }, secretString: pulumi.secret("new-value") });
        }, "halfway");
        aws().layer.faults.push({
            op: "TagResource",
            kind: "error",
            times: 1,
            errorName: "AccessDeniedException",
            errorMessage: "not allowed to tag",
        });
        await assert.rejects(s.stack.up(collect(s)), /not allowed to tag/);
        const r = (await resourcesOf(s)).find((x) => x.type === "pulumi-nodejs:dynamic/secretsmanager:Secret");
        assert.ok(r, "the adopted secret is not in state");
        assert.match(r.id, /halfway\/adopted/);
        const again = await s.stack.up(collect(s));
        assert.equal(again.summary.result, "succeeded");
        assert.deepEqual((await describeOrUndefined("halfway/adopted"))?.Tags, [{ Key: "team", Value: "a" }]);
    });

    it("adopts a live secret with adopt: true and restores a scheduled one with restoreIfScheduled; Secret.get reads one without managing it; a destroy deletes the adopted under the policy and leaves the read one alone", async () => {
        const existing = await observer().send(new CreateSecretCommand({ Name: "adopt/engine", SecretString: "made by hand" }));
        const scheduled = await observer().send(new CreateSecretCommand({ Name: "adopt/scheduled", SecretString: "x" }));
        await observer().send(new DeleteSecretCommand({ SecretId: scheduled.ARN, RecoveryWindowInDays: 7 }));
        const other = await observer().send(new CreateSecretCommand({ Name: "read/only", SecretString: "x", Description: "not ours" }));
        const s = await inlineStack(async () => {
            const sec = new Secret("adopted", {
                name: "adopt/engine",
                adopt: true,
                description: "now managed",
                secretString: pulumi.secret("managed"),
            });
            new Secret("restored", { name: "adopt/scheduled", adopt: true, restoreIfScheduled: true });
            const got = installedPackage().Secret.get("looked-up", other.ARN!);
            return { arn: sec.arn, description: got.description, name: got.name };
        }, "adopt");
        await s.stack.setConfig("recoveryWindowInDays", { value: "30" });
        const up = await s.stack.up(collect(s));
        assert.equal(up.outputs.arn.value, existing.ARN);
        assert.equal((await describeOrUndefined("adopt/engine"))?.Description, "now managed");
        assert.equal((await describeOrUndefined(scheduled.ARN!))?.DeletedDate, undefined);
        assert.match(s.printed(), /adopt\/scheduled: restored/);
        assert.equal(up.outputs.description.value, "not ours");
        assert.equal(up.outputs.name.value, "read/only");
        await s.stack.preview({ ...collect(s), expectNoChanges: true });
        await s.stack.setConfig("recoveryWindowInDays", { value: "7" });
        await s.stack.destroy(collect(s));
        assert.equal(await daysUntilDeletion(existing.ARN!), 7);
        assert.equal(await daysUntilDeletion(scheduled.ARN!), 7);
        assert.equal((await describeOrUndefined(other.ARN!))?.DeletedDate, undefined);
    });

    it("a rename creates the new secret before deleting the old one", async () => {
        let name = "rename/old";
        const s = await inlineStack(async () => {
            new Secret("renamed", { name, secretString: pulumi.secret("rename-value") });
        }, "renamefirst");
        await s.stack.setConfig("forceDelete", { value: "true" });
        await s.stack.up(collect(s));
        name = "rename/new";
        aws().layer.reset();
        const up = await s.stack.up(collect(s));
        assert.equal(up.summary.resourceChanges?.replace, 1);
        const ops = aws().layer.ops();
        assert.ok(ops.indexOf("CreateSecret") < ops.indexOf("DeleteSecret"), ops.join(","));
        assert.equal(await describeOrUndefined("rename/old"), undefined);
        assert.ok(await describeOrUndefined("rename/new"));
    });

    it("a rename whose new create fails leaves the old secret in place and in state, even with forceDelete", async () => {
        await observer().send(new CreateSecretCommand({ Name: "taken/by-someone", SecretString: "theirs" }));
        let name = "keep/old";
        const s = await inlineStack(async () => {
            new Secret("victim", { name, secretString: pulumi.secret("keep-me") });
        }, "renamefails");
        await s.stack.setConfig("forceDelete", { value: "true" });
        await s.stack.up(collect(s));
        name = "taken/by-someone";
        await assert.rejects(s.stack.up(collect(s)), /a secret with this name already exists in us-east-1.*adopt: true/s);
        const old = await describeOrUndefined("keep/old");
        assert.ok(old && !old.DeletedDate, "the old secret was deleted");
        assert.ok(
            (await resourcesOf(s)).some((r) => r.id === old.ARN),
            "the old secret left the stack",
        );
    });

    it("a region change onto a replica region of the old secret deletes the old one first", async () => {
        let region = "us-east-1";
        let replicas: { region: string }[] | undefined = [{ region: "eu-west-1" }];
        const s = await inlineStack(async () => {
            new Secret("mover", { name: "moving/secret", region, replicas, secretString: pulumi.secret("moving") });
        }, "regionmove");
        await s.stack.setConfig("forceDelete", { value: "true" });
        await s.stack.up(collect(s));
        region = "eu-west-1";
        replicas = undefined;
        aws().layer.reset();
        await s.stack.up(collect(s));
        const ops = aws().layer.ops();
        assert.ok(ops.lastIndexOf("DeleteSecret") < ops.lastIndexOf("CreateSecret"), ops.join(","));
        assert.ok(await describeOrUndefined("moving/secret", "eu-west-1"));
        assert.equal(await describeOrUndefined("moving/secret", "us-east-1"), undefined);
    });

    it("renaming the resource with an alias keeps the autonamed secret", async () => {
        let resourceName = "before";
        const s = await inlineStack(async () => {
            const sec = new Secret(
                resourceName,
                { secretString: pulumi.secret("aliased") },
                resourceName === "after" ? { aliases: [{ name: "before" }] } : {},
            );
            return { name: sec.name, arn: sec.arn };
        }, "aliasrename");
        const first = await s.stack.up(collect(s));
        resourceName = "after";
        aws().layer.reset();
        const second = await s.stack.up(collect(s));
        assert.equal(second.outputs.name.value, first.outputs.name.value);
        assert.equal(second.outputs.arn.value, first.outputs.arn.value);
        assert.equal(aws().layer.count("CreateSecret") + aws().layer.count("DeleteSecret"), 0, aws().layer.ops().join(","));
    });

    it("preview shows a new autoname as unknown rather than a name up will not use", async () => {
        const s = await inlineStack(async () => {
            const sec = new Secret("autoname", { secretString: pulumi.secret("auto") });
            return { name: sec.name };
        }, "autonamepreview");
        const preview = await s.stack.preview(collect(s));
        assert.doesNotMatch(preview.stdout, /autoname-[0-9a-f]{7}/);
        assert.match(preview.stdout, /name\s*:\s*(output<string>|\[unknown\])/);
        const up = await s.stack.up(collect(s));
        assert.match(up.outputs.name.value, /^autoname-[0-9a-f]{7}$/);
    });

    it("after `pulumi stack rename`, a destroy of the renamed stack (selected, no --stack) follows its configuration, not that of a new stack under the old name", async () => {
        const s = await inlineStack(
            async () => {
                const sec = new Secret("prod-db", { name: "renamed-stack/db", secretString: pulumi.secret("prod-value") });
                return { arn: sec.arn };
            },
            "stackrename",
            "prod",
        );
        await s.stack.setConfig("recoveryWindowInDays", { value: "7" });
        const up = await s.stack.up(collect(s));
        await cli(s, ["stack", "rename", "prod-old", "--stack", "prod"]);
        await cli(s, ["stack", "init", "prod"]);
        await cli(s, ["config", "set", "forceDelete", "true", "--stack", "prod"]);
        // As the user types it: the renamed stack selected, `pulumi destroy` with no --stack.
        await cli(s, ["stack", "select", "prod-old"]);
        const out = await cli(s, ["destroy", "--yes"]);
        assert.equal(await daysUntilDeletion(up.outputs.arn.value), 7, out);
        assert.match(out, /recorded as organization\/stackrename\/prod .*using the configuration of prod-old/);
    });

    it("a forceDelete stored with --secret is read at destroy time", async () => {
        const s = await inlineStack(async () => {
            new Secret("sec", { name: "secret-config/db", secretString: pulumi.secret("v") });
        }, "secretconfig");
        await s.stack.up(collect(s));
        await s.stack.setConfig("forceDelete", { value: "true", secret: true });
        await s.stack.destroy(collect(s));
        assert.equal(await describeOrUndefined("secret-config/db"), undefined, "not force-deleted");
        assert.match(s.printed(), /force-deleted without recovery \(stack config\)/);
    });

    it("destroy --config-file is followed and said so", async () => {
        const s = await inlineStack(async () => {
            new Secret("cf", { name: "config-file/db", secretString: pulumi.secret("v") });
        }, "configfile");
        await s.stack.up(collect(s));
        const file = path.join(s.workDir, "teardown.yaml");
        fs.writeFileSync(file, 'config:\n  aws:region: us-east-1\n  configfile:forceDelete: "true"\n');
        const out = await cli(s, ["destroy", "--yes", "--stack", "test", "--config-file", file]);
        assert.equal(await describeOrUndefined("config-file/db"), undefined, out);
        assert.match(out, /reading the deletion settings from --config-file/);
    });

    it("when the current configuration cannot be read, a window delete uses the recorded one and a force delete is refused", async () => {
        const s = await inlineStack(async () => {
            new Secret("kept", { name: "fallback/kept", secretString: pulumi.secret("v") });
            new Secret("forced", { name: "fallback/forced", secretString: pulumi.secret("v"), recoveryWindowInDays: 7 });
        }, "fallback");
        await s.stack.setConfig("forceDelete", { value: "true" });
        await s.stack.up(collect(s));
        const noCli = { PULUMI_SAFE_SECRET_CLI: path.join(os.tmpdir(), "no-such-pulumi") };
        // The stack says force; the resource with its own window still goes, the force one is refused.
        let out = "";
        await cli(s, ["destroy", "--yes", "--stack", "test"], noCli).then(
            () => assert.fail("the destroy should have refused the force delete"),
            (e: any) => (out = String(e.stdout) + String(e.stderr)),
        );
        assert.match(
            out,
            /fallback\/kept: nothing was deleted: could not read the stack's current configuration .*recorded at the last `pulumi up` says force delete — run the destroy with the `pulumi` CLI on PATH/s,
        );
        assert.ok(!(await describeOrUndefined("fallback/kept"))?.DeletedDate, "the refused secret was deleted");
        assert.equal(await daysUntilDeletion("fallback/forced"), 7);
        assert.match(out, /fallback\/forced: could not read the stack's current configuration .*using the configuration recorded/s);
        await cli(s, ["destroy", "--yes", "--stack", "test"]);
        assert.equal(await describeOrUndefined("fallback/kept"), undefined);
    });

    it("honours aws:profile, aws:assumeRoles and aws:endpoints, and a Secret's own profile", async () => {
        const dir = newWorkDir("awsfiles");
        const credentials = path.join(dir, "credentials");
        fs.writeFileSync(
            credentials,
            [
                "[stackprofile]",
                "aws_access_key_id = AKIASTACKPROFILE0001",
                "aws_secret_access_key = stack-profile-secret",
                "[resourceprofile]",
                "aws_access_key_id = AKIARESOURCEPROF0002",
                "aws_secret_access_key = resource-profile-secret",
                "",
            ].join("\n"),
        );
        const s = await inlineStack(
            async () => {
                new Secret("stack-creds", { name: "creds/stack", secretString: pulumi.secret("v") });
                new Secret("own-creds", { name: "creds/own", secretString: pulumi.secret("v"), profile: "resourceprofile" });
            },
            "awssettings",
            "test",
            {
                AWS_SHARED_CREDENTIALS_FILE: credentials,
                AWS_CONFIG_FILE: path.join(dir, "none"),
                // Nothing listens here: the endpoint must come from aws:endpoints.
                AWS_ENDPOINT_URL_SECRETS_MANAGER: "http://127.0.0.1:9",
            },
        );
        await s.stack.setConfig("aws:profile", { value: "stackprofile" });
        await s.stack.setConfig("aws:endpoints", { value: JSON.stringify([{ secretsmanager: aws().layer.url }]) });
        await s.stack.up(collect(s));
        const keyOf = (name: string) => aws().layer.calls.find((c) => c.op === "CreateSecret" && c.body.Name === name)?.accessKey;
        assert.equal(keyOf("creds/stack"), "AKIASTACKPROFILE0001");
        assert.equal(keyOf("creds/own"), "AKIARESOURCEPROF0002");

        await s.stack.setConfig("aws:assumeRoles", {
            value: JSON.stringify([{ roleArn: "arn:aws:iam::123456789012:role/deployer", sessionName: "pipeline" }]),
        });
        await s.stack.setConfig("aws:endpoints", { value: JSON.stringify([{ secretsmanager: aws().layer.url, sts: aws().moto.url }]) });
        await s.stack.up(collect(s));
        aws().layer.reset();
        await s.stack.destroy(collect(s));
        const deletes = aws().layer.calls.filter((c) => c.op === "DeleteSecret");
        assert.equal(deletes.length, 2);
        const stackDelete = deletes.find((c) => String(c.body.SecretId).includes("creds/stack"))!;
        assert.match(stackDelete.accessKey ?? "", /^ASIA/, "the stack's secret was not deleted with the assumed role's credentials");
    });
});
