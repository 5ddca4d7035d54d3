"""A speech-recogniser-shaped model laid out as torch.onnx.export writes it:

    class Net(nn.Module):
        def __init__(self):
            self.conv = nn.Conv1d(40, 32, kernel_size=5, stride=2, padding=2)
            self.lstm = nn.LSTM(32, 24, num_layers=2, bidirectional=True)
            self.fc = nn.Linear(48, 29)
        def forward(self, feats):                  # [N, 40, T] (batch, mels, frames)
            x = torch.relu(self.conv(feats))       # [N, 32, T']
            x = x.permute(2, 0, 1)                 # [T', N, 32]
            y, _ = self.lstm(x)                    # [T', N, 48]
            return self.fc(y).log_softmax(-1)      # [T', N, 29]

exported with dynamic N and T: Conv with a bias, Relu, Transpose(perm=[2, 0,
1]), per layer an LSTM with direction="bidirectional" (W, R, B initializers,
gates in ONNX's order) whose Y [T, 2, N, H] goes back to [T, N, 2H] through
Transpose(perm=[0, 2, 1, 3]) and Reshape(shape=[0, 0, -1]), then
MatMul + Add for the Linear and LogSoftmax(axis=-1). Built with onnx.helper
(no torch in CI); compared with ONNX Runtime on random inputs of two shapes.
"""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

import seqc_harness as sh

MELS, CHANNELS, HIDDEN, CLASSES = 40, 32, 24, 29


def build_model(seed: int = 0) -> onnx.ModelProto:
    rng = np.random.default_rng(seed)

    def uniform(shape, fan):
        bound = 1.0 / np.sqrt(fan)
        return rng.uniform(-bound, bound, shape).astype(np.float32)

    inits = {
        "conv.weight": uniform((CHANNELS, MELS, 5), MELS * 5),
        "conv.bias": uniform((CHANNELS,), MELS * 5),
        "fc.weight_t": uniform((2 * HIDDEN, CLASSES), 2 * HIDDEN),
        "fc.bias": uniform((CLASSES,), 2 * HIDDEN),
        "reshape_shape": np.array([0, 0, -1], np.int64),
    }
    nodes = [
        helper.make_node("Conv", ["feats", "conv.weight", "conv.bias"], ["conv_out"],
                         name="/conv/Conv", kernel_shape=[5], strides=[2], pads=[2, 2],
                         dilations=[1], group=1),
        helper.make_node("Relu", ["conv_out"], ["relu_out"], name="/Relu"),
        helper.make_node("Transpose", ["relu_out"], ["x0"], name="/Transpose", perm=[2, 0, 1]),
    ]
    x = "x0"
    for layer in range(2):
        inputs = CHANNELS if layer == 0 else 2 * HIDDEN
        inits[f"W{layer}"] = uniform((2, 4 * HIDDEN, inputs), HIDDEN)
        inits[f"R{layer}"] = uniform((2, 4 * HIDDEN, HIDDEN), HIDDEN)
        inits[f"B{layer}"] = uniform((2, 8 * HIDDEN), HIDDEN)
        nodes += [
            helper.make_node("LSTM", [x, f"W{layer}", f"R{layer}", f"B{layer}"],
                             [f"Y{layer}", "", ""], name=f"/lstm/LSTM_{layer}",
                             hidden_size=HIDDEN, direction="bidirectional"),
            helper.make_node("Transpose", [f"Y{layer}"], [f"Yt{layer}"],
                             name=f"/lstm/Transpose_{layer}", perm=[0, 2, 1, 3]),
            helper.make_node("Reshape", [f"Yt{layer}", "reshape_shape"], [f"x{layer + 1}"],
                             name=f"/lstm/Reshape_{layer}", allowzero=0),
        ]
        x = f"x{layer + 1}"
    nodes += [
        helper.make_node("MatMul", [x, "fc.weight_t"], ["fc_mm"], name="/fc/MatMul"),
        helper.make_node("Add", ["fc_mm", "fc.bias"], ["logits"], name="/fc/Add"),
        helper.make_node("LogSoftmax", ["logits"], ["log_probs"], name="/LogSoftmax", axis=-1),
    ]
    graph = helper.make_graph(
        nodes, "conv_bilstm",
        [helper.make_tensor_value_info("feats", TensorProto.FLOAT, ["batch", MELS, "frames"])],
        [helper.make_tensor_value_info("log_probs", TensorProto.FLOAT,
                                       ["out_frames", "batch", CLASSES])],
        [numpy_helper.from_array(v, k) for k, v in inits.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    onnx.checker.check_model(model, full_check=True)
    return model


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    if not sh.seqc_binary().is_file():
        pytest.skip(f"seqc binary not found at {sh.seqc_binary()}")
    model = build_model()
    return model, sh.compile_model(model, tmp_path_factory.mktemp("conv_bilstm"))


@pytest.mark.parametrize("batch,frames", [(3, 50), (1, 7)])
def test_matches_onnxruntime(compiled, batch, frames):
    model, seqc_model = compiled
    rng = np.random.default_rng(batch * 100 + frames)
    feats = rng.standard_normal((batch, MELS, frames)).astype(np.float32)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    want = ort.InferenceSession(model.SerializeToString(), options,
                                providers=["CPUExecutionProvider"]).run(None, {"feats": feats})[0]
    got = seqc_model.run({"feats": feats})
    got = got["log_probs"] if isinstance(got, dict) else got[0]
    assert got.shape == want.shape == ((frames - 1) // 2 + 1, batch, CLASSES)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-4)
