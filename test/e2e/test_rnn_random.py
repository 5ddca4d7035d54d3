"""End-to-end tests of seqc on LSTM / GRU / RNN models: compile each model,
run it through the generated C API, compare with onnxruntime and with the
NumPy reference (max abs error <= 1e-4).

The randomized part is a seeded sample of the attribute product
(SEQC_E2E_RANDOM_CASES cases, default 150) on top of a deterministic core.
Skipped as a whole when the seqc binary is missing (set SEQC to point at it)."""

import os
import threading

import numpy as np
import pytest

import rnn_reference as ref
import seqc_harness as sh
from rnn_models import (core_cases, make_pytorch_style_stack, make_rnn_model, model_for_case,
                        random_cases, run_ort)

if not (sh.seqc_binary().is_file() and os.access(sh.seqc_binary(), os.X_OK)):
    pytest.skip(f"seqc binary not found at {sh.seqc_binary()} (set SEQC)", allow_module_level=True)

TOL = 1e-4
CASES = core_cases() + random_cases(int(os.environ.get("SEQC_E2E_RANDOM_CASES", "150")))


def check_close(got, want, what):
    assert len(got) == len(want), what
    for i, (g, w) in enumerate(zip(got, want)):
        assert g.shape == w.shape, f"{what}: output {i} shape {g.shape}, expected {w.shape}"
        err = float(np.abs(g.astype(np.float64) - w).max(initial=0.0))
        assert err <= TOL, f"{what}: output {i} max abs error {err:.3g}"


def run_seqc(cm, model, feeds):
    assert cm.input_names == [i.name for i in model.graph.input]
    assert cm.output_names == [o.name for o in model.graph.output]
    return cm.run(feeds)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_rnn_case(case, tmp_path):
    model, feeds = model_for_case(case)
    cm = sh.compile_model(model, tmp_path)
    got = run_seqc(cm, model, feeds)
    check_close(got, ref.run_model(model, feeds), "vs reference")
    D = 2 if case["direction"] == "bidirectional" else 1
    if not ref.ort_defaults_differ(case["op"], D, case.get("activations"), case.get("alphas"),
                                   case.get("betas")):
        check_close(got, run_ort(model, feeds), "vs onnxruntime")
    if case.get("dynamic_dims") and "seq_lens" not in case:
        # Same weights (drawn first from the seed), other batch / sequence length.
        other = dict(case, batch=case["batch"] % 3 + 1, seq_len=case["seq_len"] % 4 + 2)
        model2, feeds2 = model_for_case(other)
        check_close(run_seqc(cm, model2, feeds2), ref.run_model(model2, feeds2), "other dims")


STACKS = [(op, bidir, bf, dyn) for op in ("LSTM", "GRU", "RNN") for bidir in (True, False)
          for bf in (False, True) for dyn in (False, True) if bidir or not dyn]


@pytest.mark.parametrize("op,bidirectional,batch_first,dynamic", STACKS)
def test_pytorch_style_stack(op, bidirectional, batch_first, dynamic, tmp_path):
    model, feeds = make_pytorch_style_stack(op, 2, bidirectional, batch_first, hidden=4,
                                            input_size=3, batch=2, seq_len=5, seed=21,
                                            dynamic_dims=dynamic)
    cm = sh.compile_model(model, tmp_path)
    check_close(run_seqc(cm, model, feeds), run_ort(model, feeds), "stack vs onnxruntime")
    if dynamic:
        model2, feeds2 = make_pytorch_style_stack(op, 2, bidirectional, batch_first, hidden=4,
                                                  input_size=3, batch=3, seq_len=2, seed=21,
                                                  dynamic_dims=True)
        check_close(run_seqc(cm, model2, feeds2), run_ort(model2, feeds2), "stack, other dims")


def test_pytorch_style_stack_without_initial_state(tmp_path):
    model, feeds = make_pytorch_style_stack("LSTM", 2, True, True, hidden=3, input_size=2,
                                            with_initial_state=False, seed=22)
    check_close(run_seqc(sh.compile_model(model, tmp_path), model, feeds), run_ort(model, feeds),
                "stack vs onnxruntime")


@pytest.fixture(scope="module")
def dynamic_lstm(tmp_path_factory):
    kw = dict(direction="bidirectional", hidden=3, input_size=2, with_seq_lens=True,
              with_initial_h=True, with_initial_c=True, dynamic_dims=True, seed=31)
    model, feeds = make_rnn_model("LSTM", batch=2, seq_len=3, **kw)
    return sh.compile_model(model, tmp_path_factory.mktemp("dyn_lstm")), feeds


def test_error_codes(dynamic_lstm):
    cm, feeds = dynamic_lstm
    good = lambda **kw: cm.run_status(feeds, **kw)
    assert good()[0] == sh.SEQC_OK
    bad_x = dict(feeds, X=np.zeros((3, 2, 5), np.float32))  # input_size is static (2)
    status, msg, _ = cm.run_status(bad_x)
    assert status == sh.SEQC_ERROR_SHAPE and msg
    bad_batch = dict(feeds, sequence_lens=np.array([3, 3, 3], np.int32))  # "batch" 3 vs 2
    assert cm.run_status(bad_batch)[0] == sh.SEQC_ERROR_SHAPE
    bad_h = dict(feeds, initial_h=np.zeros((1, 2, 3), np.float32))  # num_directions is 2
    assert cm.run_status(bad_h)[0] == sh.SEQC_ERROR_SHAPE
    assert good(out_shapes={"Y": (3, 2, 2, 4)})[0] == sh.SEQC_ERROR_SHAPE
    assert good(out_shapes={"Y_h": (2, 3, 3)})[0] == sh.SEQC_ERROR_SHAPE
    for null in ("X", "initial_c", "Y", "Y_c", "inputs", "outputs", "ctx"):
        assert good(null=(null,))[0] == sh.SEQC_ERROR_NULL_POINTER, null
    assert good()[0] == sh.SEQC_OK  # nothing left behind by the failures


def test_static_dims_are_checked(tmp_path):
    model, feeds = make_rnn_model("GRU", batch=2, seq_len=3, hidden=3, input_size=2, seed=32)
    cm = sh.compile_model(model, tmp_path)
    assert all(d >= 0 for t in cm.inputs + cm.outputs for d in t.dims)
    assert cm.run_status(dict(feeds, X=np.zeros((4, 2, 2), np.float32)))[0] == sh.SEQC_ERROR_SHAPE
    assert cm.run_status(dict(feeds, X=np.zeros((3, 1, 2), np.float32)))[0] == sh.SEQC_ERROR_SHAPE


def test_model_info_describes_dynamic_dims(dynamic_lstm):
    cm, _ = dynamic_lstm
    x = cm.inputs[cm.input_names.index("X")]
    assert x.dtype == np.float32 and x.dims == (-1, -1, 2) and x.dim_names[:2] == ("seq_len", "batch")
    assert cm.inputs[cm.input_names.index("sequence_lens")].dtype == np.int32
    y = cm.outputs[cm.output_names.index("Y")]
    assert y.dims == (-1, 2, -1, 3) and y.dim_names[0] == "seq_len" and y.dim_names[2] == "batch"


def test_contexts_run_concurrently(dynamic_lstm):
    cm, feeds = dynamic_lstm
    want = cm.run(feeds)
    errors = []

    def worker():
        try:
            for _ in range(5):
                check_close(cm.run(feeds), want, "threaded")
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_unknown_activation_is_a_compile_error(tmp_path):
    model, _ = make_rnn_model("RNN", activations=["Tanh"])
    (acts,) = [a for a in model.graph.node[0].attribute if a.name == "activations"]
    acts.strings[0] = b"NoSuchActivation"
    with pytest.raises(sh.SeqcCompileError):
        sh.compile_model(model, tmp_path)
