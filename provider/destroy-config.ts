// The stack configuration in force when `pulumi destroy` runs.
//
// A plain `pulumi destroy` does not run the program, so the engine configures the dynamic provider with the
// inputs its default provider recorded at the last `pulumi up`; a `forceDelete` set after that up would not reach
// `configure`. So delete asks the Pulumi CLI for the stack's current configuration — of the stack actually being
// destroyed: the `pulumi` process that started this provider is found among its ancestors, and its own `--stack`,
// `--cwd` and `--config-file` are used, so a `pulumi stack rename` (or a new stack that took the old name) cannot
// send the read to the wrong stack. Secret-stored keys are read decrypted (`--show-secrets`) with the secrets
// provider the running CLI already uses. When no running CLI can be found, the stack recorded in state is read
// only if its checkpoint holds this very secret; otherwise the read fails and policy.ts decides what is safe.

import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CurrentConfigRead } from "./policy";
import { readStackSettings } from "./stack-config";

/** What the running `pulumi` command was told, from its command line. */
export interface RunningCli {
    pid: number;
    command: string;
    stack?: string;
    cwd?: string;
    configFile?: string;
}

const ENGINE_COMMANDS = new Set(["destroy", "up", "update", "refresh", "preview", "import", "watch"]);

/** Reads `pulumi <command> [--stack S | -s S | --stack=S] [--cwd D | -C D] [--config-file F]` from an argv. */
export function parseCliArgs(argv: string[]): Omit<RunningCli, "pid"> | undefined {
    if (!/^pulumi(\.exe)?$/.test(path.basename(argv[0] ?? ""))) return undefined;
    const out: Omit<RunningCli, "pid"> = { command: "" };
    for (let i = 1; i < argv.length; i++) {
        const a = argv[i];
        const [flag, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
        const value = () => inline ?? argv[++i];
        if (flag === "--stack" || flag === "-s") out.stack = value();
        else if (flag === "--cwd" || flag === "-C") out.cwd = value();
        else if (flag === "--config-file") out.configFile = value();
        else if (!out.command && !a.startsWith("-") && ENGINE_COMMANDS.has(a)) out.command = a;
    }
    return out.command ? out : undefined;
}

/** argv and parent pid of a process, from /proc (Linux only; elsewhere nothing is found and the fallback applies). */
function processInfo(pid: number): { ppid: number; argv: string[] } | undefined {
    try {
        const argv = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        return { ppid, argv };
    } catch {
        return undefined;
    }
}

/** The `pulumi` command among this process's ancestors (the engine starts providers through a shell script). */
export function findRunningCli(start = process.ppid, info = processInfo): RunningCli | undefined {
    let pid = start;
    for (let depth = 0; depth < 6 && pid > 1; depth++) {
        const p = info(pid);
        if (!p) return undefined;
        const cli = parseCliArgs(p.argv);
        if (cli) return { pid, ...cli };
        pid = p.ppid;
    }
    return undefined;
}

type ConfigJson = Record<string, { value?: string; secret?: boolean; objectValue?: unknown }>;

/** The stack name of a fully qualified "org/project/stack" (or "org/stack", or a bare name). */
export const stackPart = (name: string) => name.split("/").pop()!;

function run(cli: string, args: string[], cwd: string): Promise<{ ok: true; stdout: string } | { ok: false; problem: string }> {
    return new Promise((resolve) => {
        execFile(cli, args, { cwd, timeout: 120_000, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } },
            (err, stdout, stderr) => {
                if (err) resolve({ ok: false, problem: `\`${cli} ${args.filter((a) => a !== "--show-secrets").join(" ")}\` failed: ${(stderr || err.message).trim().split("\n")[0]}` });
                else resolve({ ok: true, stdout });
            });
    });
}

export interface ReadRequest {
    /** The stack recorded in the secret's state. */
    recordedStack: string;
    project: string;
    /** The secret's id, to check that a stack found by its recorded name really holds it. */
    secretId: string;
}

/** Once per provider process: each CLI call below is made once for all the secrets of a destroy. */
const cache = new Map<string, Promise<unknown>>();
function once<T>(key: unknown[], f: () => Promise<T>): Promise<T> {
    const k = JSON.stringify(key);
    if (!cache.has(k)) cache.set(k, f());
    return cache.get(k) as Promise<T>;
}

let runningCli: RunningCli | undefined | null = null;
/** The running CLI, looked up once: the provider process keeps its parent. */
function theRunningCli(): RunningCli | undefined {
    if (runningCli === null) runningCli = findRunningCli();
    return runningCli;
}

export async function readCurrentStackConfig(req: ReadRequest, cli = process.env.PULUMI_SAFE_SECRET_CLI ?? "pulumi", running = theRunningCli()): Promise<CurrentConfigRead> {
    const cwd = running?.cwd ? path.resolve(process.cwd(), running.cwd) : process.cwd();
    if (!running) {
        // No running CLI to ask: the recorded name may now belong to another stack (after `pulumi stack rename`).
        const exported = await once([cli, cwd, "export", req.recordedStack], () => run(cli, ["stack", "export", "--stack", req.recordedStack, "--non-interactive"], cwd));
        if (!exported.ok) return { ok: false, problem: exported.problem };
        if (!exported.stdout.includes(JSON.stringify(req.secretId))) {
            return { ok: false, problem: `the stack now named ${req.recordedStack} does not hold this secret (renamed since the last \`pulumi up\`?)` };
        }
    }
    return once([cli, cwd, req.project, running ? running.pid : req.recordedStack], () => readConfig(req, cli, running, cwd));
}

async function readConfig(req: ReadRequest, cli: string, running: RunningCli | undefined, cwd: string): Promise<CurrentConfigRead> {
    const args = ["config", "--json", "--show-secrets", "--non-interactive"];
    const notes: string[] = [];
    if (running) {
        if (running.stack) args.push("--stack", running.stack);
        if (running.configFile) {
            args.push("--config-file", path.resolve(cwd, running.configFile));
            notes.push(`reading the deletion settings from --config-file ${running.configFile}, as the running \`pulumi ${running.command}\` does`);
        }
        if (running.stack && stackPart(running.stack) !== stackPart(req.recordedStack)) {
            notes.push(`the stack was recorded as ${req.recordedStack} at the last \`pulumi up\`; using the configuration of ${running.stack}, the stack being destroyed`);
        }
    } else {
        args.push("--stack", req.recordedStack);
    }
    const out = await run(cli, args, cwd);
    if (!out.ok) return { ok: false, problem: out.problem };
    let json: ConfigJson;
    try {
        json = JSON.parse(out.stdout);
    } catch (e) {
        return { ok: false, problem: `could not parse \`pulumi config --json\` output: ${(e as Error).message}` };
    }
    const get = (k: string) => {
        const e = json[k];
        if (!e) return undefined;
        return e.value ?? (e.objectValue !== undefined ? JSON.stringify(e.objectValue) : undefined);
    };
    return { ok: true, stack: readStackSettings(get, req.project), note: notes.length ? notes.join("; ") : undefined };
}
