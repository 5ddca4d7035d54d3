"""String tensors: model inputs the compiled code reads through pointers to
their bytes (docs/c-api.md). Equal compares them, broadcasting, against
ONNX Runtime; ops that move data move the pointers. What would need strings
of the model's own (constants, outputs) is refused at compile time, naming
the value."""
import numpy as np
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper

import seqc_harness as sh

if not sh.seqc_binary().exists():
    pytest.skip(f"seqc binary not found at {sh.seqc_binary()}", allow_module_level=True)

S, B, I64 = TensorProto.STRING, TensorProto.BOOL, TensorProto.INT64


def model(nodes, inputs, outputs, inits=()):
    graph = helper.make_graph(nodes, "strings", inputs, outputs, list(inits))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 19)],
                             ir_version=9)


def vi(name, shape, elem=S):
    return helper.make_tensor_value_info(name, elem, shape)


def strings(*values):
    return np.array(values, dtype=object)


def test_equal_broadcasts_like_onnx_runtime(tmp_path):
    m = model([helper.make_node("Equal", ["x", "y"], ["z"])],
              [vi("x", [None, 3]), vi("y", [3])], [vi("z", [None, 3], B)])
    cm = sh.compile_model(m, tmp_path)
    session = ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"])
    x = strings("a", "", "héllo", "a", "b", "abc", "", "x", "héllo").reshape(3, 3)
    for y in (strings("a", "", "héllo"), strings("ab", "b", "hello"),
              strings("abc", "x", "h\u00e9llo")):
        (z,) = cm.run([x, y])
        np.testing.assert_array_equal(z, session.run(None, {"x": x, "y": y})[0])
        np.testing.assert_array_equal(z, x == y)


def test_data_movement_moves_strings(tmp_path):
    """Gather and Transpose of a string tensor, then Equal."""
    m = model([helper.make_node("Gather", ["x", "i"], ["g"]),
               helper.make_node("Transpose", ["g"], ["t"]),
               helper.make_node("Equal", ["t", "y"], ["z"])],
              [vi("x", [3, 2]), vi("i", [2], I64), vi("y", [2, 2])],
              [vi("z", [2, 2], B)])
    cm = sh.compile_model(m, tmp_path)
    x = strings("p", "q", "r", "s", "t", "u").reshape(3, 2)
    i = np.array([2, 0])
    y = strings("t", "p", "u", "zz").reshape(2, 2)
    (z,) = cm.run([x, i, y])
    np.testing.assert_array_equal(z, x[i].T == y)


def test_strings_of_the_models_own_are_refused(tmp_path):
    out = model([helper.make_node("Identity", ["x"], ["y"])], [vi("x", [2])], [vi("y", [2])])
    with pytest.raises(sh.SeqcCompileError,
                       match="graph output 'y' holds strings: string outputs are not supported"):
        sh.compile_model(out, tmp_path / "out")
    const = model([helper.make_node("Equal", ["x", "c"], ["z"])], [vi("x", [1])],
                  [vi("z", [1], B)], [helper.make_tensor("c", S, [1], [b"k"])])
    with pytest.raises(sh.SeqcCompileError, match="tensor 'c': string constants are not"):
        sh.compile_model(const, tmp_path / "const")
    other = model([helper.make_node("Less", ["x", "x"], ["z"], name="less")],
                  [vi("x", [1])], [vi("z", [1], B)])
    with pytest.raises(sh.SeqcCompileError, match="node 'less'.*element type"):
        sh.compile_model(other, tmp_path / "less")
