// Runs every test: unit (pure), integration (provider against moto) and engine (real Pulumi CLI).
module.exports = {
    require: ["ts-node/register/transpile-only", "tests/support/harness.ts"],
    spec: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts", "tests/engine/**/*.test.ts"],
    reporter: "tests/support/reporter.js",
    timeout: 60000,
    forbidOnly: true,
    forbidPending: true,
};
