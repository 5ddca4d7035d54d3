"""The f32 activations seqc compiles to inline polynomials
(seqc-approximate-math: tanh, exp, and sigmoid through exp) against float64
NumPy over a dense grid, with the error bounds docs/performance.md states:
tanh within 2.7e-7 absolute (4.5 ulp) where the target fuses multiply-adds
and 3.6e-7 (6 ulp) where it does not, exp within 4e-7 relative and sigmoid
within 2e-7 relative wherever the float32 result is a normal number (exp
flushes results below float32's smallest normal number toward 0); special
values as IEEE float32 has them. Each target is compiled for explicitly, so
the bound checked does not depend on the CPU the tests happen to run on."""

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



# (seqc's --mcpu, host CPU flags it needs to run, tanh's absolute and ulp bounds):
# without FMA each multiply-add of the polynomial rounds twice.
TARGETS = {
    "sse": ("x86-64", set(), 3.6e-7, 6.0),
    "fma": ("haswell", {"avx2", "fma"}, 2.7e-7, 4.5),
}


@pytest.fixture(scope="module", params=sorted(TARGETS))
def target(request):
    mcpu, needs, *_ = TARGETS[request.param]
    if not needs <= sh.host_cpu_flags():
        pytest.skip(f"the host CPU lacks {sorted(needs - sh.host_cpu_flags())}")
    return request.param


@pytest.fixture(scope="module")
def results(target, tmp_path_factory):
    graph = helper.make_graph(
        [helper.make_node(op, ["x"], [op]) for op in OPS], "activations",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n"])],
        [helper.make_tensor_value_info(op, TensorProto.FLOAT, ["n"]) for op in OPS])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 22)])
    cm = sh.compile_model(model, tmp_path_factory.mktemp("activations"),
                          flags=(f"--mcpu={TARGETS[target][0]}",))
    x = np.concatenate([np.linspace(-20, 20, 2_000_001, dtype=np.float32),
                        np.linspace(-104, 89, 200_001, dtype=np.float32), SPECIAL])
    return x, dict(zip(OPS, cm.run({"x": x})))


def relative_error_where_normal(got, want):
    with np.errstate(all="ignore"):
        normal = np.isfinite(want) & (np.abs(want) >= np.finfo(np.float32).tiny) & \
                 (np.abs(want) <= np.finfo(np.float32).max)
        return float((np.abs(got[normal] - want[normal]) / np.abs(want[normal])).max())


# The sanitizer run (scripts/test-sanitized.sh) compiles at -O0, where LLVM
# forms no FMAs: every target then has the bounds of one without them.
UNFUSED = "-O0" in os.environ.get("SEQC_ARTIFACT_FLAGS", "").split()


def test_tanh(results, target):
    x, got = results
    max_abs, max_ulp = TARGETS["sse" if UNFUSED else target][2:]
    want = np.tanh(x.astype(np.float64))
    err = np.abs(got["Tanh"].astype(np.float64) - want)
    finite = np.isfinite(x)
    assert float(err[finite].max()) <= max_abs
    ulp = err[finite] / np.spacing(np.abs(want[finite]).astype(np.float32)).astype(np.float64)
    assert float(ulp.max()) <= max_ulp
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
