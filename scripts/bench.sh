#!/usr/bin/env bash
# Builds baton-bench in release mode and runs every workload, one JSON line each on standard
# output (see docs/performance.md). Arguments pass through: `--quick` for CI's tiny counts,
# `--workload NAME` for one workload, `--directory PATH` to put the database files on another disk.
# Exits non-zero if the build fails or any workload's result is wrong.
#
#   scripts/bench.sh --quick
#   BATON_BENCH_OUT=bench/results.jsonl scripts/bench.sh      # also keep the lines in a file
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v swift >/dev/null 2>&1; then
  export PATH="/opt/swift/usr/bin:$PATH"
fi
scratch="${BATON_BENCH_SCRATCH:-.build-bench}"

# The build's progress goes to standard error, so that standard output holds only JSON lines.
swift build -c release --scratch-path "$scratch" --product baton-bench 1>&2
bench="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/baton-bench"

args=("$@")
if [[ " ${args[*]-} " != *" --workload "* ]]; then
  args+=(--workload all)
fi

if [[ -n "${BATON_BENCH_OUT:-}" ]]; then
  mkdir -p "$(dirname "$BATON_BENCH_OUT")"
  "$bench" "${args[@]}" | tee "$BATON_BENCH_OUT"
  exit "${PIPESTATUS[0]}"
fi
exec "$bench" "${args[@]}"
