"""Run-time size checks: dynamic sizes the model relies on being equal are
checked before every run, and a mismatch is a SEQC_ERROR_SHAPE naming the
ONNX node, never an out-of-bounds access. Dims are left unnamed ("?") so the
runtime's symbolic-name check cannot catch them first."""
import numpy as np
import pytest
from onnx import TensorProto, helper

import seqc_harness as sh

if not sh.seqc_binary().exists():
    pytest.skip(f"seqc binary not found at {sh.seqc_binary()}", allow_module_level=True)

SEQC_ERROR_SHAPE = 2
F = TensorProto.FLOAT


def model(nodes, inputs, outputs, inits=()):
    graph = helper.make_graph(nodes, "checks", inputs, outputs, list(inits))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                             ir_version=8)


def vi(name, shape, elem=F):
    return helper.make_tensor_value_info(name, elem, shape)


def dyn(rank):
    return [None] * rank


def expect_shape_error(cm, inputs, node, detail):
    with pytest.raises(sh.SeqcRunError) as err:
        cm.run(inputs)
    assert err.value.status == SEQC_ERROR_SHAPE
    assert f"node '{node}'" in str(err.value) and detail in str(err.value), str(err.value)


def rand(*shape):
    return np.random.default_rng(0).standard_normal(shape).astype(np.float32)


def test_add_of_unequal_dynamic_sizes(tmp_path):
    m = model([helper.make_node("Add", ["A", "B"], ["C"], name="add")],
              [vi("A", dyn(2)), vi("B", dyn(2))], [vi("C", None)])
    cm = sh.compile_model(m, tmp_path)
    np.testing.assert_allclose(cm.run([rand(2, 3), rand(2, 3)])[0],
                               rand(2, 3) * 2, rtol=1e-6)
    expect_shape_error(cm, [rand(2, 3), rand(2, 4)], "add", "broadcast")
    # A dynamic size of 1 broadcasts at run time; other sizes must agree.
    np.testing.assert_allclose(cm.run([rand(2, 3), rand(1, 3)])[0],
                               rand(2, 3) + rand(1, 3), rtol=1e-6)
    np.testing.assert_allclose(cm.run([rand(2, 1), rand(1, 3)])[0],
                               rand(2, 1) + rand(1, 3), rtol=1e-6)
    expect_shape_error(cm, [rand(2, 3), rand(3, 1)], "add",
                       "dimension 0 is neither 1 nor the broadcast size (3 vs 2)")


def test_matmul_contraction_mismatch(tmp_path):
    m = model([helper.make_node("MatMul", ["A", "B"], ["C"], name="mm")],
              [vi("A", dyn(2)), vi("B", dyn(2))], [vi("C", None)])
    cm = sh.compile_model(m, tmp_path)
    assert cm.run([rand(2, 3), rand(3, 5)])[0].shape == (2, 5)
    expect_shape_error(cm, [rand(2, 3), rand(4, 5)], "mm", "contraction")


def test_lstm_initial_state_batch_mismatch(tmp_path):
    H, I = 3, 2
    w = helper.make_tensor("W", F, [1, 4 * H, I], rand(4 * H * I).tolist())
    r = helper.make_tensor("R", F, [1, 4 * H, H], rand(4 * H * H).tolist())
    node = helper.make_node("LSTM", ["X", "W", "R", "", "", "h0"], ["Y"],
                            hidden_size=H, name="lstm")
    m = model([node], [vi("X", [None, None, I]), vi("h0", [1, None, H])],
              [vi("Y", None)], [w, r])
    cm = sh.compile_model(m, tmp_path)
    assert cm.run([rand(4, 2, I), rand(1, 2, H)])[0].shape == (4, 1, 2, H)
    expect_shape_error(cm, [rand(4, 2, I), rand(1, 5, H)], "lstm", "initial_h")


def test_concat_off_axis_mismatch(tmp_path):
    m = model([helper.make_node("Concat", ["A", "B"], ["C"], axis=0, name="cat")],
              [vi("A", dyn(2)), vi("B", dyn(2))], [vi("C", None)])
    cm = sh.compile_model(m, tmp_path)
    assert cm.run([rand(2, 3), rand(4, 3)])[0].shape == (6, 3)
    expect_shape_error(cm, [rand(2, 3), rand(4, 2)], "cat", "differs")


def test_reshape_element_count_mismatch(tmp_path):
    shape = helper.make_tensor("s", TensorProto.INT64, [2], [3, -1])
    m = model([helper.make_node("Reshape", ["A", "s"], ["B"], name="rs")],
              [vi("A", dyn(1))], [vi("B", None)], [shape])
    cm = sh.compile_model(m, tmp_path)
    assert cm.run([rand(6)])[0].shape == (3, 2)
    expect_shape_error(cm, [rand(7)], "rs", "elements")


def test_squeeze_of_a_dynamic_dimension_that_is_not_one(tmp_path):
    axes = helper.make_tensor("ax", TensorProto.INT64, [1], [0])
    m = model([helper.make_node("Squeeze", ["A", "ax"], ["B"], name="sq")],
              [vi("A", dyn(2))], [vi("B", None)], [axes])
    cm = sh.compile_model(m, tmp_path)
    assert cm.run([rand(1, 4)])[0].shape == (4,)
    expect_shape_error(cm, [rand(3, 4)], "sq", "not 1")


def test_sequence_lens_out_of_range(tmp_path):
    H, I = 3, 2
    w = helper.make_tensor("W", F, [1, 3 * H, I], rand(3 * H * I).tolist())
    r = helper.make_tensor("R", F, [1, 3 * H, H], rand(3 * H * H).tolist())
    node = helper.make_node("GRU", ["X", "W", "R", "", "lens"], ["Y"], hidden_size=H,
                            name="gru")
    m = model([node], [vi("X", ["T", "B", I]), vi("lens", ["B"], TensorProto.INT32)],
              [vi("Y", None)], [w, r])
    cm = sh.compile_model(m, tmp_path)
    x = rand(4, 2, I)
    assert cm.run([x, np.array([4, 1], np.int32)])[0].shape == (4, 1, 2, H)
    expect_shape_error(cm, [x, np.array([5, 1], np.int32)], "gru", "sequence_lens")
    expect_shape_error(cm, [x, np.array([2, -1], np.int32)], "gru", "sequence_lens")


def test_gather_indices_out_of_range(tmp_path):
    m = model([helper.make_node("Gather", ["A", "i"], ["B"], axis=0, name="ga")],
              [vi("A", dyn(2)), vi("i", dyn(1), TensorProto.INT64)], [vi("B", None)])
    cm = sh.compile_model(m, tmp_path)
    a = rand(5, 3)
    np.testing.assert_array_equal(cm.run([a, np.array([4, -5, 0])])[0], a[[4, -5, 0]])
    expect_shape_error(cm, [a, np.array([0, 5])], "ga", "Gather indices out of range")
    expect_shape_error(cm, [a, np.array([-6])], "ga", "Gather indices out of range")


def test_range_with_zero_delta(tmp_path):
    """A zero step would make Range endless: refused before the run."""
    m = model([helper.make_node("Range", ["S", "L", "D"], ["Y"], name="range")],
              [vi("S", [], TensorProto.INT64), vi("L", [], TensorProto.INT64),
               vi("D", [], TensorProto.INT64)], [vi("Y", None, TensorProto.INT64)])
    cm = sh.compile_model(m, tmp_path)
    i64 = lambda v: np.array(v, np.int64)
    np.testing.assert_array_equal(cm.run([i64(1), i64(8), i64(3)])[0], [1, 4, 7])
    expect_shape_error(cm, [i64(1), i64(8), i64(0)], "range", "delta must not be 0")


def test_constant_of_shape_with_negative_dimension(tmp_path):
    m = model([helper.make_node("ConstantOfShape", ["S"], ["Y"], name="fill")],
              [vi("S", [2], TensorProto.INT64)], [vi("Y", None)])
    cm = sh.compile_model(m, tmp_path)
    assert cm.run([np.array([2, 3], np.int64)])[0].shape == (2, 3)
    expect_shape_error(cm, [np.array([2, -3], np.int64)], "fill", "below the smallest allowed")


def test_expand_to_a_shape_the_input_does_not_fit(tmp_path):
    m = model([helper.make_node("Expand", ["X", "S"], ["Y"], name="expand")],
              [vi("X", dyn(2)), vi("S", [2], TensorProto.INT64)], [vi("Y", None)])
    cm = sh.compile_model(m, tmp_path)
    assert cm.run([rand(2, 3), np.array([2, 3], np.int64)])[0].shape == (2, 3)
    assert cm.run([rand(2, 3), np.array([1, 1], np.int64)])[0].shape == (2, 3)
    expect_shape_error(cm, [rand(2, 3), np.array([4, 3], np.int64)], "expand",
                       "neither 1 nor the requested size (2 vs 4)")
    # A dynamic input size of 1 broadcasts.
    np.testing.assert_array_equal(cm.run([rand(1, 3), np.array([4, 3], np.int64)])[0],
                                  np.broadcast_to(rand(1, 3), (4, 3)))
    expect_shape_error(cm, [rand(2, 3), np.array([2, -3], np.int64)], "expand",
                       "below the smallest allowed")


def test_squeeze_axes_at_run_time(tmp_path):
    m = model([helper.make_node("Squeeze", ["X", "A"], ["Y"], name="squeeze")],
              [vi("X", [1, None, 1]), vi("A", [1], TensorProto.INT64)], [vi("Y", None)])
    cm = sh.compile_model(m, tmp_path)
    assert cm.run([rand(1, 4, 1), np.array([-1], np.int64)])[0].shape == (1, 4)
    assert cm.run([rand(1, 4, 1), np.array([0], np.int64)])[0].shape == (4, 1)
    expect_shape_error(cm, [rand(1, 4, 1), np.array([1], np.int64)], "squeeze",
                       "removes a dimension that is not 1")
    expect_shape_error(cm, [rand(1, 4, 1), np.array([3], np.int64)], "squeeze",
                       "axis is out of range")


def test_slice_axes_at_run_time(tmp_path):
    m = model([helper.make_node("Slice", ["X", "S", "E", "A", "T"], ["Y"], name="slice")],
              [vi("X", [3, 4]), vi("S", [2], TensorProto.INT64), vi("E", [2], TensorProto.INT64),
               vi("A", [2], TensorProto.INT64), vi("T", [2], TensorProto.INT64)], [vi("Y", None)])
    cm = sh.compile_model(m, tmp_path)
    i64 = lambda *v: np.array(v, np.int64)  # noqa: E731
    np.testing.assert_array_equal(cm.run([rand(3, 4), i64(0, 3), i64(2, 0), i64(0, 1), i64(1, -2)])[0],
                                  rand(3, 4)[0:2, 3:0:-2])
    expect_shape_error(cm, [rand(3, 4), i64(0, 0), i64(1, 1), i64(1, -1), i64(1, 1)], "slice",
                       "axes repeat")
    expect_shape_error(cm, [rand(3, 4), i64(0, 0), i64(1, 1), i64(0, 1), i64(1, 0)], "slice",
                       "step is 0")


def _slicing_loop(declared):
    """A Loop whose body slices one element of a constant at the iteration
    number (a size inference leaves dynamic) and declares it `declared`."""
    I64, B = TensorProto.INT64, TensorProto.BOOL
    x = helper.make_tensor("x", F, [5], [1, 2, 3, 4, 5])
    zero = helper.make_tensor("zero", I64, [1], [0])
    one = helper.make_tensor("one", I64, [], [1])
    body = helper.make_graph(
        [helper.make_node("Identity", ["c"], ["c2"]),
         helper.make_node("Add", ["i", "one"], ["end"]),
         helper.make_node("Unsqueeze", ["i", "zero"], ["start1"]),
         helper.make_node("Unsqueeze", ["end", "zero"], ["end1"]),
         helper.make_node("Slice", ["x", "start1", "end1"], ["step"], name="take")],
        "body", [vi("i", [], I64), vi("c", [], B)],
        [vi("c2", [], B), vi("step", declared)], [x, zero, one])
    return model([helper.make_node("Loop", ["m", ""], ["steps"], body=body, name="loop")],
                 [vi("m", [], I64)], [vi("steps", None)])


def test_loop_step_at_its_declared_size(tmp_path):
    # Declared [1]: the steps stack into [m, 1].
    cm = sh.compile_model(_slicing_loop([1]), tmp_path)
    np.testing.assert_array_equal(cm.run([np.array(3, np.int64)])[0],
                                  [[1.0], [2.0], [3.0]])


def test_loop_step_that_contradicts_its_declaration(tmp_path):
    # Declared [2], one element at run time: checked, not trusted.
    cm = sh.compile_model(_slicing_loop([2]), tmp_path)
    expect_shape_error(cm, [np.array(3, np.int64)], "take",
                       "dimension 0 of a subgraph output differs from the size "
                       "the model declares")
