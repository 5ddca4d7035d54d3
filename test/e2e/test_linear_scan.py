"""Linear recurrences found in Scan bodies and run as scans
(seq-detect-linear-recurrence, seq-parallelize-scan): each test model of
scan_models.py (Scan and counted Loop bodies), compiled with
--scan=sequential, --scan=parallel and --scan=off (not detected: the
recurrence as written), against ONNX Runtime at T in {1, 7, 128, 1000,
4096} on random inputs (relative error, max |seqc - ort| / max |ort|, at
most 1e-4). The recurrences that are not linear must stay sequential and
still compute the same."""

import os
import subprocess

import numpy as np
import onnx
import onnxruntime as ort
import pytest

import scan_models
import seqc_harness as sh

if not (sh.seqc_binary().is_file() and os.access(sh.seqc_binary(), os.X_OK)):
    pytest.skip(f"seqc binary not found at {sh.seqc_binary()} (set SEQC)", allow_module_level=True)

TOL = 1e-4
# The lengths, and 1000: not a multiple of the chunk counts, so that
# the chunked scan's last steps run step by step after (or before) them.
LENGTHS = (1, 7, 128, 1000, 4096)
MODELS = {**scan_models.LINEAR, **scan_models.AS_LOOP, **scan_models.NOT_LINEAR}


def random_feeds(model, steps, rng):
    feeds = {}
    for value in model.graph.input:
        dims = [d.dim_value if d.dim_value else steps for d in value.type.tensor_type.shape.dim]
        dtype = onnx.helper.tensor_dtype_to_np_dtype(value.type.tensor_type.elem_type)
        if np.issubdtype(dtype, np.integer):
            feeds[value.name] = rng.integers(-50, 50, dims).astype(dtype)
        else:
            feeds[value.name] = rng.standard_normal(dims).astype(dtype)
    return feeds


def check_relative(got, want, what):
    for i, (g, w) in enumerate(zip(got, want)):
        assert g.shape == w.shape, f"{what}: output {i} shape {g.shape}, expected {w.shape}"
        scale = max(float(np.abs(w).max(initial=0.0)), 1e-6)
        err = float(np.abs(g.astype(np.float64) - w).max(initial=0.0)) / scale
        assert err <= TOL, f"{what}: output {i} relative error {err:.3g}"


@pytest.mark.parametrize("mode", ["sequential", "parallel", "off"])
@pytest.mark.parametrize("name", list(MODELS))
def test_against_onnxruntime(name, mode, tmp_path):
    model = MODELS[name]()
    cm = sh.compile_model(model, tmp_path, flags=[f"--scan={mode}"])
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(len(name))
    for steps in LENGTHS:
        feeds = random_feeds(model, steps, rng)
        want = session.run(None, feeds)
        got = cm.run([feeds[i.name] for i in model.graph.input])
        check_relative(got, want, f"{name} --scan={mode} T={steps}")


CUMSUMS = [dict(axis=a, exclusive=e, reverse=r) for a in (0, 1) for e in (0, 1) for r in (0, 1)]


@pytest.mark.parametrize("mode", ["sequential", "parallel"])
@pytest.mark.parametrize("attrs", CUMSUMS, ids=lambda a: "axis{axis}-excl{exclusive}-rev{reverse}".format(**a))
def test_cumsum(attrs, mode, tmp_path):
    """CumSum is a linear scan with a = 1: every axis, exclusive and reverse
    combination, against ONNX Runtime."""
    model = scan_models.cumsum(**attrs)
    cm = sh.compile_model(model, tmp_path, flags=[f"--scan={mode}"])
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(3)
    for steps in LENGTHS:
        feeds = random_feeds(model, steps, rng)
        check_relative(cm.run([feeds["x"]]), session.run(None, feeds),
                       f"CumSum {attrs} --scan={mode} T={steps}")


@pytest.mark.parametrize("mode", ["sequential", "parallel"])
@pytest.mark.parametrize("elem_type", [onnx.TensorProto.INT32, onnx.TensorProto.INT64])
def test_cumsum_integers_exact(elem_type, mode, tmp_path):
    """Integer running sums are exact in either lowering."""
    model = scan_models.cumsum(axis=0, exclusive=1, elem_type=elem_type)
    cm = sh.compile_model(model, tmp_path, flags=[f"--scan={mode}"])
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(4)
    for steps in LENGTHS:
        feeds = random_feeds(model, steps, rng)
        np.testing.assert_array_equal(cm.run([feeds["x"]])[0], session.run(None, feeds)[0])


def test_auto_picks_by_length(tmp_path):
    """--scan=auto (the default), short and long."""
    model = scan_models.mingru(hidden=4, batch=1)
    cm = sh.compile_model(model, tmp_path)
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(7)
    for steps in (5, 5000):
        feeds = random_feeds(model, steps, rng)
        check_relative(cm.run([feeds[i.name] for i in model.graph.input]),
                       session.run(None, feeds), f"auto T={steps}")


@pytest.mark.parametrize("name", list(MODELS))
def test_remarks(name, tmp_path):
    """--remarks says which recurrences became scans, and why the others
    did not."""
    path = tmp_path / f"{name}.onnx"
    onnx.save(MODELS[name](), str(path))
    proc = subprocess.run([str(sh.seqc_binary()), str(path), "--emit=seq", "--remarks",
                           "-o", str(tmp_path / "out.mlir")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("seqc: remark: node 'h': "), proc.stderr
    if name not in scan_models.NOT_LINEAR:
        assert lines[0].endswith("linear recurrence: 1 state(s) run as seq.linear_scan")
    else:
        assert "not a linear recurrence: state 0 reaches" in lines[0]
    # Without --remarks, nothing on stderr.
    quiet = subprocess.run([str(sh.seqc_binary()), str(path), "--emit=seq",
                            "-o", str(tmp_path / "quiet.mlir")], capture_output=True, text=True)
    assert quiet.returncode == 0 and quiet.stderr == ""
