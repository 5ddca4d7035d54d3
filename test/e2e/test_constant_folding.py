"""Constants computed from constants, end to end against onnxruntime.

* Each folded op (Identity, Slice, Concat, Transpose, Squeeze, Unsqueeze,
  Reshape, Gather, Shape) on its own, with constant inputs: seqc must compute
  the value at compile time (the model function is left with constants only)
  and agree with onnxruntime exactly.
* LSTM / GRU (both linear_before_reset) / RNN whose W, R, B (and P) are
  computed the way silero-vad and torch.onnx exports compute them: Gather of
  a direction, Slice + Concat (or Gather) to reorder PyTorch's gate order into
  ONNX's, Transpose, Unsqueeze, Squeeze, Reshape and a negative-step Slice.
  seqc must prepare the cell's weights at compile time (no transpose or concat
  left in the compiled model) and agree with onnxruntime (max abs error 1e-4).
Skipped as a whole when the seqc binary is missing (set SEQC)."""

from __future__ import annotations

import os
import re
import subprocess

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

import seqc_harness as sh
from rnn_models import run_ort

if not (sh.seqc_binary().is_file() and os.access(sh.seqc_binary(), os.X_OK)):
    pytest.skip(f"seqc binary not found at {sh.seqc_binary()} (set SEQC)", allow_module_level=True)

F32, F16, I64, I32 = np.float32, np.float16, np.int64, np.int32
INT64_MAX, INT64_MIN = int(np.iinfo(np.int64).max), int(np.iinfo(np.int64).min)
ELEM = {np.dtype(F32): TensorProto.FLOAT, np.dtype(F16): TensorProto.FLOAT16,
        np.dtype(I64): TensorProto.INT64, np.dtype(I32): TensorProto.INT32}
TOL = 1e-4


def node(op, inputs, outputs, **attrs):
    return helper.make_node(op, list(inputs), list(outputs), **attrs)


def const(name, value):
    """A Constant node (rather than an initializer) producing `name`."""
    return node("Constant", [], [name], value=numpy_helper.from_array(np.asarray(value), name))


def make_model(nodes, inits, outputs, inputs=(), opset=18):
    """inits: {name: array}; outputs: [(name, dtype)]; inputs: [(name, dtype, shape)]."""
    g = helper.make_graph(
        nodes, "folds",
        [helper.make_tensor_value_info(n, ELEM[np.dtype(t)], list(s)) for n, t, s in inputs],
        [helper.make_tensor_value_info(n, ELEM[np.dtype(t)], None) for n, t in outputs],
        [numpy_helper.from_array(np.asarray(v), k) for k, v in inits.items()])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], ir_version=10)


def emitted_graph_function(model, tmp_path):
    """The model function of `seqc --emit=seq` (the shape function left out)."""
    path = tmp_path / "emit.onnx"
    onnx.save(model, str(path))
    text = subprocess.run([str(sh.seqc_binary()), str(path), "--emit=seq"], check=True,
                          capture_output=True, text=True).stdout
    functions = re.split(r"^  func\.func ", text, flags=re.M)[1:]
    (graph,) = [f for f in functions if not re.match(r"@\w+_shapes\(", f)]
    return graph


def ort_outputs(model, feeds):
    import onnxruntime as ort
    ort.set_default_logger_severity(4)
    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    sess = ort.InferenceSession(model.SerializeToString(), options,
                                providers=["CPUExecutionProvider"])
    return sess.run(None, feeds)


# --------------------------------------------------------------------------- one op at a time

def op_cases():
    rng = np.random.default_rng(7)
    x234 = rng.standard_normal((2, 3, 4)).astype(F32)
    x67 = np.arange(42, dtype=F32).reshape(6, 7) * 0.5 - 3.0
    i34 = rng.integers(-50, 50, size=(3, 4)).astype(I64)
    cases = []

    def case(cid, nodes, inits, outputs, inputs=(), opset=18):
        cases.append(pytest.param(dict(nodes=nodes, inits=inits, outputs=outputs, inputs=inputs,
                                       opset=opset), id=cid))

    case("Identity", [node("Identity", ["x"], ["y"])], {"x": x234}, [("y", F32)])
    case("Identity-of-Constant-i64", [const("c", i34), node("Identity", ["c"], ["y"])], {},
         [("y", I64)])

    case("Transpose-perm", [node("Transpose", ["x"], ["y"], perm=[2, 0, 1])], {"x": x234},
         [("y", F32)])
    case("Transpose-default-i64", [node("Transpose", ["x"], ["y"])], {"x": i34}, [("y", I64)])
    case("Transpose-f16", [node("Transpose", ["x"], ["y"], perm=[1, 0])],
         {"x": x67.astype(F16)}, [("y", F16)])

    case("Concat-axis-2", [node("Concat", ["a", "b", "c"], ["y"], axis=-2)],
         {"a": x234[:, :1], "b": x234[:, 1:], "c": x234}, [("y", F32)])
    case("Concat-i32-axis0-empty", [node("Concat", ["a", "e", "b"], ["y"], axis=0)],
         {"a": np.array([1, 2], I32), "e": np.zeros((0,), I32), "b": np.array([3], I32)},
         [("y", I32)])

    def slice_case(cid, data, starts, ends, axes=None, steps=None, idx=I64):
        names = ["x", "s", "e"]
        inits = {"x": data, "s": np.array(starts, idx), "e": np.array(ends, idx)}
        if axes is not None or steps is not None:
            names.append("a" if axes is not None else "")
            if axes is not None:
                inits["a"] = np.array(axes, idx)
        if steps is not None:
            names.append("st")
            inits["st"] = np.array(steps, idx)
        case(cid, [node("Slice", names, ["y"])], inits, [("y", data.dtype)])

    slice_case("Slice-axes-omitted", x67, [1, 2], [5, 6])
    slice_case("Slice-neg-bounds", x67, [-3], [-1], [1])
    slice_case("Slice-end-INT64_MAX", x67, [2], [INT64_MAX], [1])
    slice_case("Slice-reverse-INT64_MIN", x67, [-1], [INT64_MIN], [0], [-1])
    slice_case("Slice-step2", x67, [0], [7], [1], [2])
    slice_case("Slice-step-2-clamped", x67, [100], [-100], [1], [-2])
    slice_case("Slice-two-axes-neg-axis", x67, [0, -1], [INT64_MAX, INT64_MIN], [-2, -1], [2, -3])
    slice_case("Slice-int32-params", i34, [1, -1], [-1, -100], [0, 1], [1, -2], idx=I32)
    slice_case("Slice-empty", x67, [4], [2], [0])

    case("Squeeze-opset13-axes", [node("Squeeze", ["x", "a"], ["y"])],
         {"x": x234[:1, :, :1], "a": np.array([0, -1], I64)}, [("y", F32)], opset=13)
    case("Squeeze-opset11-attr", [node("Squeeze", ["x"], ["y"], axes=[2])],
         {"x": x234[:, :, :1]}, [("y", F32)], opset=11)
    case("Squeeze-no-axes", [node("Squeeze", ["x"], ["y"])], {"x": i34[:1, :1]}, [("y", I64)])
    case("Unsqueeze-opset13-neg", [node("Unsqueeze", ["x", "a"], ["y"])],
         {"x": x67, "a": np.array([-1, 0], I64)}, [("y", F32)], opset=13)
    case("Unsqueeze-opset11-attr", [node("Unsqueeze", ["x"], ["y"], axes=[1])], {"x": i34},
         [("y", I64)], opset=11)

    case("Reshape-0-and-minus1", [node("Reshape", ["x", "s"], ["y"])],
         {"x": x234, "s": np.array([0, -1], I64)}, [("y", F32)])
    case("Reshape-allowzero", [node("Reshape", ["x", "s"], ["y"], allowzero=1)],
         {"x": np.zeros((0, 3), F32), "s": np.array([3, 0], I64)}, [("y", F32)])

    case("Gather-neg-axis0", [node("Gather", ["x", "i"], ["y"])],
         {"x": x67, "i": np.array([-1, 0, 2, -6], I64)}, [("y", F32)])
    case("Gather-axis1-2d-int32", [node("Gather", ["x", "i"], ["y"], axis=1)],
         {"x": x234, "i": np.array([[2, -3], [-1, 1]], I32)}, [("y", F32)])
    case("Gather-scalar-axis-1", [node("Gather", ["x", "i"], ["y"], axis=-1)],
         {"x": i34, "i": np.array(-2, I64)}, [("y", I64)])

    case("Shape-of-static-input", [node("Shape", ["x"], ["y"], start=1)], {},
         [("y", I64)], inputs=[("x", F32, [2, 3, 4])])
    case("Shape-of-initializer-end-1", [node("Shape", ["x"], ["y"], end=-1)], {"x": x234},
         [("y", I64)])

    # Values computed from a Shape of a static graph input: everything folds.
    case("Chain-Shape-Gather-Concat-Slice",
         [node("Shape", ["x"], ["s"]), node("Gather", ["s", "i"], ["d"]),
          node("Concat", ["d", "m1"], ["v"], axis=0),
          node("Slice", ["v", "one", "big"], ["y"])],
         {"i": np.array([-1, 0], I64), "m1": np.array([-1], I64), "one": np.array([1], I64),
          "big": np.array([10], I64)}, [("y", I64)], inputs=[("x", F32, [2, 3, 4])])
    return cases


@pytest.mark.parametrize("c", op_cases())
def test_folded_op(c, tmp_path):
    model = make_model(c["nodes"], c["inits"], c["outputs"], c["inputs"], c["opset"])
    graph = emitted_graph_function(model, tmp_path)
    left = sorted(set(re.findall(r"\b(?:linalg|tensor|seq)\.[a-z_]+", graph)))
    assert not left, f"not folded: {left}"
    rng = np.random.default_rng(0)
    feeds = {n: rng.standard_normal(s).astype(t) for n, t, s in c["inputs"]}
    cm = sh.compile_model(model, tmp_path / "lib")
    got = cm.run([feeds[n] for n in cm.input_names])
    want = ort_outputs(model, feeds)
    for g, w in zip(got, want):
        assert g.dtype == w.dtype and g.shape == w.shape, (g.dtype, g.shape, w.dtype, w.shape)
        assert np.array_equal(g, w), f"got\n{g}\nexpected\n{w}"


# --------------------------------------------------------------------------- computed weights

NUM_GATES = {"LSTM": 4, "GRU": 3, "RNN": 1}
# ONNX gate k is PyTorch's gate TORCH_GATE[op][k] (LSTM iofc <- ifgo, GRU zrh <- rzn).
TORCH_GATE = {"LSTM": [0, 3, 1, 2], "GRU": [1, 0, 2], "RNN": [0]}


def silero_style_model(op, direction, linear_before_reset=0, hidden=3, input_size=2, seed=0,
                       with_initial_h=False):
    """One recurrent node whose W, R, B (and P) are computed from initializers and
    Constant nodes in PyTorch's gate order; X is [T, B, input] with T and B dynamic.
    Returns the model."""
    rng = np.random.default_rng(seed)
    G, H, I = NUM_GATES[op], hidden, input_size
    D = 2 if direction == "bidirectional" else 1
    order = TORCH_GATE[op]
    nodes, inits = [], {}

    def init(name, value):
        inits[name] = np.asarray(value)
        return name

    def rand(*shape):
        return (rng.uniform(-1, 1, size=shape) * 0.6).astype(F32)

    init("zero_axis", np.array([0], I64))
    W_torch = init("W_torch", rand(D, G * H, I))        # weight_ih_l0 (and _reverse)
    Ws, Rs, Bs, Ps = [], [], [], []
    for d in range(D):
        # W: Gather the direction, Slice the gates, Concat them in ONNX order.
        wd = f"W_torch_{d}"
        nodes.append(node("Gather", [W_torch, init(f"dir_{d}", np.array(d, I64))], [wd]))
        blocks = []
        for k in order:
            # The last gate as [-H, INT64_MAX): a negative start and a clamped end.
            last = k == G - 1
            s = init(f"w_s_{d}_{k}", np.array([-H if last else k * H], I64))
            e = init(f"w_e_{d}_{k}", np.array([INT64_MAX if last else (k + 1) * H], I64))
            nodes.append(node("Slice", [wd, s, e, "zero_axis"], [f"W_{d}_{k}"]))
            blocks.append(f"W_{d}_{k}")
        nodes.append(node("Concat", blocks, [f"W_onnx_{d}"], axis=0))
        nodes.append(node("Unsqueeze", [f"W_onnx_{d}", "zero_axis"], [f"W_dir_{d}"]))
        Ws.append(f"W_dir_{d}")

        # R: a Constant holding R^T in PyTorch order, transposed back, gates
        # reordered by a Gather with negative indices.
        nodes.append(const(f"R_t_{d}", rand(H, G * H)))
        nodes.append(node("Transpose", [f"R_t_{d}"], [f"R_torch_{d}"], perm=[1, 0]))
        rows = np.concatenate([np.arange(k * H, (k + 1) * H) for k in order]) - G * H
        nodes.append(node("Gather", [f"R_torch_{d}", init(f"r_rows_{d}", rows.astype(I64))],
                          [f"R_onnx_{d}"], axis=0))
        nodes.append(node("Unsqueeze", [f"R_onnx_{d}", "zero_axis"], [f"R_dir_{d}"]))
        Rs.append(f"R_dir_{d}")

        # B: b_ih and b_hh reordered, concatenated, shaped [1, 1, 2GH] and squeezed.
        halves = []
        for name in ("b_ih", "b_hh"):
            b = init(f"{name}_{d}", rand(G * H))
            nodes.append(node("Gather", [b, init(f"{name}_rows_{d}", rows.astype(I64) + G * H)],
                              [f"{name}_onnx_{d}"]))
            halves.append(f"{name}_onnx_{d}")
        nodes.append(node("Concat", halves, [f"B_flat_{d}"], axis=0))
        nodes.append(node("Reshape", [f"B_flat_{d}", init(f"b_shape_{d}", np.array([1, 1, -1], I64))],
                          [f"B_3d_{d}"]))
        nodes.append(node("Squeeze", [f"B_3d_{d}", "zero_axis"], [f"B_dir_{d}"]))
        Bs.append(f"B_dir_{d}")

        if op == "LSTM":
            # P stored reversed: a Slice with step -1 restores it.
            p = init(f"P_rev_{d}", rand(3 * H))
            nodes.append(node("Slice", [p, init(f"p_s_{d}", np.array([-1], I64)),
                                        init(f"p_e_{d}", np.array([INT64_MIN], I64)), "zero_axis",
                                        init(f"p_st_{d}", np.array([-1], I64))], [f"P_{d}"]))
            nodes.append(node("Unsqueeze", [f"P_{d}", "zero_axis"], [f"P_dir_{d}"]))
            Ps.append(f"P_dir_{d}")

    for name, parts in (("W", Ws), ("R", Rs), ("B", Bs), ("P", Ps)):
        if parts:
            nodes.append(node("Concat", parts, [name], axis=0))
    inputs = [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["T", "N", I])]
    node_in = ["X", "W", "R", "B", "", ""]
    if with_initial_h:
        inputs.append(helper.make_tensor_value_info("initial_h", TensorProto.FLOAT, [D, "N", H]))
        node_in[5] = "initial_h"
    if op == "LSTM":
        node_in += ["", "P"]
    attrs = {"hidden_size": H, "direction": direction}
    if op == "GRU":
        attrs["linear_before_reset"] = linear_before_reset
    nodes.append(node(op, node_in, ["Y", "Y_h"], name=op.lower(), **attrs))
    graph = helper.make_graph(nodes, "computed_weights", inputs,
                              [helper.make_tensor_value_info("Y", TensorProto.FLOAT, None),
                               helper.make_tensor_value_info("Y_h", TensorProto.FLOAT, None)],
                              [numpy_helper.from_array(v, k) for k, v in inits.items()])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=10)


RECURRENT = [("LSTM", 0, "forward"), ("LSTM", 0, "bidirectional"), ("LSTM", 0, "reverse"),
             ("GRU", 0, "forward"), ("GRU", 0, "bidirectional"),
             ("GRU", 1, "forward"), ("GRU", 1, "bidirectional"),
             ("RNN", 0, "forward"), ("RNN", 0, "bidirectional")]


@pytest.mark.parametrize("op,lbr,direction", RECURRENT,
                         ids=[f"{o}-lbr{l}-{d}" for o, l, d in RECURRENT])
def test_computed_weights(op, lbr, direction, tmp_path):
    with_initial_h = direction == "bidirectional"
    model = silero_style_model(op, direction, lbr, seed=len(op) + lbr, with_initial_h=with_initial_h)
    graph = emitted_graph_function(model, tmp_path)
    for leftover in ("linalg.transpose", "tensor.concat", "onnx."):
        assert leftover not in graph, f"weights not prepared at compile time: {leftover}"
    cm = sh.compile_model(model, tmp_path / "lib")
    D = 2 if direction == "bidirectional" else 1
    for k, (T, N) in enumerate(((5, 2), (1, 3))):
        rng = np.random.default_rng([k, 1])
        feeds = {"X": rng.standard_normal((T, N, 2)).astype(F32)}
        if with_initial_h:
            feeds["initial_h"] = rng.standard_normal((D, N, 3)).astype(F32)
        got = cm.run([feeds[n] for n in cm.input_names])
        want = run_ort(model, feeds)
        for g, w in zip(got, want):
            assert g.shape == w.shape
            err = float(np.abs(g.astype(np.float64) - w).max(initial=0.0))
            assert err <= TOL, f"T={T} N={N}: max abs error {err:.3g}"
