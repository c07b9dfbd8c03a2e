// A `pulumi destroy` killed (CLI and provider process, SIGKILL) in the middle of a multi-secret teardown, then run
// again: every secret must end as its policy says, and none may be deleted twice in a way that changes its fate.

import { strict as assert } from "assert";
import { spawn } from "child_process";
import { pulumi, Secret } from "../support/engine";
import { describeOrUndefined } from "../support/aws-fixtures";
import { aws } from "../support/harness";
import { collect, env, inlineStack } from "../support/engine";
import { killProcessesIn, repairKilledFileBackend, waitFor } from "../support/processes";

const DAY_MS = 24 * 60 * 60 * 1000;

describe("an interrupted destroy", function () {
    this.timeout(240_000);

    it("completes on the next run with every secret handled by its policy", async () => {
        const names = ["keep-0", "keep-1", "keep-2", "gone-0", "gone-1", "gone-2"];
        const s = await inlineStack(async () => {
            for (const n of names) {
                new Secret(n, {
                    name: `kill/${n}`,
                    secretString: pulumi.secret(`v-${n}`),
                    forceDelete: n.startsWith("gone") ? true : undefined,
                });
            }
        }, "interrupt");
        await s.stack.setConfig("recoveryWindowInDays", { value: "7" });
        await s.stack.up(collect(s));

        // Answers to DeleteSecret take 0.7 s, 1.4 s, ... so the destroy is mid-way when it is killed.
        names.forEach((n, i) =>
            aws().layer.faults.push({
                op: "DeleteSecret",
                kind: "slow",
                times: 1,
                delayMs: 700 * (i + 1),
                when: (b) => String(b.SecretId).includes(`kill/${n}`),
            }),
        );
        aws().layer.calls.length = 0;
        const child = spawn("pulumi", ["destroy", "--yes", "--non-interactive", "--stack", "test"], {
            cwd: s.workDir,
            env: { ...process.env, ...env(s.workDir) },
            detached: true,
            stdio: "ignore",
        });
        const deletes = () => aws().layer.calls.filter((c) => c.op === "DeleteSecret");
        // Killed once some deletes were answered and others not: the slow answers spread them out.
        await waitFor(
            () => deletes().length === names.length && deletes().some((c) => c.status === 200),
            "the destroy reaching every DeleteSecret",
        );
        process.kill(-child.pid!, "SIGKILL");
        await new Promise((r) => child.once("exit", r));
        // The engine starts plugins in process groups of their own; kill the provider (and language host) too.
        const killed = killProcessesIn(s.workDir);
        repairKilledFileBackend(s.stateDir);
        assert.ok(killed > 0, "no provider process was running in the stack's directory");
        const answeredBeforeKill = aws().layer.calls.filter((c) => c.op === "DeleteSecret" && c.status === 200).length;
        assert.ok(answeredBeforeKill >= 1 && answeredBeforeKill < names.length, `killed with ${answeredBeforeKill} deletes answered`);
        // The requests already sent still reach AWS, as they would.
        await waitFor(() => deletes().every((c) => c.done), "the deletes already sent reaching moto");

        // What the user does next: the killed CLI left its lock, which `pulumi cancel` removes.
        await s.stack.cancel();
        const before = Date.now();
        const again = await s.stack.destroy(collect(s));
        assert.equal(again.summary.result, "succeeded");
        // The re-run found the work the killed run had already done, and did not redo it.
        assert.match(s.printed(), /kill\/\S+: already (gone|scheduled for deletion)/);

        for (const n of names) {
            const d = await describeOrUndefined(`kill/${n}`);
            if (n.startsWith("gone")) {
                assert.equal(d, undefined, `${n} should be force-deleted`);
            } else {
                assert.ok(d?.DeletedDate, `${n} should be scheduled for deletion`);
                assert.ok(
                    Math.abs(d!.DeletedDate!.getTime() - (before + 7 * DAY_MS)) < 5 * 60_000,
                    `${n} scheduled for ${d!.DeletedDate!.toISOString()}`,
                );
                const scheduling = aws().layer.calls.filter(
                    (c) => c.op === "DeleteSecret" && String(c.body.SecretId).includes(`kill/${n}`),
                );
                assert.ok(
                    scheduling.every((c) => c.body.RecoveryWindowInDays === 7 && !c.body.ForceDeleteWithoutRecovery),
                    `${n} was not always deleted with its window`,
                );
                assert.equal(
                    scheduling.filter((c) => c.status === 200).length + scheduling.filter((c) => c.status === undefined).length,
                    1,
                    `${n} was scheduled more than once`,
                );
            }
        }
        assert.equal((await s.stack.exportStack()).deployment.resources?.filter((r: any) => r.type.includes("Secret")).length ?? 0, 0);
    });
});
