#!/usr/bin/env bash
# Builds Baton's libFuzzer targets (the separate package in Fuzz/) and runs each for a bounded time.
#
#   scripts/fuzz.sh                      # every target, 60 s each
#   scripts/fuzz.sh --quick              # every target, 20 s each
#   scripts/fuzz.sh yaml 300             # one target (yaml, json-expression, schema, sse, policy), 300 s
#   scripts/fuzz.sh PolicyFuzz 60        # the same, by the target's product name
#   FUZZ_SECONDS=120 scripts/fuzz.sh     # every target, 120 s each
#   scripts/fuzz.sh --build-only         # build, do not run
#
# Exits non-zero when a target crashes, breaks an invariant, hangs (-timeout) or runs out of
# memory; the input is saved under Fuzz/.build-fuzz/artifacts/<target>/ and the command that
# reproduces it is printed. Prints the runs executed and the coverage reached. See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if ! command -v swift >/dev/null 2>&1; then
  export PATH="/opt/swift/usr/bin:$PATH"
fi

seconds=${FUZZ_SECONDS:-60}
build_only=0
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) seconds=${FUZZ_SECONDS:-20} ;;
    --build-only) build_only=1 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    yaml|json-expression|schema|sse|policy) targets+=("$1") ;;
    YAMLFuzz) targets+=(yaml) ;;
    JSONExpressionFuzz) targets+=(json-expression) ;;
    SchemaFuzz) targets+=(schema) ;;
    SSEFuzz) targets+=(sse) ;;
    PolicyFuzz) targets+=(policy) ;;
    [0-9]*) seconds=$1 ;;
    *) echo "fuzz.sh: unknown argument '$1' (targets: yaml, json-expression, schema, sse, policy, or their product names; or a number of seconds)" >&2; exit 2 ;;
  esac
  shift
done
[ ${#targets[@]} -gt 0 ] || targets=(yaml json-expression schema sse policy)

scratch="$root/Fuzz/.build-fuzz"
max_len=${FUZZ_MAX_LEN:-4096}

product() {
  case "$1" in
    yaml) echo YAMLFuzz ;;
    json-expression) echo JSONExpressionFuzz ;;
    schema) echo SchemaFuzz ;;
    sse) echo SSEFuzz ;;
    policy) echo PolicyFuzz ;;
  esac
}

# The fuzz package resolves the same dependency versions as the main package.
if [ ! -f Fuzz/Package.resolved ] && [ -f Package.resolved ]; then
  cp Package.resolved Fuzz/Package.resolved
fi

# `--sanitize fuzzer` (rather than -Xswiftc -sanitize=fuzzer) also instruments the C targets,
# libyaml among them, so that libFuzzer sees their coverage; AddressSanitizer checks that C code.
# SwiftPM passes the two sanitizers to swiftc as two flags, and swiftc keeps only the last
# (-sanitize=address): the Swift code would get no coverage instrumentation at all, and
# libFuzzer would be guided by the C code alone. -Xswiftc -sanitize=fuzzer,address, which comes
# after them, gives the Swift code both.
for target in "${targets[@]}"; do
  echo "== building $(product "$target")"
  swift build --package-path Fuzz --scratch-path "$scratch" -c release \
    --sanitize fuzzer --sanitize address -Xswiftc -sanitize=fuzzer,address --product "$(product "$target")" 2>&1 \
    | grep -Ev '^\[[0-9]+/[0-9]+\]|__asan_extra_spill_area' || true
  [ -x "$scratch/release/$(product "$target")" ] || { echo "fuzz.sh: build of $(product "$target") failed" >&2; exit 1; }
done
[ "$build_only" = 0 ] || exit 0

# The Swift runtime's backtracer would catch the crash signal before libFuzzer can save the input.
export SWIFT_BACKTRACE=enable=no
# Leaks are findings too, except the known ones in the toolchain's libraries (Fuzz/lsan.supp).
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/Fuzz/lsan.supp:print_suppressions=0}

status=0
for target in "${targets[@]}"; do
  name=$(product "$target")
  work="$scratch/corpus/$target"
  artifacts="$scratch/artifacts/$target"
  log="$scratch/logs/$target.log"
  mkdir -p "$work" "$artifacts" "$(dirname "$log")"
  # Seeds, then the inputs of past findings (Fuzz/crashes/), which must keep passing.
  corpora=("$work" "$root/Fuzz/corpus/$target")
  if [ -n "$(ls -A "Fuzz/crashes/$target" 2>/dev/null)" ]; then corpora+=("$root/Fuzz/crashes/$target"); fi
  echo "== fuzzing $name for ${seconds}s (max_len $max_len)"
  set +e
  # The YAML target runs beside its seeds, so that `workflow: ./summarise-one.yaml` loads a file.
  (cd "Fuzz/corpus/$target" && "$scratch/release/$name" \
    -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -dict="$root/Fuzz/dictionaries/$target.dict" -artifact_prefix="$artifacts/" \
    -print_final_stats=1 "${corpora[@]}") >"$log" 2>&1
  code=$?
  set -e
  runs=$(grep -Eo '^stat::number_of_executed_units: [0-9]+' "$log" | grep -Eo '[0-9]+$' || true)
  [ -n "$runs" ] || runs=$(grep -Eo '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
  coverage=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -1 || true)
  echo "$name: ${runs:-0} runs in ${seconds}s; ${coverage:-no coverage line} (log: ${log#"$root"/})"
  if [ "$code" -ne 0 ]; then
    status=1
    echo "$name: FAILED (exit $code)" >&2
    grep -E 'INVARIANT BROKEN|ERROR: |Fatal error|SUMMARY' "$log" | head -5 >&2 || true
    input=$(grep -Eo "Test unit written to [^ ]+" "$log" | tail -1 | sed 's/Test unit written to //' || true)
    if [ -n "$input" ]; then
      echo "$name: input saved to ${input#"$root"/}" >&2
      echo "  reproduce:  (cd Fuzz/corpus/$target && SWIFT_BACKTRACE=enable=no $scratch/release/$name $input)" >&2
      echo "  minimize:   (cd Fuzz/corpus/$target && SWIFT_BACKTRACE=enable=no $scratch/release/$name -minimize_crash=1 -max_total_time=60 -exact_artifact_path=$artifacts/minimized $input)" >&2
    fi
  fi
done
exit "$status"
