// Benchmark: prints figures, asserts nothing. Run with `bash scripts/bench.sh` (sets up the toolchain first).
// Everything runs against moto behind the AWS-behaviour layer on loopback; engine figures use the real Pulumi CLI.

import { DeleteSecretCommand, CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

import { createSecret } from "../../provider/lifecycle/create";
import { deleteSecret } from "../../provider/lifecycle/delete";
import { updateSecret } from "../../provider/lifecycle/update";
import { PROVIDER_TEXT } from "../../provider/adapters/dynamic/stub";
import { aws, mochaHooks } from "../support/harness";
import {
    checkpointFile,
    cli,
    collect,
    env,
    inlineStack,
    installedPackage,
    newWorkDir,
    ROOT,
    Secret,
    pulumi,
    wrap,
} from "../support/engine";
import { projectConfigSchema } from "../../provider/core/stack-keys";
import { summaryOf, teardownCommand } from "../support/teardown-command";
import { describeOrUndefined, inputs, testContext } from "../support/aws-fixtures";

const ms = (t: number) => `${t.toFixed(0)} ms`;
const now = () => performance.now();
const lines: string[] = [];
function out(s = ""): void {
    console.log(s);
    lines.push(s);
}

async function stateBytes(): Promise<void> {
    out("## State size per secret (real engine, file backend)");
    out(
        `provider text (__provider, stored in each secret's inputs and outputs): ${PROVIDER_TEXT.length} bytes: ${JSON.stringify(PROVIDER_TEXT.trim())}`,
    );
    const sizes: Record<number, number> = {};
    for (const n of [0, 1, 10, 100, 500]) {
        const s = await inlineStack(async () => {
            for (let i = 0; i < n; i++)
                new Secret(`s${i}`, { name: `bench/state/${n}/${i}`, secretString: pulumi.secret(`value-${i}`), tags: { bench: "state" } });
        }, `state${n}`);
        await s.stack.setConfig("forceDelete", { value: "true" });
        await s.stack.up(collect(s));
        const file = checkpointFile(s.stateDir, `state${n}`, "test");
        sizes[n] = fs.statSync(file).size;
        await s.stack.destroy(collect(s));
    }
    out("| secrets | state file | per secret (above an empty stack) |");
    out("|---|---|---|");
    for (const n of [1, 10, 100, 500]) out(`| ${n} | ${sizes[n]} B | ${Math.round((sizes[n] - sizes[0]) / n)} B |`);
    out();
}

async function callsPerStep(): Promise<void> {
    out("## AWS calls per lifecycle step (counted at the wire)");
    const layer = aws().layer;
    const count = async (label: string, f: () => Promise<unknown>) => {
        layer.calls.length = 0;
        await f();
        out(`| ${label} | ${layer.calls.length} | ${layer.ops().join(", ")} |`);
    };
    out("| step | calls | operations |");
    out("|---|---|---|");
    const ctx = testContext();
    let a: any;
    await count("create", async () => (a = await createSecret(inputs("calls-a"), ctx)));
    let b: any;
    await count(
        "create with 2 replicas",
        async () => (b = await createSecret(inputs("calls-b", { replicas: [{ region: "eu-west-1" }, { region: "ap-southeast-2" }] }), ctx)),
    );
    await count(
        "update value + description",
        async () => (a.outs = await updateSecret(a.id, a.outs, { ...a.outs, secretString: "v2", description: "d2" }, ctx)),
    );
    await count(
        "update tags (add one, remove none)",
        async () => (a.outs = await updateSecret(a.id, a.outs, { ...a.outs, tags: { k: "v" } }, ctx)),
    );
    await count(
        "update deletion policy only",
        async () => (a.outs = await updateSecret(a.id, a.outs, { ...a.outs, recoveryWindowInDays: 7 }, ctx)),
    );
    await count(
        "update replicas (swap one region)",
        async () =>
            (b.outs = await updateSecret(
                b.id,
                b.outs,
                { ...b.outs, replicas: [{ region: "eu-west-1" }, { region: "eu-central-1" }] },
                ctx,
            )),
    );
    await count("delete, window, no replicas", async () => deleteSecret(a.id, a.outs, testContext({ recoveryWindowInDays: "7" })));
    await count("delete of an already scheduled secret", async () =>
        deleteSecret(a.id, a.outs, testContext({ recoveryWindowInDays: "7" })),
    );
    await count("delete, window, 2 replicas", async () => deleteSecret(b.id, b.outs, ctx));
    const c = await createSecret(inputs("calls-c"), ctx);
    await count("delete, force (incl. wait for purge)", async () => deleteSecret(c.id, c.outs, testContext({ forceDelete: "true" })));
    await count("delete of a secret already gone", async () => deleteSecret(c.id, c.outs, ctx));
    out();
}

async function destroyCost(): Promise<void> {
    out("## `pulumi up` / `pulumi destroy` wall time, beside direct SDK calls");
    const time: Record<string, number> = {};
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const REPEAT = 3;
    // The second pass skips the engine's per-step state checkpoints, only to show how much of the engine's marginal
    // cost they are; that setting gives up crash safety and is not recommended.
    for (const skip of [false, true]) {
        if (skip) process.env.PULUMI_SKIP_CHECKPOINTS = "true";
        for (const n of skip ? [1, 500] : [1, 100, 500]) {
            const ups: number[] = [];
            const downs: number[] = [];
            for (let r = 0; r < (n > 100 ? 1 : REPEAT); r++) {
                const s = await inlineStack(
                    async () => {
                        for (let i = 0; i < n; i++)
                            new Secret(`s${i}`, { name: `bench/destroy/${skip}/${n}/${r}/${i}`, secretString: pulumi.secret(`v${i}`) });
                    },
                    `destroy${n}${skip ? "skip" : ""}${r}`,
                );
                await s.stack.setConfig("recoveryWindowInDays", { value: "7" });
                let t = now();
                await s.stack.up(collect(s));
                ups.push(now() - t);
                t = now();
                await s.stack.destroy(collect(s));
                downs.push(now() - t);
            }
            time[`up${n}${skip ? "skip" : ""}`] = median(ups);
            time[`destroy${n}${skip ? "skip" : ""}`] = median(downs);
        }
        delete process.env.PULUMI_SKIP_CHECKPOINTS;
    }
    // The same DeleteSecret calls, issued directly and concurrently by a plain SDK script.
    const client = new SecretsManagerClient({ region: "us-east-1" });
    for (const n of [1, 100, 500]) {
        const runs: number[] = [];
        for (let r = 0; r < REPEAT; r++) {
            const arns = await Promise.all(
                Array.from({ length: n }, (_, i) =>
                    client.send(new CreateSecretCommand({ Name: `bench/direct/${n}/${r}/${i}`, SecretString: "v" })).then((x) => x.ARN!),
                ),
            );
            const t = now();
            await Promise.all(arns.map((id) => client.send(new DeleteSecretCommand({ SecretId: id, RecoveryWindowInDays: 7 }))));
            runs.push(now() - t);
        }
        time[`direct${n}`] = median(runs);
    }
    // The provider's delete code alone, in this process, on the same 50 concurrent deletes.
    const inProcess: number[] = [];
    for (let r = 0; r < REPEAT; r++) {
        const ctx = { ...testContext({ recoveryWindowInDays: "7" }), log: () => undefined };
        const made = await Promise.all(Array.from({ length: 50 }, (_, i) => createSecret(inputs(`bench/inproc/${r}/${i}`), ctx)));
        const t = now();
        await Promise.all(made.map((m) => deleteSecret(m.id, m.outs, ctx)));
        inProcess.push(now() - t);
    }
    time.inProcess50 = median(inProcess);
    out(`median of ${REPEAT} runs each (one run at 500)`);
    out("| run | 1 secret | 100 secrets | 500 secrets |");
    out("|---|---|---|---|");
    out(`| pulumi up | ${ms(time.up1)} | ${ms(time.up100)} | ${ms(time.up500)} |`);
    out(`| pulumi destroy | ${ms(time.destroy1)} | ${ms(time.destroy100)} | ${ms(time.destroy500)} |`);
    out(`| pulumi destroy, PULUMI_SKIP_CHECKPOINTS=true (diagnostic only) | ${ms(time.destroy1skip)} | | ${ms(time.destroy500skip)} |`);
    out(`| the provider's delete, in process, concurrent (no engine) | | 50: ${ms(time.inProcess50)} | |`);
    out(`| direct concurrent DeleteSecret | ${ms(time.direct1)} | ${ms(time.direct100)} | ${ms(time.direct500)} |`);
    out();
    for (const n of [100, 500]) {
        const engineMarginal = (time[`destroy${n}`] - time.destroy1) / (n - 1);
        const directMarginal = (time[`direct${n}`] - time.direct1) / (n - 1);
        out(
            `destroy at N=${n}: marginal ${engineMarginal.toFixed(1)} ms per secret through the engine; direct script ${directMarginal.toFixed(1)} ms; ` +
                `ratio ${(engineMarginal / Math.max(directMarginal, 0.1)).toFixed(1)}x`,
        );
    }
    const skipMarginal = (time.destroy500skip - time.destroy1skip) / 499;
    out(
        `without the engine's per-step checkpoints (diagnostic, N=500): marginal ${skipMarginal.toFixed(1)} ms per secret; ` +
            "the provider's own work per secret is one DeleteSecret",
    );
    out();
}

/** `pulumi up` and `destroy` of many secrets behind AWS's control-plane quota, for each SDK retry configuration. */
async function underQuota(): Promise<void> {
    out("## Many secrets under the control-plane quota (layer answers ThrottlingException above it, per region)");
    const N = Number(process.env.BENCH_SCALE_N ?? 500);
    const configs: { label: string; env: Record<string, string> }[] = [
        { label: "standard, 6 attempts (0.1.0)", env: { AWS_RETRY_MODE: "standard", AWS_MAX_ATTEMPTS: "6" } },
        { label: "adaptive, 10 attempts (0.2.0 default)", env: {} },
    ];
    out(`N = ${N}; wall times include the engine's fixed cost (~3 s). quota floor = N / quota.`);
    out("| retry configuration | quota | policy | up | destroy | throttled answers | failed steps | secrets left |");
    out("|---|---|---|---|---|---|---|---|");
    for (const quota of [50, 5]) {
        for (const c of configs) {
            for (const policy of quota === 5 || c === configs[1] ? ["recoveryWindowInDays", "forceDelete"] : ["recoveryWindowInDays"]) {
                await mochaHooks.beforeEach();
                const saved = { mode: process.env.AWS_RETRY_MODE, attempts: process.env.AWS_MAX_ATTEMPTS };
                Object.assign(process.env, c.env);
                const tag = `${quota}${c.env.AWS_RETRY_MODE ?? "default"}${policy.slice(0, 5)}`;
                const names = Array.from({ length: N }, (_, i) => `bench/quota/${tag}/${i}`);
                const s = await inlineStack(async () => {
                    for (const [i, name] of names.entries()) new Secret(`s${i}`, { name, secretString: pulumi.secret(`v${i}`) });
                }, `quota${tag}`);
                await s.stack.setConfig(policy, { value: policy === "forceDelete" ? "true" : "7" });
                aws().layer.controlPlaneRatePerSecond = quota;
                let failed = 0;
                let t = now();
                await s.stack.up(collect(s)).catch(() => failed++);
                const up = now() - t;
                t = now();
                await s.stack.destroy(collect(s)).catch(() => failed++);
                const down = now() - t;
                const failedSteps = (s.printed().match(/error: .*(Rate exceeded|No retry token|ThrottlingException)/g) ?? []).length;
                aws().layer.controlPlaneRatePerSecond = 0;
                let left = 0;
                for (const n of names) {
                    const d = await describeOrUndefined(n);
                    if (d && (policy === "forceDelete" || !d.DeletedDate)) left++;
                }
                out(
                    `| ${c.label} | ${quota}/s (floor ${(N / quota).toFixed(0)} s) | ${policy === "forceDelete" ? "force" : "7-day window"} | ${(up / 1000).toFixed(1)} s | ${(down / 1000).toFixed(1)} s | ${aws().layer.throttledByQuota} | ${failed ? `${failedSteps} (run failed)` : 0} | ${left} |`,
                );
                if (failed) await s.stack.destroy(collect(s)).catch(() => undefined);
                process.env.AWS_RETRY_MODE = saved.mode;
                process.env.AWS_MAX_ATTEMPTS = saved.attempts;
                if (saved.mode === undefined) delete process.env.AWS_RETRY_MODE;
                if (saved.attempts === undefined) delete process.env.AWS_MAX_ATTEMPTS;
            }
        }
    }
    out();
}

async function purgeRatio(): Promise<void> {
    out("## Re-create after a force delete, with AWS's asynchronous purge simulated for D");
    out("| D | create succeeded after | ratio to D | CreateSecret attempts |");
    out("|---|---|---|---|");
    for (const d of [1000, 2000, 4000, 8000]) {
        const ratios: number[] = [];
        let attempts = 0;
        let waited = 0;
        const runs = 3;
        for (let r = 0; r < runs; r++) {
            const ctx = { ...testContext({ forceDelete: "true" }), pollMinDelayMs: undefined, pollMaxDelayMs: undefined };
            const name = `purge-${d}-${r}`;
            const first = await createSecret(inputs(name), ctx);
            aws().layer.purgeDelayMs = d;
            await deleteSecret(first.id, first.outs, ctx);
            const t0 = now();
            aws().layer.calls.length = 0;
            await createSecret(inputs(name), ctx);
            const t = now() - t0;
            waited += t;
            ratios.push(t / d);
            attempts += aws().layer.count("CreateSecret");
            aws().layer.purgeDelayMs = 0;
        }
        out(
            `| ${d / 1000} s | ${ms(waited / runs)} (mean of ${runs}) | ${Math.max(...ratios).toFixed(2)} worst, ${(ratios.reduce((a, b) => a + b) / runs).toFixed(2)} mean | ${(attempts / runs).toFixed(1)} |`,
        );
    }
    out();
}

function startupCost(): void {
    out("## Provider start-up (a fresh Node.js process loading the runtime and the AWS SDK)");
    const node = process.execPath;
    const run = (code: string) => {
        const t = now();
        execFileSync(node, ["-e", code], { cwd: ROOT });
        return now() - t;
    };
    const median = (f: () => number) => {
        const xs = Array.from({ length: 5 }, f).sort((a, b) => a - b);
        return xs[2];
    };
    const bare = median(() => run(""));
    const pulumiSdk = median(() => run("require('@pulumi/pulumi')"));
    const runtime = median(() => run("require('@pulumi/pulumi'); require('pulumi-safe-secret/runtime')"));
    out(
        `node alone ${ms(bare)}; + @pulumi/pulumi ${ms(pulumiSdk)}; + pulumi-safe-secret/runtime (AWS SDK) ${ms(runtime)} → the provider adds ${ms(runtime - pulumiSdk)} once per engine run`,
    );
    out();
}

/** A project of `count` secrets named bench/<label>/<stack>/<i>, run by the real language host as users run it. */
function writeCountProject(workDir: string, label: string): void {
    fs.writeFileSync(
        path.join(workDir, "Pulumi.yaml"),
        JSON.stringify({
            name: `bench-${label}`,
            runtime: { name: "nodejs", options: { typescript: true } },
            config: { ...projectConfigSchema(), count: { type: "integer", default: 1 } },
        }),
    );
    fs.writeFileSync(
        path.join(workDir, "index.ts"),
        [
            'import * as pulumi from "@pulumi/pulumi";',
            'import { Secret } from "pulumi-safe-secret";',
            'const n = new pulumi.Config().requireNumber("count");',
            `for (let i = 0; i < n; i++) new Secret(\`s\${i}\`, { name: \`bench/${label}/\${pulumi.getStack()}/\${i}\`, secretString: pulumi.secret(\`v\${i}\`) });`,
        ].join("\n"),
    );
}

/** Stacks of N secrets destroyed by the CLI (plainly, with the program, with an emptied program) and by the teardown command (with and without the policy pack). */
async function teardownCost(): Promise<void> {
    const sizes = (process.env.BENCH_TEARDOWN_N ?? "3,100").split(",").map(Number);
    out("## Teardown of a stack of N secrets (force delete): `pulumi destroy` vs `pulumi-safe-secret teardown`");
    const pack = path.join(installedPackage().dir, "node_modules", "pulumi-safe-secret", "policy-pack");
    // A mode is the teardown's arguments, or (undefined) the CLI's own destroy with these arguments; the third, a destroy
    // whose program declares nothing (what running any program costs: the floor of a destroy that runs it).
    const modes: [string, string[] | undefined, string[]?, boolean?][] = [
        ["`pulumi destroy --yes` (forceDelete set first)", undefined, []],
        ["`pulumi-safe-secret teardown --force-delete`", []],
        ["`pulumi-safe-secret teardown --force-delete --policy-pack …`", ["--policy-pack", pack]],
        ["`pulumi-safe-secret teardown --force-delete --run-program`", ["--run-program"]],
        ["`pulumi destroy --yes --run-program` (forceDelete set first)", undefined, ["--run-program"]],
    ];
    // Interleaved repetitions: the machine's speed drifts by a fifth from minute to minute, and every mode meets it.
    const runs = Number(process.env.BENCH_TEARDOWN_RUNS ?? 3);
    out(`| N | run | wall time, median of ${runs} (min–max) | ratio of medians to \`pulumi destroy\` | secrets left in AWS, all runs |`);
    out("|---|---|---|---|---|");
    const stages: string[] = [];
    for (const n of sizes) {
        const times: number[][] = modes.map(() => []);
        const left: number[] = modes.map(() => 0);
        const lastStages = new Map<number, string[]>();
        for (let rep = 0; rep < runs; rep++) {
            for (const [i, [, extra, destroyArgs, emptied]] of modes.entries()) {
                const workDir = newWorkDir(`bench-teardown-${n}-${i}-${rep}`);
                writeCountProject(workDir, "teardown");
                const { LocalWorkspace } = installedPackage().automation;
                const stackName = `t${n}x${i}r${rep}`;
                const stack = await LocalWorkspace.createStack({ stackName, workDir }, { envVars: env(workDir) });
                await stack.setConfig("aws:region", { value: "us-east-1" });
                await stack.setConfig("count", { value: String(n) });
                await stack.up();
                const s = wrap(stack, workDir);
                if (emptied) fs.writeFileSync(path.join(workDir, "index.ts"), 'import * as pulumi from "@pulumi/pulumi";\n');
                const t = now();
                if (extra === undefined) {
                    await stack.setConfig("forceDelete", { value: "true" });
                    await cli(s, ["destroy", "--yes", ...(destroyArgs ?? [])], { PULUMI_NODEJS_TRANSPILE_ONLY: "true" });
                } else {
                    const r = await teardownCommand(s, ["teardown", "--stack", stackName, "--force-delete", ...extra]);
                    if (r.code !== 0 || summaryOf(r).secrets.length !== n)
                        throw new Error(`teardown failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
                    // The command's own progress lines carry the elapsed time of each stage (not each secret's line).
                    lastStages.set(
                        i,
                        r.stderr
                            .trim()
                            .split("\n")
                            .filter((l) => !l.includes("bench/teardown/"))
                            .map((l) => `    ${l}`),
                    );
                }
                times[i]!.push(now() - t);
                for (let k = 0; k < n; k++) if (await describeOrUndefined(`bench/teardown/${stackName}/${k}`)) left[i]!++;
            }
        }
        const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
        const base = median(times[0]!);
        for (const [i, [label]] of modes.entries()) {
            const xs = times[i]!;
            out(
                `| ${n} | ${label} | ${ms(median(xs))} (${ms(Math.min(...xs))}–${ms(Math.max(...xs))}) | ${(median(xs) / base).toFixed(2)} | ${left[i]} |`,
            );
            const st = lastStages.get(i);
            if (st) stages.push(`N = ${n}, ${label} (the last run):`, ...st);
        }
    }
    out(
        "Before its destroy the teardown starts node and, at once, the gates' reads by the CLI itself — `pulumi " +
            "stack export` and `pulumi config` (decrypted whole with `--show-secrets` only for a pack), then, with a " +
            "pack, `pulumi policy analyze` (the pack's plugin judging the state, without the program) — while it loads " +
            "the Automation API (importing @pulumi/pulumi), asks `pulumi version`, takes the stack's teardown lock and " +
            "selects the stack. Each secret's decision is made in process. The destroy then runs without the program, " +
            "the policy in its environment, as the CLI's own `pulumi destroy` does; `--run-program` adds what running " +
            "the program costs. Its stages, from the command's progress lines:",
    );
    out();
    out("```");
    for (const l of stages) out(l);
    out("```");
    out();
}

/**
 * A sweep of S stacks × N secrets (force delete) at K = 1, 2, 4, under AWS's 50/s quota and under one scaled down until
 * it bites: wall time against the quota floor (control-plane calls / quota), throttled answers absorbed, and the
 * secrets left behind (and any deleted of the one fresh stack the sweep must leave alone).
 */
async function sweepCost(): Promise<void> {
    const stacks = Number(process.env.BENCH_SWEEP_STACKS ?? 10);
    const n = Number(process.env.BENCH_SWEEP_SECRETS ?? 20);
    out(`## Sweep of ${stacks} stacks × ${n} secrets (force delete), K at a time`);
    out(
        "| quota (calls/s/region) | K | wall time | quota floor | control-plane calls | throttled answers absorbed | secrets left | fresh stack's secrets deleted |",
    );
    out("|---|---|---|---|---|---|---|---|");
    for (const quota of [50, 5]) {
        for (const k of [1, 2, 4]) {
            const workDir = newWorkDir(`bench-sweep-${quota}-${k}`);
            writeCountProject(workDir, "sweep");
            const { LocalWorkspace } = installedPackage().automation;
            const names = [...Array.from({ length: stacks }, (_, i) => `pr-${i}`), "fresh-0"];
            aws().layer.controlPlaneRatePerSecond = 0;
            for (const stackName of names) {
                const stack = await LocalWorkspace.createStack({ stackName, workDir }, { envVars: env(workDir) });
                await stack.setConfig("aws:region", { value: "us-east-1" });
                await stack.setConfig("count", { value: String(n) });
                await stack.up();
            }
            aws().layer.reset();
            aws().layer.controlPlaneRatePerSecond = quota;
            const t = now();
            const r = await teardownCommand({ workDir }, [
                "sweep",
                "--stacks",
                "pr-*",
                "--idle-for",
                "1s",
                "--force-delete",
                "--remove-stack",
                "--concurrency",
                String(k),
                "--max-calls-per-second",
                String(quota),
            ]);
            const elapsed = now() - t;
            if (r.code !== 0) throw new Error(`sweep failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
            const controlPlane = aws().layer.calls.filter(
                (c) =>
                    ["CreateSecret", "DeleteSecret", "UpdateSecret", "RemoveRegionsFromReplication"].includes(c.op) &&
                    c.fault !== "throttle",
            ).length;
            const throttled = aws().layer.throttledByQuota;
            aws().layer.controlPlaneRatePerSecond = 0;
            let left = 0;
            for (const name of names.slice(0, stacks))
                for (let i = 0; i < n; i++) if (await describeOrUndefined(`bench/sweep/${name}/${i}`)) left++;
            let freshGone = 0;
            for (let i = 0; i < n; i++) if (!(await describeOrUndefined(`bench/sweep/fresh-0/${i}`))) freshGone++;
            out(
                `| ${quota} | ${k} | ${ms(elapsed)} | ${ms((controlPlane / quota) * 1000)} | ${controlPlane} | ${throttled} | ${left} | ${freshGone} |`,
            );
        }
    }
    out(
        "The fresh stack (`fresh-0`) does not match `pr-*`; it stands for the stacks a sweep must leave alone. The engine's " +
            "own work per stack (the destroy, running the program) dominates the quota floor; K helps until " +
            "the cores are busy. Throttled answers show when the K teardowns do not share the quota out.",
    );
    out();
}

async function main(): Promise<void> {
    await mochaHooks.beforeAll.call({ timeout: () => undefined } as any);
    try {
        out(
            `# Benchmark (${new Date().toISOString()}, ${require("os").cpus().length} cores, pulumi ${execFileSync("pulumi", ["version"]).toString().trim()}, node ${process.version})`,
        );
        out();
        // BENCH_ONLY=teardown,startup runs only those sections (for a quick look; docs/benchmark.md keeps full runs).
        const only = process.env.BENCH_ONLY?.split(",");
        const sections: [string, () => unknown][] = [
            ["startup", startupCost],
            ["calls", callsPerStep],
            ["purge", purgeRatio],
            ["state", stateBytes],
            ["destroy", destroyCost],
            ["teardown", teardownCost],
            ["quota", underQuota],
            ["sweep", sweepCost],
        ];
        for (const [name, run] of sections) {
            if (only && !only.includes(name)) continue;
            await mochaHooks.beforeEach();
            await run();
        }
    } finally {
        await mochaHooks.afterAll();
    }
    const file = process.env.BENCH_OUT;
    if (file) fs.writeFileSync(file, lines.join("\n") + "\n");
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
