"""Builders of small ONNX LSTM / GRU / RNN models for the end-to-end tests.

* make_rnn_model: one recurrent node with every attribute/optional input under
  control; weights are seeded random initializers, X / sequence_lens /
  initial_h / initial_c are graph inputs.
* layout1_as_layout0: the same graph interface computed by a layout=0 node
  wrapped in Transposes (ONNX Runtime's CPU kernels reject layout=1).
* make_pytorch_style_stack: a multi-layer (bidirectional) network shaped the
  way torch.onnx exports nn.LSTM / nn.GRU / nn.RNN.
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

IR_VERSION = 10  # accepted by onnxruntime 1.2x/1.3x and by onnx 1.23
NUM_GATES = {"LSTM": 4, "GRU": 3, "RNN": 1}
_ELEM = {np.dtype(np.float32): TensorProto.FLOAT, np.dtype(np.float64): TensorProto.DOUBLE}


def _vi(name, elem, shape):
    return helper.make_tensor_value_info(name, elem, list(shape))


def _num_dirs(direction):
    return 2 if direction == "bidirectional" else 1


def _rand(rng, shape, dtype, scale=1.0):
    return (rng.uniform(-1.0, 1.0, size=shape) * scale).astype(dtype)


def make_rnn_model(op, *, direction="forward", layout=0, hidden=3, input_size=2,
                   activations=None, alphas=None, betas=None, clip=None,
                   input_forget=0, linear_before_reset=0, with_bias=True,
                   with_seq_lens=False, with_initial_h=False, with_initial_c=False,
                   with_peepholes=False, outputs=("Y", "Y_h", "Y_c"),
                   dynamic_dims=False, batch=2, seq_len=3, seed=0, opset=22,
                   seq_lens=None, dtype=np.float32, weight_scale=0.6):
    """Returns (model, feeds). `seq_lens` forces the sequence_lens values
    (implies with_seq_lens); otherwise they are random in [1, seq_len] with one
    entry equal to seq_len when batch > 1."""
    assert op in NUM_GATES, op
    if op != "LSTM":
        assert not with_initial_c and not with_peepholes and not input_forget
        outputs = tuple(o for o in outputs if o != "Y_c")
    assert outputs, "at least one output is needed"
    if seq_lens is not None:
        with_seq_lens = True
    dtype = np.dtype(dtype)
    elem = _ELEM[dtype]
    rng = np.random.default_rng(seed)  # weights are drawn first: they do not depend on batch / seq_len
    D, G, H, I, Bn, T = _num_dirs(direction), NUM_GATES[op], hidden, input_size, batch, seq_len
    b_dim, t_dim = ("batch", "seq_len") if dynamic_dims else (Bn, T)

    inits = [numpy_helper.from_array(_rand(rng, (D, G * H, I), dtype, weight_scale), "W"),
             numpy_helper.from_array(_rand(rng, (D, G * H, H), dtype, weight_scale), "R")]
    node_in = ["X", "W", "R", "", "", "", "", ""]
    if with_bias:
        inits.append(numpy_helper.from_array(_rand(rng, (D, 2 * G * H), dtype, weight_scale), "B"))
        node_in[3] = "B"
    if with_peepholes:
        inits.append(numpy_helper.from_array(_rand(rng, (D, 3 * H), dtype, weight_scale), "P"))
        node_in[7] = "P"

    x_shape = (t_dim, b_dim, I) if layout == 0 else (b_dim, t_dim, I)
    st_shape = (D, b_dim, H) if layout == 0 else (b_dim, D, H)
    feeds = {"X": _rand(rng, (T, Bn, I) if layout == 0 else (Bn, T, I), dtype)}
    g_in = [_vi("X", elem, x_shape)]
    if with_seq_lens:
        if seq_lens is None:
            seq_lens = rng.integers(1, T + 1, size=Bn)
            if Bn > 1:
                seq_lens[rng.integers(Bn)] = T
        feeds["sequence_lens"] = np.asarray(seq_lens, dtype=np.int32)
        g_in.append(_vi("sequence_lens", TensorProto.INT32, (b_dim,)))
        node_in[4] = "sequence_lens"
    for flag, name, slot in ((with_initial_h, "initial_h", 5), (with_initial_c, "initial_c", 6)):
        if flag:
            feeds[name] = _rand(rng, (D, Bn, H) if layout == 0 else (Bn, D, H), dtype)
            g_in.append(_vi(name, elem, st_shape))
            node_in[slot] = name
    if op != "LSTM":
        node_in = node_in[:6]
    while node_in[-1] == "":
        node_in.pop()

    y_shape = (t_dim, D, b_dim, H) if layout == 0 else (b_dim, t_dim, D, H)
    node_out = [n if n in outputs else "" for n in (("Y", "Y_h", "Y_c") if op == "LSTM" else ("Y", "Y_h"))]
    while node_out[-1] == "":
        node_out.pop()
    g_out = [_vi(n, elem, y_shape if n == "Y" else st_shape) for n in node_out if n]

    attrs = {"hidden_size": H, "direction": direction}
    if layout:
        attrs["layout"] = layout
    if activations is not None:
        attrs["activations"] = list(activations)
    if alphas:
        attrs["activation_alpha"] = [float(a) for a in alphas]
    if betas:
        attrs["activation_beta"] = [float(b) for b in betas]
    if clip is not None:
        attrs["clip"] = float(clip)
    if input_forget:
        attrs["input_forget"] = int(input_forget)
    if op == "GRU" and linear_before_reset:
        attrs["linear_before_reset"] = int(linear_before_reset)
    node = helper.make_node(op, node_in, node_out, name=op.lower(), **attrs)
    graph = helper.make_graph([node], f"{op.lower()}_test", g_in, g_out, initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                              ir_version=IR_VERSION, producer_name="seqc-e2e")
    onnx.checker.check_model(model)
    return model, feeds


def layout1_as_layout0(model):
    """A copy of a single-node layout=1 model whose node uses layout=0 between
    Transposes; graph inputs and outputs (names and shapes) are unchanged."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    g = m.graph
    (node,) = [n for n in g.node if n.op_type in NUM_GATES]
    for a in list(node.attribute):
        if a.name == "layout":
            node.attribute.remove(a)
    pre, post = [], []
    for i, name in enumerate(node.input):
        if name and (i == 0 or i in (5, 6)):  # X, initial_h, initial_c: swap axes 0 and 1
            pre.append(helper.make_node("Transpose", [name], [name + "__l0"], perm=[1, 0, 2]))
            node.input[i] = name + "__l0"
    for i, name in enumerate(node.output):
        if name:
            perm = [2, 0, 1, 3] if i == 0 else [1, 0, 2]
            post.append(helper.make_node("Transpose", [name + "__l0"], [name], perm=perm))
            node.output[i] = name + "__l0"
    del g.node[:]
    g.node.extend(pre + [node] + post)
    onnx.checker.check_model(m)
    return m


def make_pytorch_style_stack(op, num_layers=2, bidirectional=True, batch_first=False, *,
                             hidden=3, input_size=2, batch=2, seq_len=4, seed=0,
                             with_initial_state=True, dynamic_dims=False,
                             nonlinearity="tanh", opset=17, weight_scale=0.6):
    """A model shaped like torch.onnx's export of nn.{LSTM,GRU,RNN}(input_size,
    hidden, num_layers, bidirectional=..., batch_first=...). Inputs: input
    ([B,T,I] if batch_first else [T,B,I]), h0 (and c0 for LSTM) of shape
    [num_layers*num_dirs, B, H] when with_initial_state. Outputs: output
    ([..., num_dirs*H]), h_n (and c_n). Returns (model, feeds). The weights
    depend only on (op, num_layers, bidirectional, hidden, input_size, seed)."""
    assert op in NUM_GATES, op
    rng = np.random.default_rng([seed, 1])  # data
    wrng = np.random.default_rng([seed, 0])  # weights: independent of batch / seq_len
    D, G, H = (2 if bidirectional else 1), NUM_GATES[op], hidden
    b_dim, t_dim = ("batch", "seq_len") if dynamic_dims else (batch, seq_len)
    F = TensorProto.FLOAT
    nodes, inits = [], []

    def const(name, values):
        inits.append(numpy_helper.from_array(np.asarray(values, dtype=np.int64), name))
        return name

    in_shape = (b_dim, t_dim, input_size) if batch_first else (t_dim, b_dim, input_size)
    g_in = [_vi("input", F, in_shape)]
    feeds = {"input": _rand(rng, (batch, seq_len, input_size) if batch_first
                            else (seq_len, batch, input_size), np.float32)}
    states = ["h0", "c0"] if op == "LSTM" else ["h0"]
    if with_initial_state:
        for s in states:
            g_in.append(_vi(s, F, (num_layers * D, b_dim, H)))
            feeds[s] = _rand(rng, (num_layers * D, batch, H), np.float32)
    cur = "input"
    if batch_first:
        nodes.append(helper.make_node("Transpose", [cur], ["input_tm"], perm=[1, 0, 2]))
        cur = "input_tm"
    const("axes0", [0])
    const("axes1", [1])
    const("shape_00m1", [0, 0, -1])
    finals = {s: [] for s in states}
    attrs = {"hidden_size": H, "direction": "bidirectional" if bidirectional else "forward"}
    if op == "GRU":
        attrs["linear_before_reset"] = 1  # torch's GRU applies r after the recurrent matmul
    if op == "RNN":
        act = "Tanh" if nonlinearity == "tanh" else "Relu"
        attrs["activations"] = [act] * D
    for layer in range(num_layers):
        in_sz = input_size if layer == 0 else D * H
        w, r, b = f"W_{layer}", f"R_{layer}", f"B_{layer}"
        inits += [numpy_helper.from_array(_rand(wrng, (D, G * H, in_sz), np.float32, weight_scale), w),
                  numpy_helper.from_array(_rand(wrng, (D, G * H, H), np.float32, weight_scale), r),
                  numpy_helper.from_array(_rand(wrng, (D, 2 * G * H), np.float32, weight_scale), b)]
        node_in = [cur, w, r, b, ""]
        if with_initial_state:
            st = const(f"start_{layer}", [layer * D])
            en = const(f"end_{layer}", [(layer + 1) * D])
            for s in states:
                nodes.append(helper.make_node("Slice", [s, st, en, "axes0"], [f"{s}_{layer}"]))
                node_in.append(f"{s}_{layer}")
        outs = [f"Y_{layer}"] + [f"{s[0]}n_{layer}" for s in states]
        nodes.append(helper.make_node(op, node_in, outs, name=f"{op.lower()}_{layer}", **attrs))
        for s, o in zip(states, outs[1:]):
            finals[s].append(o)
        if bidirectional:
            nodes.append(helper.make_node("Transpose", [outs[0]], [f"Yt_{layer}"], perm=[0, 2, 1, 3]))
            nodes.append(helper.make_node("Reshape", [f"Yt_{layer}", "shape_00m1"], [f"out_{layer}"]))
        else:
            nodes.append(helper.make_node("Squeeze", [outs[0], "axes1"], [f"out_{layer}"]))
        cur = f"out_{layer}"
    out_shape = (b_dim, t_dim, D * H) if batch_first else (t_dim, b_dim, D * H)
    if batch_first:
        nodes.append(helper.make_node("Transpose", [cur], ["output"], perm=[1, 0, 2]))
    else:
        nodes.append(helper.make_node("Identity", [cur], ["output"]))
    g_out = [_vi("output", F, out_shape)]
    for s in states:
        name = s[0] + "_n"
        nodes.append(helper.make_node("Concat", finals[s], [name], axis=0))
        g_out.append(_vi(name, F, (num_layers * D, b_dim, H)))
    graph = helper.make_graph(nodes, f"torch_{op.lower()}_stack", g_in, g_out, initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                              ir_version=IR_VERSION, producer_name="seqc-e2e")
    onnx.checker.check_model(model)
    return model, feeds


# ---------------------------------------------------------------------------
# Test cases: a deterministic core plus a seeded sample of the attribute product.

# Per-direction activation sets: (activations, alphas, betas); None = the default.
ACTIVATION_SETS = {
    "LSTM": [None,
             (["Sigmoid", "Tanh", "Tanh"], None, None),
             (["HardSigmoid", "LeakyRelu", "Softsign"], [0.25, 0.05], [0.45]),
             (["Sigmoid", "ScaledTanh", "Elu"], [0.9, 0.8], [1.1]),
             (["HardSigmoid", "Affine", "Tanh"], [0.3, 0.6], [0.5, 0.1]),
             (["Sigmoid", "Softplus", "Relu"], None, None),
             (["Sigmoid", "ThresholdedRelu", "Tanh"], [0.1], None),
             (["HardSigmoid", "Tanh", "Elu"], None, None)],  # HardSigmoid / Elu defaults
    "GRU": [None,
            (["HardSigmoid", "Softsign"], [0.3], [0.55]),
            (["Sigmoid", "LeakyRelu"], [0.2], None),
            (["Sigmoid", "ScaledTanh"], [0.8], [1.2]),
            (["HardSigmoid", "Elu"], None, None),
            (["Sigmoid", "Affine"], [0.7], [0.1]),
            (["Sigmoid", "ThresholdedRelu"], [0.2], None),
            (["Sigmoid", "Relu"], None, None)],
    "RNN": [None,
            (["Relu"], None, None), (["Sigmoid"], None, None), (["Softplus"], None, None),
            (["Softsign"], None, None), (["LeakyRelu"], [0.1], None), (["LeakyRelu"], None, None),
            (["ThresholdedRelu"], [0.3], None), (["ScaledTanh"], [1.5], [0.7]),
            (["Affine"], [0.5], [0.2]), (["HardSigmoid"], None, None), (["Elu"], [0.7], None)],
}
OUTPUT_SETS = {"LSTM": [("Y", "Y_h", "Y_c"), ("Y",), ("Y_h",), ("Y_c",), ("Y", "Y_h"), ("Y_h", "Y_c")],
               "GRU": [("Y", "Y_h"), ("Y",), ("Y_h",)],
               "RNN": [("Y", "Y_h"), ("Y",), ("Y_h",)]}
DIRECTIONS = ("forward", "reverse", "bidirectional")


def activation_kwargs(op, direction, fwd, bwd=None):
    """make_rnn_model kwargs for the activation sets `fwd` (and `bwd`, the
    reverse direction's set when bidirectional; defaults to fwd)."""
    sets = [fwd] + ([fwd if bwd is None else bwd] if direction == "bidirectional" else [])
    if all(s is None for s in sets):
        return {}
    from rnn_reference import DEFAULT_ACTIVATIONS
    acts, alphas, betas = [], [], []
    for s in sets:
        names, a, b = s if s is not None else (DEFAULT_ACTIVATIONS[op], None, None)
        acts += names
        alphas += a or []
        betas += b or []
    return {"activations": acts, "alphas": alphas or None, "betas": betas or None}


def _case_id(c):
    parts = [c["op"], c["direction"][:3], f"L{c['layout']}", f"B{c['batch']}T{c['seq_len']}",
             f"H{c['hidden']}I{c['input_size']}"]
    if c.get("activations"):
        parts.append("-".join(a[:4] for a in c["activations"]))
    for k, tag in (("clip", "clip"), ("input_forget", "if"), ("linear_before_reset", "lbr"),
                   ("with_seq_lens", "sl"), ("seq_lens", "sl"), ("with_initial_h", "h0"),
                   ("with_initial_c", "c0"), ("with_peepholes", "P"), ("dynamic_dims", "dyn")):
        if c.get(k) is not None and c.get(k) is not False and c.get(k) != 0:
            parts.append(tag)
    if not c.get("with_bias", True):
        parts.append("noB")
    if "outputs" in c:
        parts.append("+".join(c["outputs"]))
    return "_".join(parts) + f"_s{c['seed']}"


def random_cases(n, seed=1234):
    """n seeded random cases over the product of the attributes; each a dict
    of make_rnn_model kwargs plus "op" and "id"."""
    rng = np.random.default_rng(seed)
    pick = lambda seq: seq[int(rng.integers(len(seq)))]
    cases = []
    for k in range(n):
        op = ("LSTM", "GRU", "RNN")[k % 3]
        direction = pick(DIRECTIONS)
        sets = ACTIVATION_SETS[op]
        c = dict(op=op, direction=direction, layout=int(rng.integers(2)),
                 hidden=int(rng.integers(1, 6)), input_size=int(rng.integers(1, 5)),
                 batch=pick((1, 1, 2, 3)), seq_len=pick((1, 1, 2, 3, 4, 5)),
                 clip=pick((None, None, 0.4, 1.5)), with_bias=bool(rng.random() < 0.75),
                 with_seq_lens=bool(rng.random() < 0.5), with_initial_h=bool(rng.random() < 0.5),
                 dynamic_dims=bool(rng.random() < 0.5), outputs=pick(OUTPUT_SETS[op]),
                 seed=int(rng.integers(1 << 30)))
        c.update(activation_kwargs(op, direction, pick(sets), pick(sets)))
        if op == "LSTM":
            c.update(with_initial_c=bool(rng.random() < 0.5), with_peepholes=bool(rng.random() < 0.5),
                     input_forget=int(rng.random() < 0.3))
        if op == "GRU":
            c["linear_before_reset"] = int(rng.integers(2))
        c["id"] = _case_id(c)
        cases.append(c)
    return cases


def core_cases():
    """Deterministic cases: every op x direction x layout, fully featured and
    minimal, plus focused ones (input_forget, linear_before_reset, clip,
    dynamic dims, zero-length sequences, every RNN activation)."""
    cases = []
    for op in ("LSTM", "GRU", "RNN"):
        lstm = op == "LSTM"
        for direction in DIRECTIONS:
            for layout in (0, 1):
                cases.append(dict(op=op, direction=direction, layout=layout, hidden=4, input_size=3,
                                  batch=3, seq_len=4, seq_lens=[4, 2, 3], with_initial_h=True,
                                  with_initial_c=lstm, with_peepholes=lstm, seed=1))
                cases.append(dict(op=op, direction=direction, layout=layout, hidden=2, input_size=1,
                                  batch=1, seq_len=1, with_bias=False, seed=2))
            if op == "LSTM":
                cases.append(dict(op=op, direction=direction, layout=0, hidden=3, input_size=2, batch=2,
                                  seq_len=3, input_forget=1, with_peepholes=True, with_initial_c=True,
                                  with_seq_lens=True, seed=3))
            if op == "GRU":
                cases.append(dict(op=op, direction=direction, layout=0, hidden=3, input_size=2, batch=2,
                                  seq_len=3, linear_before_reset=1, with_initial_h=True,
                                  with_seq_lens=True, seed=4))
        base = dict(op=op, direction="bidirectional", layout=0, hidden=3, input_size=2, batch=2,
                    seq_len=5, with_initial_h=True, with_initial_c=lstm)
        cases.append(dict(base, clip=0.3, weight_scale=1.5, seed=5))
        cases.append(dict(base, dynamic_dims=True, with_seq_lens=True, seed=6))
        cases.append(dict(base, layout=1, dynamic_dims=True, seq_lens=[5, 1], seed=7))
        cases.append(dict(base, seq_lens=[0, 3], seed=8))  # zero-length row: zeros everywhere
    for i, fset in enumerate(ACTIVATION_SETS["RNN"][1:]):
        cases.append(dict(op="RNN", direction="forward", layout=0, hidden=3, input_size=2, batch=2,
                          seq_len=3, with_initial_h=True, seed=10 + i,
                          **activation_kwargs("RNN", "forward", fset)))
    for c in cases:
        c["id"] = "core_" + _case_id(c)
    return cases


def model_for_case(case):
    kw = {k: v for k, v in case.items() if k not in ("op", "id")}
    return make_rnn_model(case["op"], **kw)


_ORT_OPTIONS = None


def run_ort(model, feeds):
    """onnxruntime (CPU, one thread) outputs in graph output order; layout=1
    single-node models run as their layout-0 equivalent."""
    global _ORT_OPTIONS
    import onnxruntime as ort
    if _ORT_OPTIONS is None:
        ort.set_default_logger_severity(4)
        _ORT_OPTIONS = ort.SessionOptions()
        _ORT_OPTIONS.intra_op_num_threads = _ORT_OPTIONS.inter_op_num_threads = 1
    layout1 = any(a.name == "layout" and a.i == 1 for n in model.graph.node for a in n.attribute)
    if layout1:
        model = layout1_as_layout0(model)
    sess = ort.InferenceSession(model.SerializeToString(), _ORT_OPTIONS,
                                providers=["CPUExecutionProvider"])
    return sess.run(None, feeds)
