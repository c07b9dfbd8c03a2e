// Runs every test: unit (pure), integration (provider against moto) and engine (real Pulumi CLI).
// In a parallel run (scripts/test.sh) the workers take files in this order: the files that take longest go first, so
// that no long file starts last and keeps one worker busy after the others have finished. Files not in the list (the
// quick ones, and any new file) come right after the listed ones.
const fs = require("fs");
const path = require("path");

const LONGEST_FIRST = [
    // Long in wall time but mostly asleep (the SDK's retry back-off): first, so that its waits overlap the engine
    // files' CPU work instead of leaving the cores idle at the end of the run.
    "integration/faults",
    "engine/day2",
    "engine/lifecycle",
    "engine/fleet",
    "engine/pipeline",
    "engine/teardown",
    "engine/teardown-safety",
    "engine/fleet-undo",
    "engine/plugin",
    "engine/interrupted-create",
    "engine/destroy-contract",
    "engine/policy-pack",
    "engine/scale",
    "engine/upgrade",
    "engine/python",
    "engine/generated-day2",
    "engine/generated",
    "engine/interrupt",
    "engine/protection",
    "engine/secrecy",
    "engine/go",
];
const rank = (f) => {
    const i = LONGEST_FIRST.indexOf(f.replace(/^tests\/(.*)\.test\.ts$/, "$1"));
    return i < 0 ? LONGEST_FIRST.length : i;
};
const spec = ["engine", "integration", "unit"]
    .flatMap((tier) =>
        fs
            .readdirSync(path.join(__dirname, "tests", tier))
            .filter((f) => f.endsWith(".test.ts"))
            .map((f) => `tests/${tier}/${f}`),
    )
    .sort((a, b) => rank(a) - rank(b));

module.exports = {
    require: ["ts-node/register/transpile-only", "tests/support/harness.ts"],
    spec,
    reporter: "tests/support/reporter.js",
    timeout: 60000,
    forbidOnly: true,
    forbidPending: true,
};
