#!/usr/bin/env bash
# Runs seqc's libFuzzer targets (built by scripts/test-sanitized.sh into
# build-sanitize/) from seed corpora of every test model.
#   scripts/fuzz.sh SECONDS [TARGET...]      each target for SECONDS
#   scripts/fuzz.sh --runs=N [TARGET...]     each target for N executions
# TARGET: ImportFuzzer, TextFuzzer, GraphFuzzer (default: all three).
# FUZZ_JOBS=N runs N processes per target side by side (libFuzzer's -jobs;
# they share the corpus): with --runs=R each runs R/N executions.
# Inputs that crash, hang (> 30 s), run out of memory (> 4 GiB) or trip a
# sanitizer are written to build-sanitize/fuzz/artifacts/ and fail the run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build-sanitize"
limit="${1:?usage: fuzz.sh SECONDS|--runs=N [TARGET...]}"
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(ImportFuzzer TextFuzzer GraphFuzzer)
jobs="${FUZZ_JOBS:-1}"
case "$limit" in
  --runs=*) budget=(-runs="$(( ${limit#--runs=} / jobs ))") ;;
  *) budget=(-max_total_time="$limit") ;;
esac
[ "$jobs" -le 1 ] || budget+=(-jobs="$jobs" -workers="$jobs")

work="$build/fuzz"
seeds="$work/seeds"
if [ ! -d "$seeds/graph" ]; then
  "$root/.venv/bin/python" "$root/scripts/fuzz-corpus.py" "$seeds"
fi
mkdir -p "$work/artifacts"
# allow_user_poisoning=0: LLVM's BumpPtrAllocator, inlined into seqc's
# instrumented code, poisons slabs that Debian's uninstrumented MLIR then
# writes into (a false use-after-poison; found at exec 3,143 of ImportFuzzer).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:allow_user_poisoning=0}"
# The sanitized build uses ASan's shared runtime, which must be loaded first.
export LD_PRELOAD="$(clang-22 -print-file-name=libclang_rt.asan-x86_64.so)"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
for target in "${targets[@]}"; do
  case "$target" in
    TextFuzzer) kind=text ;;
    GraphFuzzer) kind=graph ;;
    *) kind=binary ;;
  esac
  # New inputs go to a per-target corpus; the seeds are only read.
  corpus="$work/corpus-$target"
  mkdir -p "$corpus"
  echo "== seqc-$target (${limit})"
  status=0
  # With -jobs libFuzzer writes each job's log to fuzz-<job>.log in the
  # working directory.
  (cd "$work" && rm -f fuzz-*.log && "$build/bin/seqc-$target" "${budget[@]}" \
    -timeout=30 -rss_limit_mb=4096 -max_len=262144 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/$target-" \
    "$corpus" "$seeds/$kind") > "$work/$target.log" 2>&1 || status=$?
  if [ "$jobs" -gt 1 ]; then
    cat "$work"/fuzz-*.log >> "$work/$target.log"
    # A job that failed ends its log with libFuzzer's deadly-signal report.
    grep -q -E "^==[0-9]+==|^SUMMARY" "$work"/fuzz-*.log && status=1
  fi
  grep -E "^(INFO: seed corpus|#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==|SUMMARY)|runtime error" \
    "$work/$target.log" | head -40 || true
  if [ "$status" -ne 0 ]; then
    tail -60 "$work/$target.log"
    echo "fuzz.sh: seqc-$target failed (exit $status); see $work/$target.log"
    exit 1
  fi
done
