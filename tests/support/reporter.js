// Mocha's spec reporter plus the plain closing line CI reads: "N passed, N failed".
// scripts/test.sh runs the suite in parts (the main run, and the compatibility runs with other @pulumi/pulumi versions,
// each its own process, side by side): each part writes its counts into the folder named by SAFE_SECRET_TEST_TOTALS,
// and once all have ended test.sh prints each part's figures and wall time, the test command's own wall time, then
// the line for all of them. A run with no such folder prints its own.
"use strict";
const fs = require("fs");
const Mocha = require("mocha");

class SpecWithTotals extends Mocha.reporters.Spec {
    constructor(runner, options) {
        super(runner, options);
        const started = Date.now();
        runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
            const s = runner.stats;
            const file = process.env.SAFE_SECRET_TEST_TOTALS;
            const part = {
                name: process.env.SAFE_SECRET_TEST_PART || "suite",
                passes: s.passes,
                failures: s.failures,
                pending: s.pending,
                ms: Date.now() - started,
            };
            // A folder of one file per part: parts may run side by side; scripts/test.sh prints them all at the end.
            if (file) fs.writeFileSync(`${file}/${started}-${process.pid}.json`, JSON.stringify(part));
            else printTotals([part]);
        });
    }
}

/** Each part's figures, the test command's wall time, then the line for all of them. */
function printTotals(parts) {
    const sum = (k) => parts.reduce((n, p) => n + p[k], 0);
    for (const p of parts) process.stdout.write(`  ${p.name}: ${p.passes} passed, ${p.failures} failed in ${(p.ms / 1000).toFixed(0)} s\n`);
    const since = Number(process.env.SAFE_SECRET_TEST_STARTED);
    if (since) process.stdout.write(`  wall time of the test command, set-up included: ${((Date.now() - since) / 1000).toFixed(0)} s\n`);
    const skipped = sum("pending");
    process.stdout.write(`\n${sum("passes")} passed, ${sum("failures")} failed${skipped ? `, ${skipped} skipped` : ""}\n`);
}

if (require.main === module) {
    // `node tests/support/reporter.js <folder>`: the totals of the parts written there (a part that did not finish
    // wrote nothing, so the command that ran it must fail on its own exit status).
    const dir = process.argv[2];
    printTotals(
        fs
            .readdirSync(dir)
            .filter((f) => f.endsWith(".json"))
            .sort()
            .map((f) => JSON.parse(fs.readFileSync(`${dir}/${f}`, "utf8"))),
    );
}
module.exports = SpecWithTotals;
