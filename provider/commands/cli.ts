#!/usr/bin/env node
// `npx pulumi-safe-secret <teardown | sweep | undo> ...` — args.ts has the options and exit codes of each.
// Progress goes to stderr; stdout has the result lines and, last, the JSON summary a pipeline reads.

import * as fs from "fs";
import * as path from "path";
import { Command, COMMANDS_USAGE, parseCommand, SweepOptions, TeardownOptions, UndoOptions, USAGE, UsageError } from "./args";
import { EXIT, outcomeLine, TeardownSummary } from "./outcome";
import { sweep } from "./sweep";
import { SweepChoice } from "./sweep-select";
import { checkSummaryFile, emitSummary } from "./summary-file";
import { failedTeardown, teardown } from "./teardown";
import { HistoryUnavailable, secretsBeforeLastDestroy } from "./last-state";
import { undo } from "./undo";
import { problemLine, undoLine, UndoSummary } from "./undo-check";

const started = Date.now();
const progress = (command: string) => (line: string) =>
    process.stderr.write(`[${command} ${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);

const emit = (summary: { exitCode: number }, summaryFile: string | undefined, printed?: unknown): number =>
    emitSummary(summary, summaryFile, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }, printed);

const VERDICT: Record<TeardownSummary["result"], string> = {
    done: "done",
    refused: "refused by policy — nothing more will happen on a re-run",
    failed: "failed — the reason says what stopped it; once that is fixed, the same command finishes the job",
    missing: "no such stack",
    busy: "busy — another run is tearing this stack down; nothing was touched",
};

async function runTeardown(opts: TeardownOptions): Promise<number> {
    const summary = await teardown(opts, { progress: progress("teardown") }).catch((e: Error) =>
        failedTeardown(opts.stack, opts.deletion, e),
    );
    for (const s of summary.secrets) process.stdout.write(`${outcomeLine(s)}\n`);
    process.stdout.write(`teardown of ${summary.stack}: ${VERDICT[summary.result]}${summary.reason ? ` (${summary.reason})` : ""}\n`);
    return emit(summary, opts.summaryFile);
}

async function runSweep(opts: SweepOptions): Promise<number> {
    const summary = await sweep(opts, {
        progress: progress("sweep"),
        finished: (s) => {
            const mark = s.result === "done" ? "✓" : "✗";
            const counts = Object.entries(
                s.secrets.reduce<Record<string, number>>((n, x) => ({ ...n, [x.outcome]: (n[x.outcome] ?? 0) + 1 }), {}),
            );
            process.stdout.write(
                `${mark} ${s.stack}: ${s.result} in ${(s.elapsedMs / 1000).toFixed(1)}s (${s.secrets.length} secrets${counts.length ? `: ${counts.map(([k, v]) => `${v} ${k}`).join(", ")}` : ""})` +
                    `${s.reason ? ` — ${s.reason}` : ""}\n`,
            );
        },
    });
    if (opts.dryRun) {
        const line = (c: SweepChoice) =>
            `${c.go ? "would tear down" : c.protected ? "would keep (protected)" : "would keep"} ${c.stack}: ${c.why}\n`;
        // With --json stdout is the list a CI matrix takes, so what protection keeps out is said on stderr (and in the file).
        if (!opts.json) for (const c of summary.considered) process.stdout.write(line(c));
        else for (const c of summary.considered.filter((x) => x.protected)) process.stderr.write(line(c));
        return emit(summary, opts.summaryFile, opts.json ? summary.considered.filter((c) => c.go).map((c) => c.stack) : summary);
    }
    for (const c of summary.considered.filter((x) => x.protected)) process.stdout.write(`· ${c.stack}: kept — ${c.why}\n`);
    process.stdout.write(`sweep: ${summary.result} (${summary.stacks.length} stacks torn down or tried)\n`);
    return emit(summary, opts.summaryFile);
}

const UNDO_VERDICT: Record<UndoSummary["result"], string> = {
    done: "done",
    "nothing-to-do": "nothing to do",
    failed: "failed",
    refused: "refused",
};

/** The summary file as the undo checks it: its JSON, or why it has none (the undo refuses that as a whole). */
function readSummary(file: string): { ok: true; json: unknown } | { ok: false; problem: string } {
    try {
        return { ok: true, json: JSON.parse(fs.readFileSync(file, "utf8")) };
    } catch (e) {
        return { ok: false, problem: (e as Error).message };
    }
}

/** What the undo is to check: a summary file's JSON, or the stack's state before its last destroy in a summary's shape. */
async function undoSource(opts: UndoOptions): Promise<{ summary: unknown; source: string } | { exitCode: number; message: string }> {
    if ("from" in opts) {
        const read = readSummary(opts.from);
        if (!read.ok) return { exitCode: EXIT.USAGE, message: `cannot read ${opts.from}: ${read.problem}` };
        return { summary: read.json, source: `the summary ${opts.from}` };
    }
    try {
        const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
        const ws = await LocalWorkspace.create({ workDir: path.resolve(opts.cwd) });
        const secrets = await secretsBeforeLastDestroy(ws, opts.stack);
        progress("undo")(`${secrets.length} secret${secrets.length === 1 ? "" : "s"} in stack ${opts.stack} before its last destroy`);
        return { summary: { secrets }, source: `the state of ${opts.stack} before its last destroy` };
    } catch (e) {
        return { exitCode: e instanceof HistoryUnavailable ? e.exitCode : EXIT.FAILED, message: (e as Error).message };
    }
}

async function runUndo(opts: UndoOptions): Promise<number> {
    const from = await undoSource(opts);
    if ("exitCode" in from) {
        process.stderr.write(`pulumi-safe-secret undo: ${from.message}\n`);
        return from.exitCode;
    }
    const summary = await undo(from.summary, from.source, { progress: progress("undo") });
    for (const p of summary.problems ?? []) process.stdout.write(`${problemLine(p)}\n`);
    for (const s of summary.secrets) process.stdout.write(`${undoLine(s)}\n`);
    process.stdout.write(`undo: ${UNDO_VERDICT[summary.result]}${summary.reason ? ` — ${summary.reason}` : ""}\n`);
    return emit(summary, opts.summaryFile);
}

async function main(argv: string[]): Promise<number> {
    let command: Command;
    try {
        command = parseCommand(argv);
    } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        const name = argv[0] === "teardown" || argv[0] === "sweep" || argv[0] === "undo" ? argv[0] : undefined;
        process.stderr.write(`pulumi-safe-secret${name ? ` ${name}` : ""}: ${e.message}\n${name ? USAGE[name] : COMMANDS_USAGE}\n`);
        return EXIT.USAGE;
    }
    // Before anything is deleted: a summary that cannot be written must stop the command, not follow the deletes.
    const summaryFile = command.command === "help" ? undefined : command.options.summaryFile;
    if (summaryFile !== undefined) {
        try {
            checkSummaryFile(summaryFile);
        } catch (e) {
            if (!(e instanceof UsageError)) throw e;
            process.stderr.write(`pulumi-safe-secret ${command.command}: ${e.message}; nothing was done\n`);
            return EXIT.USAGE;
        }
    }
    switch (command.command) {
        case "help":
            process.stdout.write(`${command.text}\n`);
            return EXIT.DONE;
        case "teardown":
            return runTeardown(command.options);
        case "sweep":
            return runSweep(command.options);
        case "undo":
            return runUndo(command.options);
    }
}

main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e) => {
        process.stderr.write(`pulumi-safe-secret: ${(e as Error).stack ?? e}\n`);
        process.exitCode = EXIT.FAILED;
    },
);
