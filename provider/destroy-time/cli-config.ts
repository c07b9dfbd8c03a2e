// The stack configuration in force when `pulumi destroy` runs.
//
// A plain `pulumi destroy` does not run the program, so the engine configures the dynamic provider with the
// inputs its default provider recorded at the last `pulumi up`; a `forceDelete` set after that up would not reach
// `configure`. So delete asks the Pulumi CLI for the current configuration of the stack actually being destroyed:
//  - where: in the working directory of the `pulumi` process that started this provider, found among its ancestors
//    (/proc on Linux, `ps` and `lsof` elsewhere) — the CLI has changed into its `--cwd`/`-C` there already — not in
//    this provider's, which is the program's (for an Automation API inline program, its caller's directory);
//  - which stack: the one the running CLI was told with `--stack`; given none, the stack recorded in the secret's
//    state — never "whichever stack is selected now", which another terminal may have changed meanwhile;
//  - verified: a stack whose name differs from the recorded one (a rename), or one read without a running CLI to
//    ask, is used only if its state (`stack export`, parsed) holds a Secret with this very id.
// Only the deletion keys are decrypted (`pulumi config get`, one key at a time, only where stored as secrets); the
// stack's other secrets are never read. When the read fails, policy.ts decides what is safe.

import { execFile, execFileSync } from "child_process";

import * as fs from "fs";
import * as path from "path";
import { CurrentConfigRead } from "../core/policy";

import { readStackSettings, STACK_KEYS } from "../core/stack-keys";
import { isSecretType } from "../core/identity";

/** What the running `pulumi` command was told, from its command line, and where it runs. */
export interface RunningCli {
    pid: number;
    command: string;
    stack?: string | undefined;
    cwd?: string | undefined;
    configFile?: string | undefined;
    /** The CLI process's own working directory: the project's, once the CLI has applied its --cwd. */
    processCwd?: string | undefined;
}

const ENGINE_COMMANDS = new Set(["destroy", "up", "update", "refresh", "preview", "import", "watch"]);

/** Reads `pulumi <command> [--stack S | -s S | --stack=S] [--cwd D | -C D] [--config-file F]` from an argv. */
export function parseCliArgs(argv: string[]): Omit<RunningCli, "pid"> | undefined {
    if (!/^pulumi(\.exe)?$/.test(path.basename(argv[0] ?? ""))) return undefined;
    const told: Omit<RunningCli, "pid"> = { command: "" };
    for (let i = 1; i < argv.length; i++) {
        const arg = argv[i]!;
        const [flag, inline] =
            arg.startsWith("--") && arg.includes("=")
                ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
                : [arg, undefined];
        const value = () => inline ?? argv[++i];
        if (flag === "--stack" || flag === "-s") told.stack = value();
        else if (flag === "--cwd" || flag === "-C") told.cwd = value();
        else if (flag === "--config-file") told.configFile = value();
        else if (!told.command && !arg.startsWith("-") && ENGINE_COMMANDS.has(arg)) told.command = arg;
    }
    return told.command ? told : undefined;
}

export interface ProcessInfo {
    ppid: number;
    argv: string[];
    cwd?: string | undefined;
}

/** argv, parent pid and working directory of a process from /proc (Linux). */
export function procInfo(pid: number): ProcessInfo | undefined {
    try {
        const argv = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        let cwd: string | undefined;
        try {
            cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
        } catch {
            cwd = undefined;
        }
        return { ppid, argv, cwd };
    } catch {
        return undefined;
    }
}

/**
 * The same from `ps` and `lsof` (macOS, the BSDs; on Linux when /proc is not mounted). `ps` gives the command line
 * joined by spaces, so an argument with a space in it is split: only flags and plain values are read from it.
 */
export function psInfo(pid: number): ProcessInfo | undefined {
    try {
        const line = execFileSync("ps", ["-o", "ppid=", "-o", "args=", "-p", String(pid)], {
            encoding: "utf8",
            stdio: ["ignore", "pipe", "ignore"],
        }).trim();
        const m = /^(\d+)\s+(.*)$/.exec(line);
        if (!m) return undefined;
        let cwd: string | undefined;
        try {
            const out = execFileSync("lsof", ["-a", "-p", String(pid), "-d", "cwd", "-Fn"], {
                encoding: "utf8",
                stdio: ["ignore", "pipe", "ignore"],
            });
            cwd = out
                .split("\n")
                .find((l) => l.startsWith("n"))
                ?.slice(1);
        } catch {
            cwd = undefined;
        }
        return { ppid: Number(m[1]), argv: m[2]!.split(/\s+/), cwd };
    } catch {
        return undefined;
    }
}

/**
 * When a process started, as an opaque text that differs between two processes that held the same pid: the start
 * time in clock ticks from /proc, else `ps`'s lstart. Undefined when the process does not exist.
 */
export function processStartTime(pid: number): string | undefined {
    if (defaultProcessLookup() === procInfo) {
        try {
            const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
            return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
        } catch {
            return undefined;
        }
    }
    try {
        const out = execFileSync("ps", ["-o", "lstart=", "-p", String(pid)], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
        return out.trim() || undefined;
    } catch {
        return undefined;
    }
}

/** This process's ancestors (nearest first) with their start times, up to the first that cannot be looked up. */
export function ancestorsOf(start: number, info = defaultProcessLookup()): { pid: number; started?: string | undefined }[] {
    const ancestors: { pid: number; started?: string | undefined }[] = [];
    let pid = start;
    for (let depth = 0; depth < 8 && pid > 1; depth++) {
        const proc = info(pid);
        if (!proc) break;
        ancestors.push({ pid, started: processStartTime(pid) });
        pid = proc.ppid;
    }
    return ancestors;
}

/** /proc where it exists; PULUMI_SAFE_SECRET_PROCESS_LOOKUP=ps forces the other path (tests of it on Linux). */
export function defaultProcessLookup(): (pid: number) => ProcessInfo | undefined {
    return process.env.PULUMI_SAFE_SECRET_PROCESS_LOOKUP === "ps" || !fs.existsSync("/proc/self/cmdline") ? psInfo : procInfo;
}

/** The `pulumi` command among this process's ancestors (the engine starts providers through a shell script). */
export function findRunningCli(start = process.ppid, info = defaultProcessLookup()): RunningCli | undefined {
    let pid = start;
    for (let depth = 0; depth < 6 && pid > 1; depth++) {
        const proc = info(pid);
        if (!proc) return undefined;
        const cli = parseCliArgs(proc.argv);
        if (cli) return { pid, ...cli, ...(proc.cwd ? { processCwd: proc.cwd } : {}) };
        pid = proc.ppid;
    }
    return undefined;
}

type ConfigJson = Record<string, { value?: string; secret?: boolean; objectValue?: unknown }>;

/** The stack name of a fully qualified "org/project/stack" (or "org/stack", or a bare name). */
export const stackPart = (name: string) => name.split("/").pop()!;

export type RunResult = { ok: true; stdout: string } | { ok: false; problem: string };

/** Runs the CLI; a failure says which command, where, and its first line of error (or the missing binary or folder). */
export function runCli(cli: string, args: string[], cwd: string): Promise<RunResult> {
    return new Promise((resolve) => {
        execFile(
            cli,
            args,
            { cwd, timeout: 120_000, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } },
            (err, stdout, stderr) => {
                if (!err) return resolve({ ok: true, stdout });
                const missing = (err as NodeJS.ErrnoException).code === "ENOENT";
                const why =
                    missing && !fs.existsSync(cwd)
                        ? `the directory ${cwd} does not exist`
                        : missing
                          ? `no \`${cli}\` found on PATH`
                          : (stderr || err.message).trim().split("\n")[0];
                resolve({ ok: false, problem: `\`${cli} ${args.join(" ")}\` in ${cwd} failed: ${why}` });
            },
        );
    });
}

export interface ReadRequest {
    /** The stack recorded in the secret's state. */
    recordedStack: string;
    project: string;
    /** The secret's id, to check that a stack found by its name really holds it. */
    secretId: string;
}

/** The CLI's answers, by question: each CLI call below is made once per provider process, for all the secrets of a destroy. */
const cliAnswers = new Map<string, Promise<unknown>>();
function askCliOnce<T>(question: unknown[], ask: () => Promise<T>): Promise<T> {
    const key = JSON.stringify(question);
    if (!cliAnswers.has(key)) cliAnswers.set(key, ask());
    return cliAnswers.get(key) as Promise<T>;
}

/** null until looked up; then the `pulumi` CLI among this process's ancestors, or undefined when there is none. */
let ancestorCliFound: RunningCli | undefined | null = null;
/** The `pulumi` CLI that started this provider, looked up once: the provider process keeps its parent. */
export function ancestorCli(): RunningCli | undefined {
    if (ancestorCliFound === null) ancestorCliFound = findRunningCli();
    return ancestorCliFound;
}

let ancestorsFound: { pid: number; started?: string | undefined }[] | undefined;
/** This provider's ancestors with their start times, looked up once (with `ps`, two calls a level): they do not change. */
export function providerAncestors(): { pid: number; started?: string | undefined }[] {
    ancestorsFound ??= ancestorsOf(process.ppid);
    return ancestorsFound;
}

/** Whether a `stack export` holds a Secret resource with this id (parsed, not searched as text). */
export function exportHolds(exported: string, secretId: string): boolean {
    try {
        const resources: { id?: string; type?: string }[] = JSON.parse(exported)?.deployment?.resources ?? [];
        return resources.some((r) => r.id === secretId && typeof r.type === "string" && isSecretType(r.type));
    } catch {
        return false;
    }
}

export async function readCurrentStackConfig(
    req: ReadRequest,
    cli = process.env.PULUMI_SAFE_SECRET_CLI ?? "pulumi",
    running = ancestorCli(),
): Promise<CurrentConfigRead> {
    // The CLI has already applied its --cwd (it changes directory into it); this provider's own directory is the
    // program's, which for an Automation API inline program is not the project's.
    const cwd = running?.processCwd ?? process.cwd();
    // The stack the running CLI destroys, as it was told; told none, the recorded one, else the one selected now. A
    // name proves nothing (a stack renamed, another created under the old name): only a state holding this secret does.
    const candidates: (() => Promise<string | undefined>)[] = running?.stack
        ? [async () => running.stack]
        : [async () => req.recordedStack, () => askCliOnce([cli, cwd, "selected"], () => selectedStack(cli, cwd))];
    const tried: string[] = [];
    for (const candidate of candidates) {
        const stack = await candidate();
        if (stack === undefined || tried.includes(stack)) continue;
        tried.push(stack);
        const exported = await askCliOnce([cli, cwd, "export", stack], () =>
            runCli(cli, ["stack", "export", "--stack", stack, "--non-interactive"], cwd),
        );
        if (exported.ok && exportHolds(exported.stdout, req.secretId)) {
            return askCliOnce([cli, cwd, req.project, stack, running?.configFile], () => readConfig(req, cli, stack, running, cwd));
        }
        if (!exported.ok && running?.stack) return { ok: false, problem: exported.problem };
    }
    return {
        ok: false,
        problem: running?.stack
            ? `the stack ${running.stack} being destroyed does not hold this secret (recorded in ${req.recordedStack})`
            : `no stack whose state holds this secret was found (tried ${tried.join(" and ")}; renamed since the last \`pulumi up\`? run the destroy with --stack <its name>)`,
    };
}

/** The stack selected in the project's workspace now; undefined when none is or the CLI cannot say. */
async function selectedStack(cli: string, cwd: string): Promise<string | undefined> {
    const out = await runCli(cli, ["stack", "--show-name", "--non-interactive"], cwd);
    const name = out.ok ? out.stdout.trim() : "";
    return name === "" ? undefined : name;
}

async function readConfig(
    req: ReadRequest,
    cli: string,
    stack: string,
    running: RunningCli | undefined,
    cwd: string,
): Promise<CurrentConfigRead> {
    const scope = ["--stack", stack, "--non-interactive"];
    const notes: string[] = [];
    if (running?.configFile) {
        scope.push("--config-file", path.resolve(cwd, running.configFile));
        notes.push(
            `reading the deletion settings from --config-file ${running.configFile}, as the running \`pulumi ${running.command}\` does`,
        );
    }
    if (stackPart(stack) !== stackPart(req.recordedStack)) {
        notes.push(
            `the stack was recorded as ${req.recordedStack} at the last \`pulumi up\`; using the configuration of ${stack}, the stack being destroyed`,
        );
    }
    const got = await withDeletionKeys(await readConfigJson(cli, scope, cwd), cli, scope, cwd, [req.project]);
    if (!got.ok) return got;
    return { ok: true, stack: readStackSettings(got.get, req.project), note: notes.length ? notes.join("; ") : undefined };
}

export type ConfigJsonRead = { ok: true; json: ConfigJson } | { ok: false; problem: string };

/** A stack's configuration as `pulumi config --json` prints it (`scope` names the stack); decrypted with showSecrets. */
export async function readConfigJson(cli: string, scope: string[], cwd: string, showSecrets = false): Promise<ConfigJsonRead> {
    const out = await runCli(cli, ["config", "--json", ...(showSecrets ? ["--show-secrets"] : []), ...scope], cwd);
    if (!out.ok) return { ok: false, problem: out.problem };
    try {
        return { ok: true, json: JSON.parse(out.stdout) as ConfigJson };
    } catch (e) {
        return { ok: false, problem: `could not parse \`pulumi config --json\` output: ${(e as Error).message}` };
    }
}

/**
 * The configuration's values, the stack keys of `namespaces` stored with --secret (and not shown decrypted) decrypted
 * one by one (`pulumi config get`); nothing else of the stack is decrypted.
 */
export async function withDeletionKeys(
    read: ConfigJsonRead,
    cli: string,
    scope: string[],
    cwd: string,
    namespaces: string[],
): Promise<{ ok: true; get: (fullKey: string) => string | undefined; keys: string[] } | { ok: false; problem: string }> {
    if (!read.ok) return read;
    const json: ConfigJson = { ...read.json };
    for (const ns of namespaces) {
        for (const { key } of STACK_KEYS) {
            const full = `${ns}:${key}`;
            if (!json[full]?.secret || json[full].value !== undefined) continue;
            const got = await runCli(cli, ["config", "get", full, ...scope], cwd);
            if (!got.ok) return { ok: false, problem: got.problem };
            json[full] = { value: got.stdout.trim(), secret: true };
        }
    }
    const get = (k: string) => {
        const e = json[k];
        if (!e) return undefined;
        return e.value ?? (e.objectValue !== undefined ? JSON.stringify(e.objectValue) : undefined);
    };
    return { ok: true, get, keys: Object.keys(json) };
}
