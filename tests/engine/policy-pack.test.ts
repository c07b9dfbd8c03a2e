// The policy pack shipped in the package (policy-pack/), run as a platform team runs it: `pulumi preview/up
// --policy-pack node_modules/pulumi-safe-secret/policy-pack`, through the Node.js language host's RunPlugin, against a
// project that uses the installed package.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { describeOrUndefined } from "../support/aws-fixtures";
import { aws } from "../support/harness";
import { cli, EngineStack, installedPackage, projectStack } from "../support/engine";

const PACK = () => path.join(installedPackage().dir, "node_modules", "pulumi-safe-secret", "policy-pack");

function policyConfig(s: EngineStack, config: Record<string, unknown>): string {
    const file = path.join(s.workDir, "policy-config.json");
    fs.writeFileSync(file, JSON.stringify(config, null, 2));
    return file;
}

async function failureOf(p: Promise<string>): Promise<string> {
    try {
        await p;
    } catch (e) {
        const err = e as { stdout?: string; stderr?: string };
        return `${err.stdout ?? ""}${err.stderr ?? ""}`;
    }
    assert.fail("the command succeeded, but the policy pack should have refused it");
}

describe("policy pack through the engine", function () {
    this.timeout(300_000);

    it("passes a compliant production stack: preview and up run the pack and create the secret", async () => {
        const name = `policy/ok-${process.pid}`;
        const s = await projectStack("production", "production", {
            dbPassword: "compliant-value",
            secretName: name,
            recoveryWindowInDays: "14",
            teardownProtection: "true",
        });
        const cfg = policyConfig(s, {
            "secrets-carry-required-tags": { requiredTags: ["environment"] },
            "secrets-replicated-in-named-stacks": { replicatedStacks: ["eu-prod"] },
        });
        const preview = await cli(s, ["preview", "--policy-pack", PACK(), "--policy-pack-config", cfg]);
        assert.match(preview, /Policies:\s*\n\s*✅ pulumi-safe-secret@v\d/, "the pack did not run, or did not pass");
        // The secret's value comes from secretString in a protected stack: the generated-value rule is off by default.
        assert.doesNotMatch(preview, /mandatory|advisory|secrets-use-generated-values/);
        await cli(s, ["up", "--yes", "--policy-pack", PACK(), "--policy-pack-config", cfg]);
        assert.ok(await describeOrUndefined(name), "up with the pack did not create the secret");
    });

    it("refuses a production stack that would force-delete, naming each rule, the resource and the fix; nothing is created", async () => {
        const name = `policy/bad-${process.pid}`;
        const s = await projectStack("production", "production", { dbPassword: "careless-value", secretName: name, forceDelete: "true" });
        const cfg = policyConfig(s, { "secrets-carry-required-tags": { requiredTags: ["owner"] } });
        aws().layer.reset();
        const out = await failureOf(cli(s, ["up", "--yes", "--policy-pack", PACK(), "--policy-pack-config", cfg]));
        assert.match(out, /secrets-keep-recovery-window-in-protected-stacks/);
        assert.match(
            out,
            /Secret "db-password" would be deleted without recovery \(force delete without recovery \(stack config\)\), but stack "production" is protected \(matches "production"\) — run `pulumi config rm forceDelete`/,
        );
        assert.match(out, /protected-stacks-enable-teardown-protection/);
        assert.match(out, /run `pulumi config set teardownProtection true`/);
        // Advisory: reported, not what refuses the update.
        assert.match(
            out,
            /secrets-carry-required-tags[\s\S]*Secret "db-password" lacks the required tag owner — add tags: \{ "owner": "..." \}/,
        );
        assert.equal(aws().layer.count("CreateSecret"), 0);
        assert.equal(await describeOrUndefined(name), undefined);
    });

    it("follows its configuration: a longer minimum window, a rule made advisory, stacks outside the patterns", async () => {
        const name = `policy/window-${process.pid}`;
        const s = await projectStack("production", "prod-eu", {
            dbPassword: "v",
            secretName: name,
            recoveryWindowInDays: "7",
            teardownProtection: "true",
        });
        const strict = policyConfig(s, { "secrets-keep-recovery-window-in-protected-stacks": { minimumRecoveryWindowInDays: 14 } });
        const out = await failureOf(cli(s, ["preview", "--policy-pack", PACK(), "--policy-pack-config", strict]));
        assert.match(
            out,
            /would stay recoverable for 7 days \(recovery window of 7 days \(stack config\)\), but stack "prod-eu" is protected \(matches "prod-\*"\) and needs at least 14 — run `pulumi config set recoveryWindowInDays 14`/,
        );

        const advisory = policyConfig(s, {
            "secrets-keep-recovery-window-in-protected-stacks": { enforcementLevel: "advisory", minimumRecoveryWindowInDays: 14 },
            "secrets-use-generated-values-in-protected-stacks": { enforcementLevel: "advisory" },
        });
        const warned = await cli(s, ["preview", "--policy-pack", PACK(), "--policy-pack-config", advisory]);
        assert.match(warned, /advisory[\s\S]*needs at least 14/);
        assert.match(
            warned,
            /\[advisory\]\s+secrets-use-generated-values-in-protected-stacks[\s\S]*Secret "db-password" takes its value from secretString[\s\S]*stack "prod-eu" is protected \(matches "prod-\*"\)[\s\S]*replace secretString with generateSecretString/,
        );

        const ephemeral = await projectStack("production", "pr-42", { dbPassword: "v", secretName: `${name}-pr`, forceDelete: "true" });
        const passed = await cli(ephemeral, ["preview", "--policy-pack", PACK()]);
        assert.match(passed, /✅ pulumi-safe-secret@v\d/);
        assert.doesNotMatch(passed, /mandatory|advisory/);
    });
});
