"""Proves rnn_reference (the NumPy oracle of the seqc tests) against
onnxruntime, and pins down the semantics the ONNX spec leaves implicit.
Runs without seqc."""

import numpy as np
import pytest
from onnx import numpy_helper

import rnn_reference as ref
from rnn_models import (core_cases, layout1_as_layout0, make_pytorch_style_stack, make_rnn_model,
                        model_for_case, random_cases, run_ort)

ort = pytest.importorskip("onnxruntime")
TOL = 1e-5  # reference (float64) vs onnxruntime (float32)
CASES = core_cases() + random_cases(150)


def max_err(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert x.shape == y.shape, (x.shape, y.shape)
    return max(float(np.abs(x - y).max(initial=0.0)) for x, y in zip(a, b))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_reference_matches_ort(case):
    model, feeds = model_for_case(case)
    D = 2 if case["direction"] == "bidirectional" else 1
    # onnxruntime's defaults for Affine/ScaledTanh/ThresholdedRelu differ from ONNX's:
    # mimic them where a case relies on one (the rest of the semantics is still checked).
    differ = ref.ort_defaults_differ(case["op"], D, case.get("activations"),
                                     case.get("alphas"), case.get("betas"))
    assert max_err(run_ort(model, feeds), ref.run_model(model, feeds, ort_defaults=differ)) <= TOL


@pytest.mark.parametrize("op", ["LSTM", "GRU", "RNN"])
@pytest.mark.parametrize("direction", ["forward", "reverse", "bidirectional"])
def test_layout1_is_transposed_layout0(op, direction):
    lstm = op == "LSTM"
    kw = dict(direction=direction, hidden=3, input_size=2, batch=3, seq_len=4, seq_lens=[4, 1, 3],
              with_initial_h=True, with_initial_c=lstm, with_peepholes=lstm, seed=11)
    m1, f1 = make_rnn_model(op, layout=1, **kw)
    m0, _ = make_rnn_model(op, layout=0, **kw)  # same seed: same weights
    f0 = {k: (v.transpose(1, 0, 2) if v.ndim == 3 else v) for k, v in f1.items()}
    y1, y0 = ref.run_model(m1, f1), ref.run_model(m0, f0)
    back = [y0[0].transpose(2, 0, 1, 3)] + [y.transpose(1, 0, 2) for y in y0[1:]]
    assert max_err(y1, back) == 0.0
    assert max_err(run_ort(m1, f1), y1) <= TOL  # via layout1_as_layout0


def _per_position(op, names, alphas, betas):
    """alpha/beta lists rewritten as if alpha[k]/beta[k] belonged to activation k."""
    a2, b2 = [], []
    for k, n in enumerate(names):
        _, da, db = ref.ACTIVATIONS[n.lower()]
        if da is not None:
            a2.append(alphas[k] if k < len(alphas or []) else da)
        if db is not None:
            b2.append(betas[k] if k < len(betas or []) else db)
    return a2, b2


@pytest.mark.parametrize("op,names,alphas,betas", [
    ("LSTM", ["Sigmoid", "LeakyRelu", "Tanh"], [0.3], None),
    ("LSTM", ["Sigmoid", "Affine", "ScaledTanh"], [0.7, 1.3], [-0.2, 0.8]),
    ("GRU", ["Sigmoid", "Elu"], [0.5], None),
    ("RNN", ["Tanh", "Affine"], [0.5, 0.3], [0.1, 0.2]),  # bidirectional
])
def test_alpha_beta_are_sequential(op, names, alphas, betas):
    """activation_alpha/beta are consumed in order by the activations that take
    them, not indexed by activation position: onnxruntime agrees with the
    sequential reading and disagrees with the positional one."""
    direction = "bidirectional" if len(names) == 2 * ref.NUM_ACTIVATIONS[op] else "forward"
    kw = dict(direction=direction, hidden=3, input_size=2, batch=2, seq_len=3, with_initial_h=True, seed=5)
    model, feeds = make_rnn_model(op, activations=names, alphas=alphas, betas=betas, **kw)
    got = run_ort(model, feeds)
    assert max_err(got, ref.run_model(model, feeds)) <= TOL
    pa, pb = _per_position(op, names, alphas, betas)
    positional, _ = make_rnn_model(op, activations=names, alphas=pa, betas=pb, **kw)
    assert max_err(got, ref.run_model(positional, feeds)) > 1e-2


@pytest.mark.parametrize("act", ref.ACTIVATION_NAMES)
def test_activation_defaults(act):
    """With no alpha/beta given, onnxruntime uses the ONNX operator defaults for
    LeakyRelu (0.01), HardSigmoid (0.2, 0.5) and Elu (1.0), but 0.0 for Affine,
    ScaledTanh and ThresholdedRelu (ONNX: Affine 1/0, ThresholdedRelu 1.0)."""
    model, feeds = make_rnn_model("RNN", activations=[act], hidden=3, input_size=2, batch=2,
                                  seq_len=3, with_initial_h=True, weight_scale=2.0, seed=0)
    got = run_ort(model, feeds)
    assert max_err(got, ref.run_model(model, feeds, ort_defaults=True)) <= TOL
    if act.lower() in ref.ORT_DEFAULT_OVERRIDES:
        assert ref.ort_defaults_differ("RNN", 1, [act])
        assert max_err(got, ref.run_model(model, feeds)) > 1e-2  # the known gap
    else:
        assert max_err(got, ref.run_model(model, feeds)) <= TOL


def test_clip_is_not_applied_to_cell_state():
    """clip bounds gate pre-activations; the cell state fed to h() stays unclipped."""
    model, feeds = make_rnn_model("LSTM", clip=0.5, weight_scale=2.0, hidden=3, input_size=2,
                                  batch=2, seq_len=5, with_initial_h=True, with_initial_c=True, seed=0)
    got = run_ort(model, feeds)
    assert np.abs(got[2]).max() > 0.5  # |Ct| exceeds the clip ...
    assert max_err(got, ref.run_model(model, feeds)) <= TOL  # ... and is used as is


@pytest.mark.parametrize("op", ["LSTM", "GRU", "RNN"])
def test_zero_length_sequence_gives_zero_state(op):
    lstm = op == "LSTM"
    model, feeds = make_rnn_model(op, direction="bidirectional", seq_lens=[0, 2], hidden=3,
                                  input_size=2, batch=2, seq_len=3, with_initial_h=True,
                                  with_initial_c=lstm, seed=7)
    got = run_ort(model, feeds)
    assert max_err(got, ref.run_model(model, feeds)) <= TOL
    assert all(np.all(y[..., 0, :] == 0) for y in got)  # Y, Y_h, Y_c of row 0 all zero


def test_ort_rejects_layout1():
    model, feeds = make_rnn_model("GRU", layout=1)
    sess_opts = ort.SessionOptions()
    try:
        got = ort.InferenceSession(model.SerializeToString(), sess_opts,
                                   providers=["CPUExecutionProvider"]).run(None, feeds)
    except Exception as e:  # onnxruntime 1.31: "Batchwise recurrent operations (layout == 1) are not supported"
        assert "layout" in str(e)
    else:  # a future onnxruntime may support it: then it must agree with the reference
        assert max_err(got, ref.run_model(model, feeds)) <= TOL
    assert max_err(run_ort(layout1_as_layout0(model), feeds), ref.run_model(model, feeds)) <= TOL


@pytest.mark.parametrize("op", ["LSTM", "GRU", "RNN"])
def test_bidirectional_needs_both_activation_sets(op):
    names = ref.DEFAULT_ACTIVATIONS[op]  # one set only
    model, feeds = make_rnn_model(op, direction="bidirectional", activations=names)
    with pytest.raises(Exception, match="activation"):
        run_ort(model, feeds)
    with pytest.raises(ValueError, match="activations"):
        ref.run_model(model, feeds)


def test_sequence_lens_out_of_range_rejected():
    model, feeds = make_rnn_model("LSTM", seq_lens=[4, 2], seq_len=3, batch=2)
    with pytest.raises(Exception, match="sequence_lens"):
        run_ort(model, feeds)
    with pytest.raises(AssertionError, match="sequence_lens"):
        ref.run_model(model, feeds)


# --- pytorch-style stacks: evaluate the graph node by node with NumPy -------------------

def eval_graph(model, feeds):
    vals = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    vals.update(feeds)
    for n in model.graph.node:
        x = [vals[i] if i else None for i in n.input]
        attrs = {a.name: a for a in n.attribute}
        if n.op_type in ref.NUM_GATES:
            vals.update(ref.run_node(n, vals))
            continue
        if n.op_type == "Transpose":
            y = x[0].transpose(list(attrs["perm"].ints))
        elif n.op_type == "Reshape":
            shape = [x[0].shape[i] if s == 0 else s for i, s in enumerate(x[1])]
            y = x[0].reshape(shape)
        elif n.op_type == "Squeeze":
            y = np.squeeze(x[0], axis=tuple(x[1]))
        elif n.op_type == "Slice":
            (s,), (e,), (ax,) = x[1], x[2], x[3]
            y = np.take(x[0], range(s, e), axis=ax)
        elif n.op_type == "Concat":
            y = np.concatenate(x, axis=attrs["axis"].i)
        elif n.op_type == "Identity":
            y = x[0]
        else:
            raise NotImplementedError(n.op_type)
        vals[n.output[0]] = y
    return [vals[o.name] for o in model.graph.output]


@pytest.mark.parametrize("op", ["LSTM", "GRU", "RNN"])
@pytest.mark.parametrize("bidirectional", [True, False])
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("with_initial_state", [True, False])
def test_pytorch_style_stack(op, bidirectional, batch_first, with_initial_state):
    model, feeds = make_pytorch_style_stack(op, 2, bidirectional, batch_first, hidden=3, input_size=2,
                                            batch=2, seq_len=4, seed=3,
                                            with_initial_state=with_initial_state)
    got = run_ort(model, feeds)
    D = 2 if bidirectional else 1
    assert got[0].shape == ((2, 4, D * 3) if batch_first else (4, 2, D * 3))
    assert all(g.shape == (2 * D, 2, 3) for g in got[1:])
    assert max_err(got, eval_graph(model, feeds)) <= TOL
