#!/usr/bin/env bash
# Idempotent setup: installs the Debian packages and the project venv that
# seqc needs, skipping whatever is already present. Safe to run repeatedly.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

debs=(llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 lld-22
      ninja-build ccache protobuf-compiler libprotobuf-dev libclang-rt-22-dev
      libgtest-dev libgmock-dev libbenchmark-dev zlib1g-dev libzstd-dev)
missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Project venv with pinned PyPI packages (requirements.txt is the pin list).
venv="$root/.venv"
req="$root/scripts/requirements.txt"
stamp="$venv/.requirements.stamp"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if [ ! -f "$stamp" ] || ! cmp -s "$req" "$stamp"; then
  echo "setup: installing PyPI packages into .venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q -r "$req"
  cp "$req" "$stamp"
fi

# silero-vad ships the ONNX models that test/e2e/test_silero_vad.py and
# examples/vad compile. Installed without its dependencies: they would pull
# in torch and torchaudio, and only the bundled .onnx files are used.
silero_vad_version="6.2.3"
installed="$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("silero-vad"))' 2>/dev/null || true)"
if [ "$installed" != "$silero_vad_version" ]; then
  echo "setup: installing silero-vad==$silero_vad_version (no dependencies) into .venv"
  "$venv/bin/python" -m pip install -q --no-deps "silero-vad==$silero_vad_version"
fi
