"""Sequences and optionals through the Python binding: a list of arrays in
and out, None for an optional that holds nothing; against ONNX Runtime."""
import numpy as np
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper

seqc = pytest.importorskip("seqc")

F = TensorProto.FLOAT


def reversed_model():
    """out = the elements of `s` in reverse order (a Loop inserting each at
    the front), `x` appended when the optional `x` holds a value; `has`
    says whether it did."""
    body = helper.make_graph(
        [helper.make_node("Identity", ["c"], ["c_out"]),
         helper.make_node("SequenceAt", ["s", "i"], ["e"]),
         helper.make_node("Constant", [], ["front"],
                          value=helper.make_tensor("", TensorProto.INT64, [], [0])),
         helper.make_node("SequenceInsert", ["acc", "e", "front"], ["acc_out"])],
        "body", [helper.make_tensor_value_info("i", TensorProto.INT64, []),
                 helper.make_tensor_value_info("c", TensorProto.BOOL, []),
                 helper.make_tensor_sequence_value_info("acc", F, None)],
        [helper.make_tensor_value_info("c_out", TensorProto.BOOL, []),
         helper.make_tensor_sequence_value_info("acc_out", F, None)])
    then = helper.make_graph(
        [helper.make_node("OptionalGetElement", ["x"], ["xv"]),
         helper.make_node("SequenceInsert", ["rev", "xv"], ["with_x"])], "then", [],
        [helper.make_tensor_sequence_value_info("with_x", F, None)])
    other = helper.make_graph([helper.make_node("Identity", ["rev"], ["same"])], "else", [],
                              [helper.make_tensor_sequence_value_info("same", F, None)])
    graph = helper.make_graph(
        [helper.make_node("SequenceLength", ["s"], ["n"]),
         helper.make_node("SequenceEmpty", [], ["empty"]),
         helper.make_node("Loop", ["n", "", "empty"], ["rev"], body=body),
         helper.make_node("OptionalHasElement", ["x"], ["has"]),
         helper.make_node("If", ["has"], ["out"], then_branch=then, else_branch=other)],
        "reverse",
        [helper.make_tensor_sequence_value_info("s", F, [None, 2]),
         helper.make_value_info("x", helper.make_optional_type_proto(
             helper.make_tensor_type_proto(F, [None, 2])))],
        [helper.make_tensor_sequence_value_info("out", F, None),
         helper.make_tensor_value_info("has", TensorProto.BOOL, [])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)], ir_version=8)


def test_sequence_and_optional_values(tmp_path):
    model = reversed_model()
    compiled = seqc.compile(model, emit_dir=tmp_path, name="rev")
    assert [(s.name, s.kind, s.shape) for s in compiled.inputs] == [
        ("s", "sequence", (None, 2)), ("x", "optional tensor", (None, 2))]
    assert [s.kind for s in compiled.outputs] == ["sequence", "tensor"]
    session = ort.InferenceSession(model.SerializeToString(),
                                   providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    s = [rng.standard_normal((k, 2)).astype(np.float32) for k in (1, 3, 0, 2)]
    for x in (None, rng.standard_normal((4, 2)).astype(np.float32)):
        out, has = compiled(s, x)
        want_out, want_has = session.run(None, {"s": s, "x": x})
        assert has == want_has == (x is not None)
        assert len(out) == len(want_out) == len(s) + (x is not None)
        for a, b in zip(out, want_out):
            np.testing.assert_array_equal(a, b)
    # The same model loaded from its artifacts alone.
    loaded = seqc.load(tmp_path, "rev")
    out, _ = loaded.run({"s": [], "x": None})
    assert out == []


def test_a_sequence_input_must_be_a_list(tmp_path):
    compiled = seqc.compile(reversed_model(), emit_dir=tmp_path, name="rev")
    with pytest.raises(seqc.ExecutionError, match="'s' is a sequence: give a list"):
        compiled(np.zeros((2, 2), np.float32), None)
    with pytest.raises(seqc.ExecutionError, match="input 's'.*element 0 has rank 1, expected 2"):
        compiled([np.zeros(2, np.float32)], None)
