// Go programs as a user runs them: the real Go language host (built beside the CLI by scripts/toolchain.sh), which
// compiles the program with `go build`, and the typed SDK that `pulumi package add` generates from the installed
// plugin's schema. The example ships its go.mod and go.sum whole, so the modules come from Go's module cache (the
// proxy only the first time on a machine), and Go's build cache (GOCACHE) keeps the compiled Pulumi SDK between runs:
// the language host builds with -trimpath, so a copy of the example in a new folder reuses it.

import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { cli, EngineStack, env, installedPackage, newWorkDir, requireCli, ROOT, workspaceOptions, wrap } from "./engine";

/** The files of examples/go a user has before `pulumi package add`. */
export const GO_EXAMPLE_FILES = ["Pulumi.yaml", "main.go", "go.mod", "go.sum"];

/** The command the README and examples/go give, the plugin's path as a user's project sees it. */
export const PACKAGE_ADD = ["package", "add", "./node_modules/pulumi-safe-secret/plugin/pulumi-resource-safesecret"];

let goFound = false;
/** The Go toolchain the language host compiles programs with; the host finds `go` on PATH as a user's would. */
export function requireGo(): void {
    if (goFound) return;
    try {
        execFileSync("go", ["version"], { stdio: "pipe" });
        goFound = true;
    } catch {
        throw new Error("go is not on PATH: install Go (>= 1.25.11, what Pulumi's Go SDK declares) to run the Go programs' tests");
    }
}

/**
 * A copy of examples/go set up as its header says: the package in node_modules, then `pulumi package add` of the
 * plugin (which generates the SDK into sdks/safesecret, points go.mod's `replace` at it and runs `go mod tidy`).
 */
export async function goStack(label: string, stackName = "test"): Promise<EngineStack> {
    requireCli();
    requireGo();
    const workDir = newWorkDir(label);
    const src = path.join(ROOT, "examples", "go");
    for (const f of GO_EXAMPLE_FILES) fs.copyFileSync(path.join(src, f), path.join(workDir, f));
    // The one change to the example: its project name, so that stacks of different tests never share a name.
    const yaml = path.join(workDir, "Pulumi.yaml");
    fs.writeFileSync(yaml, fs.readFileSync(yaml, "utf8").replace(/^name: .*$/m, `name: ${label}`));
    // As after `npm install pulumi-safe-secret` in the project's folder.
    fs.symlinkSync(path.join(installedPackage().dir, "node_modules"), path.join(workDir, "node_modules"));
    await cli({ workDir }, PACKAGE_ADD);
    const { LocalWorkspace } = installedPackage().automation;
    const stack = await LocalWorkspace.createStack({ stackName, workDir }, await workspaceOptions(env(workDir)));
    return wrap(stack, workDir);
}
