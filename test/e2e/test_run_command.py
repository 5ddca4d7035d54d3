"""`seqc run` and `seqc bench` (lib/Runner): the outputs `seqc run` writes as
.npy files against ONNX Runtime on the same inputs, inputs of every element
type read from NumPy's own files, and the errors. test/Driver/run/ pins the
printed text."""

import os
import subprocess
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper
from onnx.reference import ReferenceEvaluator

import rnn_models
import seqc_harness as sh

EXAMPLE_MODEL = Path(__file__).resolve().parents[2] / "examples" / "cmake-app" / "gru.onnx"
pytestmark = pytest.mark.skipif(not os.access(sh.seqc_binary(), os.X_OK),
                                reason=f"seqc binary not found at {sh.seqc_binary()}")


def seqc_run(*args, check=True):
    proc = subprocess.run([str(sh.seqc_binary()), "run", *map(str, args)],
                          capture_output=True, text=True)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def ort_outputs(model, feeds):
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return dict(zip([o.name for o in session.get_outputs()], session.run(None, feeds)))


@pytest.mark.parametrize("op,direction", [("LSTM", "bidirectional"), ("GRU", "forward")])
def test_outputs_match_onnxruntime(tmp_path, op, direction):
    model, feeds = rnn_models.make_rnn_model(op, direction=direction, hidden=8, input_size=5,
                                             batch=3, seq_len=7, dynamic_dims=True, seed=3)
    onnx.save(model, str(tmp_path / "model.onnx"))
    inputs = []
    for name, value in feeds.items():
        np.save(tmp_path / f"{name}.npy", value)
        inputs += ["--input", f"{name}={tmp_path / name}.npy"]
    proc = seqc_run(tmp_path / "model.onnx", *inputs, "--output-dir", tmp_path / "out",
                    "--threads", 2)
    want = ort_outputs(model, feeds)
    for name, value in want.items():
        got = np.load(tmp_path / "out" / f"{name}.npy")
        assert got.dtype == value.dtype and got.shape == value.shape, name
        np.testing.assert_allclose(got, value, rtol=0, atol=1e-5, err_msg=name)
        assert f"{name}: float32 [{', '.join(map(str, value.shape))}]" in proc.stdout


def typed_model():
    """Inputs of four element types, outputs of the same (h, k2, not_c, d2):
    what seqc run reads from and writes to .npy files for each."""
    nodes = [helper.make_node("Neg", ["a"], ["a_neg"]),
             helper.make_node("Where", ["c", "a", "a_neg"], ["h"]),
             helper.make_node("Add", ["k", "k"], ["k2"]),
             helper.make_node("Not", ["c"], ["not_c"]),
             helper.make_node("Mul", ["d", "d"], ["d2"])]
    n = "n"
    graph = helper.make_graph(
        nodes, "typed",
        [helper.make_tensor_value_info("c", TensorProto.BOOL, [n]),
         helper.make_tensor_value_info("a", TensorProto.FLOAT16, [n]),
         helper.make_tensor_value_info("k", TensorProto.INT64, [n]),
         helper.make_tensor_value_info("d", TensorProto.DOUBLE, [2, n])],
        [helper.make_tensor_value_info("h", TensorProto.FLOAT16, [n]),
         helper.make_tensor_value_info("k2", TensorProto.INT64, [n]),
         helper.make_tensor_value_info("not_c", TensorProto.BOOL, [n]),
         helper.make_tensor_value_info("d2", TensorProto.DOUBLE, [2, n])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                             ir_version=rnn_models.IR_VERSION)


def test_element_types_round_trip(tmp_path):
    model = typed_model()
    onnx.save(model, str(tmp_path / "typed.onnx"))
    rng = np.random.default_rng(0)
    feeds = {"c": rng.random(6) > 0.5, "a": rng.standard_normal(6).astype(np.float16),
             "k": rng.integers(-100, 100, 6), "d": rng.standard_normal((2, 6))}
    args = []
    for name, value in feeds.items():
        np.save(tmp_path / f"{name}.npy", value)
        args += ["--input", f"{name}={tmp_path / name}.npy"]
    seqc_run(tmp_path / "typed.onnx", *args, "--output-dir", tmp_path / "out")
    # ONNX's reference evaluator: ONNX Runtime's CPU provider lacks float16 Neg.
    want = ReferenceEvaluator(model).run(None, feeds)
    for name, value in zip(["h", "k2", "not_c", "d2"], want):
        got = np.load(tmp_path / "out" / f"{name}.npy")
        assert got.dtype == value.dtype, name
        np.testing.assert_array_equal(got, value, err_msg=name)


def test_random_inputs_bind_dims_from_given_inputs(tmp_path):
    """A given input binds its symbolic dimensions for the random ones."""
    model, feeds = rnn_models.make_rnn_model("LSTM", hidden=4, input_size=3, batch=2, seq_len=5,
                                             dynamic_dims=True, with_initial_h=True)
    onnx.save(model, str(tmp_path / "model.onnx"))
    np.save(tmp_path / "X.npy", feeds["X"])
    proc = seqc_run(tmp_path / "model.onnx", "--input", f"X={tmp_path / 'X.npy'}",
                    "--random-inputs", "--output-dir", tmp_path / "out")
    assert np.load(tmp_path / "out" / "Y.npy").shape == (5, 1, 2, 4), proc.stdout


@pytest.mark.parametrize("value,message", [
    (np.zeros((7, 3, 5), np.float64),
     "input 'X': {file} holds float64 values; the model takes float32"),
    (np.zeros((7, 5), np.float32), "input 'X': {file} has shape [7, 5]; the model takes rank 3"),
    (np.asfortranarray(np.zeros((7, 3, 5), np.float32)),
     "{file}: Fortran-ordered arrays are not read"),
    (np.zeros((7, 3, 4), np.float32), "X"),  # the model's own shape check names it
])
def test_bad_inputs_are_one_line(tmp_path, value, message):
    model, _ = rnn_models.make_rnn_model("GRU", hidden=8, input_size=5, batch=3, seq_len=7,
                                         dynamic_dims=True)
    onnx.save(model, str(tmp_path / "model.onnx"))
    file = tmp_path / "x.npy"
    np.save(file, value)
    proc = seqc_run(tmp_path / "model.onnx", "--input", f"X={file}", "--random-inputs",
                    "--output-dir", tmp_path / "out", check=False)
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("seqc run: error: "), proc.stderr
    assert message.format(file=file) in lines[0]
    assert not (tmp_path / "out").exists()


def test_bench_prints_its_figures():
    """On the example model of examples/cmake-app."""
    proc = subprocess.run([str(sh.seqc_binary()), "bench", str(EXAMPLE_MODEL),
                           "--dim", "seq_len=32", "--dim", "batch=4", "--repeat", "20"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    fields = dict(line.split(None, 1) for line in proc.stdout.splitlines())
    assert fields["calls"] == "20 timed after 10 untimed"
    assert float(fields["compile"].split()[0]) > 0
    times = [float(w) for w in fields["per"].split() if w.replace(".", "").isdigit()]
    assert len(times) == 3 and 0 < times[0] <= times[1] <= times[2]


@pytest.mark.skipif(sh.under_asan(), reason="the -O0 instrumented calls take 10x longer")
def test_bench_reports_progress_after_a_second(tmp_path):
    """400 calls of 537 MFLOP each: at least 1.4 s at any CPU's FMA peak
    (150 GFLOP/s per core), so a progress line on stderr."""
    model, _ = rnn_models.make_rnn_model("LSTM", hidden=128, input_size=128, dynamic_dims=True)
    onnx.save(model, str(tmp_path / "model.onnx"))
    proc = subprocess.run([str(sh.seqc_binary()), "bench", str(tmp_path / "model.onnx"),
                           "--dim", "seq_len=256", "--dim", "batch=8", "--repeat", "400",
                           "--warmup", "0"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.startswith("seqc bench: ") and "of 400 calls" in proc.stderr
