// One teardown at a time per stack on this machine. A second teardown or sweep reaching a stack another run is tearing
// down reports it busy and touches nothing: two runs gating and destroying the same stack at once would each report
// deletes the other made. The lock is a file outside the user's project (the system's temporary folder), holding the
// owner's pid and start time; a lock whose owner is gone (a killed run) is taken over. Runs on other machines are kept
// apart by the backend's own stack lock during the destroy, and by a pipeline's concurrency group.

import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { processStartTime } from "../destroy-time/cli-config";

export interface RunLock {
    release(): void;
}

export type LockResult = { held: RunLock } | { busy: string };

interface Owner {
    pid: number;
    started: string | undefined;
    stack: string;
    since: string;
}

const lockDir = () => process.env.PULUMI_SAFE_SECRET_LOCK_DIR ?? path.join(os.tmpdir(), "pulumi-safe-secret-runs");

/** The lock's file: one per backend, project and stack. */
export function lockFile(backend: string, project: string, stack: string): string {
    const key = createHash("sha256")
        .update(JSON.stringify([backend, project, stack]))
        .digest("hex")
        .slice(0, 24);
    return path.join(lockDir(), `${key}.lock`);
}

function readOwner(file: string): Owner | undefined {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as Owner;
    } catch {
        return undefined;
    }
}

const alive = (o: Owner) => o.started !== undefined && processStartTime(o.pid) === o.started;

/** Takes the stack's lock for this process, or says which run holds it. */
export function acquireRunLock(file: string, stack: string): LockResult {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const me: Owner = { pid: process.pid, started: processStartTime(process.pid), stack, since: new Date().toISOString() };
    for (let attempt = 0; attempt < 3; attempt++) {
        try {
            fs.writeFileSync(file, JSON.stringify(me), { flag: "wx" });
            return { held: { release: () => releaseIfMine(file, me) } };
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        }
        const owner = readOwner(file);
        if (owner && alive(owner)) {
            return {
                busy: `stack ${stack} is being torn down by another run (process ${owner.pid}, since ${owner.since}); nothing was touched`,
            };
        }
        // The owner is gone (killed, or its file half-written): take over, unless another run took over meanwhile.
        const now = readOwner(file);
        if (JSON.stringify(now) === JSON.stringify(owner)) fs.rmSync(file, { force: true });
    }
    return { busy: `stack ${stack}: could not take its teardown lock ${file}; nothing was touched` };
}

function releaseIfMine(file: string, me: Owner): void {
    const owner = readOwner(file);
    if (owner?.pid === me.pid && owner.started === me.started) fs.rmSync(file, { force: true });
}
