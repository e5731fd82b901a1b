#!/usr/bin/env bash
# Builds baton-bench in release mode and runs every workload, one JSON line each on standard
# output (see docs/performance.md). Arguments pass through: `--quick` for CI's tiny counts,
# `--workload NAME` for one workload, `--directory PATH` to put the database files on another disk.
# Exits non-zero if the build fails or any workload's result is wrong.
#
# The PostgreSQL workloads (w5_durable_steps, and w6_baseline's PostgreSQL figures) use
# BATON_BENCH_POSTGRES_URL, else BATON_TEST_POSTGRES_URL; with neither set, a throwaway server is
# started and stopped as for the tests (scripts/postgres-env.sh). Where none can be had, w5 is
# skipped and w6 says why its PostgreSQL figures are absent, unless BATON_REQUIRE_POSTGRES=1 (CI):
# then the run fails.
#
#   scripts/bench.sh --quick                   # also written to bench/results-quick.jsonl
#   scripts/bench.sh                           # every workload, full counts: bench/results.jsonl
#   BATON_BENCH_OUT= scripts/bench.sh          # keep no file
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v swift >/dev/null 2>&1; then
  export PATH="/opt/swift/usr/bin:$PATH"
fi
scratch="${BATON_BENCH_SCRATCH:-.build-bench}"

# The build's progress goes to standard error, so that standard output holds only JSON lines.
swift build -c release --scratch-path "$scratch" --product baton-bench 1>&2
bench="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/baton-bench"

# After the build, so that the server does not sit through it. postgres-env.sh's messages go to
# standard error, like the build's. The trap is set first so that an interrupted start is cleaned
# up too; baton_postgres_stop keeps the exit status.
if [[ -z "${BATON_BENCH_POSTGRES_URL:-}" && -z "${BATON_TEST_POSTGRES_URL:-}" ]]; then
  trap baton_postgres_stop EXIT
  source scripts/postgres-env.sh 1>&2
fi

args=("$@")
if [[ " ${args[*]-} " != *" --workload "* ]]; then
  args+=(--workload all)
  # A run of every workload keeps its lines: bench/results.jsonl (quick: bench/results-quick.jsonl,
  # not kept in git). BATON_BENCH_OUT= (empty) keeps none, BATON_BENCH_OUT=PATH another file.
  if [[ -z "${BATON_BENCH_OUT+set}" ]]; then
    if [[ " ${args[*]} " == *" --quick "* ]]; then BATON_BENCH_OUT=bench/results-quick.jsonl; else BATON_BENCH_OUT=bench/results.jsonl; fi
  fi
fi

if [[ -n "${BATON_BENCH_OUT:-}" ]]; then
  mkdir -p "$(dirname "$BATON_BENCH_OUT")"
  "$bench" "${args[@]}" | tee "$BATON_BENCH_OUT"
  exit "${PIPESTATUS[0]}"
fi
# Not exec: the EXIT trap must still stop the server.
"$bench" "${args[@]}"
