"""The f32 activations seqc compiles to inline polynomials
(seqc-approximate-math: tanh, exp, and sigmoid through exp) against float64
NumPy over a dense grid, with the error bounds docs/performance.md states:
tanh within 3e-7 absolute (5 ulp), exp within 4e-7 relative and sigmoid
within 2e-7 relative wherever the float32 result is a normal number (exp
flushes results below float32's smallest normal number toward 0); special
values as IEEE float32 has them."""

import os

import numpy as np
import pytest
from onnx import TensorProto, helper

import seqc_harness as sh

if not (sh.seqc_binary().is_file() and os.access(sh.seqc_binary(), os.X_OK)):
    pytest.skip(f"seqc binary not found at {sh.seqc_binary()} (set SEQC)", allow_module_level=True)

OPS = ("Tanh", "Sigmoid", "Exp")
SPECIAL = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-30, -1e-30, 88.7, -87.3, 89.0, -104.0],
                   np.float32)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    graph = helper.make_graph(
        [helper.make_node(op, ["x"], [op]) for op in OPS], "activations",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n"])],
        [helper.make_tensor_value_info(op, TensorProto.FLOAT, ["n"]) for op in OPS])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 22)])
    cm = sh.compile_model(model, tmp_path_factory.mktemp("activations"))
    x = np.concatenate([np.linspace(-20, 20, 2_000_001, dtype=np.float32),
                        np.linspace(-104, 89, 200_001, dtype=np.float32), SPECIAL])
    return x, dict(zip(OPS, cm.run({"x": x})))


def relative_error_where_normal(got, want):
    with np.errstate(all="ignore"):
        normal = np.isfinite(want) & (np.abs(want) >= np.finfo(np.float32).tiny) & \
                 (np.abs(want) <= np.finfo(np.float32).max)
        return float((np.abs(got[normal] - want[normal]) / np.abs(want[normal])).max())


def test_tanh(results):
    x, got = results
    want = np.tanh(x.astype(np.float64))
    err = np.abs(got["Tanh"].astype(np.float64) - want)
    finite = np.isfinite(x)
    assert float(err[finite].max()) <= 3e-7
    ulp = err[finite] / np.spacing(np.abs(want[finite]).astype(np.float32)).astype(np.float64)
    assert float(ulp.max()) <= 5
    np.testing.assert_array_equal(got["Tanh"][-len(SPECIAL):][:5], [0, -0.0, 1, -1, np.nan])


def test_exp(results):
    x, got = results
    with np.errstate(over="ignore"):
        want = np.exp(x.astype(np.float64))
        want32 = np.exp(x)
    assert relative_error_where_normal(got["Exp"].astype(np.float64), want) <= 4e-7
    # Overflow to inf, underflow to (sub)normal or 0, nan stays nan: as float32 has them.
    overflow = np.isinf(want32)
    assert np.array_equal(np.isinf(got["Exp"]), overflow)
    assert np.array_equal(np.isnan(got["Exp"]), np.isnan(x))
    tiny = want < np.finfo(np.float32).tiny
    assert float(np.abs(got["Exp"][tiny] - want[tiny]).max()) < np.finfo(np.float32).tiny


def test_sigmoid(results):
    x, got = results
    with np.errstate(over="ignore"):
        want = 1 / (1 + np.exp(-x.astype(np.float64)))
    assert relative_error_where_normal(got["Sigmoid"].astype(np.float64), want) <= 2e-7
    np.testing.assert_array_equal(got["Sigmoid"][-len(SPECIAL):][:5], [0.5, 0.5, 1, 0, np.nan])
