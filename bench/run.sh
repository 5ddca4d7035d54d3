#!/usr/bin/env bash
# Builds seqc, installs the bench's peers (bench/requirements.txt) into the
# project venv, and runs the recurrent-model benchmark, which writes
# docs/performance.md.
#   bash bench/run.sh [--grid smoke|default|full] [--rounds N] [--out FILE]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/build.sh"
"$root/.venv/bin/python" -m pip install -q -r "$root/bench/requirements.txt"
PYTHONPATH="$root/build/python" "$root/.venv/bin/python" "$root/bench/bench_rnn.py" "$@"
