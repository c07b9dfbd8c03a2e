#!/usr/bin/env bash
# Prints the benchmark figures (state size, AWS calls per step, up/destroy cost, purge wait ratio, start-up).
# BENCH_OUT=docs/benchmark.md bash scripts/bench.sh  also writes them to a file.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$ROOT"
exec npx --no-install ts-node --transpile-only tests/bench/run.ts
