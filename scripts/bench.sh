#!/usr/bin/env bash
# Prints the benchmark figures (state size, AWS calls per step, up/destroy cost, many secrets under AWS's quota,
# purge wait ratio, start-up) and writes them to docs/benchmark.md, keeping the previous run in
# docs/benchmark-previous.md for comparison. BENCH_OUT=<file> writes elsewhere; BENCH_SCALE_N=<n> (default 500).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$ROOT"
OUT="${BENCH_OUT:-docs/benchmark.md}"
if [ -f "$OUT" ] && [ -z "${BENCH_OUT:-}" ]; then cp "$OUT" docs/benchmark-previous.md; fi
OUT="$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")"
BENCH_OUT="$OUT" exec npx --no-install ts-node --transpile-only tests/bench/run.ts
