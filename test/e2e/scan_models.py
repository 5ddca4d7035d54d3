"""Linear recurrences as exporters write them: ONNX Scan bodies, and counted
Loops, that update a state h' = a * h + b (minGRU, minLSTM, a Mamba-style
diagonal state-space layer, RetNet-style retention with a matrix state), and
recurrences that are not linear (which must stay sequential); CumSum. Authored with onnx.helper; the
weights are drawn from a seed, so each model is the same on every run.

  python test/e2e/scan_models.py OUT_DIR    # writes every model as OUT_DIR/<name>.onnx
"""

import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F32 = TensorProto.FLOAT
vi = helper.make_tensor_value_info
node = helper.make_node


def _weights(rng, shape, scale):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def _scan_model(name, body_nodes, state, out_shape, inits, batch, features, outer_inits=None):
    """A Scan over x [T, batch, features] carrying `state` (name, shape): the
    body reads the step input x [batch, features] and the state, and yields
    the new state (the state's name + "2") and the step output y of
    `out_shape`."""
    s_name, s_shape = state
    body = helper.make_graph(
        body_nodes, f"{name}_body",
        [vi(s_name, F32, s_shape), vi("x", F32, [batch, features])],
        [vi(s_name + "2", F32, s_shape), vi("y", F32, out_shape)],
        [numpy_helper.from_array(v, k) for k, v in inits.items()])
    graph = helper.make_graph(
        [node("Scan", ["h0", "x"], ["h", "ys"], body=body, num_scan_inputs=1)], name,
        [vi("h0", F32, s_shape), vi("x", F32, ["T", batch, features])],
        [vi("h", F32, s_shape), vi("ys", F32, ["T", *out_shape])],
        [numpy_helper.from_array(v, k) for k, v in (outer_inits or {}).items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    onnx.checker.check_model(model)
    return model


def _loop_model(name, body_nodes, state, out_shape, inits, batch, features, outer_inits=None):
    """The same recurrence as a counted Loop, as exporters write a `for`
    loop: M = the length of xs [T, batch, features], no condition (the body
    passes it through); iteration `iter` gathers its step x = xs[iter] and
    yields the new state and the step output y, stacked by the Loop."""
    s_name, s_shape = state
    INT64, BOOL = TensorProto.INT64, TensorProto.BOOL
    body = helper.make_graph(
        [node("Gather", ["xs", "iter"], ["x"], axis=0), *body_nodes,
         node("Identity", ["cond"], ["cond2"])], f"{name}_body",
        [vi("iter", INT64, []), vi("cond", BOOL, []), vi(s_name, F32, s_shape)],
        [vi("cond2", BOOL, []), vi(s_name + "2", F32, s_shape), vi("y", F32, out_shape)],
        [numpy_helper.from_array(v, k) for k, v in inits.items()])
    graph = helper.make_graph(
        [node("Shape", ["xs"], ["shape"]), node("Gather", ["shape", "zero"], ["trips"], axis=0),
         node("Loop", ["trips", "", "h0"], ["h", "ys"], body=body)], name,
        [vi("h0", F32, s_shape), vi("xs", F32, ["T", batch, features])],
        [vi("h", F32, s_shape), vi("ys", F32, ["T", *out_shape])],
        [numpy_helper.from_array(np.array(0, np.int64), "zero"),
         *[numpy_helper.from_array(v, k) for k, v in (outer_inits or {}).items()]])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    onnx.checker.check_model(model)
    return model


def mingru(hidden=8, features=6, batch=2, seed=1, loop=False):
    """minGRU (Feng et al. 2024): z = sigmoid(x Wz), h~ = x Wh,
    h = (1 - z) h + z h~; the weights captured from the outer graph."""
    rng = np.random.default_rng(seed)
    scale = 1 / np.sqrt(features)
    nodes = [node("MatMul", ["x", "wz"], ["zl"]), node("Sigmoid", ["zl"], ["z"]),
             node("MatMul", ["x", "wh"], ["hh"]), node("Sub", ["one", "z"], ["keep"]),
             node("Mul", ["keep", "h"], ["a"]), node("Mul", ["z", "hh"], ["b"]),
             node("Add", ["a", "b"], ["h2"]), node("Identity", ["h2"], ["y"])]
    return (_loop_model if loop else _scan_model)("mingru", nodes, ("h", [batch, hidden]), [batch, hidden],
                       {"one": np.array(1, np.float32)}, batch, features,
                       {"wz": _weights(rng, [features, hidden], scale),
                        "wh": _weights(rng, [features, hidden], scale)})


def minlstm(hidden=8, features=6, batch=2, seed=2, loop=False):
    """minLSTM: f, i = sigmoid(x Wf), sigmoid(x Wi), normalised to sum 1;
    h = f' h + i' (x Wh); the output is tanh of the new state (a function of
    the updated state only)."""
    rng = np.random.default_rng(seed)
    scale = 1 / np.sqrt(features)
    nodes = [node("MatMul", ["x", "wf"], ["fl"]), node("Sigmoid", ["fl"], ["f"]),
             node("MatMul", ["x", "wi"], ["il"]), node("Sigmoid", ["il"], ["i"]),
             node("Add", ["f", "i"], ["fi"]), node("Div", ["f", "fi"], ["fn"]),
             node("Div", ["i", "fi"], ["in"]), node("MatMul", ["x", "wh"], ["hh"]),
             node("Mul", ["h", "fn"], ["a"]), node("Mul", ["in", "hh"], ["b"]),
             node("Add", ["a", "b"], ["h2"]), node("Tanh", ["h2"], ["y"])]
    return (_loop_model if loop else _scan_model)("minlstm", nodes, ("h", [batch, hidden]), [batch, hidden], {}, batch, features,
                       {"wf": _weights(rng, [features, hidden], scale),
                        "wi": _weights(rng, [features, hidden], scale),
                        "wh": _weights(rng, [features, hidden], scale)})


def diagonal_ssm(channels=4, state=3, seed=3):
    """A selective diagonal state-space layer (Mamba's S6, one sequence):
    delta = softplus(x Wd + bd) [D], B = x WB, C = x WC [N];
    h [D, N] = exp(delta A) * h + (delta x) B^T; y = h C [D]."""
    rng = np.random.default_rng(seed)
    D, N = channels, state
    nodes = [node("MatMul", ["x", "wd"], ["dl"]), node("Add", ["dl", "bd"], ["dl2"]),
             node("Softplus", ["dl2"], ["delta"]),                      # [1, D]
             node("Transpose", ["delta"], ["dcol"], perm=[1, 0]),       # [D, 1]
             node("Mul", ["dcol", "A"], ["dA"]), node("Exp", ["dA"], ["decay"]),  # [D, N]
             node("MatMul", ["x", "wb"], ["Bt"]),                       # [1, N]
             node("Mul", ["delta", "x"], ["dx"]),                       # [1, D]
             node("Transpose", ["dx"], ["dxcol"], perm=[1, 0]),         # [D, 1]
             node("Mul", ["dxcol", "Bt"], ["inject"]),                  # [D, N]
             node("Mul", ["decay", "h"], ["kept"]), node("Add", ["kept", "inject"], ["h2"]),
             node("MatMul", ["x", "wc"], ["Ct"]),                       # [1, N]
             node("Transpose", ["Ct"], ["Ccol"], perm=[1, 0]),          # [N, 1]
             node("MatMul", ["h2", "Ccol"], ["ycol"]),                  # [D, 1]
             node("Transpose", ["ycol"], ["y"], perm=[1, 0])]           # [1, D]
    return _scan_model("diagonal_ssm", nodes, ("h", [D, N]), [1, D], {}, 1, D,
                       {"wd": _weights(rng, [D, D], 0.5), "bd": _weights(rng, [D], 0.5),
                        "A": -np.exp(_weights(rng, [D, N], 0.5)),
                        "wb": _weights(rng, [D, N], 0.5), "wc": _weights(rng, [D, N], 0.5)})


def retention(dk=4, dv=3, features=5, gamma=0.9, seed=4, loop=False):
    """RetNet-style retention with a matrix state: S = gamma S + k^T v,
    o = q S, with q, k, v projections of the step input [1, features]."""
    rng = np.random.default_rng(seed)
    scale = 1 / np.sqrt(features)
    nodes = [node("MatMul", ["x", "wq"], ["q"]), node("MatMul", ["x", "wk"], ["k"]),
             node("MatMul", ["x", "wv"], ["v"]), node("Transpose", ["k"], ["kcol"], perm=[1, 0]),
             node("MatMul", ["kcol", "v"], ["kv"]),                     # [dk, dv]
             node("Mul", ["h", "gamma"], ["kept"]), node("Add", ["kept", "kv"], ["h2"]),
             node("MatMul", ["q", "h2"], ["y"])]                        # [1, dv]
    return (_loop_model if loop else _scan_model)("retention", nodes, ("h", [dk, dv]), [1, dv],
                       {"gamma": np.array(gamma, np.float32)}, 1, features,
                       {"wq": _weights(rng, [features, dk], scale),
                        "wk": _weights(rng, [features, dk], scale),
                        "wv": _weights(rng, [features, dv], scale)})


def gated_sum(width=4):
    """The bare recurrence h = a * h + b with a and b scan inputs
    [T, width]: the scan alone, nothing around it to compute."""
    body = helper.make_graph(
        [node("Mul", ["a", "h"], ["kept"]), node("Add", ["kept", "b"], ["h2"]),
         node("Identity", ["h2"], ["y"])], "gated_sum_body",
        [vi("h", F32, [width]), vi("a", F32, [width]), vi("b", F32, [width])],
        [vi("h2", F32, [width]), vi("y", F32, [width])])
    graph = helper.make_graph(
        [node("Scan", ["h0", "as", "bs"], ["h", "ys"], body=body, num_scan_inputs=2)],
        "gated_sum",
        [vi("h0", F32, [width]), vi("as", F32, ["T", width]), vi("bs", F32, ["T", width])],
        [vi("h", F32, [width]), vi("ys", F32, ["T", width])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    onnx.checker.check_model(model)
    return model


def tanh_rnn(hidden=8, features=6, batch=2, seed=5):
    """Not linear: h = tanh(x W + h U). Stays a sequential recurrence."""
    rng = np.random.default_rng(seed)
    nodes = [node("MatMul", ["x", "w"], ["xw"]), node("MatMul", ["h", "u"], ["hu"]),
             node("Add", ["xw", "hu"], ["pre"]), node("Tanh", ["pre"], ["h2"]),
             node("Identity", ["h2"], ["y"])]
    return _scan_model("tanh_rnn", nodes, ("h", [batch, hidden]), [batch, hidden], {}, batch, features,
                       {"w": _weights(rng, [features, hidden], 0.4),
                        "u": _weights(rng, [hidden, hidden], 0.4)})


def state_gated(hidden=8, features=6, batch=2, seed=6):
    """Not linear: the gate reads the state, z = sigmoid(x Wz + h), as in a
    GRU; h = (1 - z) h + z (x Wh)."""
    rng = np.random.default_rng(seed)
    nodes = [node("MatMul", ["x", "wz"], ["zx"]), node("Add", ["zx", "h"], ["zl"]),
             node("Sigmoid", ["zl"], ["z"]), node("MatMul", ["x", "wh"], ["hh"]),
             node("Sub", ["one", "z"], ["keep"]), node("Mul", ["keep", "h"], ["a"]),
             node("Mul", ["z", "hh"], ["b"]), node("Add", ["a", "b"], ["h2"]),
             node("Identity", ["h2"], ["y"])]
    return _scan_model("state_gated", nodes, ("h", [batch, hidden]), [batch, hidden],
                       {"one": np.array(1, np.float32)}, batch, features,
                       {"wz": _weights(rng, [features, hidden], 0.4),
                        "wh": _weights(rng, [features, hidden], 0.4)})


def cumsum(axis=0, exclusive=0, reverse=0, elem_type=F32):
    """CumSum along `axis` of x ([T, 3] for axis 0, [3, T] for axis 1): a
    linear scan with a = 1."""
    shape = ["T", 3] if axis in (0, -2) else [3, "T"]
    graph = helper.make_graph(
        [node("CumSum", ["x", "axis"], ["y"], exclusive=exclusive, reverse=reverse)], "cumsum",
        [vi("x", elem_type, shape)], [vi("y", elem_type, shape)],
        [numpy_helper.from_array(np.array(axis, np.int64), "axis")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    onnx.checker.check_model(model)
    return model


LINEAR = {"gated_sum": gated_sum, "mingru": mingru, "minlstm": minlstm,
          "diagonal_ssm": diagonal_ssm,
          "retention": retention}
NOT_LINEAR = {"tanh_rnn": tanh_rnn, "state_gated": state_gated}
AS_LOOP = {"mingru_loop": lambda: mingru(loop=True), "minlstm_loop": lambda: minlstm(loop=True),
           "retention_loop": lambda: retention(loop=True)}


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    for name, make in {**LINEAR, **AS_LOOP, **NOT_LINEAR}.items():
        onnx.save(make(), str(out / f"{name}.onnx"))
        print(out / f"{name}.onnx")
