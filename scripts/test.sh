#!/usr/bin/env bash
# Runs the whole test suite: unit, integration (provider against moto) and engine (real Pulumi CLI) tests.
# Sets up what it needs first (scripts/toolchain.sh); the tests start and stop their own moto_server.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$ROOT"
# Type-check the tests too: mocha runs them transpile-only.
npx --no-install tsc -p tests/tsconfig.json || die "the tests do not type-check"
exec npx --no-install mocha "$@"
