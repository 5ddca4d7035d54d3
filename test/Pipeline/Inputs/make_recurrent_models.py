"""Writes the small recurrent models that in-place-recurrences.test compiles
(run from this directory: python make_recurrent_models.py). Weights are
fixed pseudo-random values; what the test checks is the memory plan."""

import numpy as np
import onnx
from google.protobuf import text_format
from onnx import TensorProto, helper, numpy_helper

GATES = {"LSTM": 4, "GRU": 3, "RNN": 1}
HIDDEN, INPUT = 2, 3


def model(op, direction, lengths, name):
    rng = np.random.default_rng(len(name))
    d = 2 if direction == "bidirectional" else 1
    g = GATES[op]
    inits = [
        numpy_helper.from_array(rng.uniform(-1, 1, (d, g * HIDDEN, INPUT)).astype(np.float32), "W"),
        numpy_helper.from_array(rng.uniform(-1, 1, (d, g * HIDDEN, HIDDEN)).astype(np.float32), "R"),
        numpy_helper.from_array(rng.uniform(-1, 1, (d, 2 * g * HIDDEN)).astype(np.float32), "B"),
    ]
    for t in inits:  # float_data rather than raw_data: readable text
        t.float_data.extend(numpy_helper.to_array(t).ravel().tolist())
        t.ClearField("raw_data")
    inputs = [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["T", "N", INPUT])]
    node_inputs = ["X", "W", "R", "B"]
    if lengths:
        inputs.append(helper.make_tensor_value_info("sequence_lens", TensorProto.INT32, ["N"]))
        node_inputs.append("sequence_lens")
    outputs = ["Y", "Y_h"] + (["Y_c"] if op == "LSTM" else [])
    node = helper.make_node(op, node_inputs, outputs, name=name, hidden_size=HIDDEN,
                            direction=direction)
    shapes = {"Y": ["T", d, "N", HIDDEN], "Y_h": [d, "N", HIDDEN], "Y_c": [d, "N", HIDDEN]}
    graph = helper.make_graph(
        [node], name, inputs,
        [helper.make_tensor_value_info(o, TensorProto.FLOAT, shapes[o]) for o in outputs], inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 22)])
    m.ir_version = 10
    onnx.checker.check_model(m)
    return m


CASES = [(op, direction, lengths) for op in ("LSTM", "GRU", "RNN")
         for direction in ("forward", "bidirectional") for lengths in (False, True)]

if __name__ == "__main__":
    for op, direction, lengths in CASES:
        name = f"{op.lower()}-{direction[:3]}{'-lengths' if lengths else ''}"
        with open(f"{name}.onnxtxt", "w") as f:
            f.write(f"# Written by make_recurrent_models.py.\n")
            f.write(text_format.MessageToString(model(op, direction, lengths, name)))
