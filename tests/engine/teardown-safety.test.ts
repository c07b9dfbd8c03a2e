// The teardown's policy travels with the destroy it starts, never through the user's files, and every setting that
// guards a delete fails closed (issue 28). Everything runs through the packed package and the real CLI.

import { strict as assert } from "assert";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { arnDigest, formatRun } from "../../provider/destroy-time/teardown-run";
import { daysUntilDeletion, describeOrUndefined } from "../support/aws-fixtures";
import { aws } from "../support/harness";
import { cli, EngineStack, env, installedPackage, programStack } from "../support/engine";
import { killProcessesIn, repairKilledFileBackend, waitFor } from "../support/processes";
import { summaryOf, teardownCommand } from "../support/teardown-command";

// The engine deletes api (which depends on db) before it starts on db.
const ORDERED = `
import * as pulumi from "@pulumi/pulumi";
import { Secret } from "pulumi-safe-secret";
const db = new Secret("db", { name: \`safety/\${pulumi.getStack()}/db\`, secretString: pulumi.secret("v") });
const api = new Secret("api", { name: \`safety/\${pulumi.getStack()}/api\`, secretString: pulumi.secret("w") }, { dependsOn: [db] });
export const arns = [db.arn, api.arn];
`;

/** The installed command, started in its own process group so that a SIGKILL reaches the CLI it started too. */
function startCommand(s: EngineStack, args: string[]): { child: ChildProcess; stderr: () => string } {
    const bin = path.join(installedPackage().dir, "node_modules", ".bin", "pulumi-safe-secret");
    const child = spawn(bin, args, {
        cwd: s.workDir,
        env: { ...process.env, ...env(s.workDir) },
        detached: true,
        stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr!.on("data", (d) => (err += String(d)));
    return { child, stderr: () => err };
}

async function killGroup(s: EngineStack, child: ChildProcess): Promise<void> {
    process.kill(-child.pid!, "SIGKILL");
    if (child.exitCode === null) await new Promise((r) => child.once("exit", r));
    killProcessesIn(s.workDir); // the engine starts plugins in process groups of their own
    repairKilledFileBackend(s.stateDir);
}

/** api's next DeleteSecret is answered 3 s late: a teardown is still under way while the test acts. */
function slowApiDelete(): void {
    aws().layer.faults.push({
        op: "DeleteSecret",
        kind: "slow",
        times: 1,
        delayMs: 3000,
        when: (b) => String(b.SecretId).includes("/api"),
    });
}

const deletesOf = (part: string) => aws().layer.calls.filter((c) => c.op === "DeleteSecret" && String(c.body.SecretId).includes(part));

describe("the teardown's policy travels with the destroy, and safety settings fail closed", function () {
    this.timeout(300_000);

    it("a teardown SIGKILLed before and during its destroy leaves the settings file byte for byte; a plain destroy then follows the committed window, ignoring a stale policy", async () => {
        const s = await programStack("killed", ORDERED, "review");
        const up = await s.stack.up();
        const [dbArn] = up.outputs.arns!.value as string[];
        const file = path.join(s.workDir, "Pulumi.review.yaml");
        // As a person writes it (comments, quoting, order): what a rewrite by the CLI would change. Its encryption
        // settings stay as the CLI wrote them.
        const { config: _, ...encryption } = yaml.load(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
        const committed = `# review stack, committed\nconfig:\n  killed:recoveryWindowInDays: '7'   # keep a week\n  aws:region: "us-east-1"\n${yaml.dump(encryption, { lineWidth: -1 })}`;
        fs.writeFileSync(file, committed);

        // 1. Killed once its gates have passed, before the destroy.
        aws().layer.reset();
        const early = startCommand(s, ["teardown", "--stack", "review", "--force-delete"]);
        await waitFor(() => /checking each secret's delete against the policy/.test(early.stderr()), "the teardown's gates");
        await killGroup(s, early.child);
        assert.equal(fs.readFileSync(file, "utf8"), committed);
        assert.equal(aws().layer.count("DeleteSecret"), 0, early.stderr());

        // 2. Killed while AWS answers its first delete (api's, slowly); db's is not sent yet.
        slowApiDelete();
        const mid = startCommand(s, ["teardown", "--stack", "review", "--force-delete"]);
        await waitFor(() => deletesOf("/api").length === 1, "the teardown's delete of api");
        await killGroup(s, mid.child);
        assert.equal(fs.readFileSync(file, "utf8"), committed);
        await waitFor(() => deletesOf("/api").every((c) => c.done), "api's delete reaching moto");
        assert.equal(deletesOf("/api")[0]!.body.ForceDeleteWithoutRecovery, true);
        assert.equal(deletesOf("/db").length, 0);

        // A teardown's policy left in a shell's environment: its process is gone, so it governs nothing.
        const sleeper = spawn("sleep", ["60"]);
        const stale = formatRun(
            { stack: "review", settings: { killed: { forceDelete: "true" } }, secrets: [arnDigest(dbArn!)], source: "teardown" },
            sleeper.pid!,
        );
        sleeper.kill("SIGKILL");
        await new Promise((r) => sleeper.once("exit", r));
        await cli(s, ["cancel", "--yes"]);
        const out = await cli(s, ["destroy", "--yes", "--stack", "review"], stale);
        assert.match(
            out,
            /not following PULUMI_SAFE_SECRET_TEARDOWN was set by a teardown \(process \d+\) that did not start this destroy/,
        );
        assert.equal(await daysUntilDeletion("safety/review/db"), 7, out);
        assert.deepEqual(
            deletesOf("/db").map((c) => c.body.RecoveryWindowInDays),
            [7],
        );
        assert.equal(await describeOrUndefined("safety/review/api"), undefined);
        assert.equal(fs.readFileSync(file, "utf8"), committed);

        // The stack is empty now: removing it succeeds the first time.
        const removed = await teardownCommand(s, ["teardown", "--stack", "review", "--remove-stack"]);
        assert.equal(removed.code, 0, removed.stdout + removed.stderr);
        assert.deepEqual([summaryOf(removed).secrets, summaryOf(removed).stackRemoved], [[], true]);
    });

    it("an invalid guard set after the up refuses a force delete at a plain destroy and at the teardown's gate, naming the key, the value and the fix", async () => {
        const s = await programStack("closed", ORDERED, "acc");
        await s.stack.setConfig("forceDelete", { value: "true" });
        await s.stack.up();
        const cases: [string, string, RegExp][] = [
            [
                "inUseGuardDays",
                "abc",
                /closed:inUseGuardDays is "abc", but it must be a whole number of days from 0 \(off\) to 365 — run `pulumi config set inUseGuardDays 7`/,
            ],
            ["inUseGuardDays", "1000", /closed:inUseGuardDays is "1000"/],
            ["inUseGuardDays", "-1", /closed:inUseGuardDays is "-1"/],
            [
                "teardownProtection",
                "True",
                /closed:teardownProtection is "True", but only true or false is accepted — run `pulumi config set teardownProtection true` \(or false\)/,
            ],
        ];
        for (const [key, value, message] of cases) {
            await s.stack.setConfig(key, { value });
            aws().layer.reset();
            const destroyed = await cli(s, ["destroy", "--yes"]).then(
                (o) => ({ ok: true, text: o }),
                (e: { stdout?: string; stderr?: string }) => ({ ok: false, text: `${e.stdout}${e.stderr}` }),
            );
            assert.equal(destroyed.ok, false, `${key}=${value}: ${destroyed.text}`);
            assert.match(destroyed.text, message);
            assert.match(destroyed.text, /force delete without recovery \(stack config\), but a setting that guards it is invalid/);
            // Said by the engine (its progress and its diagnostics), not echoed again with a stack trace by the host.
            assert.doesNotMatch(destroyed.text, /SecretOperationError|    at /);
            assert.equal(aws().layer.count("DeleteSecret"), 0, `${key}=${value}`);

            const torn = await teardownCommand(s, ["teardown", "--stack", "acc"]);
            assert.equal(torn.code, 2, `${key}=${value}: ${torn.stdout}${torn.stderr}`);
            assert.match(summaryOf(torn).reason, message);
            assert.deepEqual(
                summaryOf(torn).secrets.map((x: any) => x.outcome),
                ["refused", "refused"],
            );
            assert.equal(aws().layer.count("DeleteSecret"), 0, `${key}=${value}`);
            await cli(s, ["config", "rm", key]);
        }
        for (const n of ["db", "api"]) assert.ok(await describeOrUndefined(`safety/acc/${n}`));
        // The protection's typo with the teardown's own --force-delete: refused too.
        await s.stack.setConfig("teardownProtection", { value: "True" });
        const forced = await teardownCommand(s, ["teardown", "--stack", "acc", "--force-delete"]);
        assert.equal(forced.code, 2, forced.stdout + forced.stderr);
        assert.match(summaryOf(forced).reason, /closed:teardownProtection is "True"/);
        for (const n of ["db", "api"]) assert.ok(await describeOrUndefined(`safety/acc/${n}`));
    });

    it("two sweeps over the same stacks at once: each stack torn down by one, the other reports it busy or finds it empty; every AWS delete is in exactly one summary line", async () => {
        const s = await programStack("twosweeps", ORDERED, "pr-a");
        await s.stack.up();
        await cli(s, ["stack", "init", "pr-b"]);
        await cli(s, ["config", "set", "aws:region", "us-east-1", "--stack", "pr-b"]);
        await cli(s, ["up", "--yes", "--skip-preview", "--stack", "pr-b"]);
        aws().layer.reset();
        // Slow deletes keep each stack's teardown under way while the other sweep reaches it.
        aws().layer.faults.push({ op: "DeleteSecret", kind: "slow", times: 4, delayMs: 1500 });
        const args = ["sweep", "--stacks", "pr-*", "--idle-for", "0s", "--force-delete", "--concurrency", "2"];
        const [one, two] = await Promise.all([teardownCommand(s, args), teardownCommand(s, args)]);
        const lines = [summaryOf(one), summaryOf(two)].flatMap((x) => x.stacks.flatMap((t: any) => t.secrets));
        const reported = lines.filter((x: any) => x.outcome === "force-deleted").map((x: any) => x.id);
        const made = aws()
            .layer.calls.filter((c) => c.op === "DeleteSecret" && c.status === 200)
            .map((c) => String(c.body.SecretId));
        assert.equal(made.length, 4, `${one.stdout}${two.stdout}`);
        assert.deepEqual([...reported].sort(), [...made].sort(), `${one.stdout}${two.stdout}`);
        assert.ok(
            lines.every((x: any) => x.outcome === "force-deleted"),
            JSON.stringify(lines),
        );
        const results = [summaryOf(one), summaryOf(two)].flatMap((x) => x.stacks.map((t: any) => `${t.stack} ${t.result}`));
        assert.ok(
            results.some((r) => r.endsWith(" busy")),
            `no run met the other's lock: ${results.join(", ")}`,
        );
        for (const r of [one, two]) if (summaryOf(r).stacks.some((t: any) => t.result === "busy")) assert.equal(r.code, 1, r.stdout);
        for (const n of ["pr-a", "pr-b"])
            for (const k of ["db", "api"]) assert.equal(await describeOrUndefined(`safety/${n}/${k}`), undefined);
    });

    it("a second teardown of a stack being torn down reports it busy and touches nothing; every delete is in the first's summary", async () => {
        const s = await programStack("busy", ORDERED, "pr-9");
        await s.stack.up();
        aws().layer.reset();
        slowApiDelete();
        const first = teardownCommand(s, ["teardown", "--stack", "pr-9", "--force-delete", "--remove-stack"]);
        await waitFor(() => deletesOf("/api").length === 1, "the first teardown's destroy");
        const second = await teardownCommand(s, ["teardown", "--stack", "pr-9", "--force-delete", "--remove-stack"]);
        assert.equal(second.code, 1, second.stdout + second.stderr);
        assert.equal(summaryOf(second).result, "busy");
        assert.deepEqual(summaryOf(second).secrets, []);
        assert.match(
            summaryOf(second).reason,
            /stack pr-9 is being torn down by another run \(process \d+, since .*\); nothing was touched/,
        );
        const done = await first;
        assert.equal(done.code, 0, done.stdout + done.stderr);
        const reported = summaryOf(done)
            .secrets.filter((x: any) => x.outcome === "force-deleted")
            .map((x: any) => x.id);
        const made = aws()
            .layer.calls.filter((c) => c.op === "DeleteSecret" && c.status === 200)
            .map((c) => c.body.SecretId);
        assert.deepEqual([...reported].sort(), [...made].sort());
        assert.equal(made.length, 2);
    });
});
