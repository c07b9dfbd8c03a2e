// Python programs as a user runs them: the real Python language host (built beside the CLI by scripts/toolchain.sh),
// a virtual environment with the `pulumi` package from PyPI, and the typed SDK that `pulumi package add` generates
// from the installed plugin's schema.

import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { cli, EngineStack, env, installedPackage, newWorkDir, requireCli, ROOT, workspaceOptions, wrap } from "./engine";
import { USER_PROJECT } from "./user-project";

/** The Python SDK the programs run with: the release of the CLI and of the Node.js SDK the tests use. */
const PULUMI_PYTHON_VERSION: string = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).devDependencies[
    "@pulumi/pulumi"
];

/** Kept beside the user project between runs: made once (about 10 s: pip and its wheel cache), then reused. */
const VENV = `${USER_PROJECT}-python-venv`;

/** The command the README and examples/python give, the plugin's path as a user's project sees it. */
export const PACKAGE_ADD = ["package", "add", "./node_modules/pulumi-safe-secret/plugin/pulumi-resource-safesecret"];

/** A virtual environment with pulumi==PULUMI_PYTHON_VERSION; made here unless one already is. */
export function pythonVenv(): string {
    const stamp = path.join(VENV, "pulumi-version");
    if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === PULUMI_PYTHON_VERSION) return VENV;
    try {
        execFileSync("python3", ["--version"], { stdio: "pipe" });
    } catch {
        throw new Error("python3 is not on PATH: install Python 3 (with its venv module) to run the Python programs' tests");
    }
    fs.rmSync(VENV, { recursive: true, force: true });
    const run = (file: string, args: string[]) => execFileSync(file, args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
    try {
        run("python3", ["-m", "venv", VENV]);
        run(path.join(VENV, "bin", "pip"), ["install", "--quiet", "--disable-pip-version-check", `pulumi==${PULUMI_PYTHON_VERSION}`]);
    } catch (e) {
        const err = e as { stderr?: string; message: string };
        throw new Error(
            `making the Python virtual environment ${VENV} with pulumi==${PULUMI_PYTHON_VERSION} failed: ${err.stderr ?? err.message}`,
        );
    }
    fs.writeFileSync(stamp, PULUMI_PYTHON_VERSION);
    return VENV;
}

/**
 * A copy of examples/python set up as its header says: the package in node_modules, then `pulumi package add` of the
 * plugin (which generates the SDK and installs it into the project's venv, here the shared one).
 */
export async function pythonStack(label: string, stackName = "test"): Promise<EngineStack> {
    requireCli();
    const venv = pythonVenv();
    const workDir = newWorkDir(label);
    const src = path.join(ROOT, "examples", "python");
    for (const f of ["Pulumi.yaml", "__main__.py", "requirements.txt"]) fs.copyFileSync(path.join(src, f), path.join(workDir, f));
    // The one change to the example: its venv is the shared one (a link would not do: `package add` runs
    // `python -m venv` on the folder, which refuses a symbolic link).
    const yaml = path.join(workDir, "Pulumi.yaml");
    const project = fs.readFileSync(yaml, "utf8").replace(/^name: .*$/m, `name: ${label}`);
    if (!/^ {4}virtualenv: venv$/m.test(project)) throw new Error("examples/python/Pulumi.yaml no longer names its venv `venv`");
    fs.writeFileSync(yaml, project.replace(/^ {4}virtualenv: venv$/m, `    virtualenv: ${venv}`));
    // As after `npm install pulumi-safe-secret` in the project's folder.
    fs.symlinkSync(path.join(installedPackage().dir, "node_modules"), path.join(workDir, "node_modules"));
    await cli({ workDir }, PACKAGE_ADD);
    const { LocalWorkspace } = installedPackage().automation;
    const stack = await LocalWorkspace.createStack({ stackName, workDir }, await workspaceOptions(env(workDir)));
    return wrap(stack, workDir);
}
