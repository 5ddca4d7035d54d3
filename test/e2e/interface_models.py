"""Small models that exercise the generated C interface rather than an op:
scalars next to tensors, mixed element types. Shared by test/e2e and the
Python package's tests."""

import onnx
from onnx import TensorProto, helper

IR_VERSION = 10


def _model(nodes, inputs, outputs, name):
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info(n, t, s) for n, t, s in inputs],
        [helper.make_tensor_value_info(n, t, None) for n, t in outputs])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)],
                              ir_version=IR_VERSION)
    return onnx.shape_inference.infer_shapes(model, strict_mode=True)


def scalar_model():
    """Y = X * s and Z = s * s, with the scalar s as the FIRST input (its one
    unused shape slot comes before X's members) and the scalar output Z last."""
    f = TensorProto.FLOAT
    return _model([helper.make_node("Mul", ["X", "s"], ["Y"]),
                   helper.make_node("Mul", ["s", "s"], ["Z"])],
                  [("s", f, []), ("X", f, ["N", 3])], [("Y", f), ("Z", f)], "scalar")


# (name, ONNX type, shape) of mixed_model's inputs; output k is input k's copy
# (float: doubled), named <name>_out.
MIXED_INPUTS = [("flag", TensorProto.INT32, []), ("v", TensorProto.INT64, ["K"]),
                ("x", TensorProto.FLOAT, ["B", "T", 3]), ("d", TensorProto.DOUBLE, [])]


def mixed_model():
    """Scalars, a vector and a rank-3 tensor of four element types, in and out."""
    nodes = []
    for name, elem, _ in MIXED_INPUTS:
        if elem in (TensorProto.FLOAT, TensorProto.DOUBLE):
            nodes.append(helper.make_node("Add", [name, name], [name + "_out"]))
        else:
            nodes.append(helper.make_node("Identity", [name], [name + "_out"]))
    return _model(nodes, MIXED_INPUTS, [(n + "_out", t) for n, t, _ in MIXED_INPUTS], "mixed")
