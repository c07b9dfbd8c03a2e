#!/usr/bin/env bash
# Runs the whole test suite: unit, integration (provider against moto) and engine (real Pulumi CLI) tests, plus a
# compatibility subset of the engine tests with the lowest and the newest @pulumi/pulumi of the advertised peer
# range. Sets up what it needs first (scripts/toolchain.sh); the tests start and stop their own moto_server.
# Arguments go to the main mocha run (e.g. -g "teardown"); SAFE_SECRET_SKIP_COMPAT=1 leaves the compatibility runs out.
set -euo pipefail
# The whole command's wall time, set-up included, is the figure the last part prints.
SAFE_SECRET_TEST_STARTED="$(date +%s%3N)"
export SAFE_SECRET_TEST_STARTED
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$ROOT"
# The Go binaries (the CLI, the language hosts) collect garbage a quarter as often: a short CLI call spends about 15 %
# less CPU starting up, and the suite is bound by the CPU of thousands of them. Nothing they do changes.
export GOGC="${GOGC:-400}"
totals="$(mktemp -d)"
export SAFE_SECRET_TEST_TOTALS="$totals"
status=0
pids=()
if [ "${SAFE_SECRET_SKIP_COMPAT:-}" != "1" ]; then
    # The floor of peerDependencies["@pulumi/pulumi"] and the newest release checked here, side by side (each has its
    # own user project and moto); their output is shown once both have finished.
    floor="$(node -p 'require("./package.json").peerDependencies["@pulumi/pulumi"].replace(/^\^/, "")')"
    for sdk in "$floor" "${PULUMI_SDK_NEWEST:-3.276.0}"; do
        say "compatibility: engine lifecycle tests (replicas, window, secrets in state; force set after the up) with @pulumi/pulumi $sdk"
        PULUMI_SAFE_SECRET_SDK="$sdk" SAFE_SECRET_TEST_PART="@pulumi/pulumi $sdk (compatibility)" \
            npx --no-install mocha --no-config --require ts-node/register/transpile-only --require tests/support/harness.ts \
                --reporter tests/support/reporter.js --timeout 120000 --spec tests/engine/lifecycle.test.ts \
                --grep 'replicated secret|forceDelete set after the last up' \
                > "$totals/compat-$sdk.log" 2>&1 &
        pids+=($!)
    done
fi
# The main run's user project gets the packed package meanwhile (npm's work overlaps the checks and the runs above).
say "installing the packed package into the tests' user project (in the background)"
npx --no-install ts-node --transpile-only tests/support/user-project.ts > "$totals/user-project.out" 2>&1 &
installer=$!
# A check that fails stops the command; what runs in the background goes with it.
trap 'kill "${pids[@]}" "$installer" 2>/dev/null || true' EXIT
# Type-check the tests too (mocha runs them transpile-only), and lint and format-check everything.
npx --no-install tsc -p tests/tsconfig.json || die "the tests do not type-check"
npx --no-install eslint . || die "eslint found problems (above)"
npx --no-install prettier --check . >/dev/null || die "files are not formatted: run \`npm run format\` (prettier --check . lists them)"
wait "$installer" || { cat "$totals/user-project.out" >&2; die "could not install the packed package"; }
export "$(tail -1 "$totals/user-project.out")"
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
# The main run starts while the compatibility runs go on (they wait on npm and on the emulated purge much of the
# time): it spreads its files over three workers (each with its own moto and AWS layer), longest files first.
SAFE_SECRET_TEST_PART="suite (@pulumi/pulumi $(node -p 'require("./package.json").devDependencies["@pulumi/pulumi"]'))" \
    npx --no-install mocha --parallel --jobs "${SAFE_SECRET_TEST_JOBS:-3}" "$@" || status=1
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
trap - EXIT
[ "${SAFE_SECRET_SKIP_COMPAT:-}" = "1" ] || cat "$totals"/compat-*.log
node tests/support/reporter.js "$totals"
rm -rf "$totals"
exit $status
