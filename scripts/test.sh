#!/usr/bin/env bash
# Every test, from a fresh machine: set up, build, then GoogleTest (through
# ctest), lit (FileCheck tests of every pass and the driver), the end-to-end
# numerics against ONNX Runtime and the Python package's tests (pytest), the
# recurrent end-to-end tests again with the Halide kernels, the pip wheel in
# a fresh venv (and the Python tests against it), the ONNX node-test
# conformance report, a benchmark smoke run, then the unit, lit, end-to-end and
# Python tests again with seqc and the
# generated code under AddressSanitizer and UBSan, and a short fuzz run
# (scripts/test-sanitized.sh). Each stage's header shows the seconds since
# the start (CI's whole run should stay under 30 minutes).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
start=$(date +%s)
bash "$root/scripts/build.sh"
echo "== build done in $(( $(date +%s) - start )) s"

echo "== [$(( $(date +%s) - start )) s] unit tests (ctest)"
ctest --test-dir "$root/build" --output-on-failure

echo "== [$(( $(date +%s) - start )) s] lit"
/usr/lib/llvm-22/bin/lit -sv "$root/build/test"

echo "== [$(( $(date +%s) - start )) s] end-to-end and Python package (pytest; the ONNX node cases run below, in the"
echo "   conformance run)"
export PATH="$root/.venv/bin:$PATH"
"$root/.venv/bin/python" -m pytest -q -n 2 -k "not OnnxBackendNodeModelTest" \
  "$root/test/e2e" "$root/python-bindings/tests"
echo "== [$(( $(date +%s) - start )) s] the recurrent end-to-end tests again with the Halide kernel backend"
echo "   (seqc --kernels=halide: both backends pass the numerics tests; silero-vad's"
echo "   test compiles it with both itself)"
if PYTHONPATH="$root/build/python" "$root/.venv/bin/python" -c \
    "import seqc, sys; sys.exit('halide' not in seqc.kernel_backends())"; then
  halide_seqc="$root/build/bin/seqc-halide-kernels"
  printf '#!/bin/sh\nexec "%s" --kernels=halide "$@"\n' "$root/build/bin/seqc" > "$halide_seqc"
  chmod +x "$halide_seqc"
  SEQC="$halide_seqc" "$root/.venv/bin/python" -m pytest -q -n 2 \
    "$root/test/e2e/test_rnn_reference.py" "$root/test/e2e/test_rnn_random.py" \
    "$root/test/e2e/test_cpu_kernels.py" "$root/test/e2e/test_conv_bilstm_model.py"
else
  echo "seqc was built without Halide (halide==21.0.0 is in scripts/requirements.txt)"
  exit 1
fi
echo "== [$(( $(date +%s) - start )) s] pip wheel ./python-bindings: the wheel in a fresh venv (its seqc command,"
echo "   python -m seqc, seqc run in an empty folder), and the Python tests against it"
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
rm -rf "$root/build/wheel" "$root/build/wheel-venv" "$root/build/pip-install"
"$root/.venv/bin/python" -m pip wheel -q --no-build-isolation --no-deps \
  -w "$root/build/wheel" "$root/python-bindings"
wheel=("$root"/build/wheel/seqc-*.whl)
"$root/.venv/bin/python" -m venv "$root/build/wheel-venv"
"$root/build/wheel-venv/bin/python" -m pip install -q "${wheel[0]}"
"$root/build/wheel-venv/bin/seqc" --version | grep "^seqc " > /dev/null
"$root/build/wheel-venv/bin/python" -m seqc --version | grep "^seqc " > /dev/null
empty="$(mktemp -d)"
(cd "$empty" && "$root/build/wheel-venv/bin/seqc" run "$root/examples/cmake-app/gru.onnx" \
   --random-inputs --dim seq_len=4 --dim batch=2 --output-dir out > /dev/null \
 && test -f out/Y.npy && test -f out/Y_h.npy)
rm -rf "$empty"
echo "wheel ${wheel[0]##*/}: seqc, python -m seqc and seqc run work in a fresh venv"
"$root/.venv/bin/python" -m pip install -q --no-deps --target "$root/build/pip-install" \
  "${wheel[0]}"
PYTHONPATH="$root/build/pip-install" "$root/.venv/bin/python" -m pytest -q -n 2 \
  "$root/python-bindings/tests"
echo "== [$(( $(date +%s) - start )) s] onnx node-test conformance of every op (build/conformance.md); --check: the"
echo "   cases test/e2e/test_onnx_backend.py claims must pass (its verdict, without"
echo "   compiling them twice)"
"$root/.venv/bin/python" "$root/scripts/conformance.py" --jobs 2 --check \
  --out "$root/build/conformance.md" | grep -v "^\[[0-9]*/[0-9]*\]"
tail -1 "$root/build/conformance.md"
echo "== [$(( $(date +%s) - start )) s] benchmark smoke run (bench/bench_rnn.py: seqc agrees with its peers, and runs)"
PYTHONPATH="$root/build/python" "$root/.venv/bin/python" "$root/bench/bench_rnn.py" \
  --grid smoke --rounds 3 --out "$root/build/performance-smoke.md"
echo "== [$(( $(date +%s) - start )) s] the sanitizer build and its run of the tests, then a short fuzz run"
bash "$root/scripts/test-sanitized.sh" 60
echo "== all tests done in $(( $(date +%s) - start )) s"
