#!/usr/bin/env bash
# The sanitizer run (docs/reliability.md): seqc built with AddressSanitizer and
# UndefinedBehaviorSanitizer (plus libFuzzer's coverage instrumentation) into
# build-sanitize/, then the test suite against that build, the generated
# libraries of the end-to-end tests instrumented too (--sanitize=address),
# then a short run of every fuzz target. Any sanitizer report fails the run.
#   scripts/test-sanitized.sh [FUZZ_SECONDS]   (default 60 per fuzz target; 0: none)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fuzz_seconds="${1:-60}"
build="$root/build-sanitize"
start=$(date +%s)
bash "$root/scripts/build.sh" "$build" -DSEQC_SANITIZE=ON -DSEQC_ENABLE_FUZZERS=ON
echo "== sanitized build done in $(( $(date +%s) - start )) s"

# Reports stop the process with a non-zero exit; the C and Python runtimes'
# own allocations live to the end of the process, so leak checking is off.
# allow_user_poisoning=0: see scripts/fuzz.sh.
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=0:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:allow_user_poisoning=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

echo "== [$(( $(date +%s) - start )) s] sanitized: unit tests (ctest)"
ctest --test-dir "$build" --output-on-failure
echo "== [$(( $(date +%s) - start )) s] sanitized: lit"
/usr/lib/llvm-22/bin/lit -s "$build/test"

echo "== [$(( $(date +%s) - start )) s] sanitized: end-to-end and Python package (pytest); generated code under ASan"
# The interpreter is not instrumented: ASan's runtime is preloaded so that
# the sanitized extension and the instrumented model libraries can load.
# The e2e tests' models are compiled with --sanitize=address at -O0: LLVM's
# register allocation over instrumented, unrolled kernels took 9 s per LSTM
# at -O3 (0.6 s at -O0); scripts/test.sh runs the same tests at -O3.
# (At -O0 LLVM turns seqc's integer bf16 rounding back into a float one that
# is not exact: see seqc_harness.bf16_rounding_exact.)
export SEQC_ARTIFACT_FLAGS="--sanitize=address -O0"
wrapper="$build/bin/seqc-asan-artifacts"
printf '#!/bin/sh\nexec "%s" $SEQC_ARTIFACT_FLAGS "$@"\n' "$build/bin/seqc" > "$wrapper"
chmod +x "$wrapper"
asan_runtime="$(clang-22 -print-file-name=libclang_rt.asan-x86_64.so)"
# Two threads per context: every split matmul runs on the worker pool here.
SEQC_TEST_THREADS=2 LD_PRELOAD="$asan_runtime" SEQC="$wrapper" PYTHONPATH="$build/python" CC=clang-22 \
SEQC_TEST_CFLAGS="-fsanitize=address,undefined -shared-libsan -Wl,-rpath,$(dirname "$asan_runtime")" \
  "$root/.venv/bin/python" -m pytest -q -n 2 -p no:cacheprovider \
  "$root/test/e2e" "$root/python-bindings/tests"

if [ "$fuzz_seconds" -gt 0 ]; then
  echo "== [$(( $(date +%s) - start )) s] fuzzing: ${fuzz_seconds} s per target"
  bash "$root/scripts/fuzz.sh" "$fuzz_seconds"
fi
echo "== sanitizer run done in $(( $(date +%s) - start )) s"
