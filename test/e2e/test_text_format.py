"""ONNX's textual syntax (onnx.printer / onnx.parser) as seqc input: models
printed with onnx.printer compile from .onnxtxt to the same results as their
binary form, and hand-written text parses."""
import numpy as np
import onnx
import onnx.printer
import pytest

import rnn_models
import seqc_harness as sh

if not sh.seqc_binary().exists():
    pytest.skip(f"seqc binary not found at {sh.seqc_binary()}", allow_module_level=True)

CASES = [
    dict(op="LSTM", direction="bidirectional", layout=0, with_peepholes=True),
    dict(op="GRU", direction="reverse", layout=1, linear_before_reset=1),
    dict(op="RNN", direction="forward", layout=0, activations=["Relu"]),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["op"])
def test_printed_model_compiles_like_the_binary(case, tmp_path):
    model, feeds = rnn_models.make_rnn_model(
        case["op"], direction=case["direction"], layout=case["layout"], hidden=3,
        input_size=2, activations=case.get("activations"),
        linear_before_reset=case.get("linear_before_reset", 0), with_bias=True,
        with_seq_lens=True, with_initial_h=True,
        with_initial_c=case["op"] == "LSTM", with_peepholes=case.get("with_peepholes", False),
        dynamic_dims=True, batch=2, seq_len=4, seed=3)
    text_path = tmp_path / "model.onnxtxt"
    text_path.write_text(onnx.printer.to_text(model))
    from_text = sh.compile_model(str(text_path), tmp_path / "text")
    from_binary = sh.compile_model(model, tmp_path / "binary")
    inputs = [feeds[i.name] for i in model.graph.input if i.name in feeds]
    for a, b in zip(from_text.run(inputs), from_binary.run(inputs)):
        np.testing.assert_array_equal(a, b)


def test_hand_written_text(tmp_path):
    path = tmp_path / "relu.onnxtxt"
    path.write_text("""
        # A hand-written model: comments, initializers, attributes, optional inputs.
        <ir_version: 8, opset_import: ["" : 17]>
        hand (float[N, 3] X) => (float[N, 3] Y)
          <float[3] b = {1, -2, 0.5}, int64[2] shape = {-1, 3}>
        {
          [add_bias] T = Add(X, b)
          R = Relu(T)
          Y = Reshape <allowzero: int = 0> (R, shape)
        }
    """)
    cm = sh.compile_model(str(path), tmp_path / "out")
    x = np.array([[1, 1, 1], [-3, 3, 0]], np.float32)
    np.testing.assert_array_equal(cm.run([x])[0],
                                  np.maximum(x + np.array([1, -2, 0.5], np.float32), 0))


def test_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "bad.onnxtxt"
    path.write_text('<ir_version: 8, opset_import: ["" : 17]>\ng (float[2] X) => (float[2] Y)\n{\n  Y = Relu(X\n}\n')
    with pytest.raises(sh.SeqcCompileError) as err:
        sh.compile_model(str(path), tmp_path / "out")
    assert "line 5" in str(err.value) and str(err.value).count("\n") <= 1


def test_integers_are_exact_and_range_checked(tmp_path):
    """Found by seqc-TextFuzzer: integer literals went through a double, so an
    opset version of 2e29 digits was undefined behaviour (a float-to-int
    overflow) and INT64_MAX was rounded. Integers are now read exactly; out
    of range for their place, they are a one-line error naming the line."""
    path = tmp_path / "exact.onnxtxt"
    path.write_text("""
        <ir_version: 8, opset_import: ["" : 17]>
        exact (float[5] X) => (float[N] Y)
          <int64[1] starts = {1}, int64[1] ends = {9223372036854775807},
           int64[1] big = {-9223372036854775808}>
        {
          Y = Slice(X, starts, ends)
        }
    """)
    cm = sh.compile_model(str(path), tmp_path / "out")
    x = np.arange(5, dtype=np.float32)
    np.testing.assert_array_equal(cm.run([x])[0], x[1:])
    bad = {
        "opset": ('["" : 224444444444444444444444444444]', "{}", "out of the int64 range"),
        "int8": ('["" : 17]', "<int8[1] c = {300}>", "300 is out of range [-128, 127]"),
        "uint8": ('["" : 17]', "<uint8[1] c = {-1}>", "-1 is out of range [0, 255]"),
        "fraction": ('["" : 17]', "<int64[1] c = {1.5}>", "expected an integer"),
    }
    for name, (opsets, inits, message) in bad.items():
        path = tmp_path / f"{name}.onnxtxt"
        path.write_text(f"<ir_version: 8, opset_import: {opsets}>\n"
                        f"g (float[2] X) => (float[2] Y)\n{inits}\n{{\n  Y = Relu(X)\n}}\n")
        with pytest.raises(sh.SeqcCompileError) as err:
            sh.compile_model(str(path), tmp_path / name)
        assert message in str(err.value) and "line " in str(err.value), (name, str(err.value))
        assert str(err.value).count("\n") <= 1
