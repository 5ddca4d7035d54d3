"""The recurrent ops in float64 (ONNX Runtime's CPU kernels have no float64
LSTM, so the NumPy reference is the oracle)."""
import numpy as np
import pytest
from onnx import TensorProto, helper

import rnn_reference as ref
import seqc_harness as sh

if not sh.seqc_binary().exists():
    pytest.skip(f"seqc binary not found at {sh.seqc_binary()}", allow_module_level=True)

GATES = {"LSTM": 4, "GRU": 3, "RNN": 1}


@pytest.mark.parametrize("op", sorted(GATES))
def test_float64_bidirectional(op, tmp_path):
    H, I, g = 3, 2, GATES[op]
    rng = np.random.default_rng(11)
    D = TensorProto.DOUBLE
    w = helper.make_tensor("W", D, [2, g * H, I], rng.standard_normal(2 * g * H * I).tolist())
    r = helper.make_tensor("R", D, [2, g * H, H], rng.standard_normal(2 * g * H * H).tolist())
    b = helper.make_tensor("B", D, [2, 2 * g * H], rng.standard_normal(4 * g * H).tolist())
    node = helper.make_node(op, ["X", "W", "R", "B"], ["Y", "Y_h"], hidden_size=H,
                            direction="bidirectional", name="rnn")
    graph = helper.make_graph(
        [node], "f64", [helper.make_tensor_value_info("X", D, ["T", "B", I])],
        [helper.make_tensor_value_info("Y", D, None),
         helper.make_tensor_value_info("Y_h", D, None)], [w, r, b])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                              ir_version=8)
    cm = sh.compile_model(model, tmp_path)
    x = rng.standard_normal((5, 2, I))
    got = cm.run([x])
    want = ref.run_model(model, {"X": x})
    for g_out, w_out in zip(got, want):
        assert g_out.dtype == np.float64
        np.testing.assert_allclose(g_out, w_out, rtol=0, atol=1e-12)
