// The --summary-file of teardown, sweep and undo: checked before anything is done (exit 64 naming the path and the
// fix), printed on stdout before it is written, written whole or not at all, and a late failure said without a trace.

import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { UsageError } from "../../provider/commands/args";
import { EXIT } from "../../provider/commands/outcome";
import { checkSummaryFile, emitSummary, writeSummaryFile } from "../../provider/commands/summary-file";

const ROOT = path.resolve(__dirname, "../..");
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "summary-file-"));

function usageError(f: () => unknown, message: RegExp): void {
    assert.throws(f, (e: Error) => e instanceof UsageError && message.test(e.message), String(message));
}

describe("summary file: checked before anything is done", () => {
    it("accepts a new file in a writable folder, and an existing regular file", () => {
        const dir = tmp();
        checkSummaryFile(path.join(dir, "s.json"));
        fs.writeFileSync(path.join(dir, "old.json"), "{}\n");
        checkSummaryFile(path.join(dir, "old.json"));
    });

    it("refuses a missing folder, a folder that is a file, a file that is a folder, naming the path and the fix", () => {
        const dir = tmp();
        fs.writeFileSync(path.join(dir, "plain"), "");
        fs.mkdirSync(path.join(dir, "taken.json"));
        usageError(
            () => checkSummaryFile("/nonexistent/dir/s.json"),
            /^--summary-file \/nonexistent\/dir\/s\.json: the folder \/nonexistent\/dir does not exist — create it first \(mkdir -p \/nonexistent\/dir\)/,
        );
        usageError(() => checkSummaryFile(path.join(dir, "plain", "s.json")), /plain is not a folder — give a path in an existing folder/);
        usageError(() => checkSummaryFile(path.join(dir, "taken.json")), /taken\.json exists and is not a regular file \(a folder\?\)/);
    });

    it("refuses a folder or a file this user cannot write", () => {
        // The tests may run as root, who may write anywhere: the permission check is handed in.
        const dir = tmp();
        const file = path.join(dir, "s.json");
        fs.writeFileSync(file, "{}\n");
        usageError(
            () => checkSummaryFile(file, (p) => p !== dir),
            /this user cannot write in the folder .* — give a path in a folder it can write to/,
        );
        usageError(() => checkSummaryFile(file, (p) => p !== file), /s\.json exists and this user cannot write it — .*chmod u\+w/);
    });

    it("sweep and undo exit 64 before anything else (teardown: tests/engine/fleet.test.ts)", function () {
        this.timeout(60_000);
        const from = path.join(tmp(), "never-read.json");
        for (const args of [
            ["sweep", "--stacks", "pr-*", "--idle-for", "0s", "--remove-stack", "--cwd", "/nonexistent/project"],
            ["undo", "--from", from],
        ]) {
            const r = spawnSync(
                process.execPath,
                ["-r", "ts-node/register/transpile-only", "provider/commands/cli.ts", ...args, "--summary-file", "/nonexistent/dir/s.json"],
                { cwd: ROOT, encoding: "utf8" },
            );
            assert.equal(r.status, EXIT.USAGE, r.stderr);
            assert.equal(r.stdout, "");
            // Nothing ran: the project directory that does not exist was not looked at, the --from file not read.
            assert.equal(
                r.stderr,
                `pulumi-safe-secret ${args[0]}: --summary-file /nonexistent/dir/s.json: the folder /nonexistent/dir does not exist — ` +
                    "create it first (mkdir -p /nonexistent/dir) or give a path in an existing folder; nothing was done\n",
            );
        }
    });
});

describe("summary file: written", () => {
    it("whole, through a file beside it renamed over it: a failed write leaves the previous summary as it was", () => {
        const dir = tmp();
        const file = path.join(dir, "s.json");
        writeSummaryFile(file, '{"v":1,"n":1}\n');
        fs.chmodSync(file, 0o640);
        writeSummaryFile(file, '{"v":1,"n":2}\n');
        assert.equal(fs.readFileSync(file, "utf8"), '{"v":1,"n":2}\n');
        assert.equal(fs.statSync(file).mode & 0o777, 0o640, "the file's mode was not kept");
        assert.deepEqual(fs.readdirSync(dir), ["s.json"], "a temporary file was left behind");

        // The temporary file cannot be made (a folder stands in its place): the old summary is untouched.
        const temp = path.join(dir, `.s.json.${process.pid}.tmp`);
        fs.mkdirSync(temp);
        assert.throws(() => writeSummaryFile(file, '{"v":1,"n":3}\n'), /EISDIR/);
        assert.equal(fs.readFileSync(file, "utf8"), '{"v":1,"n":2}\n');
        fs.rmdirSync(temp);

        // A link is followed: the file it points to gets the summary, the link stays a link.
        const link = path.join(dir, "link.json");
        fs.symlinkSync(file, link);
        writeSummaryFile(link, '{"v":1,"n":4}\n');
        assert.ok(fs.lstatSync(link).isSymbolicLink());
        assert.equal(fs.readFileSync(file, "utf8"), '{"v":1,"n":4}\n');
    });

    it("after stdout has it; a late failure is one stderr line, and a finished command exits 74, another keeps its code", () => {
        for (const [exitCode, expected] of [
            [EXIT.DONE, EXIT.SUMMARY_NOT_WRITTEN],
            [EXIT.FAILED, EXIT.FAILED],
            [EXIT.REFUSED, EXIT.REFUSED],
        ]) {
            const stdout: string[] = [];
            const stderr: string[] = [];
            const code = emitSummary(
                { v: 1, exitCode } as { exitCode: number },
                "/gone/s.json",
                { stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t) },
                undefined,
                () => {
                    assert.deepEqual(stdout, [`{"v":1,"exitCode":${exitCode}}\n`], "the file was written before stdout had the summary");
                    throw new Error("ENOENT: no such file or directory, open '/gone/.s.json.1.tmp'");
                },
            );
            assert.equal(code, expected);
            assert.equal(stderr.length, 1);
            assert.match(
                stderr[0]!,
                /^pulumi-safe-secret: could not write the summary to \/gone\/s\.json \(ENOENT: .*\); it is the last line of stdout/,
            );
            assert.doesNotMatch(stderr[0]!, /\n\s+at /, "a stack trace");
        }
        // Written: the command's own code; --dry-run --json prints its list, the file gets the summary.
        const dir = tmp();
        const stdout: string[] = [];
        const code = emitSummary(
            { v: 1, exitCode: 0 } as { exitCode: number },
            path.join(dir, "s.json"),
            { stdout: (t) => stdout.push(t), stderr: assert.fail },
            ["pr-1"],
        );
        assert.equal(code, 0);
        assert.deepEqual(stdout, ['["pr-1"]\n']);
        assert.equal(fs.readFileSync(path.join(dir, "s.json"), "utf8"), '{"v":1,"exitCode":0}\n');
    });
});
