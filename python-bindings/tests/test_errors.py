"""Bad input raises seqc's errors with the compiler's one-line message, and
never crashes the interpreter."""
import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper

import rnn_models

seqc = pytest.importorskip("seqc")


def test_truncated_file(tmp_path):
    model, _ = rnn_models.make_rnn_model(
        "LSTM", direction="forward", layout=0, hidden=3, input_size=2, with_bias=True,
        with_seq_lens=False, with_initial_h=False, with_initial_c=False,
        dynamic_dims=True, batch=1, seq_len=2, seed=0)
    data = model.SerializeToString()
    path = tmp_path / "cut.onnx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(seqc.CompileError) as err:
        seqc.compile(str(path))
    assert err.value.message.startswith("seqc: error:") and "\n" not in err.value.message


def test_random_bytes_and_missing_file(tmp_path):
    with pytest.raises(seqc.CompileError):
        seqc.compile(bytes(np.random.default_rng(0).integers(0, 256, 500, dtype=np.uint8)))
    with pytest.raises(seqc.CompileError, match="no such model file"):
        seqc.compile(tmp_path / "nope.onnx")
    with pytest.raises(TypeError):
        seqc.compile(None)


def test_error_names_the_onnx_node():
    node = helper.make_node("LSTM", ["X", "W", "R"], ["Y"], hidden_size=2,
                            direction="sideways", name="my_lstm")
    graph = helper.make_graph(
        [node], "bad", [helper.make_tensor_value_info("X", TensorProto.FLOAT, [2, 1, 3])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, None)],
        [helper.make_tensor("W", TensorProto.FLOAT, [1, 8, 3], [0.0] * 24),
         helper.make_tensor("R", TensorProto.FLOAT, [1, 8, 2], [0.0] * 16)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    with pytest.raises(seqc.CompileError, match="node 'my_lstm'.*direction"):
        seqc.compile(model)


@pytest.fixture(scope="module")
def compiled():
    model, feeds = rnn_models.make_rnn_model(
        "GRU", direction="forward", layout=0, hidden=3, input_size=2, with_bias=True,
        with_seq_lens=False, with_initial_h=True, with_initial_c=False,
        dynamic_dims=True, batch=2, seq_len=3, seed=0)
    return seqc.compile(model), model, feeds


def test_wrong_dtype_rank_none_and_shapes(compiled):
    cm, model, feeds = compiled
    x_name = cm.inputs[0].name
    good = {n: feeds[n] for n in (s.name for s in cm.inputs)}
    with pytest.raises(seqc.ExecutionError, match="expected float32, got float64"):
        cm.run({**good, x_name: good[x_name].astype(np.float64)})
    with pytest.raises(seqc.ExecutionError, match="expected rank 3"):
        cm.run({**good, x_name: good[x_name][0]})
    with pytest.raises(seqc.ExecutionError, match="is None"):
        cm.run({**good, x_name: None})
    with pytest.raises(seqc.ExecutionError, match="missing input"):
        cm.run({x_name: good[x_name]})
    with pytest.raises(seqc.ExecutionError, match="unknown input"):
        cm.run({**good, "bogus": 1})
    # The C API's own checks: the input size 2 is static, 3 is refused.
    with pytest.raises(seqc.ExecutionError) as err:
        cm.run({**good, x_name: np.zeros((3, 2, 3), np.float32)})
    assert err.value.status == 2 and x_name in err.value.message
    # After all that, the model still runs.
    assert len(cm.run(good)) == len(model.graph.output)


def _relu_model():
    graph = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["y"])], "relu",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def test_bad_options_raise_with_the_reason():
    """-O-1 and an unknown CPU: CompileError with the one-line reason; the
    interpreter lives on (LLVM would otherwise abort the process)."""
    with pytest.raises(seqc.CompileError, match=r"-O-1: the levels are 0 to 3"):
        seqc.compile(_relu_model(), O=-1)
    for cpu in ("bogus", "i386"):
        with pytest.raises(seqc.CompileError, match=f"CPU '{cpu}'"):
            seqc.compile(_relu_model(), mcpu=cpu)


def test_failed_compiles_leave_no_temporary_folder(tmp_path, monkeypatch):
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    bad = _relu_model()
    bad.graph.node[0].op_type = "NoSuchOp"
    for source in (bad, bad.SerializeToString()):
        with pytest.raises(seqc.CompileError, match="NoSuchOp"):
            seqc.compile(source)
    with pytest.raises(seqc.CompileError):
        seqc.compile(_relu_model(), mcpu="bogus")
    assert list(tmp_path.iterdir()) == []
    ok = seqc.compile(_relu_model())
    assert len(list(tmp_path.iterdir())) == 1
    np.testing.assert_array_equal(ok.run({"x": np.array([-1, 2], np.float32)})[0], [0, 2])
