// Environments by the fleet through the packed package's command: a sweep of idle review stacks (K at a time, the
// protected ones never taken, a re-run after a failure), a summary file that cannot be written stopping a teardown
// first, and the in-use guard at destroy time. Undo is in fleet-undo.test.ts.

import { strict as assert } from "assert";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import * as fs from "fs";
import { DAY_MS, denyDeleteOnce, describeOrUndefined } from "../support/aws-fixtures";
import { aws } from "../support/harness";
import { checkpointFile, cli, EngineStack, programStack } from "../support/engine";
import { summaryOf, teardownCommand } from "../support/teardown-command";
import { FLEET_PROGRAM as PROGRAM } from "../support/fleet-program";

async function addStack(s: EngineStack, name: string, config: Record<string, string> = {}): Promise<void> {
    await cli(s, ["stack", "init", name]);
    await cli(s, ["config", "set", "aws:region", "us-east-1", "--stack", name]);
    for (const [k, v] of Object.entries(config)) await cli(s, ["config", "set", k, v, "--stack", name]);
    await cli(s, ["up", "--yes", "--skip-preview", "--stack", name]);
}

/** Moves a stack's last update back in the file backend's checkpoint: as if nobody had touched it since. */
function backdate(s: EngineStack, project: string, stack: string, ms: number): void {
    const file = checkpointFile(s.stateDir, project, stack);
    const checkpoint = JSON.parse(fs.readFileSync(file, "utf8"));
    const manifest = checkpoint.checkpoint.latest.manifest;
    manifest.time = new Date(Date.parse(manifest.time) - ms).toISOString();
    fs.writeFileSync(file, JSON.stringify(checkpoint));
}

const live = async (stack: string) =>
    !!(await describeOrUndefined(`fleet/${stack}/db`)) && !(await describeOrUndefined(`fleet/${stack}/db`))!.DeletedDate;

describe("environments by the fleet", function () {
    this.timeout(600_000);

    it("sweeps 2 idle stacks of 4 two at a time, never takes a protected one, a re-run finishes after a failure; a summary file in a missing folder stops a teardown first", async () => {
        const s = await programStack("sweep", PROGRAM, "pr-1");
        await s.stack.up();
        await addStack(s, "pr-2");
        await addStack(s, "pr-6", { teardownProtection: "true" });
        await addStack(s, "pr-4");
        // pr-1, 2 and 6 last updated two hours ago (the file backend's record of it, moved back); pr-4 just now.
        for (const n of ["pr-1", "pr-2", "pr-6"]) backdate(s, "sweep", n, 2 * 3_600_000);
        const idleFor = "1h";
        const sweepArgs = ["sweep", "--stacks", "pr-*", "--idle-for", idleFor, "--force-delete", "--concurrency", "2", "--remove-stack"];
        const protectedBy = (summary: any, stack: string) => {
            const c = summary.considered.find((x: any) => x.stack === stack);
            return c.protected === true && !c.go ? c.protection : undefined;
        };
        const sixProtected = { kind: "protected", key: "sweep:teardownProtection", value: "true" };

        // The dry runs: the protected stack, idle as it is, is kept and said to be protected, by key and value.
        const dry = await teardownCommand(s, ["sweep", "--stacks", "pr-*", "--idle-for", idleFor, "--dry-run", "--json"]);
        assert.equal(dry.code, 0, dry.stderr);
        assert.deepEqual(JSON.parse(dry.stdout.trim()).sort(), ["pr-1", "pr-2"]);
        assert.match(dry.stderr, /^would keep \(protected\) pr-6: protected: sweep:teardownProtection is true — a sweep never takes it/m);
        const text = await teardownCommand(s, ["sweep", "--stacks", "pr-*", "--idle-for", idleFor, "--dry-run"]);
        assert.equal(text.code, 0, text.stderr);
        assert.match(text.stdout, /^would keep \(protected\) pr-6: protected: sweep:teardownProtection is true — /m);
        assert.deepEqual(protectedBy(summaryOf(text), "pr-6"), sixProtected);
        assert.equal(aws().layer.count("DeleteSecret"), 0, "a dry run touched AWS");

        denyDeleteOnce("fleet/pr-2/api", "denied once");
        const first = await teardownCommand(s, sweepArgs);
        assert.equal(first.code, 1, first.stdout + first.stderr);
        const summary = summaryOf(first);
        assert.deepEqual(summary.stacks.map((x: any) => [x.stack, x.result]).sort(), [
            ["pr-1", "done"],
            ["pr-2", "failed"],
        ]);
        assert.deepEqual(protectedBy(summary, "pr-6"), sixProtected);
        assert.equal(summary.callsPerSecondEach, 25);
        assert.match(first.stdout, /^✓ pr-1: done in [0-9.]+s \(2 secrets: 2 force-deleted\)$/m);
        assert.match(first.stdout, /^· pr-6: kept — protected: sweep:teardownProtection is true/m);
        assert.equal(await describeOrUndefined("fleet/pr-1/db"), undefined, "pr-1 was not torn down");
        for (const n of ["pr-4", "pr-6"]) assert.ok(await live(n), `${n} lost a secret`);
        assert.ok(await describeOrUndefined("fleet/pr-6/api"), "the protected stack was half torn down");

        const again = await teardownCommand(s, sweepArgs);
        assert.equal(again.code, 0, again.stdout + again.stderr);
        assert.deepEqual(
            summaryOf(again)
                .stacks.map((x: any) => [x.stack, x.result])
                .sort(),
            [["pr-2", "done"]],
        );
        assert.equal(await describeOrUndefined("fleet/pr-2/api"), undefined);
        for (const n of ["pr-4", "pr-6"]) assert.ok(await live(n));

        // What tore a protected stack down before: any stack idle at all, removed, its secrets kept in a recovery window
        // (which teardown protection allows). A value preview rejects, in the plugin's namespace, keeps one out too.
        await cli(s, ["config", "set", "safesecret:teardownProtection", "True", "--stack", "pr-4"]);
        const wide = await teardownCommand(s, ["sweep", "--stacks", "pr-6", "--stacks", "pr-4", "--idle-for", "0s", "--remove-stack"]);
        assert.equal(wide.code, 0, wide.stdout + wide.stderr);
        const kept = summaryOf(wide);
        assert.deepEqual(kept.stacks, []);
        assert.deepEqual(protectedBy(kept, "pr-6"), sixProtected);
        assert.deepEqual(protectedBy(kept, "pr-4"), { kind: "invalid", key: "safesecret:teardownProtection", value: "True" });
        assert.match(wide.stdout, /^· pr-4: kept — protected: safesecret:teardownProtection is "True", which is not true or false/m);
        for (const n of ["pr-4", "pr-6"]) {
            assert.ok(await live(n), `${n} lost a secret`);
            assert.ok(await describeOrUndefined(`fleet/${n}/api`), `${n} lost a secret`);
            assert.ok(fs.existsSync(`${s.workDir}/Pulumi.${n}.yaml`), `${n}'s settings file was removed`);
        }
        const listed = () => cli(s, ["stack", "ls", "--json"]).then((o) => JSON.parse(o).map((x: any) => x.name));
        assert.deepEqual((await listed()).sort(), ["pr-4", "pr-6"]);

        // A teardown whose summary could not be written stops before anything: exit 64, naming the path and the fix.
        aws().layer.reset();
        const missing = await teardownCommand(s, [
            "teardown",
            "--stack",
            "pr-6",
            "--remove-stack",
            "--summary-file",
            "/nonexistent/dir/s.json",
        ]);
        assert.equal(missing.code, 64, missing.stdout + missing.stderr);
        assert.match(
            missing.stderr,
            /--summary-file \/nonexistent\/dir\/s\.json: the folder \/nonexistent\/dir does not exist — create it first/,
        );
        assert.doesNotMatch(missing.stderr, /\n\s+at /, "a stack trace");
        assert.equal(aws().layer.count("DeleteSecret"), 0);
        assert.ok(await live("pr-6"));
        assert.ok(await describeOrUndefined("fleet/pr-6/api"));
        assert.deepEqual((await listed()).sort(), ["pr-4", "pr-6"]);
    });

    it("the in-use guard refuses a force delete after a GetSecretValue, and allows it once the bound has passed", async () => {
        const s = await programStack("inuse", PROGRAM, "inuse");
        await s.stack.setConfig("forceDelete", { value: "true" });
        await s.stack.setConfig("inUseGuardDays", { value: "7" });
        await s.stack.up();
        await new SecretsManagerClient({ region: "us-east-1" }).send(new GetSecretValueCommand({ SecretId: "fleet/inuse/db" }));
        const refused = await teardownCommand(s, ["teardown", "--stack", "inuse"]);
        assert.equal(refused.code, 2, refused.stdout + refused.stderr);
        const db = summaryOf(refused).secrets.find((x: any) => x.name === "fleet/inuse/db");
        assert.equal(db.outcome, "in-use");
        assert.match(db.lastAccessedDate, /^\d{4}-\d\d-\d\dT00:00:00/);
        assert.match(
            refused.stdout,
            /fleet\/inuse\/db \(us-east-1\): in-use — .*last accessed on \d{4}-\d\d-\d\d, within the last 7 days .*wait until/,
        );
        assert.ok(await describeOrUndefined("fleet/inuse/db"), "the secret in use was deleted");

        // api, not in use, went in the first teardown. Once a refresh has put db's access into state, the teardown
        // refuses before the engine destroys anything.
        await s.stack.refresh();
        const preview = await s.stack.preview();
        assert.match(
            preview.stdout,
            /fleet\/inuse\/db: a destroy would be refused — AWS reports fleet\/inuse\/db last accessed on \d{4}-\d\d-\d\d, within the last 7 days .*\(as of the stack's last refresh\)/,
        );
        aws().layer.reset();
        const gated = await teardownCommand(s, ["teardown", "--stack", "inuse"]);
        assert.equal(gated.code, 2, gated.stdout + gated.stderr);
        assert.doesNotMatch(gated.stderr, /destroying/);
        assert.equal(aws().layer.count("DeleteSecret"), 0);
        assert.deepEqual(
            summaryOf(gated)
                .secrets.map((x: any) => `${x.name} ${x.outcome}`)
                .sort(),
            ["fleet/inuse/db in-use"],
        );
        assert.match(
            gated.stdout,
            /fleet\/inuse\/db \(us-east-1\): in-use — .*within the last 7 days .*\(as of the stack's last refresh\)/,
        );

        aws().layer.ageAccesses(8 * DAY_MS);
        const out = await cli(s, ["destroy", "--yes"]);
        assert.equal(await describeOrUndefined("fleet/inuse/db"), undefined, out);
    });
});
