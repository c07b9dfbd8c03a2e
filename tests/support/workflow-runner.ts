// Runs a GitHub Actions workflow's jobs for one pull_request event on this machine, step by step, so that the example
// pipeline's own steps are what the tests exercise. `run:` steps run as written (bash, the step's working directory,
// the workflow's env with ${{ }} expressions evaluated). `uses:` steps have no runner here, so each known action is
// stood in for by what it does on a real runner:
//   actions/checkout              the checkout is the directory given (already holding the repository's files)
//   actions/setup-node            the toolchain's Node.js 22 is on PATH
//   aws-actions/configure-aws-credentials   the emulator's credentials and endpoint are in the environment
//   pulumi/actions                without `command`: the Pulumi CLI is on PATH (checked); `command: up`: what the
//                                 action runs — `pulumi stack select [--create]`, `config set` of config-map, `up --yes`
//   actions/upload-artifact       the file is copied to an artifacts directory (missing: the step fails)
// `npm ci` is stood in for by the package as installed in the user project (linked as the project's node_modules).
// Anything else fails the run: an unknown action or expression must not pass silently.

import { execFile } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";

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

export async function runPullRequestEvent(workflowFile: string, event: PullRequestEvent, setup: RunnerSetup): Promise<StepRun[]> {
    const wf = yaml.load(fs.readFileSync(workflowFile, "utf8")) as any;
    const types: string[] = wf.on?.pull_request?.types ?? [];
    if (!types.includes(event.action)) throw new Error(`the workflow does not run on pull_request ${event.action}`);
    const ctx = {
        github: { event: { number: event.number, action: event.action } },
        vars: setup.vars,
        secrets: setup.secrets,
        env: {} as Record<string, string>,
    };
    ctx.env = evaluateEnv(wf.env ?? {}, ctx);
    const runs: StepRun[] = [];
    for (const [jobName, job] of Object.entries<any>(wf.jobs)) {
        if (job.if !== undefined && !condition(job.if, ctx, true)) continue;
        const jobCtx = { ...ctx, env: { ...ctx.env, ...evaluateEnv(job.env ?? {}, ctx) } };
        let ok = true;
        for (const step of job.steps as Step[]) {
            const label = step.name ?? step.id ?? step.uses ?? step.run!.split("\n")[0];
            const stepCtx = { ...jobCtx, env: { ...jobCtx.env, ...evaluateEnv(step.env ?? {}, jobCtx) } };
            if (!condition(step.if ?? "success()", stepCtx, ok)) {
                runs.push({ job: jobName, step: label, outcome: "skipped", output: "" });
                continue;
            }
            const r = await runStep(step, stepCtx, setup, job.defaults?.run?.["working-directory"]);
            runs.push({ job: jobName, step: label, ...r });
            if (r.outcome === "failure") ok = false;
        }
    }
    return runs;
}

type Ctx = { github: unknown; vars: unknown; secrets: unknown; env: Record<string, string> };

function lookup(expr: string, ctx: Ctx): unknown {
    const e = expr.trim();
    if (!/^[a-z]+(\.[A-Za-z_][A-Za-z0-9_-]*)+$/.test(e)) throw new Error(`unsupported expression: ${expr}`);
    const [root, ...rest] = e.split(".");
    if (!["github", "vars", "secrets", "env"].includes(root)) throw new Error(`unsupported context: ${expr}`);
    return rest.reduce<any>((o, k) => (o === undefined ? undefined : o[k]), (ctx as any)[root]) ?? "";
}

function interpolate(text: string, ctx: Ctx): string {
    return text.replace(/\$\{\{(.*?)\}\}/g, (_, expr: string) => String(lookup(expr, ctx)));
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
    const equal = String(lookup(m[1], ctx)) === m[3];
    return previousOk && (m[2] === "==" ? equal : !equal);
}

function sh(command: string, args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
    return new Promise((resolve) => {
        execFile(command, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
            resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, output: stdout + stderr }),
        );
    });
}

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
        return done(await sh("bash", ["-e", "-o", "pipefail", "-c", script], cwd, env));
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
