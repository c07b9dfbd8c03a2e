// The installed package's `pulumi-safe-secret` command, run as `npx pulumi-safe-secret` finds it in a user project.

import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as path from "path";
import { describeOrUndefined } from "./aws-fixtures";
import { EngineStack, env, installedPackage } from "./engine";

export interface CommandResult {
    code: number;
    stdout: string;
    stderr: string;
}

/** Asynchronous: the AWS layer answering the provider lives in this process. */
export function teardownCommand(
    s: Pick<EngineStack, "workDir">,
    args: string[],
    extraEnv: Record<string, string> = {},
): Promise<CommandResult> {
    const bin = path.join(installedPackage().dir, "node_modules", ".bin", "pulumi-safe-secret");
    return new Promise((resolve) => {
        execFile(
            bin,
            args,
            { cwd: s.workDir, env: { ...process.env, ...env(s.workDir), ...extraEnv }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
            (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr }),
        );
    });
}

/** The JSON summary: the last line of stdout. */
export function summaryOf(r: CommandResult): any {
    return JSON.parse(r.stdout.trim().split("\n").pop()!);
}

/**
 * Each secret has the teardown's line for a force delete by the stack's configuration — its own as it is now, or the
 * teardown's --force-delete over it — and is gone from AWS.
 */
export async function assertForceDeletedByStack(r: CommandResult, names: string[], by: "teardown" | "current" = "teardown"): Promise<void> {
    const source = by === "teardown" ? "set by the teardown" : "from the current configuration";
    for (const n of names) {
        const line = `^✓ ${n} \\(us-east-1\\): force-deleted — deleted without recovery — force delete without recovery \\(stack config\\), ${source}$`;
        assert.match(r.stdout, new RegExp(line, "m"));
        assert.equal(await describeOrUndefined(n), undefined, `${n} is still in AWS`);
    }
}
