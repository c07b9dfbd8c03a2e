// The destroy follows the configuration of the stack being destroyed in every invocation users type, and the
// teardown reports only what the provider's delete reported (issue 16, each numbered point a test below). Everything
// runs through the packed package and the real CLI.

import { strict as assert } from "assert";
import { spawn } from "child_process";
import { CreateSecretCommand } from "@aws-sdk/client-secrets-manager";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { DAY_MS, describeOrUndefined, observer } from "../support/aws-fixtures";
import { aws } from "../support/harness";
import { cli, collect, env, inlineStack, loggingCli, programStack, pulumi, Secret } from "../support/engine";
import { sleep } from "../support/processes";
import { summaryOf, teardownCommand } from "../support/teardown-command";

const PER_STACK = `
import * as pulumi from "@pulumi/pulumi";
import { Secret } from "pulumi-safe-secret";
const db = new Secret("db", { name: \`contract/\${pulumi.getStack()}/db\`, secretString: pulumi.secret("v") });
export const arn = db.arn;
`;

async function daysLeft(id: string): Promise<number | undefined> {
    const d = (await describeOrUndefined(id))?.DeletedDate;
    return d === undefined ? undefined : Math.round((d.getTime() - Date.now()) / DAY_MS);
}

describe("the destroy follows the right stack's configuration, and the teardown reports what happened", function () {
    this.timeout(300_000);

    it("1. `pulumi -C <dir> destroy` from the parent directory reads that project's stack (with /proc and with ps)", async () => {
        for (const lookup of ["proc", "ps"]) {
            const s = await programStack(`cdir${lookup}`, PER_STACK, `cdir-${lookup}`);
            await s.stack.up();
            const parent = path.dirname(s.workDir);
            const dir = path.basename(s.workDir);
            await cli(s, ["-C", dir, "config", "set", "forceDelete", "true"], {}, parent);
            const out = await cli(
                s,
                ["-C", dir, "destroy", "--yes"],
                lookup === "ps" ? { PULUMI_SAFE_SECRET_PROCESS_LOOKUP: "ps" } : {},
                parent,
            );
            assert.doesNotMatch(out, /could not read the stack's current configuration/);
            assert.equal(await describeOrUndefined(`contract/cdir-${lookup}/db`), undefined, `not force-deleted (${lookup}): ${out}`);
        }
    });

    it("2. a destroy without --stack keeps to the stack it started on when another is selected meanwhile; 8. only deletion keys are decrypted", async () => {
        const prod = await programStack("select", PER_STACK, "prod");
        await prod.stack.setConfig("teardownProtection", { value: "true" });
        await prod.stack.setConfig("recoveryWindowInDays", { value: "7" });
        await prod.stack.setConfig("dbPassword", { value: "never-decrypt-me", secret: true });
        await prod.stack.up();
        await cli(prod, ["stack", "init", "eph"]);
        await cli(prod, ["config", "set", "aws:region", "us-east-1", "--stack", "eph"]);
        await cli(prod, ["config", "set", "forceDelete", "true", "--stack", "eph"]);
        await cli(prod, ["up", "--yes", "--skip-preview", "--stack", "eph"]);
        await cli(prod, ["stack", "select", "prod"]);

        const gate = path.join(prod.workDir, "go");
        const logged = loggingCli(prod.workDir, gate);
        const child = spawn("pulumi", ["destroy", "--yes", "--non-interactive"], {
            cwd: prod.workDir,
            env: { ...process.env, ...env(prod.workDir), PULUMI_SAFE_SECRET_CLI: logged.path },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        child.stdout.on("data", (c) => (out += c));
        child.stderr.on("data", (c) => (out += c));
        const deadline = Date.now() + 60_000;
        while (!logged.waiting() && Date.now() < deadline) await sleep(100);
        assert.ok(logged.waiting(), "the destroy never read the configuration");
        // Someone selects the ephemeral stack while prod's destroy runs.
        await cli(prod, ["stack", "select", "eph"]);
        fs.writeFileSync(gate, "");
        const code = await new Promise((r) => child.once("exit", r));
        assert.equal(code, 0, out);

        assert.equal(await daysLeft("contract/prod/db"), 7, `prod's secret must keep its 7-day window: ${out}`);
        assert.ok(await describeOrUndefined("contract/eph/db"), "eph's secret was touched");
        const calls = logged.calls();
        assert.ok(
            calls.every((c) => !c.includes("--show-secrets")),
            calls.join("\n"),
        );
        assert.ok(
            calls.every((c) => !c.includes("dbPassword")),
            calls.join("\n"),
        );
        assert.ok(
            calls.some((c) => /--stack organization\/select\/prod\b/.test(c)),
            calls.join("\n"),
        );
    });

    it("3. an Automation API inline program's destroy reads its stack, with forceDelete set before or after the up", async () => {
        for (const when of ["before", "after"]) {
            const s = await inlineStack(async () => {
                new Secret("db", { name: `contract/inline-${when}/db`, secretString: pulumi.secret("v") });
            }, `inline${when}`);
            if (when === "before") await s.stack.setConfig("forceDelete", { value: "true" });
            await s.stack.up(collect(s));
            if (when === "after") await s.stack.setConfig("forceDelete", { value: "true" });
            const r = await s.stack.destroy(collect(s));
            assert.equal(r.summary.result, "succeeded");
            assert.equal(
                await describeOrUndefined(`contract/inline-${when}/db`),
                undefined,
                `forceDelete set ${when} the up was not followed: ${s.printed()}`,
            );
        }
    });

    it("4. the teardown reports only secrets the stack manages, and keeps one name in two regions apart", async () => {
        const foreign = await observer().send(new CreateSecretCommand({ Name: "contract/not-ours", SecretString: "x" }));
        const s = await programStack(
            "owned",
            `
import { Secret } from "pulumi-safe-secret";
new Secret("east", { name: "contract/twin", secretString: "a" });
new Secret("west", { name: "contract/twin", region: "eu-west-1", secretString: "b" });
export const lookedUp = Secret.get("lookup", "${foreign.ARN}").name;
`,
            "owned",
        );
        await s.stack.up();
        const r = await teardownCommand(s, ["teardown", "--stack", "owned", "--force-delete"]);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        const summary = summaryOf(r);
        assert.deepEqual(summary.secrets.map((x: any) => [x.name, x.region, x.outcome]).sort(), [
            ["contract/twin", "eu-west-1", "force-deleted"],
            ["contract/twin", "us-east-1", "force-deleted"],
        ]);
        assert.ok(!r.stdout.includes("not-ours"), "a lookup was reported");
        assert.ok((await describeOrUndefined(foreign.ARN!)) && !(await describeOrUndefined(foreign.ARN!))!.DeletedDate);
        assert.ok(
            summary.secrets.every((x: any) => x.configSource === "teardown" && x.policy === "force delete without recovery (stack config)"),
            JSON.stringify(summary.secrets),
        );
    });

    it("5. a teardown of a stack that does not exist is not success, unless --allow-missing", async () => {
        const s = await programStack("missing", PER_STACK, "real");
        const r = await teardownCommand(s, ["teardown", "--stack", "acc-typo", "--force-delete"]);
        assert.equal(r.code, 3, r.stdout + r.stderr);
        assert.equal(summaryOf(r).result, "missing");
        assert.match(r.stdout, /stack acc-typo does not exist in this backend — check the name; .*--allow-missing/);
        const allowed = await teardownCommand(s, ["teardown", "--stack", "acc-typo", "--force-delete", "--allow-missing"]);
        assert.equal(allowed.code, 0);
        assert.equal(summaryOf(allowed).stackFound, false);
    });

    it("6. a failed or refused teardown leaves the stack's settings file byte for byte: the policy was never written there", async () => {
        const s = await programStack("restore", PER_STACK, "restore");
        await s.stack.up();
        const file = path.join(s.workDir, "Pulumi.restore.yaml");
        // As a person writes it (comments, quoting, order), keeping the encryption settings the CLI wrote.
        const { config: _, ...encryption } = yaml.load(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
        const written = `# review stack\nconfig:\n  restore:recoveryWindowInDays: '7'   # keep a week\n  aws:region: "us-east-1"\n${yaml.dump(encryption, { lineWidth: -1 })}`;
        fs.writeFileSync(file, written);
        aws().layer.faults.push({ op: "DeleteSecret", kind: "error", times: 20, errorName: "AccessDeniedException", errorMessage: "no" });
        const failed = await teardownCommand(s, ["teardown", "--stack", "restore", "--force-delete"]);
        assert.equal(failed.code, 1, failed.stdout + failed.stderr);
        assert.equal("settingsRestored" in summaryOf(failed), false);
        assert.equal(fs.readFileSync(file, "utf8"), written);

        aws().layer.faults = [];
        await cli(s, ["config", "set", "teardownProtection", "true"]);
        const protectedText = fs.readFileSync(file, "utf8");
        const refused = await teardownCommand(s, ["teardown", "--stack", "restore", "--force-delete"]);
        assert.equal(refused.code, 2, refused.stdout + refused.stderr);
        assert.equal(fs.readFileSync(file, "utf8"), protectedText);
    });
});
