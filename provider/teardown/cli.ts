#!/usr/bin/env node
// `npx pulumi-safe-secret teardown --stack <name> ...` — see args.ts for the options and exit codes.

import * as fs from "fs";
import { describeDeletion, parseTeardownArgs, USAGE, UsageError } from "./args";
import { EXIT, outcomeLine } from "./outcome";
import { teardown } from "./run";

async function main(argv: string[]): Promise<number> {
    const [command, ...rest] = argv;
    if (command === "--help" || command === "-h" || command === "help") {
        process.stdout.write(`${USAGE}\n`);
        return EXIT.DONE;
    }
    if (command !== "teardown") {
        process.stderr.write(`${command === undefined ? "no command given" : `unknown command ${JSON.stringify(command)}`}\n${USAGE}\n`);
        return EXIT.USAGE;
    }
    let opts;
    try {
        opts = parseTeardownArgs(rest);
    } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        process.stderr.write(`pulumi-safe-secret teardown: ${e.message}\n${USAGE}\n`);
        return EXIT.USAGE;
    }
    const started = Date.now();
    const summary = await teardown(opts, {
        progress: (line) => process.stderr.write(`[teardown ${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`),
    }).catch((e: Error) => ({
        v: 1 as const,
        stack: opts.stack,
        result: "failed" as const,
        exitCode: EXIT.FAILED,
        policy: describeDeletion(opts.deletion),
        stackFound: true,
        stackRemoved: false,
        secrets: [],
        reason: e.message.split("\n")[0],
    }));
    for (const s of summary.secrets) process.stdout.write(`${outcomeLine(s)}\n`);
    const verdict = {
        done: "done",
        refused: "refused by policy — nothing more will happen on a re-run",
        failed: "failed — run the same command again to finish",
        missing: "no such stack",
    }[summary.result];
    process.stdout.write(`teardown of ${summary.stack}: ${verdict}${summary.reason ? ` (${summary.reason})` : ""}\n`);
    const json = JSON.stringify(summary);
    if (opts.summaryFile) fs.writeFileSync(opts.summaryFile, `${json}\n`);
    process.stdout.write(`${json}\n`);
    return summary.exitCode;
}

main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e) => {
        process.stderr.write(`pulumi-safe-secret: ${(e as Error).stack ?? e}\n`);
        process.exitCode = EXIT.FAILED;
    },
);
