// Killing what a killed CI job or a crash would leave behind.

import * as fs from "fs";
import * as path from "path";

/** SIGKILLs every process whose working directory is `dir` (Linux /proc); returns how many. */
export function killProcessesIn(dir: string): number {
    let n = 0;
    for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
        try {
            if (fs.readlinkSync(`/proc/${pid}/cwd`) === dir) {
                process.kill(Number(pid), "SIGKILL");
                n++;
            }
        } catch {
            // gone already, or not ours to read
        }
    }
    return n;
}

/**
 * After a SIGKILL: the file backend (gocloud's fileblob) replaces a checkpoint atomically but writes its `.attrs`
 * sidecar in place, so a kill during that write leaves it empty and every later command fails with "failed to load
 * checkpoint: EOF" — Pulumi's hazard, not the provider's. Removing the empty sidecar (the blob's metadata only) is what
 * a user does; the checkpoint itself is whole. Returns the files removed.
 */
export function repairKilledFileBackend(stateDir: string): string[] {
    const stacks = path.join(stateDir, ".pulumi", "stacks");
    if (!fs.existsSync(stacks)) return [];
    const removed: string[] = [];
    const walk = (dir: string): void => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            const p = path.join(dir, e.name);
            if (e.isDirectory()) walk(p);
            else if (e.name.endsWith(".attrs") && fs.statSync(p).size === 0) {
                fs.rmSync(p);
                removed.push(p);
            }
        }
    };
    walk(stacks);
    return removed;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once `condition` holds (checked every 50 ms); fails with `what` after `timeoutMs`. Not a timing assertion. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) throw new Error(`gave up waiting after ${timeoutMs / 1000}s: ${what}`);
        await sleep(50);
    }
}
