"""A plain NumPy reference for ONNX LSTM, GRU and RNN (opset 22 semantics).

Written for clarity, not speed: one loop per (direction, batch row, time step),
computed in float64 and cast back to X's dtype.

Semantics that the ONNX spec leaves implicit, and how they are settled here
(every point was checked against onnxruntime 1.31.1 by test_rnn_reference.py):

* activation_alpha / activation_beta are consumed SEQUENTIALLY, each list by
  its own cursor, and only by the activations that take that parameter
  (alpha: Affine, LeakyRelu, ThresholdedRelu, ScaledTanh, HardSigmoid, Elu;
  beta: Affine, ScaledTanh, HardSigmoid). An activation that finds its list
  exhausted uses its default. They are NOT indexed by activation position:
  with activations=[Sigmoid, LeakyRelu, Tanh] and activation_alpha=[0.3] the
  LeakyRelu gets 0.3. This is the spec's "consumed in the order of activation
  functions" and exactly onnxruntime's ActivationFuncs
  (NormalizeActivationArgumentAndGetAlphaBetaCount in rnn_helpers.cc), shown
  empirically by test_rnn_reference.py::test_alpha_beta_are_sequential.
  onnx.reference (onnx 1.23) is no oracle here: its RNN indexes alpha/beta by
  activation position (and demands len == num_directions), only knows Tanh
  and Affine and applies the forward activation to both directions; its
  LSTM/GRU ignore activations, clip, sequence_lens and input_forget.
* Defaults (used when the list runs out) are those of the ONNX operators of
  the same name: LeakyRelu alpha=0.01, ThresholdedRelu alpha=1.0, HardSigmoid
  alpha=0.2 beta=0.5, Elu alpha=1.0, Affine alpha=1.0 beta=0.0 (the former
  experimental Affine op), ScaledTanh alpha=1.0 beta=1.0 (the experimental
  op had none; 1/1 is onnxruntime's contrib ScaledTanh). onnxruntime's RNN
  kernels instead default Affine, ScaledTanh and ThresholdedRelu to 0.0
  (pass ort_defaults=True to mimic that; ort_defaults_differ() tells when a
  model depends on it, and the seqc tests then skip the onnxruntime check).
* Activation names: the spec spells them Relu, Tanh, ...; onnxruntime's
  LSTM/GRU accept any case, its RNN only the spec's spelling. We accept any
  case. ThresholdedRelu is x >= alpha here (spec) but x > alpha in
  onnxruntime; they differ only at x == alpha exactly.
* With direction=bidirectional the activations list must hold one set per
  direction (LSTM 6, GRU 4, RNN 2), forward set first; the alpha/beta cursors
  run on from the forward set into the reverse set. A list of only one set is
  an error (onnxruntime rejects it too), and so is any other length.
* clip bounds every gate pre-activation (after adding biases and peepholes;
  for GRU's hidden gate after the reset gate is applied, in both
  linear_before_reset modes) to [-clip, clip] before its activation. It is NOT applied to the cell state
  fed to LSTM's h(): onnxruntime leaves Ct unclipped there, and so do we.
* LSTM input_forget=1: f_t = 1 - i_t (i_t after its activation); the forget
  gate's own weights and peephole are unused. LSTM peepholes P are [i, o, f];
  the output gate's peephole uses the new cell state Ct.
* sequence_lens: row b runs only its first len[b] steps. Y is zero at
  t >= len[b]; Y_h / Y_c hold the state after the last processed step (for the
  reverse direction, processing runs from t = len[b]-1 down to 0). A length of
  0 (the spec says nothing) gives zeros in Y AND in Y_h / Y_c, not the
  initial state: that is what onnxruntime does. Lengths outside [0, T] are
  errors (onnxruntime: "All values must be >= 0 and <= seq_length").
* layout=1 only transposes: X [B,T,I], Y [B,T,D,H], states [B,D,H].
"""

from __future__ import annotations

import numpy as np

NUM_GATES = {"LSTM": 4, "GRU": 3, "RNN": 1}
NUM_ACTIVATIONS = {"LSTM": 3, "GRU": 2, "RNN": 1}
DEFAULT_ACTIVATIONS = {"LSTM": ["Sigmoid", "Tanh", "Tanh"], "GRU": ["Sigmoid", "Tanh"], "RNN": ["Tanh"]}

# name -> (function(x, alpha, beta), default alpha or None if unused, default beta or None)
ACTIVATIONS = {
    "relu": (lambda x, a, b: np.maximum(x, 0.0), None, None),
    "tanh": (lambda x, a, b: np.tanh(x), None, None),
    "sigmoid": (lambda x, a, b: 1.0 / (1.0 + np.exp(-x)), None, None),
    "affine": (lambda x, a, b: a * x + b, 1.0, 0.0),
    "leakyrelu": (lambda x, a, b: np.where(x >= 0, x, a * x), 0.01, None),
    "thresholdedrelu": (lambda x, a, b: np.where(x >= a, x, 0.0), 1.0, None),
    "scaledtanh": (lambda x, a, b: a * np.tanh(b * x), 1.0, 1.0),
    "hardsigmoid": (lambda x, a, b: np.clip(a * x + b, 0.0, 1.0), 0.2, 0.5),
    "elu": (lambda x, a, b: np.where(x >= 0, x, a * (np.exp(np.minimum(x, 0.0)) - 1.0)), 1.0, None),
    "softsign": (lambda x, a, b: x / (1.0 + np.abs(x)), None, None),
    "softplus": (lambda x, a, b: np.logaddexp(0.0, x), None, None),
}
ACTIVATION_NAMES = ["Relu", "Tanh", "Sigmoid", "Affine", "LeakyRelu", "ThresholdedRelu",
                    "ScaledTanh", "HardSigmoid", "Elu", "Softsign", "Softplus"]  # as the spec spells them
ORT_DEFAULT_OVERRIDES = {"affine": (0.0, 0.0), "scaledtanh": (0.0, 0.0), "thresholdedrelu": (0.0, None)}


def bind_activations(op, num_directions, activations=None, alphas=None, betas=None,
                     ort_defaults=False):
    """[(name, alpha, beta, alpha_defaulted, beta_defaulted)] for every
    activation of every direction, alpha/beta consumed as described on top."""
    n = NUM_ACTIVATIONS[op]
    names = list(activations) if activations else DEFAULT_ACTIVATIONS[op] * num_directions
    if len(names) != n * num_directions:
        raise ValueError(f"{op}: expected {n * num_directions} activations, got {names}")
    alphas, betas = list(alphas or []), list(betas or [])
    bound = []
    for name in names:
        key = name.lower()
        if key not in ACTIVATIONS:
            raise ValueError(f"unknown activation {name!r}")
        _, da, db = ACTIVATIONS[key]
        if ort_defaults and key in ORT_DEFAULT_OVERRIDES:
            da, db = ORT_DEFAULT_OVERRIDES[key]
        a_def, b_def = da is not None and not alphas, db is not None and not betas
        a = (alphas.pop(0) if alphas else da) if da is not None else 0.0
        b = (betas.pop(0) if betas else db) if db is not None else 0.0
        bound.append((key, a, b, a_def, b_def))
    return bound


def ort_defaults_differ(op, num_directions, activations=None, alphas=None, betas=None):
    """True when some activation falls back to a default on which onnxruntime
    disagrees with ONNX (Affine, ScaledTanh, ThresholdedRelu): such models
    cannot be checked against onnxruntime."""
    return any((a_def and k in ORT_DEFAULT_OVERRIDES) or (b_def and k in ORT_DEFAULT_OVERRIDES)
               for k, _, _, a_def, b_def in
               bind_activations(op, num_directions, activations, alphas, betas))


def resolve_activations(op, num_directions, activations=None, alphas=None, betas=None,
                        ort_defaults=False):
    """The per-direction lists of unary functions, alpha/beta bound."""
    n = NUM_ACTIVATIONS[op]
    funcs = [lambda x, fn=ACTIVATIONS[k][0], a=a, b=b: fn(x, a, b)
             for k, a, b, _, _ in bind_activations(op, num_directions, activations, alphas,
                                                   betas, ort_defaults)]
    return [funcs[d * n:(d + 1) * n] for d in range(num_directions)]


def _lstm_step(x, h, c, W, R, B, P, acts, clip, input_forget):
    f, g, hf = acts
    Wi, Wo, Wf, Wc = np.split(W, 4)
    Ri, Ro, Rf, Rc = np.split(R, 4)
    Wbi, Wbo, Wbf, Wbc, Rbi, Rbo, Rbf, Rbc = np.split(B, 8)
    Pi, Po, Pf = np.split(P, 3)
    i = f(clip(Wi @ x + Ri @ h + Pi * c + Wbi + Rbi))
    if input_forget:
        ft = 1.0 - i
    else:
        ft = f(clip(Wf @ x + Rf @ h + Pf * c + Wbf + Rbf))
    ct = g(clip(Wc @ x + Rc @ h + Wbc + Rbc))
    C = ft * c + i * ct
    o = f(clip(Wo @ x + Ro @ h + Po * C + Wbo + Rbo))
    return o * hf(C), C


def _gru_step(x, h, W, R, B, acts, clip, linear_before_reset):
    f, g = acts
    Wz, Wr, Wh = np.split(W, 3)
    Rz, Rr, Rh = np.split(R, 3)
    Wbz, Wbr, Wbh, Rbz, Rbr, Rbh = np.split(B, 6)
    z = f(clip(Wz @ x + Rz @ h + Wbz + Rbz))
    r = f(clip(Wr @ x + Rr @ h + Wbr + Rbr))
    if linear_before_reset:
        ht = g(clip(Wh @ x + r * (Rh @ h + Rbh) + Wbh))
    else:
        ht = g(clip(Wh @ x + Rh @ (r * h) + Rbh + Wbh))
    return (1.0 - z) * ht + z * h


def _rnn_step(x, h, W, R, B, acts, clip):
    Wb, Rb = np.split(B, 2)
    return acts[0](clip(W @ x + R @ h + Wb + Rb))


def run(op, X, W, R, B=None, sequence_lens=None, initial_h=None, initial_c=None, P=None, *,
        hidden_size=None, direction="forward", layout=0, activations=None,
        activation_alpha=None, activation_beta=None, clip=None, input_forget=0,
        linear_before_reset=0, ort_defaults=False):
    """Y, Y_h (and Y_c for LSTM) of one ONNX recurrent node."""
    dtype = X.dtype
    D = 2 if direction == "bidirectional" else 1
    assert direction in ("forward", "reverse", "bidirectional"), direction
    G, H = NUM_GATES[op], R.shape[-1]
    assert hidden_size in (None, H) and W.shape[:2] == (D, G * H) and R.shape == (D, G * H, H)
    f64 = lambda a: None if a is None else np.asarray(a, dtype=np.float64)
    X, W, R, B, h0, c0, P = map(f64, (X, W, R, B, initial_h, initial_c, P))
    if layout:
        X = X.transpose(1, 0, 2)
        h0 = None if h0 is None else h0.transpose(1, 0, 2)
        c0 = None if c0 is None else c0.transpose(1, 0, 2)
    T, Bn, _ = X.shape
    B = np.zeros((D, 2 * G * H)) if B is None else B
    P = np.zeros((D, 3 * H)) if P is None else P
    h0 = np.zeros((D, Bn, H)) if h0 is None else h0
    c0 = np.zeros((D, Bn, H)) if c0 is None else c0
    lens = np.full(Bn, T) if sequence_lens is None else np.asarray(sequence_lens).reshape(Bn)
    acts = resolve_activations(op, D, activations, activation_alpha, activation_beta, ort_defaults)
    clipf = (lambda v: v) if clip is None else (lambda v: np.clip(v, -clip, clip))

    Y = np.zeros((T, D, Bn, H))
    Y_h, Y_c = h0.copy(), c0.copy()
    for d in range(D):
        reverse = direction == "reverse" or d == 1
        for b in range(Bn):
            L = int(lens[b])
            assert 0 <= L <= T, f"sequence_lens[{b}]={L} outside [0, {T}]"
            h, c = h0[d, b], c0[d, b]
            for t in (reversed(range(L)) if reverse else range(L)):
                if op == "LSTM":
                    h, c = _lstm_step(X[t, b], h, c, W[d], R[d], B[d], P[d], acts[d], clipf, input_forget)
                elif op == "GRU":
                    h = _gru_step(X[t, b], h, W[d], R[d], B[d], acts[d], clipf, linear_before_reset)
                else:
                    h = _rnn_step(X[t, b], h, W[d], R[d], B[d], acts[d], clipf)
                Y[t, d, b] = h
            Y_h[d, b], Y_c[d, b] = (h, c) if L > 0 else (0.0, 0.0)
    if layout:
        Y, Y_h, Y_c = Y.transpose(2, 0, 1, 3), Y_h.transpose(1, 0, 2), Y_c.transpose(1, 0, 2)
    outs = (Y, Y_h, Y_c) if op == "LSTM" else (Y, Y_h)
    return tuple(o.astype(dtype) for o in outs)


def lstm(*args, **kw):
    return run("LSTM", *args, **kw)


def gru(*args, **kw):
    return run("GRU", *args, **kw)


def rnn(*args, **kw):
    return run("RNN", *args, **kw)


_INPUTS = {"LSTM": ["X", "W", "R", "B", "sequence_lens", "initial_h", "initial_c", "P"],
           "GRU": ["X", "W", "R", "B", "sequence_lens", "initial_h"],
           "RNN": ["X", "W", "R", "B", "sequence_lens", "initial_h"]}
_ATTRS = {"activation_alpha", "activation_beta", "activations", "clip", "direction",
          "hidden_size", "input_forget", "layout", "linear_before_reset"}


def run_node(node, values, ort_defaults=False):
    """Evaluates an onnx NodeProto (LSTM/GRU/RNN) given a dict name -> array;
    returns a dict output name -> array for the node's non-empty outputs."""
    from onnx import helper
    args = {slot: values[name] for slot, name in zip(_INPUTS[node.op_type], node.input) if name}
    attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
    assert set(attrs) <= _ATTRS, set(attrs) - _ATTRS
    for k in ("direction",):
        if isinstance(attrs.get(k), bytes):
            attrs[k] = attrs[k].decode()
    if "activations" in attrs:
        attrs["activations"] = [a.decode() if isinstance(a, bytes) else a for a in attrs["activations"]]
    outs = run(node.op_type, **args, **attrs, ort_defaults=ort_defaults)
    return {name: o for name, o in zip(node.output, outs) if name}


def run_model(model, feeds, ort_defaults=False):
    """Reference outputs (list, graph output order) of a model whose graph is a
    single LSTM/GRU/RNN node (as built by rnn_models.make_rnn_model)."""
    from onnx import numpy_helper
    values = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    values.update(feeds)
    (node,) = model.graph.node
    res = run_node(node, values, ort_defaults)
    return [res[o.name] for o in model.graph.output]
