"""ONNX sequences and optionals, end to end: models built with onnx.helper,
compiled by seqc, run through the C API (a sequence travels as its data and
a table of shapes, an optional with a present flag: docs/c-api.md) and
compared with ONNX Runtime on random inputs. Bad positions and bad tables
are run-time errors naming the node or the input, never a wrong read."""
import ctypes

import numpy as np
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper

import seqc_harness as sh

if not sh.seqc_binary().exists():
    pytest.skip(f"seqc binary not found at {sh.seqc_binary()}", allow_module_level=True)

F, I64 = TensorProto.FLOAT, TensorProto.INT64
SEQC_ERROR_SHAPE = 2


def model(nodes, inputs, outputs, opset=18):
    graph = helper.make_graph(nodes, "sequences", inputs, outputs)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                             ir_version=8)


def seq_vi(name, shape=None, elem=F):
    return helper.make_tensor_sequence_value_info(name, elem, shape)


def vi(name, shape, elem=F):
    return helper.make_tensor_value_info(name, elem, shape)


def rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def ort_run(m, feeds):
    session = ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(None, feeds)


def assert_same(actual, expected):
    if isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected)
        for a, e in zip(actual, expected):
            assert_same(a, e)
        return
    assert np.shape(actual) == np.shape(expected)
    np.testing.assert_allclose(actual, expected, rtol=1e-6, atol=1e-6)


def check_against_ort(cm, m, feeds):
    expected = ort_run(m, feeds)
    actual = cm.run_values(list(feeds.values()))
    for a, e in zip(actual, expected):
        assert_same(a, e)


def test_construct_at_length(tmp_path):
    """Elements of different sizes read back at every position, negative ones
    included, and the sequence's length."""
    m = model([helper.make_node("SequenceConstruct", ["a", "b", "c"], ["s"]),
               helper.make_node("SequenceAt", ["s", "p"], ["x"], name="at"),
               helper.make_node("SequenceLength", ["s"], ["n"])],
              [vi("a", [2, 3]), vi("b", [4, 3]), vi("c", [0, 3]), vi("p", [], I64)],
              [vi("x", [None, 3]), vi("n", [], I64)])
    cm = sh.compile_model(m, tmp_path)
    a, b, c = rand(2, 3), rand(4, 3, seed=1), rand(0, 3)
    for p in (0, 1, 2, -1, -2, -3):
        check_against_ort(cm, m, {"a": a, "b": b, "c": c, "p": np.array(p)})
    for p in (3, -4, 1 << 40):
        with pytest.raises(sh.SeqcRunError) as err:
            cm.run_values([a, b, c, np.array(p)])
        assert err.value.status == SEQC_ERROR_SHAPE
        assert "node 'at'" in str(err.value), str(err.value)


@pytest.mark.parametrize("position", [None, 0, 2, 4, -1, -4])
def test_insert_and_erase(tmp_path, position):
    """A sequence input of 4 elements of different ranks: SequenceInsert at
    a position, then SequenceErase of another; the sequence is an output."""
    inputs = ["s", "t"] + ([] if position is None else ["p"])
    m = model([helper.make_node("SequenceInsert", inputs, ["s2"]),
               helper.make_node("SequenceErase", ["s2", "q"], ["s3"])],
              [seq_vi("s"), vi("t", [2, 2])]
              + ([] if position is None else [vi("p", [], I64)]) + [vi("q", [], I64)],
              [seq_vi("s2"), seq_vi("s3")])
    cm = sh.compile_model(m, tmp_path)
    s = [rand(3, seed=1), rand(2, 1, 2, seed=2), np.array(5.0, np.float32), rand(0, seed=3)]
    feeds = {"s": s, "t": rand(2, 2, seed=4)}
    if position is not None:
        feeds["p"] = np.array(position)
    for q in (0, -1, 2):
        check_against_ort(cm, m, {**feeds, "q": np.array(q)})


def test_loop_appends_growing_slices(tmp_path):
    """The Loop of ONNX's own test: each iteration appends x[:i+1]; the
    sequence's element sizes come from the iteration number."""
    body = helper.make_graph(
        [helper.make_node("Identity", ["cond_in"], ["cond_out"]),
         helper.make_node("Constant", [], ["one"], value=helper.make_tensor("", I64, [1], [1])),
         helper.make_node("Constant", [], ["zero"], value=helper.make_tensor("", I64, [1], [0])),
         helper.make_node("Unsqueeze", ["i", "zero"], ["i1"]),
         helper.make_node("Add", ["i1", "one"], ["end"]),
         helper.make_node("Slice", ["x", "zero", "end"], ["part"]),
         helper.make_node("SequenceInsert", ["seq_in", "part"], ["seq_out"])],
        "body", [vi("i", [], I64), vi("cond_in", [], TensorProto.BOOL), seq_vi("seq_in")],
        [vi("cond_out", [], TensorProto.BOOL), seq_vi("seq_out")])
    m = model([helper.make_node("SequenceEmpty", [], ["empty"]),
               helper.make_node("Loop", ["trips", "cond", "empty"], ["out"], body=body)],
              [vi("trips", [], I64), vi("cond", [], TensorProto.BOOL), vi("x", [None])],
              [seq_vi("out")])
    cm = sh.compile_model(m, tmp_path)
    for trips in (0, 1, 5):
        check_against_ort(cm, m, {"trips": np.array(trips), "cond": np.array(True),
                                  "x": rand(6)})


def test_optional_sequence_input(tmp_path):
    """An optional sequence input, absent or present: OptionalHasElement,
    and its value (or a default one) chosen by an If."""
    then = helper.make_graph(
        [helper.make_node("OptionalGetElement", ["o"], ["value"])], "then", [],
        [seq_vi("value")])
    other = helper.make_graph(
        [helper.make_node("SequenceConstruct", ["d"], ["default"])], "else", [],
        [seq_vi("default")])
    m = model([helper.make_node("OptionalHasElement", ["o"], ["has"]),
               helper.make_node("If", ["has"], ["chosen"], then_branch=then,
                                else_branch=other)],
              [helper.make_value_info("o", helper.make_optional_type_proto(
                  helper.make_sequence_type_proto(helper.make_tensor_type_proto(F, None)))),
               vi("d", [3])],
              [vi("has", [], TensorProto.BOOL), seq_vi("chosen")])
    cm = sh.compile_model(m, tmp_path)
    d = rand(3, seed=5)
    for o in (None, [], [rand(2, seed=6), rand(1, 4, seed=7)]):
        check_against_ort(cm, m, {"o": o, "d": d})


def test_optional_get_element_of_nothing_fails(tmp_path):
    m = model([helper.make_node("OptionalGetElement", ["o"], ["x"], name="get")],
              [helper.make_value_info("o", helper.make_optional_type_proto(
                  helper.make_tensor_type_proto(F, [2])))],
              [vi("x", [2])])
    cm = sh.compile_model(m, tmp_path)
    np.testing.assert_array_equal(cm.run_values([rand(2)])[0], rand(2))
    with pytest.raises(sh.SeqcRunError) as err:
        cm.run_values([None])
    assert "node 'get'" in str(err.value) and "holds no value" in str(err.value)


def test_runtime_checks_the_shapes_table(tmp_path):
    """A caller's table that contradicts the declared elements or the data
    is refused before any kernel runs, naming the input."""
    m = model([helper.make_node("SequenceLength", ["s"], ["n"])],
              [seq_vi("s", [None, 3])], [vi("n", [], I64)])
    cm = sh.compile_model(m, tmp_path)
    good = [rand(2, 3), rand(1, 3)]
    assert cm.run_values([good])[0] == 2
    data = np.concatenate([e.ravel() for e in good])

    def table(*rows):
        return np.array([list(r) + [1] * (9 - len(r)) for r in rows], np.int64)

    cases = [
        (table((2, 2, 3), (1, 3)), "element 1 has rank 1, expected 2"),
        (table((2, 2, 4), (2, 1, 3)), "element 0 has dimension 1 = 4, expected 3"),
        (table((2, 2, 3), (2, -1, 3)), "element 1 has dimension 0 = -1"),
        (table((2, 2, 3), (2, 2, 3)), "the elements hold 12 values, the data 9"),
        (np.array([[2, 2, 3, 1, 1, 1, 1, 1, 7], [2, 1, 3] + [1] * 6], np.int64),
         "element 0 has dimension 7 = 7, expected padding 1"),
    ]
    for shapes, message in cases:
        status, error, _ = cm.run_status([data, shapes])
        assert status == SEQC_ERROR_SHAPE and "input 's'" in error and message in error, error


def test_c_interface_of_a_sequence(tmp_path):
    """The header declares a sequence as its data and its table, and the
    model info gives their roles and the elements' declared dims (none for
    an output whose elements' ranks differ)."""
    m = model([helper.make_node("SequenceInsert", ["s", "x"], ["t"])],
              [seq_vi("s", [None, 3]), vi("x", [])], [seq_vi("t")])
    cm = sh.compile_model(m, tmp_path)
    header = (tmp_path / "model.h").read_text()
    assert "const float *s;" in header and "const int64_t *s_shapes;" in header
    assert "int64_t s_shapes_shape[2];" in header
    assert "declared [?, 3]" in header
    roles = [(t.name, t.role) for t in cm.inputs]
    assert roles == [("s", sh.ROLE_SEQUENCE_DATA), ("s", sh.ROLE_SEQUENCE_SHAPES),
                     ("x", sh.ROLE_TENSOR)]
    info = cm.fn["info"]().contents
    table = info.inputs[1]
    assert table.element_rank == 2
    assert [table.element_dims[i] for i in range(2)] == [-1, 3]
    assert ctypes.cast(info.outputs[1].element_dims, ctypes.c_void_p).value is None
    assert info.outputs[1].element_rank == -1
