#!/usr/bin/env bash
# The main job, from a fresh machine: set up, build seqc, compile a 2-layer
# LSTM (laid out as PyTorch exports nn.LSTM) into model.o / libmodel.a /
# libmodel.so / model.h, link a small C program against it, run it, and
# compare its outputs with ONNX Runtime's.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/build.sh"
work="$root/build/example"
rm -rf "$work" && mkdir -p "$work/out"
py="$root/.venv/bin/python"

echo "== 1. the model: examples/lstm2/make_model.py (inputs + ONNX Runtime outputs)"
"$py" "$root/examples/lstm2/make_model.py" "$work/lstm2.onnx" --data "$work/data"

echo "== 2. seqc lstm2.onnx -o out/lstm2"
"$root/build/bin/seqc" "$work/lstm2.onnx" -o "$work/out/lstm2"
ls -l "$work/out"

echo "== 3. link examples/lstm2/main.c against out/liblstm2.a"
clang-22 -std=c11 -O2 -I"$work/out" "$root/examples/lstm2/main.c" \
  "$work/out/liblstm2.a" -lm -lpthread -o "$work/lstm2_demo"

echo "== 4. run it"
"$work/lstm2_demo" "$work/data"

echo
echo "== 5. silero-vad (the silero-vad package's silero_vad.onnx: 689 nodes, 25 If, Conv, LSTM)"
model=$("$py" -c "import importlib.util, os; print(os.path.join(
  importlib.util.find_spec('silero_vad').submodule_search_locations[0], 'data', 'silero_vad.onnx'))")
echo "seqc silero_vad.onnx --bind sr=16000 --input-shape input=1x576 -o out/silero_vad"
"$root/build/bin/seqc" "$model" --bind sr=16000 --input-shape input=1x576 \
  -o "$work/out/silero_vad"
clang-22 -std=c11 -O2 -I"$work/out" "$root/examples/vad/main.c" \
  "$work/out/libsilero_vad.a" -lm -lpthread -o "$work/vad"

echo "== 6. a generated 25 s WAV (examples/vad/make_wav.py): its true segments"
"$py" "$root/examples/vad/make_wav.py" "$work/speech.wav" | grep speech

echo "== 7. examples/vad/main.c on it: the speech segments it finds"
"$work/vad" --probs "$work/probs.txt" "$work/speech.wav"

echo "== 8. the same chunks through ONNX Runtime"
"$py" "$root/examples/vad/compare_ort.py" "$model" "$work/speech.wav" "$work/probs.txt"
