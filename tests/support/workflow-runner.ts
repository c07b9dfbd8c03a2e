// Runs a GitHub Actions workflow's jobs for one pull_request or schedule event on this machine, step by step, so that the example
// pipeline's own steps are what the tests exercise. `run:` steps run as written (bash, the step's working directory,
// the workflow's env with ${{ }} expressions evaluated). `uses:` steps have no runner here, so each known action is
// stood in for by what it does on a real runner:
//   actions/checkout              the checkout is the directory given (already holding the repository's files)
//   actions/setup-node            the toolchain's Node.js 22 is on PATH
//   aws-actions/configure-aws-credentials   the emulator's credentials and endpoint are in the environment
//   pulumi/actions                without `command`: the Pulumi CLI is on PATH (checked); `command: up`: what the
//                                 action runs — `pulumi stack select [--create]`, `config set` of config-map, `up --yes`
//   actions/upload-artifact       the file is copied to an artifacts directory (missing: the step fails)
//   actions/download-artifact     (pattern, merge-multiple) the matching artifacts' files copied into one directory
// Jobs run in the order `needs` gives; a matrix job once per entry (`fromJSON` of a job output), max-parallel at once;
// `run:` steps get $GITHUB_OUTPUT, read back as step outputs for job outputs and `needs.<job>.outputs`.
// `npm ci` is stood in for by the package as installed in the user project (linked as the project's node_modules).
// Anything else fails the run: an unknown action or expression must not pass silently.

import { execFile } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { inPool } from "../../provider/commands/sweep-select";

export interface PullRequestEvent {
    number: number;
    action: "opened" | "synchronize" | "reopened" | "closed";
}

export interface RunnerSetup {
    /** The checkout: the repository's files. */
    repoDir: string;
    /** Environment the runner provides (PATH, AWS credentials and endpoint). */
    runnerEnv: Record<string, string>;
    vars: Record<string, string>;
    secrets: Record<string, string>;
    /** What `npm ci` would produce in a directory of the checkout. */
    nodeModules: string;
    artifactsDir: string;
}

export interface StepRun {
    job: string;
    step: string;
    outcome: "success" | "failure" | "skipped";
    stoodInFor?: string;
    output: string;
    exitCode?: number;
    /** What the step wrote to $GITHUB_OUTPUT. */
    outputs?: Record<string, string>;
}

interface Step {
    id?: string;
    name?: string;
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
    env?: Record<string, string>;
    if?: string;
    "working-directory"?: string;
}

export type WorkflowEvent = { name: "pull_request"; number: number; action: PullRequestEvent["action"] } | { name: "schedule" };

export async function runPullRequestEvent(workflowFile: string, event: PullRequestEvent, setup: RunnerSetup): Promise<StepRun[]> {
    return runWorkflow(workflowFile, { name: "pull_request", ...event }, setup);
}

/**
 * Runs the jobs a trigger starts: in the order `needs` gives, a job with `strategy.matrix` once per entry (up to its
 * `max-parallel` at a time), with step outputs (`$GITHUB_OUTPUT`), job outputs and `needs.<job>.outputs`.
 */
export async function runWorkflow(workflowFile: string, event: WorkflowEvent, setup: RunnerSetup): Promise<StepRun[]> {
    const wf = yaml.load(fs.readFileSync(workflowFile, "utf8")) as any;
    if (event.name === "pull_request") {
        const types: string[] = wf.on?.pull_request?.types ?? [];
        if (!types.includes(event.action)) throw new Error(`the workflow does not run on pull_request ${event.action}`);
    } else if (!wf.on?.schedule) throw new Error("the workflow does not run on a schedule");
    const ctx: Ctx = {
        github: { event: event.name === "pull_request" ? { number: event.number, action: event.action } : {}, event_name: event.name },
        vars: setup.vars,
        secrets: setup.secrets,
        env: {},
        needs: {},
        steps: {},
        matrix: {},
    };
    ctx.env = evaluateEnv(wf.env ?? {}, ctx);
    const runs: StepRun[] = [];
    const results: Record<string, "success" | "failure" | "skipped"> = {};
    const pending = Object.keys(wf.jobs);
    while (pending.length) {
        const name = pending.find((j) => [wf.jobs[j].needs ?? []].flat().every((n: string) => n in results));
        if (!name) throw new Error(`jobs wait on each other: ${pending.join(", ")}`);
        pending.splice(pending.indexOf(name), 1);
        const job = wf.jobs[name];
        const needs: string[] = [job.needs ?? []].flat();
        const needsOk = needs.every((n) => results[n] === "success");
        const jobCtx0: Ctx = {
            ...ctx,
            needs: Object.fromEntries(needs.map((n) => [n, { outputs: (ctx.needs as any)[n]?.outputs ?? {}, result: results[n] }])),
        };
        if (!condition(job.if ?? "success()", jobCtx0, needsOk)) {
            results[name] = "skipped";
            continue;
        }
        const matrix = job.strategy?.matrix ? expandMatrix(job.strategy.matrix, jobCtx0) : [{}];
        const limit = Number(job.strategy?.["max-parallel"] ?? matrix.length) || 1;
        const outcomes = await inPool(matrix, limit, async (entry) => {
            const jobCtx: Ctx = { ...jobCtx0, matrix: entry, steps: {} };
            jobCtx.env = { ...ctx.env, ...evaluateEnv(job.env ?? {}, jobCtx) };
            let ok = true;
            for (const step of job.steps as Step[]) {
                const label = step.name ?? step.id ?? step.uses ?? step.run!.split("\n")[0]!;
                const stepCtx = { ...jobCtx, env: { ...jobCtx.env, ...evaluateEnv(step.env ?? {}, jobCtx) } };
                const jobLabel = Object.keys(entry).length ? `${name} (${Object.values(entry).join(", ")})` : name;
                if (!condition(step.if ?? "success()", stepCtx, ok)) {
                    runs.push({ job: jobLabel, step: interpolate(label, stepCtx), outcome: "skipped", output: "" });
                    continue;
                }
                const r = await runStep(step, stepCtx, setup, job.defaults?.run?.["working-directory"]);
                runs.push({ job: jobLabel, step: interpolate(label, stepCtx), ...r });
                if (step.id) (jobCtx.steps as any)[step.id] = { outputs: r.outputs ?? {}, outcome: r.outcome };
                if (r.outcome === "failure") ok = false;
            }
            (ctx.needs as any)[name] = { outputs: { ...(ctx.needs as any)[name]?.outputs, ...evaluateEnv(job.outputs ?? {}, jobCtx) } };
            return ok;
        });
        results[name] = outcomes.every(Boolean) ? "success" : "failure";
    }
    return runs;
}

/** `matrix: { key: [..] | ${{ fromJSON(...) }} }` into its entries (one key; more are not needed here). */
function expandMatrix(matrix: Record<string, unknown>, ctx: Ctx): Record<string, string>[] {
    const keys = Object.keys(matrix);
    if (keys.length !== 1) throw new Error(`unsupported matrix with keys ${keys.join(", ")}`);
    const key = keys[0]!;
    const raw = matrix[key];
    const values = Array.isArray(raw) ? raw : evaluate(String(raw).replace(/^\$\{\{(.*)\}\}$/s, "$1"), ctx);
    if (!Array.isArray(values)) throw new Error(`matrix ${key} is not a list: ${JSON.stringify(values)}`);
    return values.map((v) => ({ [key]: String(v) }));
}

type Ctx = {
    github: unknown;
    vars: unknown;
    secrets: unknown;
    env: Record<string, string>;
    needs: unknown;
    steps: unknown;
    matrix: unknown;
};

/** A context path (`needs.list.outputs.stacks`), or `fromJSON(<path>)`. */
function evaluate(expr: string, ctx: Ctx): unknown {
    const e = expr.trim();
    const json = /^fromJSON\((.*)\)$/.exec(e);
    if (json) return JSON.parse(String(lookup(json[1]!, ctx)));
    return lookup(e, ctx);
}

function lookup(expr: string, ctx: Ctx): unknown {
    const e = expr.trim();
    if (!/^[a-z]+(\.[A-Za-z_][A-Za-z0-9_-]*)+$/.test(e)) throw new Error(`unsupported expression: ${expr}`);
    const [root, ...rest] = e.split(".");
    if (!["github", "vars", "secrets", "env", "needs", "steps", "matrix"].includes(root!)) throw new Error(`unsupported context: ${expr}`);
    return rest.reduce<any>((o, k) => (o === undefined ? undefined : o[k]), (ctx as any)[root!]) ?? "";
}

function interpolate(text: string, ctx: Ctx): string {
    return text.replace(/\$\{\{(.*?)\}\}/g, (_, expr: string) => String(evaluate(expr, ctx)));
}

function evaluateEnv(env: Record<string, unknown>, ctx: Ctx): Record<string, string> {
    return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(String(v), ctx)]));
}

/** `always()`, `success()`, `failure()`, and `<path> == '<literal>'` / `!=`. */
function condition(expr: string, ctx: Ctx, previousOk: boolean): boolean {
    const e = expr.replace(/^\$\{\{(.*)\}\}$/s, "$1").trim();
    if (e === "always()") return true;
    if (e === "success()") return previousOk;
    if (e === "failure()") return !previousOk;
    const m = /^([a-z][\w.-]*)\s*(==|!=)\s*'([^']*)'$/.exec(e);
    if (!m) throw new Error(`unsupported condition: ${expr}`);
    const equal = String(lookup(m[1]!, ctx)) === m[3];
    return previousOk && (m[2] === "==" ? equal : !equal);
}

function sh(command: string, args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
    return new Promise((resolve) => {
        execFile(command, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
            resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, output: stdout + stderr }),
        );
    });
}

let outputs = 0;

async function runStep(step: Step, ctx: Ctx, setup: RunnerSetup, defaultDir?: string): Promise<Omit<StepRun, "job" | "step">> {
    const env = { ...process.env, ...setup.runnerEnv, ...ctx.env } as Record<string, string>;
    const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx)]));
    const dir = (rel?: string) => path.join(setup.repoDir, rel ?? defaultDir ?? ".");
    const done = (r: { code: number; output: string }, stoodInFor?: string) => ({
        outcome: r.code === 0 ? ("success" as const) : ("failure" as const),
        exitCode: r.code,
        output: r.output,
        stoodInFor,
    });

    if (step.run !== undefined) {
        const script = interpolate(step.run, ctx);
        const cwd = dir(step["working-directory"]);
        if (script.trim() === "npm ci") {
            fs.rmSync(path.join(cwd, "node_modules"), { recursive: true, force: true });
            fs.symlinkSync(setup.nodeModules, path.join(cwd, "node_modules"));
            return done({ code: 0, output: "" }, "npm ci: the package as installed in the user project");
        }
        const outFile = path.join(setup.artifactsDir, `.github-output-${process.pid}-${++outputs}`);
        fs.mkdirSync(setup.artifactsDir, { recursive: true });
        fs.writeFileSync(outFile, "");
        const r = done(await sh("bash", ["-e", "-o", "pipefail", "-c", script], cwd, { ...env, GITHUB_OUTPUT: outFile }));
        const written = Object.fromEntries(
            fs
                .readFileSync(outFile, "utf8")
                .split("\n")
                .filter((l) => l.includes("="))
                .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
        );
        fs.rmSync(outFile, { force: true });
        return { ...r, outputs: written };
    }
    const action = step.uses!.replace(/@.*$/, "");
    switch (action) {
        case "actions/checkout":
        case "actions/setup-node":
        case "aws-actions/configure-aws-credentials":
            return done({ code: 0, output: "" }, action);
        case "actions/upload-artifact": {
            const file = dir(inputs.path);
            if (!fs.existsSync(file)) return done({ code: 1, output: `no file at ${inputs.path}` }, action);
            fs.mkdirSync(path.join(setup.artifactsDir, inputs.name), { recursive: true });
            fs.copyFileSync(file, path.join(setup.artifactsDir, inputs.name, path.basename(file)));
            return done({ code: 0, output: "" }, action);
        }
        case "actions/download-artifact": {
            // pattern + merge-multiple: every matching artifact's files into one directory.
            if (inputs["merge-multiple"] !== "true" || !inputs.pattern)
                throw new Error("download-artifact stand-in needs pattern and merge-multiple: true");
            const re = new RegExp(`^${inputs.pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
            const into = dir(inputs.path);
            fs.mkdirSync(into, { recursive: true });
            const names = fs.existsSync(setup.artifactsDir) ? fs.readdirSync(setup.artifactsDir).filter((n) => re.test(n)) : [];
            for (const n of names)
                for (const f of fs.readdirSync(path.join(setup.artifactsDir, n)))
                    fs.copyFileSync(path.join(setup.artifactsDir, n, f), path.join(into, f));
            return done({ code: 0, output: `${names.length} artifacts` }, action);
        }
        case "pulumi/actions":
            return pulumiAction(inputs, env, dir);
        default:
            throw new Error(`no stand-in for action ${step.uses}`);
    }
}

async function pulumiAction(inputs: Record<string, string>, env: Record<string, string>, dir: (rel?: string) => string) {
    const stood = "pulumi/actions";
    if (!inputs.command) {
        const r = await sh("pulumi", ["version"], dir(), env);
        return {
            outcome: r.code === 0 ? ("success" as const) : ("failure" as const),
            exitCode: r.code,
            output: r.output,
            stoodInFor: stood,
        };
    }
    if (inputs.command !== "up") throw new Error(`no stand-in for pulumi/actions command ${inputs.command}`);
    const cwd = dir(inputs["work-dir"]);
    const stack = inputs["stack-name"];
    const commands: string[][] = [["stack", "select", ...(inputs.upsert === "true" ? ["--create"] : []), stack]];
    const configMap = (inputs["config-map"] ? yaml.load(inputs["config-map"]) : {}) as Record<string, { value: unknown; secret?: boolean }>;
    for (const [k, v] of Object.entries(configMap))
        commands.push(["config", "set", "--stack", stack, k, String(v.value), ...(v.secret ? ["--secret"] : ["--plaintext"])]);
    commands.push(["up", "--yes", "--stack", stack]);
    let output = "";
    for (const args of commands) {
        const r = await sh("pulumi", [...args, "--non-interactive"], cwd, env);
        output += `$ pulumi ${args.join(" ")}\n${r.output}`;
        if (r.code !== 0) return { outcome: "failure" as const, exitCode: r.code, output, stoodInFor: stood };
    }
    return { outcome: "success" as const, exitCode: 0, output, stoodInFor: stood };
}
