#!/usr/bin/env python3
"""Writes gru.onnx, the model of this example: one GRU layer (input 8,
hidden 16, torch's linear_before_reset), sequence length and batch dynamic,
weights drawn from a fixed seed. Committed beside this script (6 KiB).

    .venv/bin/python examples/cmake-app/make_model.py
"""
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

INPUT, HIDDEN = 8, 16


def make_model():
    rng = np.random.default_rng(2026)
    scale = 1 / np.sqrt(HIDDEN)

    def weights(name, *shape):
        return numpy_helper.from_array(
            rng.uniform(-scale, scale, shape).astype(np.float32), name)

    node = helper.make_node("GRU", ["X", "W", "R", "B"], ["Y", "Y_h"], name="gru",
                            hidden_size=HIDDEN, linear_before_reset=1)
    graph = helper.make_graph(
        [node], "gru",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["seq_len", "batch", INPUT])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["seq_len", 1, "batch", HIDDEN]),
         helper.make_tensor_value_info("Y_h", TensorProto.FLOAT, [1, "batch", HIDDEN])],
        initializer=[weights("W", 1, 3 * HIDDEN, INPUT), weights("R", 1, 3 * HIDDEN, HIDDEN),
                     weights("B", 1, 6 * HIDDEN)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                              ir_version=8, producer_name="seqc-example")
    onnx.checker.check_model(model)
    return model


if __name__ == "__main__":
    onnx.save(make_model(), str(Path(__file__).resolve().parent / "gru.onnx"))
