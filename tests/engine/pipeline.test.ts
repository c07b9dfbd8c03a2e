// The example pipeline (examples/github-actions/review-stack.yml), its steps run locally against the emulator for a
// pull request's life: opened → stack created and deployed; closed → teardown with force delete, stack removed;
// reopened → the same names re-created while AWS is still purging them. See tests/support/workflow-runner.ts for
// what stands in for each `uses:` step.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { describeOrUndefined } from "../support/aws-fixtures";
import { aws } from "../support/harness";
import { checkpointFile, env, installedPackage, newWorkDir, requireCli, ROOT } from "../support/engine";
import { cli } from "../support/engine";
import { runPullRequestEvent, runWorkflow, RunnerSetup, StepRun } from "../support/workflow-runner";

const WORKFLOW = path.join(ROOT, "examples", "github-actions", "review-stack.yml");
const SWEEP = path.join(ROOT, "examples", "github-actions", "sweep-stacks.yml");
const NAMES = (pr: number) => ["db-password", "api-token", "session-key"].map((n) => `preview/pr-${pr}/${n}`);

function assertAllSucceeded(runs: StepRun[], job: string): void {
    const ran = runs.filter((r) => r.job === job);
    assert.ok(ran.length > 0, `job ${job} did not run`);
    for (const r of ran) assert.equal(r.outcome, "success", `${job} / ${r.step} failed:\n${r.output}`);
    assert.deepEqual([...new Set(runs.map((r) => r.job))], [job], "another job ran too");
}

/** A checkout with the Pulumi project in infra/ (a copy of examples/ephemeral), and what the runner provides. */
function checkout(label: string): RunnerSetup {
    requireCli();
    const repoDir = newWorkDir(label);
    fs.mkdirSync(path.join(repoDir, "infra"));
    for (const f of ["Pulumi.yaml", "index.ts"])
        fs.copyFileSync(path.join(ROOT, "examples", "ephemeral", f), path.join(repoDir, "infra", f));
    const { PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE, AWS_REGION: _, ...runnerEnv } = env(repoDir);
    return {
        repoDir,
        runnerEnv,
        vars: { PULUMI_BACKEND_URL, REVIEW_STACK_ROLE_ARN: "arn:aws:iam::123456789012:role/review-stacks" },
        secrets: { PULUMI_CONFIG_PASSPHRASE },
        nodeModules: path.join(installedPackage().dir, "node_modules"),
        artifactsDir: path.join(repoDir, "artifacts"),
    };
}

describe("example review-stack pipeline, run locally", function () {
    this.timeout(400_000);

    it("deploys a stack per pull request, tears it down on close with force delete, re-creates the same names on reopen", async () => {
        const setup = checkout("pipeline");
        const repoDir = setup.repoDir;
        const pr = 7;

        const opened = await runPullRequestEvent(WORKFLOW, { number: pr, action: "opened" }, setup);
        assertAllSucceeded(opened, "deploy");
        for (const n of NAMES(pr)) assert.ok(await describeOrUndefined(n), `${n} was not created`);
        const stackFile = fs.readFileSync(path.join(repoDir, "infra", `Pulumi.pr-${pr}.yaml`), "utf8");
        assert.match(stackFile, /safe-secret-ephemeral:forceDelete: "true"/);

        // AWS purges force-deleted names asynchronously: here each name stays taken until a create of it was refused.
        aws().layer.purgeCreateRefusals = 1;
        const closed = await runPullRequestEvent(WORKFLOW, { number: pr, action: "closed" }, setup);
        assertAllSucceeded(closed, "teardown");
        const teardown = closed.find((r) => r.step === "Tear the review stack down")!;
        for (const n of NAMES(pr)) {
            assert.match(teardown.output, new RegExp(`^✓ ${n} \\(us-east-1\\): force-deleted`, "m"));
            assert.equal(await describeOrUndefined(n), undefined, `${n} survived the teardown`);
        }
        const summary = JSON.parse(fs.readFileSync(path.join(setup.artifactsDir, `teardown-pr-${pr}`, "teardown-summary.json"), "utf8"));
        assert.equal(summary.result, "done");
        assert.equal(summary.stackRemoved, true);
        assert.deepEqual(
            summary.secrets.map((s: any) => s.outcome),
            ["force-deleted", "force-deleted", "force-deleted"],
        );
        assert.ok(!fs.existsSync(path.join(repoDir, "infra", `Pulumi.pr-${pr}.yaml`)), "the removed stack's config file is left");

        const reopened = await runPullRequestEvent(WORKFLOW, { number: pr, action: "reopened" }, setup);
        assertAllSucceeded(reopened, "deploy");
        const refused = new Set(
            aws()
                .layer.calls.filter((c) => c.op === "CreateSecret" && c.status === 400)
                .map((c) => c.body.Name),
        );
        assert.deepEqual([...refused].sort(), NAMES(pr).sort(), "each name's create was refused once while AWS purged it");
        for (const n of NAMES(pr)) assert.ok(await describeOrUndefined(n), `${n} was not re-created on reopen`);
    });

    it("the scheduled sweep lists the idle review stacks, tears each down in a matrix job, and merges their summaries", async () => {
        const setup = checkout("sweepflow");
        const repoDir = setup.repoDir;
        fs.symlinkSync(setup.nodeModules, path.join(repoDir, "infra", "node_modules"));
        // Review stacks as the review-stack workflow leaves them; pr-11 and pr-12 abandoned four days ago.
        const infra = { workDir: repoDir };
        for (const n of [11, 12, 13]) {
            const inInfra = (args: string[]) => cli(infra, args, {}, path.join(repoDir, "infra"));
            await inInfra(["stack", "init", `pr-${n}`]);
            await inInfra(["config", "set", "aws:region", "us-east-1", "--stack", `pr-${n}`]);
            await inInfra(["config", "set", "forceDelete", "true", "--stack", `pr-${n}`]);
            await inInfra(["up", "--yes", "--skip-preview", "--stack", `pr-${n}`]);
        }
        for (const n of [11, 12]) {
            const file = checkpointFile(path.join(repoDir, "state"), "safe-secret-ephemeral", `pr-${n}`);
            const checkpoint = JSON.parse(fs.readFileSync(file, "utf8"));
            checkpoint.checkpoint.latest.manifest.time = new Date(Date.now() - 96 * 3_600_000).toISOString();
            fs.writeFileSync(file, JSON.stringify(checkpoint));
        }

        const runs = await runWorkflow(SWEEP, { name: "schedule" }, setup);
        for (const r of runs) assert.notEqual(r.outcome, "failure", `${r.job} / ${r.step} failed:\n${r.output}`);
        assert.deepEqual([...new Set(runs.map((r) => r.job))], ["list", "teardown (pr-11)", "teardown (pr-12)", "summary"]);
        for (const n of [11, 12])
            for (const x of NAMES(n)) assert.equal(await describeOrUndefined(x), undefined, `${x} survived the sweep`);
        for (const x of NAMES(13)) assert.ok(await describeOrUndefined(x), `${x} of the fresh stack was touched`);
        const merged = JSON.parse(fs.readFileSync(path.join(setup.artifactsDir, "sweep-summary", "sweep-summary.json"), "utf8"));
        assert.equal(merged.result, "done");
        assert.deepEqual(merged.stacks.map((x: any) => [x.stack, x.result, x.secrets.length]).sort(), [
            ["pr-11", "done", 3],
            ["pr-12", "done", 3],
        ]);
    });
});
