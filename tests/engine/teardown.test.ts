// `npx pulumi-safe-secret teardown`, the installed package's command, run as a pipeline runs it: in the project
// directory, against the stack's backend, with the emulator as AWS.

import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { denyDeleteOnce, describeOrUndefined } from "../support/aws-fixtures";
import { aws } from "../support/harness";
import { env, installedPackage, projectStack } from "../support/engine";
import { killProcessesIn, repairKilledFileBackend, waitFor } from "../support/processes";
import { assertForceDeletedByStack, summaryOf, teardownCommand } from "../support/teardown-command";

describe("teardown command through the engine", function () {
    this.timeout(300_000);

    it("force-deletes every secret of a review stack, prints a line each and a summary, removes the stack; a re-run with --allow-missing is a no-op", async () => {
        const s = await projectStack("ephemeral", "pr-101");
        await s.stack.up();
        const names = ["db-password", "api-token", "session-key"].map((n) => `preview/pr-101/${n}`);
        for (const n of names) assert.ok(await describeOrUndefined(n));

        const r = await teardownCommand(s, [
            "teardown",
            "--stack",
            "pr-101",
            "--force-delete",
            "--remove-stack",
            "--summary-file",
            path.join(s.workDir, "summary.json"),
        ]);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        await assertForceDeletedByStack(r, names);
        const summary = summaryOf(r);
        assert.deepEqual(JSON.parse(fs.readFileSync(path.join(s.workDir, "summary.json"), "utf8")), summary);
        assert.equal(summary.result, "done");
        assert.equal(summary.stackRemoved, true);
        assert.deepEqual(summary.secrets.map((x: any) => [x.name, x.outcome]).sort(), names.map((n) => [n, "force-deleted"]).sort());
        assert.match(r.stderr, /\[teardown [0-9.]+s\] deletion policy: force delete without recovery \(set by teardown\)/);
        assert.ok(!(await s.stack.workspace.listStacks()).some((x) => x.name === "pr-101"), "the stack was not removed");

        // A pipeline re-running the finished job says the stack may be gone already.
        const again = await teardownCommand(s, ["teardown", "--stack", "pr-101", "--force-delete", "--remove-stack", "--allow-missing"]);
        assert.equal(again.code, 0, again.stdout + again.stderr);
        assert.equal(summaryOf(again).stackFound, false);
        assert.match(again.stderr, /stack pr-101 does not exist in this backend: nothing to tear down \(--allow-missing\)/);
    });

    it("exits 2 (refused by policy) in a stack under teardown protection, deleting nothing; with --no-preview too, for a program that no longer runs", async () => {
        const s = await projectStack("ephemeral", "pr-103", { teardownProtection: "true" });
        await s.stack.up();
        aws().layer.reset();
        const r = await teardownCommand(s, ["teardown", "--stack", "pr-103", "--force-delete", "--remove-stack"]);
        assert.equal(r.code, 2, r.stdout + r.stderr);
        assert.equal(summaryOf(r).result, "refused");
        assert.deepEqual(
            summaryOf(r).secrets.map((x: any) => x.outcome),
            ["refused", "refused", "refused"],
        );
        assert.match(summaryOf(r).reason, /^refused by policy, nothing was deleted: /);
        assert.match(
            r.stdout,
            /^✗ preview\/pr-103\/\S+ \(us-east-1\): refused — .*safe-secret-ephemeral:teardownProtection is true, so secrets of this stack may not be deleted without recovery/m,
        );
        assert.equal(aws().layer.count("DeleteSecret"), 0);
        assert.ok(await describeOrUndefined("preview/pr-103/db-password"));
        assert.ok(
            (await s.stack.workspace.listStacks()).some((x) => x.name === "pr-103"),
            "a refused teardown removed the stack",
        );
        // The refused policy is not left behind: the stack's next `pulumi up` still works.
        assert.doesNotMatch(fs.readFileSync(path.join(s.workDir, "Pulumi.pr-103.yaml"), "utf8"), /forceDelete/);
        assert.equal((await s.stack.up()).summary.result, "succeeded");

        // The gate needs no program: it decides from the state and the stack's configuration.
        fs.writeFileSync(path.join(s.workDir, "index.ts"), 'throw new Error("this program no longer runs");\n');
        aws().layer.reset();
        const broken = await teardownCommand(s, ["teardown", "--stack", "pr-103", "--force-delete", "--no-preview", "--remove-stack"]);
        assert.equal(broken.code, 2, broken.stdout + broken.stderr);
        assert.doesNotMatch(broken.stderr, /previewing|destroying|no longer runs/);
        assert.match(broken.stdout, /^✗ preview\/pr-103\/db-password \(us-east-1\): refused — .*teardownProtection is true/m);
        assert.equal(aws().layer.count("DeleteSecret"), 0);
        for (const n of ["db-password", "api-token", "session-key"]) assert.ok(await describeOrUndefined(`preview/pr-103/${n}`));
        assert.ok((await s.stack.workspace.listStacks()).some((x) => x.name === "pr-103"));
        assert.doesNotMatch(
            fs.readFileSync(path.join(s.workDir, "Pulumi.pr-103.yaml"), "utf8"),
            /forceDelete/,
            "the refused policy was left in the config",
        );
    });

    it("tears down a stack whose program no longer compiles (no program run); with --run-program it exits 1 and deletes nothing", async () => {
        const s = await projectStack("ephemeral", "pr-107");
        await s.stack.up();
        // A program that fails before it declares anything (a throw; or a tsconfig TypeScript refuses even transpiling).
        fs.writeFileSync(path.join(s.workDir, "index.ts"), 'throw new Error("this program no longer runs");\n');
        aws().layer.reset();
        const r = await teardownCommand(s, ["teardown", "--stack", "pr-107", "--force-delete", "--remove-stack", "--run-program"]);
        assert.equal(r.code, 1, r.stdout + r.stderr);
        assert.equal(summaryOf(r).result, "failed");
        assert.match(summaryOf(r).reason, /TS5110|this program no longer runs/);
        assert.doesNotMatch(r.stdout, /run the same command again/);
        assert.equal(aws().layer.count("DeleteSecret"), 0);
        for (const n of ["db-password", "api-token", "session-key"]) assert.ok(await describeOrUndefined(`preview/pr-107/${n}`));

        const again = await teardownCommand(s, ["teardown", "--stack", "pr-107", "--force-delete", "--remove-stack"]);
        assert.equal(again.code, 0, again.stdout + again.stderr);
        assert.doesNotMatch(again.stderr, /running the program|no longer runs|TS5110/);
        assert.deepEqual(
            summaryOf(again).secrets.map((x: any) => x.outcome),
            ["force-deleted", "force-deleted", "force-deleted"],
        );
        assert.equal(aws().layer.count("DeleteSecret"), 3);
    });

    it("exits 2 when a policy pack's mandatory rule refuses the teardown's policy, judged on the state (also with --run-program); a CLI without `policy analyze` exits 1, deleting nothing", async () => {
        const s = await projectStack("ephemeral", "production-eu");
        await s.stack.up();
        const pack = path.join(installedPackage().dir, "node_modules", "pulumi-safe-secret", "policy-pack");
        // A CLI from before `pulumi policy analyze`: its `pulumi policy` stops at the first flag it does not know.
        const oldCli = fs.mkdtempSync(path.join(s.workDir, "old-cli-"));
        fs.writeFileSync(
            path.join(oldCli, "pulumi"),
            `#!/bin/sh\n[ "$1 $2" = "policy analyze" ] && { echo "error: unknown flag: --stack" >&2; exit 255; }\nexec ${JSON.stringify(whichPulumi())} "$@"\n`,
            { mode: 0o755 },
        );
        const runs: [string, string[]][] = [
            ["analyze", []],
            ["analyze, --run-program", ["--run-program"]],
        ];
        for (const [how, extra] of runs) {
            const r = await teardownCommand(s, ["teardown", "--stack", "production-eu", "--force-delete", "--policy-pack", pack, ...extra]);
            assert.equal(r.code, 2, `${how}: ${r.stdout}${r.stderr}`);
            assert.match(
                r.stdout,
                /^✗ preview\/production-eu\/db-password \(us-east-1\): refused — \[mandatory\] secrets-keep-recovery-window-in-protected-stacks: Secret "db-password" would be deleted without recovery .* — run `pulumi config rm forceDelete`\.$/m,
                how,
            );
            assert.match(
                summaryOf(r).reason,
                /\[mandatory\] protected-stacks-enable-teardown-protection: stack "production-eu" is protected/,
                how,
            );
            assert.match(r.stderr, /judging the stack's resources with policy pack .* \(pulumi policy analyze\)/, how);
            assert.doesNotMatch(r.stderr, /previewing/, how);
        }
        // A preview would judge the committed configuration, not the teardown's policy: an old CLI is no judge.
        aws().layer.reset();
        const old = await teardownCommand(s, ["teardown", "--stack", "production-eu", "--force-delete", "--policy-pack", pack], {
            PATH: `${oldCli}${path.delimiter}${process.env.PATH}`,
        });
        assert.equal(old.code, 1, old.stdout + old.stderr);
        assert.match(
            summaryOf(old).reason,
            /this pulumi CLI has no `pulumi policy analyze`.* — upgrade the pulumi CLI, or run without --policy-pack/,
        );
        assert.equal(aws().layer.count("DeleteSecret"), 0);
        assert.ok(await describeOrUndefined("preview/production-eu/db-password"));
    });

    it("exits 1 when AWS fails a delete, names the secret and the error; the same command run again finishes", async () => {
        const s = await projectStack("ephemeral", "pr-104");
        await s.stack.up();
        denyDeleteOnce("api-token");
        const r = await teardownCommand(s, ["teardown", "--stack", "pr-104", "--force-delete", "--remove-stack"]);
        assert.equal(r.code, 1, r.stdout + r.stderr);
        const summary = summaryOf(r);
        assert.equal(summary.result, "failed");
        assert.equal(summary.reason, "1 of 3 secrets not deleted (preview/pr-104/api-token); each line above says why");
        assert.match(
            r.stdout,
            /^teardown of pr-104: failed — the reason says what stopped it; once that is fixed, the same command finishes the job/m,
        );
        const failed = summary.secrets.find((x: any) => x.name === "preview/pr-104/api-token");
        assert.equal(failed.outcome, "failed");
        assert.match(failed.detail, /AccessDeniedException|not authorized/);
        assert.ok(await describeOrUndefined("preview/pr-104/api-token"), "the failed secret is gone from AWS");
        assert.ok(
            (await s.stack.workspace.listStacks()).some((x) => x.name === "pr-104"),
            "a failed teardown removed the stack",
        );

        const again = await teardownCommand(s, ["teardown", "--stack", "pr-104", "--force-delete", "--remove-stack"]);
        assert.equal(again.code, 0, again.stdout + again.stderr);
        assert.deepEqual(
            summaryOf(again).secrets.map((x: any) => [x.name, x.outcome]),
            [["preview/pr-104/api-token", "force-deleted"]],
        );
        assert.equal(await describeOrUndefined("preview/pr-104/api-token"), undefined);
    });

    it("after a teardown killed mid-destroy (a cancelled job), says the stack is locked; with --unlock a re-run finishes", async () => {
        const s = await projectStack("ephemeral", "pr-107");
        await s.stack.up();
        const names = ["db-password", "api-token", "session-key"];
        names.forEach((n, i) =>
            aws().layer.faults.push({
                op: "DeleteSecret",
                kind: "slow",
                times: 1,
                delayMs: 1500 * (i + 1),
                when: (b) => String(b.SecretId).includes(`pr-107/${n}`),
            }),
        );
        aws().layer.calls.length = 0;
        const bin = path.join(installedPackage().dir, "node_modules", ".bin", "pulumi-safe-secret");
        const child = spawn(bin, ["teardown", "--stack", "pr-107", "--force-delete", "--remove-stack"], {
            cwd: s.workDir,
            env: { ...process.env, ...env(s.workDir) },
            detached: true,
            stdio: "ignore",
        });
        await waitFor(() => aws().layer.count("DeleteSecret") === names.length, "the teardown reaching every DeleteSecret");
        process.kill(-child.pid!, "SIGKILL");
        await new Promise((r) => child.once("exit", r));
        killProcessesIn(s.workDir); // the engine's plugins run in process groups of their own
        repairKilledFileBackend(s.stateDir);
        // Requests already sent still reach AWS.
        await waitFor(
            () =>
                aws()
                    .layer.calls.filter((c) => c.op === "DeleteSecret")
                    .every((c) => c.done),
            "the deletes already sent reaching moto",
        );

        const locked = await teardownCommand(s, ["teardown", "--stack", "pr-107", "--force-delete", "--remove-stack"]);
        assert.equal(locked.code, 1, locked.stdout + locked.stderr);
        assert.match(
            summaryOf(locked).reason,
            /stack pr-107 is locked: another update is running, or one was killed — if none is running, run the same command with --unlock/,
        );
        assert.equal(summaryOf(locked).result, "failed");

        const finished = await teardownCommand(s, ["teardown", "--stack", "pr-107", "--force-delete", "--remove-stack", "--unlock"]);
        assert.equal(finished.code, 0, finished.stdout + finished.stderr);
        assert.equal(summaryOf(finished).stackRemoved, true);
        for (const n of names) assert.equal(await describeOrUndefined(`preview/pr-107/${n}`), undefined, `${n} survived`);
    });

    it("rejects bad arguments with exit 64 and the usage", async () => {
        const s = await projectStack("ephemeral", "pr-105");
        const r = await teardownCommand(s, ["teardown", "--stack", "pr-105", "--recovery-window", "3"]);
        assert.equal(r.code, 64);
        assert.match(r.stderr, /--recovery-window is "3", but AWS accepts only a whole number of days from 7 to 30/);
        const both = await teardownCommand(s, ["teardown", "--stack", "pr-105", "--force-delete", "--recovery-window", "7"]);
        assert.equal(both.code, 64);
        assert.match(both.stderr, /give only one of --force-delete and --recovery-window/);
    });
});

/** The CLI the tests run, as PATH finds it. */
function whichPulumi(): string {
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        const f = path.join(dir, "pulumi");
        if (dir && fs.existsSync(f)) return f;
    }
    throw new Error("no pulumi on PATH");
}
