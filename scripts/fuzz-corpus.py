"""Seed corpora for the libFuzzer targets (docs/reliability.md).

  fuzz-corpus.py OUT_DIR

OUT_DIR/binary: the committed .onnxtxt models (serialized), the onnx
package's node-test models (the 1,884 cases of scripts/conformance.py and
the model files the wheel ships) and silero-vad's models, as protobuf bytes,
for seqc-ImportFuzzer. OUT_DIR/graph: the part of those seqc-GraphFuzzer
starts from (see below). OUT_DIR/text: the committed .onnxtxt files as they
are (protobuf text format) and every binary seed printed in ONNX's textual
syntax, for seqc-TextFuzzer. Seeds larger than MAX_SEED bytes are left out:
libFuzzer mutates every seed and a multi-megabyte one only slows it down.
"""
import hashlib
import importlib.util
import pathlib
import re
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
(out / "graph").mkdir(parents=True, exist_ok=True)


def add(kind, data):
    if len(data) <= MAX_SEED:
        (out / kind / hashlib.sha1(data).hexdigest()).write_bytes(data)


models = []
# seqc-GraphFuzzer compiles every input through all pipelines (~30 ms each
# under ASan): its seeds are the committed models and the node tests of the
# ops sequence models are made of, so that a one-minute run gets past them.
graph_ops = re.compile(r"test_(lstm|gru|rnn|scan|loop|if|sequence|split_to_sequence|"
                       r"concat|slice|gather|reshape|transpose|squeeze|unsqueeze|"
                       r"cumsum|matmul|gemm|conv|tanh|sigmoid|softmax|where|expand)")
graph_seeds = []
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
    for case in load_node_model_tests():
        models.append(case.model.SerializeToString())
        if graph_ops.match(case.name) and "expanded" not in case.name:
            graph_seeds.append(models[-1])
node_tests = pathlib.Path(onnx.__file__).parent / "backend" / "test" / "data"
models += [p.read_bytes() for p in sorted(node_tests.glob("*/*/model.onnx"))]
# silero_vad's __init__ imports torch, which the venv does not have: locate
# the package without importing it.
spec = importlib.util.find_spec("silero_vad")
if spec and spec.submodule_search_locations:
    vad_dir = pathlib.Path(spec.submodule_search_locations[0]) / "data"
    vad = [p.read_bytes() for p in sorted(vad_dir.glob("*.onnx"))]
    models += vad
    graph_seeds += vad

for data in models:
    add("binary", data)
    try:
        add("text", onnx.printer.to_text(onnx.load_from_string(data)).encode())
    except Exception:  # noqa: BLE001 - a model the printer cannot print
        pass
for data in graph_seeds:
    add("graph", data)
print(f"{out}: " + ", ".join(f"{len(list((out / kind).iterdir()))} {kind} seeds"
                             for kind in ("binary", "text", "graph")))
