// Drives the real Pulumi CLI (found on PATH by scripts/toolchain.sh) through the Automation API, against the
// AWS-behaviour layer in front of moto. Each stack lives in its own directory below the user project
// (user-project.ts: the packed package installed with npm, outside the repository), and the Automation API,
// the SDK and the Secret class come from that project's node_modules, as in a user's program.

import type { PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { execFile, execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { projectConfigSchema } from "../../provider/core/stack-keys";
import { aws, TEST_ACCESS_KEY, TEST_SECRET_KEY } from "./harness";
import { STACK_KMS_ALIAS } from "./moto";
import { Installed, installedPackage, ROOT } from "./user-project";

export { installedPackage, ROOT };
export const PASSPHRASE = "engine-test-passphrase";
let counter = 0;
const rootStackFiles: string[] = [];

/** Removes stack configuration files the tests wrote into the repository root. */
export function cleanRootStackFiles(): void {
    for (const f of rootStackFiles.splice(0)) fs.rmSync(f, { force: true });
}

let cliFound = false;
export function requireCli(): void {
    if (cliFound) return;
    try {
        execFileSync("pulumi", ["version"], { stdio: "pipe" });
        cliFound = true;
    } catch {
        throw new Error("the pulumi CLI is not on PATH — run the tests with `bash scripts/test.sh`, which builds or finds it");
    }
}

let command: Promise<unknown> | undefined;
/**
 * What every workspace of this process runs the CLI with: one PulumiCommand (the Automation API's own), so that the
 * CLI's `pulumi version` is asked once per process, not once per stack (each call costs the CLI's start-up); and, for
 * the stacks it creates, AWS KMS (moto's, the key STACK_KMS_ALIAS) as the secrets provider. A passphrase stack costs
 * each CLI call that reads its config or state a PBKDF2 derivation of about 0.17 s of CPU, an eighth of the suite's
 * CPU; what is tested here is the provider, not Pulumi's secrets managers (stacks made with `pulumi stack init`, as
 * the pipeline and fleet tests make them, and the upgrade fixtures keep the passphrase).
 */
export async function workspaceOptions(envVars: Record<string, string>, kms = true) {
    const { PulumiCommand } = installedPackage().automation;
    command ??= PulumiCommand.get({ skipVersionCheck: true });
    const pulumiCommand = (await command) as Awaited<ReturnType<typeof PulumiCommand.get>>;
    return { envVars, pulumiCommand, ...(kms ? { secretsProvider: `awskms://${STACK_KMS_ALIAS}?region=us-east-1` } : {}) };
}

export interface EngineStack {
    stack: Stack;
    workDir: string;
    stateDir: string;
    output: string[];
    /** All text the engine printed so far. */
    printed(): string;
    /** The stack's checkpoint file as written by the file backend. */
    stateText(): string;
}

let typeCheckNewStacks = false;
const typeChecked = new Set<string>();

/**
 * Called in a describe block: the programs of the stacks it creates are type-checked, as the language host runs
 * TypeScript by default. Elsewhere they run transpiled only (PULUMI_NODEJS_TRANSPILE_ONLY): TypeScript is not what
 * those tests test, and the check costs about 2 s a program run.
 */
export function typeCheckedPrograms(): void {
    before(() => (typeCheckNewStacks = true));
    after(() => (typeCheckNewStacks = false));
}

export function env(workDir: string): Record<string, string> {
    return {
        // Unset for a type-checked stack: the language host's default, as users get it.
        ...(typeChecked.has(workDir) ? {} : { PULUMI_NODEJS_TRANSPILE_ONLY: "true" }),
        PULUMI_BACKEND_URL: `file://${path.join(workDir, "state")}`,
        PULUMI_HOME: path.join(workDir, "home"),
        PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
        AWS_ENDPOINT_URL_SECRETS_MANAGER: aws().layer.url,
        // The stacks' secrets provider (workspaceOptions), straight to moto: not a call the AWS layer counts.
        AWS_ENDPOINT_URL_KMS: aws().moto.url,
        AWS_ACCESS_KEY_ID: TEST_ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY: TEST_SECRET_KEY,
        AWS_REGION: "us-east-1",
    };
}

export function newWorkDir(label: string): string {
    const dir = path.join(installedPackage().dir, "stacks", `${label}-${process.pid}-${++counter}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, "state"), { recursive: true });
    if (typeCheckNewStacks) typeChecked.add(dir);
    return dir;
}

/** Every file below `dir` (none if it does not exist). */
export function filesUnder(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

export function wrap(stack: Stack, workDir: string): EngineStack {
    const output: string[] = [];
    withoutFollowUpCalls(stack, path.join(workDir, "state"));
    return {
        stack,
        workDir,
        stateDir: path.join(workDir, "state"),
        output,
        printed: () => output.join(""),
        stateText: () =>
            filesUnder(path.join(workDir, "state", ".pulumi", "stacks"))
                .filter((f) => f.endsWith(".json"))
                .map((f) => fs.readFileSync(f, "utf8"))
                .join("\n"),
    };
}

/** The key by which Pulumi marks a secret value in state (encrypted, beside its `ciphertext`). */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Where the file backend below `stateDir` keeps a stack's checkpoint (its latest state). */
export function checkpointFile(stateDir: string, project: string, stack: string): string {
    return path.join(stateDir, ".pulumi", "stacks", project, `${stack}.json`);
}

/** The stack's newest update record: the file backend names them `<stack>-<unix nanoseconds>.history.json`. */
function newestHistory(stateDir: string, project: string, stack: string): string | undefined {
    const dir = path.join(stateDir, ".pulumi", "history", project, stack);
    if (!fs.existsSync(dir)) return undefined;
    // Nanosecond stamps of the same width: the names sort as the times do.
    const last = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".history.json"))
        .sort()
        .pop();
    return last && path.join(dir, last);
}

/**
 * After each up, destroy and refresh the Automation API asks the CLI three more times (`stack output` twice and
 * `stack history`) for the outputs and summary it returns: a third of the suite's CLI calls, each paying the CLI's
 * start-up. The file backend has both in files the operation itself wrote, so the stack reads them there; it asks the
 * CLI as before where a file is not found or an output is a secret (only the CLI decrypts).
 */
function withoutFollowUpCalls(stack: Stack, stateDir: string): void {
    const viaCli = { outputs: stack.outputs.bind(stack), info: stack.info.bind(stack) };
    const stackName = stack.name.split("/").pop()!;
    const project = async () => (await stack.workspace.projectSettings()).name;
    stack.outputs = async () => {
        const file = checkpointFile(stateDir, await project(), stackName);
        if (!fs.existsSync(file)) return viaCli.outputs();
        const resources: any[] = JSON.parse(fs.readFileSync(file, "utf8")).checkpoint?.latest?.resources ?? [];
        const outputs = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.outputs ?? {};
        if (JSON.stringify(outputs).includes(SECRET_SIG)) return viaCli.outputs();
        return Object.fromEntries(Object.entries(outputs).map(([k, value]) => [k, { value, secret: false }]));
    };
    stack.info = async (showSecrets?: boolean) => {
        const file = newestHistory(stateDir, await project(), stackName);
        if (!file) return viaCli.info(showSecrets);
        const u = JSON.parse(fs.readFileSync(file, "utf8"));
        // As `stack history --json` prints it: times as dates; the recorded config is left out (it holds ciphertext).
        return { ...u, config: {}, startTime: new Date(u.startTime * 1000), endTime: new Date(u.endTime * 1000) };
    };
    // A plain value is a line of the stack's settings file: written here, as `pulumi config set` writes it, with no CLI
    // call (a secret still goes through the CLI, which encrypts it). Tests of `pulumi config` itself run the CLI.
    const viaCliConfig = { set: stack.setConfig.bind(stack), remove: stack.removeConfig.bind(stack) };
    const edit = async (key: string, change: (config: Record<string, unknown>, full: string) => void) => {
        const full = key.includes(":") ? key : `${await project()}:${key}`;
        const settings = await stack.workspace.stackSettings(stack.name);
        const config = { ...settings.config };
        change(config, full);
        await stack.workspace.saveStackSettings(stack.name, { ...settings, config: config as any });
    };
    stack.setConfig = async (key, value, usePath) => {
        if (value.secret || usePath) return viaCliConfig.set(key, value, usePath);
        await edit(key, (config, full) => (config[full] = value.value));
    };
    stack.removeConfig = async (key, usePath) => {
        if (usePath) return viaCliConfig.remove(key, usePath);
        await edit(key, (config, full) => delete config[full]);
    };
}

/** The resources of the stack's deployment, as `pulumi stack export` prints them. */
export async function resourcesOf(s: EngineStack, extraEnv: Record<string, string> = {}): Promise<any[]> {
    return JSON.parse(await cli(s, ["stack", "export"], extraEnv)).deployment.resources ?? [];
}

/** aws:region written into the stack's settings file in this process (a plain value needs no CLI call). */
async function setRegion(stack: Stack): Promise<void> {
    const settings = await stack.workspace.stackSettings(stack.name);
    await stack.workspace.saveStackSettings(stack.name, { ...settings, config: { ...settings.config, "aws:region": "us-east-1" } });
}

/** A copy of a project under examples/ (or the root project), run as `pulumi up` runs it: with its language host. */
export async function projectStack(example: string, stackName = "test", config: Record<string, string> = {}): Promise<EngineStack> {
    requireCli();
    let workDir: string;
    const stateHome = newWorkDir(example === "." ? "root" : example);
    if (example === ".") {
        // The root project runs in place, as `bash scripts/demo.sh` runs it; its stack file is removed afterwards.
        workDir = ROOT;
        stackName = `${stackName}-${process.pid}-${counter}`;
        rootStackFiles.push(path.join(ROOT, `Pulumi.${stackName}.yaml`));
    } else {
        workDir = stateHome;
        const src = path.join(ROOT, "examples", example);
        for (const f of ["Pulumi.yaml", "index.ts"]) fs.copyFileSync(path.join(src, f), path.join(workDir, f));
    }
    const { LocalWorkspace } = installedPackage().automation;
    const stack = await LocalWorkspace.createStack({ stackName, workDir }, await workspaceOptions(env(stateHome)));
    await setRegion(stack);
    for (const [k, v] of Object.entries(config)) await stack.setConfig(k, { value: v, secret: /password|key$/i.test(k) });
    return wrap(stack, stateHome);
}

/**
 * A TypeScript project written for the test (`program` is its index.ts), run as `pulumi up` runs a user's project:
 * by the real Node.js language host (type-checked under typeCheckedPrograms), importing pulumi-safe-secret from the
 * user project.
 */
export async function programStack(label: string, program: string, stackName = "test"): Promise<EngineStack> {
    requireCli();
    const workDir = newWorkDir(label);
    const project = { name: label, runtime: { name: "nodejs", options: { typescript: true } }, config: projectConfigSchema() };
    fs.writeFileSync(path.join(workDir, "Pulumi.yaml"), JSON.stringify(project, null, 2));
    fs.writeFileSync(path.join(workDir, "index.ts"), program);
    const { LocalWorkspace } = installedPackage().automation;
    const stack = await LocalWorkspace.createStack({ stackName, workDir }, await workspaceOptions(env(workDir)));
    await setRegion(stack);
    return wrap(stack, workDir);
}

/** Where the installed package's provider plugin folder is (plugin/PulumiPlugin.yaml). */
export function pluginDir(): string {
    return path.join(installedPackage().dir, "node_modules", "pulumi-safe-secret", "plugin");
}

/** How a YAML project names the plugin once the package is installed in it (examples/yaml/Pulumi.yaml). */
export const PLUGIN_PATH_IN_PROJECT = "./node_modules/pulumi-safe-secret/plugin";

/** The head of a YAML project's Pulumi.yaml that runs the plugin, as examples/yaml has it; its resources follow. */
export const YAML_HEADER = `name: test
runtime: yaml
plugins:
  providers:
    - name: safesecret
      path: ${PLUGIN_PATH_IN_PROJECT}
`;

/**
 * Writes a YAML project's Pulumi.yaml (`pulumiYaml`, naming the plugin at PLUGIN_PATH_IN_PROJECT) into `workDir`, as
 * project `label` with the installed package's plugin: at the start, and again each time a test edits the program.
 */
export function writeYamlProgram(workDir: string, label: string, pulumiYaml: string): void {
    if (!pulumiYaml.includes(PLUGIN_PATH_IN_PROJECT)) throw new Error(`the program does not name the plugin at ${PLUGIN_PATH_IN_PROJECT}`);
    fs.writeFileSync(
        path.join(workDir, "Pulumi.yaml"),
        pulumiYaml.replace(/^name: .*$/m, `name: ${label}`).replace(PLUGIN_PATH_IN_PROJECT, pluginDir()),
    );
}

/**
 * A Pulumi YAML project (`pulumiYaml`: its whole Pulumi.yaml, naming the plugin at PLUGIN_PATH_IN_PROJECT), run by
 * the real YAML language host with the installed package's provider plugin.
 */
export async function yamlStack(
    label: string,
    pulumiYaml: string,
    stackName = "test",
    extraEnv: Record<string, string> = {},
): Promise<EngineStack> {
    requireCli();
    // The stack's folder is below the user project, whose node_modules holds the package.
    const workDir = newWorkDir(label);
    writeYamlProgram(workDir, label, pulumiYaml);
    const { LocalWorkspace } = installedPackage().automation;
    const stack = await LocalWorkspace.createStack({ stackName, workDir }, await workspaceOptions({ ...env(workDir), ...extraEnv }));
    return wrap(stack, workDir);
}

/** An inline program (no language host), with the same config schema as the root project. */
export async function inlineStack(
    program: PulumiFn,
    projectName = "inline",
    stackName = "test",
    extraEnv: Record<string, string> = {},
): Promise<EngineStack> {
    requireCli();
    const workDir = newWorkDir(projectName);
    const { LocalWorkspace } = installedPackage().automation;
    const stack = await LocalWorkspace.createStack(
        { stackName, projectName, program },
        {
            ...(await workspaceOptions({ ...env(workDir), ...extraEnv })),
            workDir,
            projectSettings: {
                name: projectName,
                runtime: "nodejs",
                config: projectConfigSchema(),
            } as any,
        },
    );
    await setRegion(stack);
    return wrap(stack, workDir);
}

/**
 * Runs the Pulumi CLI itself in the stack's directory, as a user or a pipeline would; resolves to what it printed,
 * rejects with `stdout`/`stderr` on failure. Asynchronous: the AWS layer answering the provider lives in this process.
 */
export function cli(
    s: Pick<EngineStack, "workDir">,
    args: string[],
    extraEnv: Record<string, string> = {},
    cwd = s.workDir,
): Promise<string> {
    return new Promise((resolve, reject) => {
        execFile(
            "pulumi",
            [...args, "--non-interactive"],
            {
                cwd,
                env: { ...process.env, ...env(s.workDir), ...extraEnv },
                encoding: "utf8",
                maxBuffer: 64 * 1024 * 1024,
            },
            (err, stdout, stderr) => (err ? reject(Object.assign(err, { stdout, stderr })) : resolve(stdout + stderr)),
        );
    });
}

/**
 * A `pulumi` for the provider's destroy-time read (PULUMI_SAFE_SECRET_CLI) that logs each call's arguments and, given
 * `gate`, waits until that file exists before running the real CLI — so a test can act while a destroy is under way.
 */
export function loggingCli(dir: string, gate?: string): { path: string; calls: () => string[]; waiting: () => boolean } {
    const log = path.join(dir, "cli-calls.log");
    const waiting = path.join(dir, "cli-waiting");
    const file = path.join(dir, "logging-pulumi");
    const real = execFileSync("sh", ["-c", "command -v pulumi"], { encoding: "utf8" }).trim();
    const wait = gate ? `touch ${waiting}\nwhile [ ! -f ${gate} ]; do sleep 0.1; done\n` : "";
    fs.writeFileSync(file, `#!/bin/sh\necho "$*" >> ${log}\n${wait}exec ${real} "$@"\n`, { mode: 0o755 });
    return {
        path: file,
        calls: () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : []),
        waiting: () => fs.existsSync(waiting),
    };
}

export const collect = (s: EngineStack) => ({ onOutput: (o: string) => s.output.push(o), color: "never" as const });

/** The installed package's Secret, for programs: `new Secret(...)` constructs the class from the user project. */
export const Secret = function (...args: ConstructorParameters<Installed["Secret"]>) {
    return new (installedPackage().Secret)(...args);
} as unknown as Installed["Secret"];

/** The user project's @pulumi/pulumi (the copy the installed package registers resources with). */
export const pulumi = new Proxy({}, { get: (_, k) => (installedPackage().pulumi as any)[k] }) as Installed["pulumi"];
