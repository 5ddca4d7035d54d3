"""Seed corpora for the libFuzzer targets (docs/reliability.md).

  fuzz-corpus.py OUT_DIR

OUT_DIR/binary: the committed .onnxtxt models (serialized), the onnx
package's node-test models (the 1,884 cases of scripts/conformance.py and the
model files the wheel ships) and silero-vad's models, as protobuf bytes, for seqc-ImportFuzzer and
seqc-GraphFuzzer. OUT_DIR/text: the committed .onnxtxt files as they are
(protobuf text format) and every binary seed printed in ONNX's textual
syntax, for seqc-TextFuzzer. Seeds larger than MAX_SEED bytes are left out:
libFuzzer mutates every seed and a multi-megabyte one only slows it down.
"""
import hashlib
import importlib.util
import pathlib
import sys
import warnings

import onnx
import onnx.printer
from google.protobuf import text_format

MAX_SEED = 256 * 1024
root = pathlib.Path(__file__).resolve().parents[1]
out = pathlib.Path(sys.argv[1])
(out / "binary").mkdir(parents=True, exist_ok=True)
(out / "text").mkdir(parents=True, exist_ok=True)


def add(kind, data):
    if len(data) <= MAX_SEED:
        (out / kind / hashlib.sha1(data).hexdigest()).write_bytes(data)


models = []
for path in sorted(root.glob("test/**/*.onnxtxt")):
    text = path.read_text()
    add("text", text.encode())
    model = onnx.ModelProto()
    try:
        text_format.Parse(text, model)
    except text_format.ParseError:
        continue  # the tests of broken text hold no model
    models.append(model.SerializeToString())
# The onnx package's node tests, made by its own generators (the wheel ships
# only a few as files); conformance.py runs the same cases.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from onnx.backend.test.loader import load_node_model_tests
    models += [case.model.SerializeToString() for case in load_node_model_tests()]
node_tests = pathlib.Path(onnx.__file__).parent / "backend" / "test" / "data"
models += [p.read_bytes() for p in sorted(node_tests.glob("*/*/model.onnx"))]
# silero_vad's __init__ imports torch, which the venv does not have: locate
# the package without importing it.
spec = importlib.util.find_spec("silero_vad")
if spec and spec.submodule_search_locations:
    vad_dir = pathlib.Path(spec.submodule_search_locations[0]) / "data"
    models += [p.read_bytes() for p in sorted(vad_dir.glob("*.onnx"))]

for data in models:
    add("binary", data)
    try:
        add("text", onnx.printer.to_text(onnx.load_from_string(data)).encode())
    except Exception:  # noqa: BLE001 - a model the printer cannot print
        pass
print(f"{out}: {len(list((out / 'binary').iterdir()))} binary seeds, "
      f"{len(list((out / 'text').iterdir()))} text seeds")
