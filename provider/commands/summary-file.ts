// The --summary-file of teardown, sweep and undo. The summary is the only record of what was deleted (undo --from reads
// it), and a finished teardown cannot be re-run to get it again (its stack may be gone): so the path is checked before
// anything is deleted, and the file is written whole or not at all.

import * as fs from "fs";
import * as path from "path";
import { UsageError } from "./args";
import { EXIT } from "./outcome";

/** Whether this process may write to a path (a seam for tests: root may write anywhere). */
export type WritableCheck = (p: string) => boolean;

const canWrite: WritableCheck = (p) => {
    try {
        fs.accessSync(p, fs.constants.W_OK);
        return true;
    } catch {
        return false;
    }
};

const statOrUndefined = (p: string): fs.Stats | undefined => {
    try {
        return fs.statSync(p);
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw new UsageError(`--summary-file ${p}: cannot look at it (${(e as Error).message}) — give a path this user can read and write`);
    }
};

/**
 * Throws a UsageError, naming the path and the fix, unless the summary can be written there: its folder exists, is a
 * folder and is writable (the file is written beside itself first, then renamed); the file, if it exists, is a
 * writable regular file.
 */
export function checkSummaryFile(file: string, writable: WritableCheck = canWrite): void {
    const target = path.resolve(file);
    const dir = path.dirname(target);
    const folder = statOrUndefined(dir);
    if (!folder)
        throw new UsageError(
            `--summary-file ${file}: the folder ${dir} does not exist — create it first (mkdir -p ${dir}) or give a path in an existing folder`,
        );
    if (!folder.isDirectory()) throw new UsageError(`--summary-file ${file}: ${dir} is not a folder — give a path in an existing folder`);
    if (!writable(dir))
        throw new UsageError(
            `--summary-file ${file}: this user cannot write in the folder ${dir} — give a path in a folder it can write to`,
        );
    const existing = statOrUndefined(target);
    if (existing && !existing.isFile())
        throw new UsageError(`--summary-file ${file} exists and is not a regular file (a folder?) — give the path of a file`);
    if (existing && !writable(target))
        throw new UsageError(
            `--summary-file ${file} exists and this user cannot write it — give another path, or make it writable (chmod u+w)`,
        );
}

/**
 * Writes the summary atomically: a temporary file in the same folder, flushed, then renamed over the target, so a
 * reader sees the old file or the whole new one, never half of it. An existing file keeps its mode; a symbolic link is
 * followed (the file it points to is replaced, not the link).
 */
export function writeSummaryFile(file: string, text: string): void {
    const target = fs.existsSync(file) ? fs.realpathSync(file) : path.resolve(file);
    const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
    try {
        const fd = fs.openSync(temp, "w", fs.existsSync(target) ? fs.statSync(target).mode & 0o777 : 0o666);
        try {
            fs.writeFileSync(fd, text);
            fs.fsyncSync(fd);
        } finally {
            fs.closeSync(fd);
        }
        fs.renameSync(temp, target);
    } catch (e) {
        try {
            fs.unlinkSync(temp);
        } catch {
            // Not created, or not ours to remove: the error that matters is the one above.
        }
        throw e;
    }
}

export interface Output {
    stdout(text: string): void;
    stderr(text: string): void;
}

/**
 * Prints the JSON summary as stdout's last line (`printed` instead, when given: a --dry-run --json's list), then
 * writes it to the summary file; returns the exit code. The path was checked before the command began, so a failure
 * here is rare (the folder removed meanwhile, a full disk): it is said on stderr, without a stack trace, since the
 * summary is on stdout. The exit code then: a command that did not finish keeps its own (1: re-run, 2: ask a human —
 * still what to do about the stack); one that finished exits 74 (sysexits' EX_IOERR) — not 0, since a pipeline that
 * goes on to upload the file or undo from it would find nothing, and not 1, since a re-run cannot bring the summary
 * back (the secrets are gone, and a removed stack makes it report "no such stack").
 */
export function emitSummary(
    summary: { exitCode: number },
    file: string | undefined,
    out: Output,
    printed: unknown = summary,
    write: (file: string, text: string) => void = writeSummaryFile,
): number {
    const json = JSON.stringify(summary);
    out.stdout(`${JSON.stringify(printed)}\n`);
    if (file === undefined) return summary.exitCode;
    try {
        write(file, `${json}\n`);
        return summary.exitCode;
    } catch (e) {
        out.stderr(
            `pulumi-safe-secret: could not write the summary to ${file} (${(e as Error).message}); it is the last line of ` +
                `stdout — keep that instead${summary.exitCode === EXIT.DONE ? ` (exit ${EXIT.SUMMARY_NOT_WRITTEN}: the command itself finished)` : ""}\n`,
        );
        return summary.exitCode === EXIT.DONE ? EXIT.SUMMARY_NOT_WRITTEN : summary.exitCode;
    }
}
