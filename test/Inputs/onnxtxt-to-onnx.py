"""Converts an ONNX text-format model (.onnxtxt) to a binary .onnx file.

  onnxtxt-to-onnx.py IN.onnxtxt OUT.onnx [--external-data FILE] [--truncate]

--external-data FILE  moves every initializer into FILE beside OUT (ONNX
                      external data) and prints one line per moved tensor.
--truncate            writes only the first half of the serialised model.
"""
import argparse
import os

import onnx
from google.protobuf import text_format
from onnx import numpy_helper

parser = argparse.ArgumentParser()
parser.add_argument("input")
parser.add_argument("output")
parser.add_argument("--external-data")
parser.add_argument("--truncate", action="store_true")
args = parser.parse_args()

model = onnx.ModelProto()
with open(args.input) as f:
    text_format.Parse(f.read(), model)

if args.external_data:
    # onnx only moves tensors that hold raw_data; text-format models use the
    # typed fields, so re-encode every initializer first.
    for init in model.graph.initializer:
        init.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(init),
                                              init.name))
    onnx.save(model, args.output, save_as_external_data=True,
              all_tensors_to_one_file=True, location=args.external_data,
              size_threshold=0)
    saved = onnx.load(args.output, load_external_data=False)
    for init in saved.graph.initializer:
        if init.data_location == onnx.TensorProto.EXTERNAL:
            entries = {e.key: e.value for e in init.external_data}
            print("external %s: %s offset %s length %s" % (
                init.name, entries["location"], entries.get("offset", "0"),
                entries.get("length", "?")))
    raise SystemExit(0)

data = model.SerializeToString()
if args.truncate:
    data = data[: len(data) // 2]
with open(args.output, "wb") as f:
    f.write(data)
