#!/usr/bin/env python3
"""Build lstm2.onnx: a 2-layer LSTM laid out the way torch.onnx.export writes it.

The model is what

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(input_size=16, hidden_size=32, num_layers=2,
                                batch_first=False)   # bidirectional=True: -b
        def forward(self, input, h0, c0):
            output, (hn, cn) = self.lstm(input, (h0, c0))
            return output, hn, cn

    torch.onnx.export(Net().eval(), (x, h0, c0), "lstm2.onnx", opset_version=17,
        input_names=["input", "h0", "c0"], output_names=["output", "hn", "cn"],
        dynamic_axes={"input": {0: "seq_len", 1: "batch"}, "h0": {1: "batch"},
                      "c0": {1: "batch"}, "output": {0: "seq_len", 1: "batch"},
                      "hn": {1: "batch"}, "cn": {1: "batch"}})

exports (TorchScript exporter, symbolic_opset9._generic_rnn, after constant
folding), built here with onnx.helper only. Per layer k (D = 1 or 2
directions, H = 32, I_0 = 16, I_1 = D*H):

  * initializers W [D, 4H, I_k], R [D, 4H, H], B [D, 8H], named like torch's
    "onnx::LSTM_<n>"; torch's gate blocks (i, f, g, o) are reordered to ONNX's
    (i, o, f, c), B = concat(b_ih, b_hh) reordered the same way, directions
    stacked forward then reverse (weight_*_l<k>, then weight_*_l<k>_reverse);
  * h0/c0 rows of layer k: Slice(h0, starts=[D*k], ends=[D*(k+1)], axes=[0]),
    the starts/ends/axes being Constant nodes (created axes, starts, ends);
  * LSTM(X, W, R, B, "", h_k, c_k) with hidden_size=32 (and
    direction="bidirectional" with -b), no sequence_lens, default activations;
  * Y [T, D, B, H] back to torch's [T, B, D*H]: unidirectional
    Squeeze(Y, axes=Constant([1])) (axes is an input at opset >= 13);
    bidirectional Transpose(perm=[0, 2, 1, 3]) then
    Reshape(shape=Constant([0, 0, -1]), allowzero=0);
  * hn = Concat(Y_h of each layer, axis=0), cn = Concat(Y_c ..., axis=0).

Weights are random with a fixed seed, drawn like torch's init:
uniform(-1/sqrt(H), 1/sqrt(H)) for every weight and bias.

Usage:
  make_model.py [MODEL] [-b] [--seed N] [--data DIR [--seq-len T] [--batch B]]

MODEL defaults to examples/lstm2/lstm2.onnx. The script runs
onnx.checker.check_model (full check, with shape inference), runs the model in
onnxruntime, and checks onnxruntime against a numpy version of torch's nn.LSTM
on the torch-layout weights (which checks the gate reordering).

--data DIR writes deterministic inputs and the onnxruntime outputs for them,
for a C program to compare against. Format of DIR:

  <name>.f32     raw little-endian float32, C order, no header; one per graph
                 input (input, h0, c0) and per graph output (output, hn, cn)
  shapes.txt     one line per tensor, inputs first in graph order, then
                 outputs in graph order:
                     <in|out> <name> <file> <rank> <d0> ... <d(rank-1)>
                 e.g. "in input input.f32 3 7 3 16"
  meta.json      the same as JSON, for other tools:
                 {"model": ..., "seed": ..., "dtype": "float32",
                  "byte_order": "little",
                  "inputs":  [{"name", "file", "shape"}, ...],
                  "outputs": [{"name", "file", "shape"}, ...]}

Inputs are uniform(-1, 1) from numpy's default_rng(seed + 1).
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

INPUT_SIZE = 16
HIDDEN = 32
NUM_LAYERS = 2
OPSET = 17
IR_VERSION = 8  # what torch writes for opset 17

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_MODEL = os.path.join(HERE, "lstm2.onnx")


def torch_params(bidirectional: bool, seed: int) -> dict[str, np.ndarray]:
    """nn.LSTM's parameters, torch names and layout (gates i, f, g, o)."""
    rng = np.random.default_rng(seed)
    k = 1.0 / np.sqrt(HIDDEN)
    dirs = 2 if bidirectional else 1
    params = {}
    for layer in range(NUM_LAYERS):
        in_size = INPUT_SIZE if layer == 0 else HIDDEN * dirs
        for d in range(dirs):
            sfx = f"l{layer}" + ("_reverse" if d == 1 else "")
            shapes = {
                f"weight_ih_{sfx}": (4 * HIDDEN, in_size),
                f"weight_hh_{sfx}": (4 * HIDDEN, HIDDEN),
                f"bias_ih_{sfx}": (4 * HIDDEN,),
                f"bias_hh_{sfx}": (4 * HIDDEN,),
            }
            for name, shape in shapes.items():
                params[name] = rng.uniform(-k, k, size=shape).astype(np.float32)
    return params


def reorder_gates(w: np.ndarray) -> np.ndarray:
    """torch (i, f, g, o) -> ONNX (i, o, f, c) along axis 0, as torch's
    reform_permutation [(0, 1), (3, 4), (1, 3)] does."""
    h = HIDDEN
    return np.concatenate([w[0:h], w[3 * h:4 * h], w[h:3 * h]], axis=0)


def build_model(bidirectional: bool, seed: int) -> onnx.ModelProto:
    p = torch_params(bidirectional, seed)
    dirs = 2 if bidirectional else 1
    nodes: list[onnx.NodeProto] = []
    inits: list[TensorProto] = []
    counters: dict[str, int] = {}
    init_id = [205]  # torch numbers "onnx::LSTM_<n>" by IR value id; any n will do

    def name(op: str) -> str:
        n = counters.get(op, 0)
        counters[op] = n + 1
        return f"/lstm/{op}" + (f"_{n}" if n else "")

    def const(values: list[int]) -> str:
        node_name = name("Constant")
        out = f"{node_name}_output_0"
        nodes.append(helper.make_node(
            "Constant", [], [out], name=node_name,
            value=numpy_helper.from_array(np.array(values, dtype=np.int64), name="")))
        return out

    def op(op_type: str, inputs: list[str], n_out: int = 1, out_names=None, **attrs):
        node_name = name(op_type)
        outs = out_names or [f"{node_name}_output_{i}" for i in range(n_out)]
        nodes.append(helper.make_node(op_type, inputs, outs, name=node_name, **attrs))
        return outs if n_out > 1 else outs[0]

    def initializer(arr: np.ndarray) -> str:
        n = f"onnx::LSTM_{init_id[0]}"
        init_id[0] += 1
        inits.append(numpy_helper.from_array(arr, name=n))
        return n

    def retrieve_state(x: str, start: int, end: int) -> str:
        axes = const([0])
        starts = const([start])
        ends = const([end])
        return op("Slice", [x, starts, ends, axes])

    prev = "input"
    h_outs, c_outs = [], []
    for layer in range(NUM_LAYERS):
        ws, rs, bs = [], [], []
        for d in range(dirs):
            sfx = f"l{layer}" + ("_reverse" if d == 1 else "")
            ws.append(reorder_gates(p[f"weight_ih_{sfx}"]))
            rs.append(reorder_gates(p[f"weight_hh_{sfx}"]))
            bs.append(np.concatenate([reorder_gates(p[f"bias_ih_{sfx}"]),
                                      reorder_gates(p[f"bias_hh_{sfx}"])]))
        w = initializer(np.stack(ws))
        r = initializer(np.stack(rs))
        b = initializer(np.stack(bs))
        h = retrieve_state("h0", dirs * layer, dirs * (layer + 1))
        c = retrieve_state("c0", dirs * layer, dirs * (layer + 1))
        last = layer == NUM_LAYERS - 1
        extra = {"direction": "bidirectional"} if bidirectional else {}
        y, y_h, y_c = op("LSTM", [prev, w, r, b, "", h, c], n_out=3,
                         hidden_size=HIDDEN, **extra)
        if bidirectional:
            t = op("Transpose", [y], perm=[0, 2, 1, 3])
            shape = const([0, 0, -1])
            prev = op("Reshape", [t, shape], allowzero=0,
                      out_names=["output"] if last else None)
        else:
            axes = const([1])
            prev = op("Squeeze", [y, axes], out_names=["output"] if last else None)
        h_outs.append(y_h)
        c_outs.append(y_c)
    op("Concat", h_outs, out_names=["hn"], axis=0)
    op("Concat", c_outs, out_names=["cn"], axis=0)

    f32 = TensorProto.FLOAT
    states = dirs * NUM_LAYERS
    graph = helper.make_graph(
        nodes, "main_graph",
        inputs=[
            helper.make_tensor_value_info("input", f32, ["seq_len", "batch", INPUT_SIZE]),
            helper.make_tensor_value_info("h0", f32, [states, "batch", HIDDEN]),
            helper.make_tensor_value_info("c0", f32, [states, "batch", HIDDEN]),
        ],
        outputs=[
            helper.make_tensor_value_info("output", f32, ["seq_len", "batch", dirs * HIDDEN]),
            helper.make_tensor_value_info("hn", f32, [states, "batch", HIDDEN]),
            helper.make_tensor_value_info("cn", f32, [states, "batch", HIDDEN]),
        ],
        initializer=inits,
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", OPSET)],
        producer_name="seqc examples/lstm2/make_model.py",
        doc_string="2-layer LSTM in torch.onnx.export layout; see make_model.py",
    )
    model.ir_version = IR_VERSION
    # torch's exporter records inferred types of intermediate values too.
    return onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)


def torch_lstm_reference(p, x, h0, c0, bidirectional):
    """numpy version of torch's nn.LSTM forward (gates i, f, g, o)."""
    sig = lambda v: 1.0 / (1.0 + np.exp(-v))  # noqa: E731
    dirs = 2 if bidirectional else 1
    x = x.astype(np.float64)
    hn, cn = [], []
    for layer in range(NUM_LAYERS):
        outs = []
        for d in range(dirs):
            sfx = f"l{layer}" + ("_reverse" if d == 1 else "")
            wi, wh = p[f"weight_ih_{sfx}"], p[f"weight_hh_{sfx}"]
            b = p[f"bias_ih_{sfx}"] + p[f"bias_hh_{sfx}"]
            h = h0[layer * dirs + d].astype(np.float64)
            c = c0[layer * dirs + d].astype(np.float64)
            ys = [None] * len(x)
            steps = range(len(x) - 1, -1, -1) if d == 1 else range(len(x))
            for t in steps:
                g = x[t] @ wi.T + h @ wh.T + b
                i, f, gg, o = np.split(g, 4, axis=-1)
                c = sig(f) * c + sig(i) * np.tanh(gg)
                h = sig(o) * np.tanh(c)
                ys[t] = h
            outs.append(np.stack(ys))
            hn.append(h)
            cn.append(c)
        x = np.concatenate(outs, axis=-1)
    return x, np.stack(hn), np.stack(cn)


def make_inputs(model: onnx.ModelProto, seq_len: int, batch: int, seed: int):
    rng = np.random.default_rng(seed + 1)
    feeds = {}
    for vi in model.graph.input:
        dims = [seq_len if d.dim_param == "seq_len" else batch if d.dim_param == "batch"
                else d.dim_value for d in vi.type.tensor_type.shape.dim]
        feeds[vi.name] = rng.uniform(-1.0, 1.0, size=dims).astype(np.float32)
    return feeds


def write_data(out_dir, model_path, model, feeds, outputs, seed):
    os.makedirs(out_dir, exist_ok=True)
    meta = {"model": os.path.basename(model_path), "seed": seed, "dtype": "float32",
            "byte_order": "little", "inputs": [], "outputs": []}
    lines = []
    for kind, key, items in (("in", "inputs", feeds.items()), ("out", "outputs", outputs.items())):
        for n, arr in items:
            arr = np.ascontiguousarray(arr, dtype="<f4")
            fname = f"{n}.f32"
            arr.tofile(os.path.join(out_dir, fname))
            meta[key].append({"name": n, "file": fname, "shape": list(arr.shape)})
            lines.append(" ".join([kind, n, fname, str(arr.ndim), *map(str, arr.shape)]))
    with open(os.path.join(out_dir, "shapes.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(out_dir, "meta.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model", nargs="?", default=DEFAULT_MODEL, help="output .onnx path")
    ap.add_argument("-b", "--bidirectional", action="store_true")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data", metavar="DIR", help="write inputs + onnxruntime outputs here")
    ap.add_argument("--seq-len", type=int, default=7)
    ap.add_argument("--batch", type=int, default=3)
    args = ap.parse_args(argv)

    model = build_model(args.bidirectional, args.seed)
    onnx.checker.check_model(model, full_check=True)
    os.makedirs(os.path.dirname(os.path.abspath(args.model)), exist_ok=True)
    onnx.save(model, args.model)
    onnx.checker.check_model(args.model, full_check=True)
    print(f"wrote {args.model} ({len(model.graph.node)} nodes, opset {OPSET})")

    import onnxruntime as ort  # noqa: PLC0415

    sess = ort.InferenceSession(args.model, providers=["CPUExecutionProvider"])
    feeds = make_inputs(model, args.seq_len, args.batch, args.seed)
    names = [o.name for o in sess.get_outputs()]
    outputs = dict(zip(names, sess.run(None, feeds)))
    ref = torch_lstm_reference(torch_params(args.bidirectional, args.seed),
                               feeds["input"], feeds["h0"], feeds["c0"], args.bidirectional)
    for n, r in zip(names, ref):
        diff = float(np.max(np.abs(outputs[n] - r)))
        print(f"  {n} {list(outputs[n].shape)}: onnxruntime vs torch-semantics numpy "
              f"max abs diff {diff:.3g}")
        if outputs[n].shape != r.shape or diff > 1e-5:
            print("error: onnxruntime disagrees with torch nn.LSTM semantics", file=sys.stderr)
            return 1
    if args.data:
        write_data(args.data, args.model, model, feeds, outputs, args.seed)
        print(f"wrote inputs and onnxruntime outputs to {args.data}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
