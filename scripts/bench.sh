#!/usr/bin/env bash
# Prints the benchmark figures (state size, AWS calls per step, up/destroy cost, many secrets under AWS's quota,
# purge wait ratio, start-up) and writes them to docs/benchmark.md, keeping the previous run in
# docs/benchmark-previous.md for comparison. BENCH_OUT=<file> writes elsewhere; BENCH_SCALE_N=<n> (default 500);
# BENCH_TEARDOWN_N=<n,...> (default 3,100); BENCH_SWEEP_STACKS, BENCH_SWEEP_SECRETS (10, 20); BENCH_ONLY=<section,...> runs only
# those (startup calls purge state destroy teardown quota sweep).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$ROOT"
# A partial run (BENCH_ONLY) must not replace the full figures in docs/.
if [ -n "${BENCH_ONLY:-}" ] && [ -z "${BENCH_OUT:-}" ]; then mkdir -p .work; BENCH_OUT=.work/benchmark-partial.md; fi
OUT="${BENCH_OUT:-docs/benchmark.md}"
if [ -f "$OUT" ] && [ -z "${BENCH_OUT:-}" ]; then cp "$OUT" docs/benchmark-previous.md; fi
OUT="$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")"
BENCH_OUT="$OUT" exec npx --no-install ts-node --transpile-only tests/bench/run.ts
