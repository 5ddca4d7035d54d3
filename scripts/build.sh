#!/usr/bin/env bash
# Installs what is missing (scripts/setup.sh), then configures and builds seqc
# into build/ with clang-22, lld, Ninja and ccache. Idempotent and incremental.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# scripts/build.sh [BUILD_DIR [CMAKE_OPTION...]]: another folder and options
# for the sanitizer build (scripts/test-sanitized.sh).
build="${1:-$root/build}"
shift $(( $# > 0 ? 1 : 0 ))
bash "$root/scripts/setup.sh"
export CCACHE_BASEDIR="$root"
export CCACHE_NOHASHDIR=1
# What ccache needs to cache compiles that use precompiled headers.
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
if [ ! -f "$build/build.ninja" ]; then
  CC=clang-22 CXX=clang++-22 cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=Release -DSEQC_WERROR=ON \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
    -DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=lld \
    -DCMAKE_SHARED_LINKER_FLAGS=-fuse-ld=lld \
    -DCMAKE_MODULE_LINKER_FLAGS=-fuse-ld=lld "$@" >/dev/null
fi
cmake --build "$build"
