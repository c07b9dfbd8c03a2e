// Killing what a killed CI job or a crash would leave behind.

import * as fs from "fs";

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

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once `condition` holds (checked every 50 ms); fails with `what` after `timeoutMs`. Not a timing assertion. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) throw new Error(`gave up waiting after ${timeoutMs / 1000}s: ${what}`);
        await sleep(50);
    }
}
