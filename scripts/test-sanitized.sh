#!/usr/bin/env bash
# The sanitizer run (docs/reliability.md): seqc built with AddressSanitizer and
# UndefinedBehaviorSanitizer (plus libFuzzer's coverage instrumentation) into
# build-sanitize/, then the test suite against that build, the generated
# libraries of the end-to-end tests instrumented too (--sanitize=address),
# then a short run of every fuzz target. Any sanitizer report fails the run.
#   scripts/test-sanitized.sh [FUZZ_SECONDS]   (default 60 per fuzz target)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fuzz_seconds="${1:-60}"
build="$root/build-sanitize"
start=$(date +%s)
bash "$root/scripts/setup.sh"
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
if [ ! -f "$build/build.ninja" ]; then
  CC=clang-22 CXX=clang++-22 cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=Release -DSEQC_WERROR=ON \
    -DSEQC_SANITIZE=ON -DSEQC_ENABLE_FUZZERS=ON \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
    -DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=lld \
    -DCMAKE_SHARED_LINKER_FLAGS=-fuse-ld=lld \
    -DCMAKE_MODULE_LINKER_FLAGS=-fuse-ld=lld >/dev/null
fi
cmake --build "$build"
echo "== sanitized build done in $(( $(date +%s) - start )) s"

# Reports stop the process with a non-zero exit; the C and Python runtimes'
# own allocations live to the end of the process, so leak checking is off.
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=0:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

echo "== sanitized: unit tests (ctest)"
ctest --test-dir "$build" --output-on-failure
echo "== sanitized: lit"
/usr/lib/llvm-22/bin/lit -s "$build/test"

echo "== sanitized: end-to-end and Python package (pytest); generated code under ASan"
# The interpreter is not instrumented: ASan's runtime is preloaded so that
# the sanitized extension and the instrumented model libraries can load.
wrapper="$build/bin/seqc-asan-artifacts"
printf '#!/bin/sh\nexec "%s" --sanitize=address "$@"\n' "$build/bin/seqc" > "$wrapper"
chmod +x "$wrapper"
asan_runtime="$(clang-22 -print-file-name=libclang_rt.asan-x86_64.so)"
LD_PRELOAD="$asan_runtime" SEQC="$wrapper" PYTHONPATH="$build/python" CC=clang-22 \
SEQC_TEST_CFLAGS="-fsanitize=address,undefined -shared-libsan -Wl,-rpath,$(dirname "$asan_runtime")" \
  "$root/.venv/bin/python" -m pytest -q -n 2 -p no:cacheprovider \
  "$root/test/e2e" "$root/python-bindings/tests"

echo "== fuzzing: ${fuzz_seconds} s per target"
bash "$root/scripts/fuzz.sh" "$fuzz_seconds"
echo "== sanitizer run done in $(( $(date +%s) - start )) s"
