"""End-to-end numerics of the non-recurrent ONNX ops seqc supports: every case
is a small model built with onnx.helper, compiled through seqc, run through the
generated C API on seeded random inputs and compared with onnxruntime.

* float32: max abs error <= 1e-5 * max(1, max |expected|);
* integer / data-movement results: exact equality (values, dtype and shape).

Models with dynamic dimensions (dim_param) are compiled once and run with two
different bindings of their dimensions (the second one uses size 1 for some).
Compiler bugs found by this suite are marked xfail(strict=True) with a precise
reason; a strict xfail that starts passing means the bug was fixed.
Skipped as a whole when the seqc binary is missing (set SEQC to point at it)."""

from __future__ import annotations

import os
import zlib

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator

import seqc_harness as sh

if not (sh.seqc_binary().is_file() and os.access(sh.seqc_binary(), os.X_OK)):
    pytest.skip(f"seqc binary not found at {sh.seqc_binary()} (set SEQC)", allow_module_level=True)

IR_VERSION = 10  # onnxruntime 1.31 accepts IR <= 10 (and onnx 1.23 writes it)
F32, I64, I32, BOOL, F64 = np.float32, np.int64, np.int32, np.bool_, np.float64
ELEM = {np.dtype(F32): TensorProto.FLOAT, np.dtype(I64): TensorProto.INT64,
        np.dtype(I32): TensorProto.INT32, np.dtype(BOOL): TensorProto.BOOL,
        np.dtype(F64): TensorProto.DOUBLE}
INT64_MAX, INT64_MIN = int(np.iinfo(np.int64).max), int(np.iinfo(np.int64).min)
FTOL = 1e-5
# Two bindings of the dynamic dimensions: every dynamic model runs with both.
BINDINGS = ({"N": 3, "M": 4, "B": 2, "T": 5, "K": 3},
            {"N": 1, "M": 6, "B": 4, "T": 1, "K": 2})


# --------------------------------------------------------------------------- known compiler bugs
# Case id -> reason; applied by case() as xfail(strict=True) expecting a compile
# failure: a fix makes the case XPASS (remove its entry), wrong numerics fail it.
# A (reason, exception type) pair expects that exception instead: AssertionError
# for a case that compiles but computes wrong values.
XFAILS = {
}


# --------------------------------------------------------------------------- builders

def node(op, inputs, outputs, **attrs):
    return helper.make_node(op, list(inputs), list(outputs), **attrs)


def make_model(nodes, inputs, outputs, inits=None, opset=18):
    """inputs: [(name, dtype, shape)] (str dims are dim_params); outputs:
    [(name, dtype)], shapes left to onnx shape inference; inits: {name: array}."""
    g = helper.make_graph(
        nodes, "ops",
        [helper.make_tensor_value_info(n, ELEM[np.dtype(t)], list(s)) for n, t, s in inputs],
        [helper.make_tensor_value_info(n, ELEM[np.dtype(t)], None) for n, t in outputs],
        [numpy_helper.from_array(np.asarray(v), k) for k, v in (inits or {}).items()])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], ir_version=IR_VERSION)
    try:  # declare the output shapes the way exporters do, where onnx can infer them
        m = onnx.shape_inference.infer_shapes(m, strict_mode=True)
    except Exception:
        pass
    return m


def case(cid, nodes, inputs, outputs, inits=None, opset=18, gen=None, check=None, xfail=None,
         runs=None, oracle="ort"):
    """gen: {input name: f(rng, shape, binding) -> array} for inputs whose values
    matter (indices, divisors, runtime shapes); check: extra f(feeds, outputs);
    oracle: "ort", or "onnx" (ONNX's reference evaluator) where ONNX Runtime
    departs from the specification."""
    model = make_model(nodes, inputs, outputs, inits, opset)
    dynamic = any(isinstance(d, str) for _, _, s in inputs for d in s)
    c = dict(model=model, inputs=inputs, gen=gen or {}, check=check, oracle=oracle,
             runs=runs or (BINDINGS if dynamic else ({},)))
    xfail = xfail or XFAILS.get(cid)
    reason, raises = xfail if isinstance(xfail, tuple) else (xfail, sh.SeqcCompileError)
    marks = [pytest.mark.xfail(strict=True, raises=raises, reason=reason)] if xfail else []
    return pytest.param(c, id=cid, marks=marks)


def const_i64(*vals):
    return np.array(vals, dtype=np.int64)


def randint_nonzero(rng, shape, dtype, lo=-9, hi=10):
    a = rng.integers(lo, hi, size=shape).astype(dtype)
    a[a == 0] = 3
    return a


def make_feeds(c, rng, binding):
    feeds = {}
    for name, dtype, shape in c["inputs"]:
        shp = tuple(binding[d] if isinstance(d, str) else d for d in shape)
        if name in c["gen"]:
            a = np.asarray(c["gen"][name](rng, shp, binding), dtype=dtype)
            assert a.shape == shp, (name, a.shape, shp)
            feeds[name] = a.astype(dtype)
        elif np.dtype(dtype).kind == "f":
            feeds[name] = np.asarray(rng.standard_normal(shp), dtype=dtype)
        elif np.dtype(dtype) == np.dtype(BOOL):
            feeds[name] = rng.integers(0, 2, size=shp).astype(BOOL)
        else:
            feeds[name] = np.asarray(rng.integers(-20, 21, size=shp), dtype=dtype)
    return feeds


_ORT_OPTIONS = None


def ort_session(model):
    global _ORT_OPTIONS
    import onnxruntime as ort
    if _ORT_OPTIONS is None:
        ort.set_default_logger_severity(4)
        _ORT_OPTIONS = ort.SessionOptions()
        _ORT_OPTIONS.intra_op_num_threads = _ORT_OPTIONS.inter_op_num_threads = 1
    return ort.InferenceSession(model.SerializeToString(), _ORT_OPTIONS,
                                providers=["CPUExecutionProvider"])


def compare(got, want, what):
    assert len(got) == len(want), what
    for i, (g, w) in enumerate(zip(got, want)):
        w = np.asarray(w)
        assert g.shape == w.shape, f"{what}: output {i} shape {g.shape}, expected {w.shape}"
        assert g.dtype == w.dtype, f"{what}: output {i} dtype {g.dtype}, expected {w.dtype}"
        if w.dtype.kind == "f":
            if w.size == 0:
                continue
            err = np.abs(g.astype(np.float64) - w.astype(np.float64))
            assert not np.isnan(err).any(), f"{what}: output {i} has NaN (unwritten?) elements"
            scale = max(1.0, float(np.abs(w).max()))
            assert float(err.max()) <= FTOL * scale, \
                f"{what}: output {i} max abs error {float(err.max()):.3g} (scale {scale:.3g})"
        else:
            assert np.array_equal(g, w), f"{what}: output {i}\n got {g}\n expected {w}"


# --------------------------------------------------------------------------- cases

def constant_cases():
    t = numpy_helper.from_array
    v23 = (np.arange(6, dtype=F32).reshape(2, 3) * 0.5 - 1.25)
    return [
        case("Constant-value-f32-add", [node("Constant", [], ["c"], value=t(v23)),
                                        node("Add", ["x", "c"], ["y"])],
             [("x", F32, [2, 3])], [("y", F32)]),
        case("Constant-value-f32-as-output", [node("Constant", [], ["y"], value=t(v23))],
             [], [("y", F32)]),
        case("Constant-value-i64-as-output", [node("Constant", [], ["y"], value=t(const_i64(3, -1, 7)))],
             [], [("y", I64)]),
        case("Constant-value-f32-scalar-mul-dyn", [node("Constant", [], ["c"], value=t(np.array(1.5, F32))),
                                                   node("Mul", ["x", "c"], ["y"])],
             [("x", F32, ["N", 3])], [("y", F32)]),
        case("Constant-value_float-mul", [node("Constant", [], ["c"], value_float=-2.5),
                                          node("Mul", ["c", "x"], ["y"])],
             [("x", F32, [2, 3])], [("y", F32)]),
        case("Constant-value_floats-add-dyn", [node("Constant", [], ["c"], value_floats=[1.0, -2.0, 0.25]),
                                               node("Add", ["x", "c"], ["y"])],
             [("x", F32, ["N", 3])], [("y", F32)]),
        case("Constant-value_float-as-output", [node("Constant", [], ["y"], value_float=3.25)],
             [], [("y", F32)]),
        case("Constant-value_int-add", [node("Constant", [], ["c"], value_int=-7),
                                        node("Add", ["x", "c"], ["y"])],
             [("x", I64, [4])], [("y", I64)]),
        case("Constant-value_int-as-output", [node("Constant", [], ["y"], value_int=42)],
             [], [("y", I64)]),
        case("Constant-value_ints-as-output", [node("Constant", [], ["y"], value_ints=[2, -1, 0, 5])],
             [], [("y", I64)]),
        case("Constant-value_ints-reshape-shape", [node("Constant", [], ["s"], value_ints=[2, -1]),
                                                   node("Reshape", ["x", "s"], ["y"])],
             [("x", F32, [4, 3])], [("y", F32)]),
    ]


def identity_cases():
    return [
        case("Identity-f32-static", [node("Identity", ["x"], ["y"])], [("x", F32, [2, 3, 4])], [("y", F32)]),
        case("Identity-i64-dyn", [node("Identity", ["x"], ["y"])], [("x", I64, ["N", 2])], [("y", I64)]),
        case("Identity-f32-scalar", [node("Identity", ["x"], ["y"])], [("x", F32, [])], [("y", F32)]),
        case("Identity-of-initializer", [node("Identity", ["w"], ["y"])], [], [("y", F32)],
             inits={"w": np.linspace(-1, 1, 6, dtype=F32).reshape(3, 2)}),
        case("Identity-chain-tanh-dyn", [node("Identity", ["x"], ["a"]), node("Identity", ["a"], ["b"]),
                                         node("Tanh", ["b"], ["y"])],
             [("x", F32, ["B", "T"])], [("y", F32)]),
        case("Identity-two-outputs", [node("Identity", ["x"], ["y"]), node("Relu", ["x"], ["z"])],
             [("x", F32, ["N", 3])], [("y", F32), ("z", F32)]),
    ]


def squeeze_cases():
    out = []

    def sq(cid, shape, axes, opset=13, dtype=F32, via_constant=False):
        if axes is None:
            nodes, inits = [node("Squeeze", ["x"], ["y"])], {}
        elif opset < 13:
            nodes, inits = [node("Squeeze", ["x"], ["y"], axes=axes)], {}
        elif via_constant:
            nodes = [node("Constant", [], ["axes"], value=numpy_helper.from_array(const_i64(*axes))),
                     node("Squeeze", ["x", "axes"], ["y"])]
            inits = {}
        else:
            nodes, inits = [node("Squeeze", ["x", "axes"], ["y"])], {"axes": const_i64(*axes)}
        out.append(case(cid, nodes, [("x", dtype, shape)], [("y", dtype)], inits, opset))

    sq("Squeeze-axes0", [1, 3, 1, 4], [0])
    sq("Squeeze-axes2", [1, 3, 1, 4], [2])
    sq("Squeeze-axes-neg2", [1, 3, 1, 4], [-2])
    sq("Squeeze-axes0,2", [1, 3, 1, 4], [0, 2])
    sq("Squeeze-axes-neg4,neg2", [1, 3, 1, 4], [-4, -2])
    sq("Squeeze-axes-unsorted2,0", [1, 3, 1, 4], [2, 0], opset=21)
    sq("Squeeze-noaxes-static", [1, 3, 1, 4], None)
    sq("Squeeze-noaxes-to-scalar", [1, 1], None)
    sq("Squeeze-axes0-to-scalar", [1], [0])
    sq("Squeeze-dyn-axes1", ["N", 1, 3], [1])
    sq("Squeeze-dyn-axes0,-1", [1, "N", 1], [0, -1])
    sq("Squeeze-dyn-constant-axes", ["B", 1, "T"], [1], via_constant=True)
    sq("Squeeze-i64-axes-1", [3, 1], [-1], dtype=I64)
    sq("Squeeze-opset11-attr-axes0,2", [1, 3, 1, 4], [0, 2], opset=11)
    sq("Squeeze-opset11-attr-neg", ["N", 1, 4], [-2], opset=11)
    sq("Squeeze-opset11-noaxes", [1, 3, 1], None, opset=11)
    return out


def unsqueeze_cases():
    out = []

    def usq(cid, shape, axes, opset=13, dtype=F32):
        if opset < 13:
            nodes, inits = [node("Unsqueeze", ["x"], ["y"], axes=axes)], {}
        else:
            nodes, inits = [node("Unsqueeze", ["x", "axes"], ["y"])], {"axes": const_i64(*axes)}
        out.append(case(cid, nodes, [("x", dtype, shape)], [("y", dtype)], inits, opset))

    usq("Unsqueeze-axes0", [3, 4], [0])
    usq("Unsqueeze-axes2", [3, 4], [2])
    usq("Unsqueeze-axes-neg1", [3, 4], [-1])
    usq("Unsqueeze-axes0,3", [3, 4], [0, 3])
    usq("Unsqueeze-axes1,2", [3, 4], [1, 2])
    usq("Unsqueeze-axes-neg1,0", [3, 4], [-1, 0], opset=21)
    usq("Unsqueeze-axes-neg3,neg1", [3, 4], [-3, -1])
    usq("Unsqueeze-scalar-axes0", [], [0])
    usq("Unsqueeze-scalar-axes0,1-i64", [], [0, 1], dtype=I64)
    usq("Unsqueeze-dyn-axes1", ["N", 4], [1])
    usq("Unsqueeze-dyn-axes-neg1,0", ["N", "M"], [-1, 0])
    usq("Unsqueeze-opset11-attr-axes0,3", [3, 4], [0, 3], opset=11)
    usq("Unsqueeze-opset11-attr-neg1-dyn", ["N", 4], [-1], opset=11)
    return out


def transpose_cases():
    out = []

    def tr(cid, shape, perm, dtype=F32):
        attrs = {} if perm is None else {"perm": perm}
        out.append(case(cid, [node("Transpose", ["x"], ["y"], **attrs)], [("x", dtype, shape)],
                        [("y", dtype)]))

    tr("Transpose-r1-default", [5], None)
    tr("Transpose-r2-default", [3, 4], None)
    tr("Transpose-r2-perm1,0", [3, 4], [1, 0])
    tr("Transpose-r2-identity", [3, 4], [0, 1])
    tr("Transpose-r3-default", [2, 3, 4], None)
    tr("Transpose-r3-perm0,2,1", [2, 3, 4], [0, 2, 1])
    tr("Transpose-r3-perm1,0,2", [2, 3, 4], [1, 0, 2])
    tr("Transpose-r3-perm2,0,1", [2, 3, 4], [2, 0, 1])
    tr("Transpose-r4-default", [2, 3, 4, 5], None)
    tr("Transpose-r4-perm0,2,1,3", [2, 3, 4, 5], [0, 2, 1, 3])
    tr("Transpose-r4-perm0,3,1,2", [2, 3, 4, 5], [0, 3, 1, 2])
    tr("Transpose-r4-perm3,1,0,2", [2, 3, 4, 5], [3, 1, 0, 2])
    tr("Transpose-dyn-r3-perm1,0,2", ["B", "T", 4], [1, 0, 2])
    tr("Transpose-dyn-r4-default", ["N", 3, "M", 2], None)
    tr("Transpose-i64-r2-default", [2, 3], None, dtype=I64)
    return out


def reshape_cases():
    out = []

    def rs(cid, shape, target, allowzero=None, dtype=F32, opset=18, xfail=None):
        attrs = {} if allowzero is None else {"allowzero": allowzero}
        out.append(case(cid, [node("Reshape", ["x", "s"], ["y"], **attrs)], [("x", dtype, shape)],
                        [("y", dtype)], {"s": const_i64(*target)}, opset, xfail=xfail))

    rs("Reshape-0,-1", [2, 3, 4], [0, -1])
    rs("Reshape--1", [2, 3, 4], [-1])
    rs("Reshape-4,0,-1", [2, 3, 4], [4, 0, -1])
    rs("Reshape-2,-1,2", [2, 3, 4], [2, -1, 2])
    rs("Reshape-0,0,-1", [2, 3, 4], [0, 0, -1])
    rs("Reshape-1,24,1", [2, 3, 4], [1, 24, 1])
    rs("Reshape-to-scalar", [1, 1], [])
    rs("Reshape-i64-3,-1", [2, 6], [3, -1], dtype=I64)
    rs("Reshape-allowzero1-nozeros", [2, 3, 4], [4, 6], allowzero=1)
    rs("Reshape-allowzero1-empty-3,0", [0, 3], [3, 0], allowzero=1)
    rs("Reshape-allowzero0-empty-0,-1", [2, 0, 3], [0, -1], allowzero=0)
    rs("Reshape-dyn-0,-1", ["N", 3, 4], [0, -1])
    rs("Reshape-dyn--1,4", ["N", 3, 4], [-1, 4])
    rs("Reshape-dyn-0,3,4", ["N", 12], [0, 3, 4])
    rs("Reshape-dyn-0,0,2,3", ["B", "T", 6], [0, 0, 2, 3])
    rs("Reshape-dyn--1", ["N", "M"], [-1])
    rs("Reshape-dyn-opset21-0,-1,2", ["N", 4, 3], [0, -1, 2], opset=21)

    # shape from a Constant node (torch.onnx style)
    out.append(case("Reshape-dyn-shape-from-Constant",
                    [node("Constant", [], ["s"], value=numpy_helper.from_array(const_i64(-1, 3, 4))),
                     node("Reshape", ["x", "s"], ["y"])],
                    [("x", F32, ["N", 12])], [("y", F32)]))

    # shape computed at run time: Shape -> Gather -> Unsqueeze -> Concat -> Reshape
    def torch_dyn(cid, tail_nodes, parts, x_shape=("B", "T", 6), opset=17):
        nodes = [node("Shape", ["x"], ["sh"]),
                 node("Gather", ["sh", "i0"], ["b"], axis=0),
                 node("Gather", ["sh", "i1"], ["t"], axis=0),
                 node("Unsqueeze", ["b", "ax0"], ["ub"]),
                 node("Unsqueeze", ["t", "ax0"], ["ut"])] + tail_nodes + \
                [node("Concat", parts, ["shp"], axis=0), node("Reshape", ["x", "shp"], ["y"])]
        inits = {"i0": np.array(0, I64), "i1": np.array(1, I64), "ax0": const_i64(0),
                 "m1": const_i64(-1), "c6": const_i64(6), "c23": const_i64(2, 3)}
        out.append(case(cid, nodes, [("x", F32, list(x_shape))], [("y", F32)], inits, opset))

    torch_dyn("Reshape-computed-B,T,2,3", [], ["ub", "ut", "c23"])
    torch_dyn("Reshape-computed-B,-1", [], ["ub", "m1"])
    torch_dyn("Reshape-computed-BxT,6", [node("Mul", ["ub", "ut"], ["bt"])], ["bt", "c6"])
    torch_dyn("Reshape-computed-T,B,-1", [], ["ut", "ub", "m1"], x_shape=("B", "T", 6))

    # Shape with start/end feeding a Reshape (opset 15+): flatten all but the last dim
    out.append(case("Reshape-computed-Shape-start-end",
                    [node("Shape", ["x"], ["lead"], start=0, end=-1),
                     node("Concat", ["lead", "m1"], ["shp"], axis=0),
                     node("Reshape", ["z", "shp"], ["y"])],
                    [("x", F32, ["B", "T", 3]), ("z", F32, ["B", "T", 3])], [("y", F32)],
                    {"m1": const_i64(-1)}, opset=18))

    # the same without Gather: Shape(start, end) picks single dimensions
    out.append(case("Reshape-computed-Shape-slices-B,T,2,3",
                    [node("Shape", ["x"], ["ub"], start=0, end=1),
                     node("Shape", ["x"], ["ut"], start=1, end=2),
                     node("Concat", ["ub", "ut", "c23"], ["shp"], axis=0),
                     node("Reshape", ["x", "shp"], ["y"])],
                    [("x", F32, ["B", "T", 6])], [("y", F32)], {"c23": const_i64(2, 3)}))
    out.append(case("Reshape-computed-Shape-mul-BxT,-1",
                    [node("Shape", ["x"], ["ub"], start=0, end=1),
                     node("Shape", ["x"], ["ut"], start=-2, end=-1),
                     node("Mul", ["ub", "ut"], ["bt"]),
                     node("Concat", ["bt", "m1"], ["shp"], axis=0),
                     node("Reshape", ["x", "shp"], ["y"])],
                    [("x", F32, ["B", "T", 6])], [("y", F32)], {"m1": const_i64(-1)}))

    # shape as a graph input: only known at run time
    def shape_gen(vals):
        return lambda rng, shp, b: np.array(vals, dtype=np.int64)
    out.append(case("Reshape-shape-graph-input-4,-1,3",
                    [node("Reshape", ["x", "s"], ["y"])],
                    [("x", F32, [2, 3, 4]), ("s", I64, [3])], [("y", F32)],
                    gen={"s": shape_gen([4, -1, 3])}))
    out.append(case("Reshape-shape-graph-input-0,-1",
                    [node("Reshape", ["x", "s"], ["y"])],
                    [("x", F32, ["N", 3, 4]), ("s", I64, [2])], [("y", F32)],
                    gen={"s": shape_gen([0, -1])}))
    return out


def concat_cases():
    out = []

    def cc(cid, shapes, axis, dtype=F32, inits=None, names=None):
        names = names or [f"x{i}" for i in range(len(shapes))]
        inputs = [(n, dtype, s) for n, s in zip(names, shapes) if not (inits and n in inits)]
        out.append(case(cid, [node("Concat", names, ["y"], axis=axis)], inputs, [("y", dtype)], inits))

    cc("Concat-2-axis0", [[2, 3], [4, 3]], 0)
    cc("Concat-2-axis1", [[2, 3], [2, 5]], 1)
    cc("Concat-2-axis-1", [[2, 3], [2, 1]], -1)
    cc("Concat-2-axis-2", [[2, 3], [1, 3]], -2)
    cc("Concat-3-r3-axis1", [[2, 1, 4], [2, 2, 4], [2, 3, 4]], 1)
    cc("Concat-4-r3-axis2", [[2, 3, 1], [2, 3, 2], [2, 3, 3], [2, 3, 1]], 2)
    cc("Concat-3-r3-axis-3", [[1, 3, 2], [2, 3, 2], [1, 3, 2]], -3)
    cc("Concat-4-r4-axis0", [[1, 2, 3, 2]] * 4, 0)
    cc("Concat-3-r1-i64", [[1], [1], [2]], 0, dtype=I64)
    cc("Concat-2-r2-i64-axis1", [[2, 3], [2, 2]], 1, dtype=I64)
    cc("Concat-dyn-along-axis0", [["N", 3], ["M", 3]], 0)
    cc("Concat-dyn-along-axis-1-3inputs", [[2, "N"], [2, 3], [2, "M"]], -1)
    cc("Concat-dyn-off-axis1", [["N", 3], ["N", 2]], 1)
    cc("Concat-dyn-both-r3-axis2", [["B", "T", 2], ["B", "T", "K"]], 2)
    cc("Concat-dyn-off-axis-with-initializer", [["N", 3], [1, 3]], 0,
       inits={"w": np.arange(3, dtype=F32).reshape(1, 3)}, names=["x0", "w"])
    out.append(case("Concat-same-input-twice", [node("Concat", ["x", "x", "x"], ["y"], axis=1)],
                    [("x", F32, ["N", 3])], [("y", F32)]))
    cc("Concat-with-empty-input", [[0, 3], [2, 3]], 0)
    return out


def slice_cases():
    out = []

    def sl(cid, shape, starts, ends, axes=None, steps=None, dtype=F32, idx=I64, xfail=None, opset=18):
        names, inits = ["x", "starts", "ends"], {"starts": np.array(starts, idx), "ends": np.array(ends, idx)}
        if axes is not None or steps is not None:
            names.append("axes" if axes is not None else "")
            if axes is not None:
                inits["axes"] = np.array(axes, idx)
        if steps is not None:
            names.append("steps")
            inits["steps"] = np.array(steps, idx)
        out.append(case(cid, [node("Slice", names, ["y"])], [("x", dtype, shape)], [("y", dtype)],
                        inits, opset, xfail=xfail))

    sl("Slice-axis0-1:4", [6, 7], [1], [4], [0])
    sl("Slice-axes-omitted-2d", [6, 7], [1, 2], [5, 6])
    sl("Slice-axes-omitted-prefix", [6, 7], [2], [5])
    sl("Slice-neg-start-end", [6, 7], [-3], [-1], [1])
    sl("Slice-end-INT64_MAX", [6, 7], [2], [INT64_MAX], [1])
    sl("Slice-reverse-INT64_MIN-step-1", [6, 7], [-1], [INT64_MIN], [0], [-1])
    sl("Slice-step2", [6, 7], [0], [7], [1], [2])
    sl("Slice-step-2", [6, 7], [5], [0], [1], [-2])
    sl("Slice-step-2-neg-start-clamped-end", [6, 7], [-1], [-100], [0], [-2])
    sl("Slice-step-1-partial", [6, 7], [4], [1], [1], [-1])
    sl("Slice-neg-axis", [6, 7], [1], [3], [-1])
    sl("Slice-neg-axes-two-steps", [6, 7], [0, -1], [INT64_MAX, INT64_MIN], [-2, -1], [2, -1])
    sl("Slice-empty-start-gt-end", [6, 7], [4], [2], [0])
    sl("Slice-empty-start-out-of-range", [6, 7], [10], [20], [0])
    sl("Slice-empty-step-1-start-lt-end", [6, 7], [1], [3], [1], [-1])
    sl("Slice-clamp-both", [6, 7], [-100], [100], [1])
    sl("Slice-int32-params", [6, 7], [1, -1], [-1, -100], [0, 1], [1, -2], idx=I32)
    sl("Slice-int32-reverse-INT32_MIN", [6, 7], [-1], [int(np.iinfo(np.int32).min)], [0], [-1], idx=I32)
    sl("Slice-r3-axes0,2-steps", [4, 5, 6], [1, -4], [3, INT64_MAX], [0, 2], [1, 2])
    sl("Slice-r3-axes-unsorted2,0", [4, 5, 6], [0, 1], [3, 3], [2, 0])
    sl("Slice-i64-data", [8], [1], [-2], [0], [3], dtype=I64)
    sl("Slice-dyn-axis0-1:-1", ["N", 6], [1], [-1], [0])
    sl("Slice-dyn-reverse", ["N", 6], [-1], [INT64_MIN], [0], [-1])
    sl("Slice-dyn-two-axes-step2", ["N", "M"], [0, 1], [INT64_MAX, -1], [0, 1], [2, 1])
    sl("Slice-dyn-last-timestep", ["B", "T", 4], [-1], [INT64_MAX], [1])
    sl("Slice-dyn-step-2", ["N", "M"], [-1], [INT64_MIN], [1], [-2])
    sl("Slice-dyn-clamped-end", ["N", 5], [0], [2], [0])
    sl("Slice-opset21", ["N", 6], [1], [5], [1], [3], opset=21)

    # Slice-1 (attributes), opset 9
    out.append(case("Slice-opset9-attributes", [node("Slice", ["x"], ["y"], starts=[1, -3], ends=[3, 1000],
                                                     axes=[0, 1])],
                    [("x", F32, [4, 5])], [("y", F32)], opset=9))

    # ends computed at run time from another input's shape
    out.append(case("Slice-computed-ends-from-Shape",
                    [node("Shape", ["z"], ["sz"]),
                     node("Gather", ["sz", "i1"], ["e"], axis=0),
                     node("Slice", ["x", "zero", "e", "ax1"], ["y"])],
                    [("x", F32, ["N", 5]), ("z", F32, ["N", "M"])], [("y", F32)],
                    {"i1": const_i64(1), "zero": const_i64(0), "ax1": const_i64(1)}))
    out.append(case("Slice-computed-ends-from-Shape-start-end",
                    [node("Shape", ["z"], ["e"], start=1, end=2),
                     node("Slice", ["x", "zero", "e", "ax1"], ["y"])],
                    [("x", F32, ["N", 5]), ("z", F32, ["N", "M"])], [("y", F32)],
                    {"zero": const_i64(0), "ax1": const_i64(1)}))
    # starts / ends as graph inputs (values known at run time only)
    out.append(case("Slice-starts-ends-graph-inputs",
                    [node("Slice", ["x", "st", "en", "ax", "sp"], ["y"])],
                    [("x", F32, [6, 7]), ("st", I64, [2]), ("en", I64, [2])], [("y", F32)],
                    {"ax": const_i64(0, 1), "sp": const_i64(1, -1)},
                    gen={"st": lambda r, s, b: const_i64(1, -2), "en": lambda r, s, b: const_i64(-1, 0)}))
    return out


def gather_cases():
    out = []

    def idx_gen(dim, neg=True):
        # dim: int or dynamic dim name; random indices in [-dim, dim) (or [0, dim))
        def g(rng, shp, b):
            d = b[dim] if isinstance(dim, str) else dim
            return rng.integers(-d if neg else 0, d, size=shp)
        return g

    def ga(cid, dshape, axis, ishape=None, ivals=None, dtype=F32, idx=I64, neg=True):
        """Indices from an initializer (ivals) or a graph input of shape ishape."""
        if ivals is not None:
            out.append(case(cid, [node("Gather", ["x", "i"], ["y"], axis=axis)], [("x", dtype, dshape)],
                            [("y", dtype)], {"i": np.array(ivals, idx)}))
        else:
            out.append(case(cid, [node("Gather", ["x", "i"], ["y"], axis=axis)],
                            [("x", dtype, dshape), ("i", idx, ishape)], [("y", dtype)],
                            gen={"i": idx_gen(dshape[axis], neg)}))

    ga("Gather-axis0-scalar", [5, 4], 0, ivals=2)
    ga("Gather-axis0-scalar-neg", [5, 4], 0, ivals=-1)
    ga("Gather-axis0-1d", [5, 4], 0, ishape=[3])
    ga("Gather-axis1-1d", [5, 4], 1, ishape=[6])
    ga("Gather-axis-1-2d", [5, 4], -1, ishape=[2, 3])
    ga("Gather-axis0-2d-int32", [5, 4], 0, ishape=[2, 3], idx=I32)
    ga("Gather-axis1-scalar-int32", [5, 4], 1, ivals=-2, idx=I32)
    ga("Gather-r3-axis1-2d", [3, 4, 5], 1, ishape=[2, 2])
    ga("Gather-r3-axis2-scalar", [3, 4, 5], 2, ivals=3)
    ga("Gather-r3-axis-2-1d-int32", [3, 4, 5], -2, ishape=[5], idx=I32)
    ga("Gather-r1-2d-indices", [6], 0, ishape=[2, 2])
    ga("Gather-i64-data-axis0", [4, 3], 0, ishape=[2], dtype=I64)
    ga("Gather-empty-indices", [5, 4], 0, ivals=np.zeros((0,), np.int64))
    ga("Gather-dyn-data-axis1", ["N", 4], 1, ishape=[3])
    ga("Gather-dyn-data-axis0-const", ["N", 4], 0, ivals=[0, -1])
    ga("Gather-dyn-data-axis0-dyn-indices", ["N", 4], 0, ishape=["K"])
    ga("Gather-dyn-indices-axis-1", [5, 4], -1, ishape=["N", 2], idx=I32)

    # Gather on a Shape result (int64 data)
    def shape_gather(cid, xshape, ivals, idx=I64):
        out.append(case(cid, [node("Shape", ["x"], ["s"]), node("Gather", ["s", "i"], ["y"], axis=0)],
                        [("x", F32, xshape)], [("y", I64)], {"i": np.array(ivals, idx)}))
    shape_gather("Gather-Shape-scalar0-dyn", ["B", "T", 3], 0)
    shape_gather("Gather-Shape-scalar-neg1-dyn", ["B", "T", 3], -1)
    shape_gather("Gather-Shape-1d-dyn", ["B", "T", 3], [1, 0])
    shape_gather("Gather-Shape-1d-int32-static", [2, 3, 4], [2, -3], idx=I32)
    return out


def shape_cases():
    out = []

    def sh_(cid, xshape, opset=15, **attrs):
        out.append(case(cid, [node("Shape", ["x"], ["y"], **attrs)], [("x", F32, xshape)], [("y", I64)],
                        opset=opset))

    sh_("Shape-opset13", [2, 3, 4, 5], opset=13)
    sh_("Shape-start1", [2, 3, 4, 5], start=1)
    sh_("Shape-end-1", [2, 3, 4, 5], end=-1)
    sh_("Shape-start1-end3", [2, 3, 4, 5], start=1, end=3)
    sh_("Shape-start-2", [2, 3, 4, 5], opset=19, start=-2)
    sh_("Shape-start-3-end-1", [2, 3, 4, 5], opset=21, start=-3, end=-1)
    sh_("Shape-end-clamped", [2, 3, 4, 5], start=2, end=10)
    sh_("Shape-start-clamped", [2, 3, 4, 5], start=-10, end=2)
    sh_("Shape-empty-start-gt-end", [2, 3, 4, 5], start=3, end=1)
    sh_("Shape-scalar-input", [])
    sh_("Shape-dyn", ["N", 3, "M"])
    sh_("Shape-dyn-start2", ["N", 3, "M"], start=2)
    sh_("Shape-dyn-end1", ["N", 3, "M"], end=1)
    sh_("Shape-dyn-start-2-end-1", ["B", "T", 3], start=-2, end=-1)
    return out


def matmul_cases():
    out = []

    def mm(cid, a, b, weight=False):
        if weight:
            w = np.random.default_rng(5).standard_normal(b).astype(F32)
            out.append(case(cid, [node("MatMul", ["a", "w"], ["y"])], [("a", F32, a)], [("y", F32)],
                            {"w": w}, opset=13))
        else:
            out.append(case(cid, [node("MatMul", ["a", "b"], ["y"])], [("a", F32, a), ("b", F32, b)],
                            [("y", F32)], opset=13))

    mm("MatMul-1dx1d", [4], [4])
    mm("MatMul-1dx2d", [4], [4, 5])
    mm("MatMul-2dx1d", [3, 4], [4])
    mm("MatMul-2dx2d", [3, 4], [4, 5])
    mm("MatMul-1x4x4x1", [1, 4], [4, 1])
    mm("MatMul-3dx2d", [2, 3, 4], [4, 5])
    mm("MatMul-3dx1d", [2, 3, 4], [4])
    mm("MatMul-1dx3d", [4], [2, 4, 5])
    mm("MatMul-2dx3d", [3, 4], [2, 4, 5])
    mm("MatMul-3dx3d", [2, 3, 4], [2, 4, 5])
    mm("MatMul-3dx3d-bcast-rhs1", [2, 3, 4], [1, 4, 5])
    mm("MatMul-3dx3d-bcast-lhs1", [1, 3, 4], [2, 4, 5])
    mm("MatMul-4dx3d-bcast", [2, 1, 3, 4], [5, 4, 6])
    mm("MatMul-4dx4d-bcast-both", [2, 1, 3, 4], [1, 3, 4, 2])
    mm("MatMul-dyn-batch-3dx2d-weight", ["B", 3, 4], [4, 5], weight=True)
    mm("MatMul-dyn-BT-3dx2d-weight", ["B", "T", 4], [4, 6], weight=True)
    mm("MatMul-dyn-batch-3dx3d", ["B", 3, 4], ["B", 4, 5])
    mm("MatMul-dyn-MKN", ["N", "K"], ["K", "M"])
    mm("MatMul-dyn-1dx2d", ["K"], ["K", 3])
    return out


def gemm_cases():
    out = []
    M, K, N = 3, 4, 5
    rng = np.random.default_rng(11)

    def gm(cid, transA=0, transB=0, c_shape=None, alpha=None, beta=None, c_init=False, m=M,
           b_init=False):
        attrs = {"transA": transA, "transB": transB}
        if alpha is not None:
            attrs["alpha"] = alpha
        if beta is not None:
            attrs["beta"] = beta
        a_shape = [K, m] if transA else [m, K]
        b_shape = [N, K] if transB else [K, N]
        inputs, inits, names = [("a", F32, a_shape)], {}, ["a", "b"]
        if b_init:
            inits["b"] = rng.standard_normal(b_shape).astype(F32)
        else:
            inputs.append(("b", F32, b_shape))
        if c_shape is not None:
            names.append("c")
            if c_init:
                inits["c"] = rng.standard_normal(c_shape).astype(F32)
            else:
                inputs.append(("c", F32, c_shape))
        out.append(case(cid, [node("Gemm", names, ["y"], **attrs)], inputs, [("y", F32)], inits, opset=13))

    for ta, tb, cs, cn in ((0, 0, None, "noC"), (0, 1, None, "noC"), (1, 0, None, "noC"), (1, 1, None, "noC"),
                           (0, 0, [N], "C[N]"), (1, 1, [N], "C[N]"),
                           (0, 1, [M, N], "C[M,N]"), (1, 0, [M, N], "C[M,N]")):
        gm(f"Gemm-tA{ta}-tB{tb}-{cn}", ta, tb, cs)
    for cs, cn in (([], "C-scalar"), ([1], "C[1]"), ([M, 1], "C[M,1]"), ([1, N], "C[1,N]"),
                   ([1, 1], "C[1,1]")):
        gm(f"Gemm-tA0-tB1-{cn}", 0, 1, cs)
    gm("Gemm-tA1-tB0-C[M,1]", 1, 0, [M, 1])
    gm("Gemm-alpha-beta-C[M,N]", 0, 0, [M, N], alpha=0.5, beta=2.0)
    gm("Gemm-alpha-beta-tA1-tB1-C[N]", 1, 1, [N], alpha=-1.5, beta=0.25)
    gm("Gemm-alpha-noC", 0, 1, None, alpha=2.5)
    gm("Gemm-beta0-C[M,N]", 0, 0, [M, N], beta=0.0)
    gm("Gemm-linear-dyn-M", 0, 1, [N], m="M", b_init=True, c_init=True)
    gm("Gemm-dyn-M-tA1-C[1,N]", 1, 0, [1, N], m="M")
    gm("Gemm-dyn-M-C[M,1]-alpha-beta", 0, 0, ["M", 1], m="M", alpha=0.75, beta=-1.0)
    return out


def binary_cases():
    out = []
    patterns = [  # (name, shape a, shape b)
        ("same", [2, 3], [2, 3]),
        ("scalar-rhs", [2, 3], []),
        ("scalar-lhs", [], [2, 3]),
        ("trailing", [2, 3, 4], [4]),
        ("mid", [2, 3, 4], [3, 1]),
        ("leading1", [2, 3, 4], [1, 3, 4]),
        ("both-sides", [2, 1, 4], [1, 3, 1]),
        ("one-elem", [1], [2, 3]),
        ("rank4-both", [2, 1, 3, 1], [4, 1, 5]),
        ("dyn-trailing", ["N", 3], [3]),
        ("dyn-same", ["N", "M"], ["N", "M"]),
        ("dyn-outer", ["N", 1], [1, "M"]),
        ("dyn-col", ["N", "M"], ["N", 1]),
        ("dyn-scalar", ["N"], []),
        ("dyn-leading1", [1, "M"], ["N", "M"]),
    ]
    by_name = {p[0]: p for p in patterns}

    def pos_divisor(rng, shp, b):
        return (rng.uniform(0.5, 2.0, size=shp) * rng.choice([-1.0, 1.0], size=shp)).astype(F32)

    def int_divisor(rng, shp, b):
        return randint_nonzero(rng, shp, I64)

    def bop(op, pname, dtype, a_init=False):
        _, sa, sb = by_name[pname]
        gen = {}
        if op == "Div":
            gen["b"] = pos_divisor if dtype == F32 else (lambda r, s, b: randint_nonzero(r, s, dtype))
        tname = {np.dtype(F32): "f32", np.dtype(I64): "i64", np.dtype(I32): "i32"}[np.dtype(dtype)]
        check = None
        if op == "Div" and dtype != F32:
            def check(feeds, got):  # ONNX integer Div truncates toward zero (C semantics)
                want = np.trunc(feeds["a"].astype(np.float64) / feeds["b"]).astype(dtype)
                assert np.array_equal(got[0], want), f"integer Div not truncating: {got[0]} vs {want}"
        out.append(case(f"{op}-{tname}-{pname}", [node(op, ["a", "b"], ["y"])],
                        [("a", dtype, sa), ("b", dtype, sb)], [("y", dtype)], opset=14,
                        gen=gen, check=check))

    for p in patterns:
        bop("Add", p[0], F32)
    for op, names in (("Sub", ["scalar-lhs", "mid", "both-sides", "dyn-col"]),
                      ("Mul", ["scalar-rhs", "leading1", "rank4-both", "dyn-outer"]),
                      ("Div", ["same", "scalar-lhs", "both-sides", "one-elem", "dyn-col"])):
        for n in names:
            bop(op, n, F32)
    for op in ("Add", "Sub", "Mul", "Div"):
        for n in ("same", "both-sides", "dyn-trailing"):
            bop(op, n, I64)
    bop("Div", "scalar-rhs", I64)
    bop("Add", "trailing", I32)
    bop("Div", "mid", I32)

    # an initializer operand, as torch exports a bias
    out.append(case("Add-f32-initializer-operand-dyn", [node("Add", ["x", "bias"], ["y"])],
                    [("x", F32, ["B", "T", 4])], [("y", F32)],
                    {"bias": np.linspace(-1, 1, 4, dtype=F32)}))
    out.append(case("Mul-f32-same-input-twice", [node("Mul", ["x", "x"], ["y"])],
                    [("x", F32, ["N", 3])], [("y", F32)]))
    out.append(case("Sub-i64-shape-arith", [node("Shape", ["x"], ["s"]), node("Sub", ["s", "one"], ["y"])],
                    [("x", F32, ["N", "M"])], [("y", I64)], {"one": np.array(1, I64)}))
    return out


def unary_cases():
    out = []

    def un(cid, op, shape, dtype=F32, scale=None, opset=14):
        gen = {}
        if scale is not None:
            gen["x"] = lambda r, s, b: (r.standard_normal(s) * scale).astype(F32)
        out.append(case(cid, [node(op, ["x"], ["y"])], [("x", dtype, shape)], [("y", dtype)],
                        opset=opset, gen=gen))

    for op in ("Sigmoid", "Tanh", "Relu"):
        un(f"{op}-static", op, [2, 3, 4])
        un(f"{op}-dyn", op, ["N", 5])
    un("Sigmoid-large-values", "Sigmoid", [64], scale=40.0)
    un("Tanh-large-values", "Tanh", [64], scale=40.0)
    un("Tanh-small-values", "Tanh", [64], scale=1e-3)
    un("Relu-scalar", "Relu", [])
    un("Relu-opset6", "Relu", [3, 4], opset=6)
    un("Relu-i32", "Relu", ["N", 4], dtype=I32)

    # The elementwise family: each op static and dynamic, with the inputs its
    # domain needs, and every attribute away from its default once.
    positive = lambda r, s, b: r.uniform(0.1, 4.0, size=s).astype(F32)
    halves = lambda r, s, b: (r.integers(-8, 9, size=s) / 2).astype(F32)  # Round's ties
    for op, gen, opset in (("Exp", None, 13), ("Log", positive, 13), ("Sqrt", positive, 13),
                           ("Reciprocal", positive, 13), ("Erf", None, 13), ("Sin", None, 7),
                           ("Cos", None, 7), ("Floor", None, 13), ("Ceil", None, 13),
                           ("Round", halves, 11), ("Abs", None, 13), ("Neg", None, 13),
                           ("Sign", halves, 13), ("Softplus", None, 1), ("Softsign", None, 1),
                           ("Mish", None, 18), ("HardSwish", None, 14), ("LeakyRelu", None, 16),
                           ("Elu", None, 6), ("Selu", None, 6), ("HardSigmoid", None, 6),
                           ("Gelu", None, 20)):
        for shape, tag in (([2, 3, 4], "static"), (["N", 5], "dyn")):
            out.append(case(f"{op}-{tag}", [node(op, ["x"], ["y"])], [("x", F32, shape)],
                            [("y", F32)], opset=opset, gen={"x": gen} if gen else None))
    for op, attrs, opset in (("LeakyRelu", dict(alpha=0.3), 16), ("Elu", dict(alpha=0.7), 6),
                             ("Selu", dict(alpha=1.5, gamma=2.0), 6),
                             ("HardSigmoid", dict(alpha=0.3, beta=0.4), 6),
                             ("Gelu", dict(approximate="tanh"), 20)):
        out.append(case(f"{op}-attributes", [node(op, ["x"], ["y"], **attrs)],
                        [("x", F32, ["N", 4])], [("y", F32)], opset=opset))
    for op in ("Abs", "Neg", "Sign"):
        out.append(case(f"{op}-i64", [node(op, ["x"], ["y"])], [("x", I64, ["N", 3])],
                        [("y", I64)], opset=13))
        out.append(case(f"{op}-i32", [node(op, ["x"], ["y"])], [("x", I32, [4])],
                        [("y", I32)], opset=13))
    return out


def pow_and_variadic_cases():
    out = []
    base = lambda r, s, b: r.uniform(0.2, 3.0, size=s).astype(F32)
    small_int = lambda r, s, b: r.integers(-3, 4, size=s)
    out.append(case("Pow-f32-broadcast-dyn", [node("Pow", ["x", "e"], ["y"])],
                    [("x", F32, ["N", 3]), ("e", F32, [3])], [("y", F32)], opset=15,
                    gen={"x": base}))
    out.append(case("Pow-f32-negative-base-integral-exponent", [node("Pow", ["x", "e"], ["y"])],
                    [("x", F32, [2, 3])], [("y", F32)], {"e": np.array([2.0, 3.0, -1.0], F32)},
                    opset=15))
    for etype in (I64, I32):
        out.append(case(f"Pow-f32-{np.dtype(etype).name}-exponent",
                        [node("Pow", ["x", "e"], ["y"])],
                        [("x", F32, ["N", 4]), ("e", etype, [4])], [("y", F32)], opset=15,
                        gen={"x": base, "e": small_int}))
    out.append(case("Pow-i64-base-i64-exponent", [node("Pow", ["x", "e"], ["y"])],
                    [("x", I64, [3, 4]), ("e", I64, [4])], [("y", I64)], opset=15,
                    gen={"x": lambda r, s, b: r.integers(-6, 7, size=s),
                         "e": lambda r, s, b: r.integers(0, 5, size=s)}))
    out.append(case("Pow-i32-base-f32-exponent", [node("Pow", ["x", "e"], ["y"])],
                    [("x", I32, [5])], [("y", I32)], {"e": np.array(2.0, F32)}, opset=15,
                    gen={"x": lambda r, s, b: r.integers(-9, 10, size=s)}))
    for op in ("Min", "Max", "Sum", "Mean"):
        out.append(case(f"{op}-one-input", [node(op, ["a"], ["y"])], [("a", F32, ["N", 3])],
                        [("y", F32)], opset=13))
        out.append(case(f"{op}-three-inputs-broadcast-dyn", [node(op, ["a", "b", "c"], ["y"])],
                        [("a", F32, ["N", 1, 4]), ("b", F32, [3, 1]), ("c", F32, [4])],
                        [("y", F32)], opset=13))
    # Comparisons: ties matter, so the inputs are small integers (as floats too).
    ties = lambda r, s, b: r.integers(-2, 3, size=s).astype(F32)
    for op in ("Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual"):
        out.append(case(f"{op}-f32-broadcast-dyn", [node(op, ["a", "b"], ["y"])],
                        [("a", F32, ["N", 3]), ("b", F32, [3])], [("y", BOOL)], opset=16,
                        gen={"a": ties, "b": ties}))
        out.append(case(f"{op}-i64", [node(op, ["a", "b"], ["y"])],
                        [("a", I64, [2, 3]), ("b", I64, [2, 1])], [("y", BOOL)], opset=16,
                        gen={"a": lambda r, s, b: r.integers(-2, 3, size=s),
                             "b": lambda r, s, b: r.integers(-2, 3, size=s)}))
    for op in ("And", "Or", "Xor"):
        out.append(case(f"{op}-broadcast-dyn", [node(op, ["a", "b"], ["y"])],
                        [("a", BOOL, ["N", 1, 4]), ("b", BOOL, [3, 1])], [("y", BOOL)], opset=7))
    out.append(case("Not-dyn", [node("Not", ["a"], ["y"])], [("a", BOOL, ["N", 4])],
                    [("y", BOOL)], opset=1))
    nans = lambda r, s, b: np.where(r.random(s) < 0.3, np.nan, r.standard_normal(s)).astype(F32)
    out.append(case("IsNaN-dyn", [node("IsNaN", ["x"], ["y"])], [("x", F32, ["N", 5])],
                    [("y", BOOL)], opset=13, gen={"x": nans}))
    out.append(case("Where-broadcast-dyn", [node("Where", ["c", "x", "y"], ["z"])],
                    [("c", BOOL, ["N", 1]), ("x", F32, [1, 4]), ("y", F32, ["N", 4])],
                    [("z", F32)], opset=16))
    out.append(case("Where-i64-from-comparison", [node("Less", ["x", "t"], ["c"]),
                                                   node("Where", ["c", "x", "t"], ["z"])],
                    [("x", I64, ["N", 3])], [("z", I64)], {"t": np.array(5, I64)}, opset=16))
    # Cast: every pair among f32, f64, i64, i32 and bool; floats with
    # fractions of both signs and zeros, so that truncation toward zero and
    # "not zero" are what is checked.
    fractions = lambda r, s, b: np.where(r.random(s) < 0.2, 0.0,
                                         r.uniform(-50, 50, size=s)).astype(F32)
    gens = {F32: fractions, F64: lambda r, s, b: fractions(r, s, b).astype(F64),
            I64: lambda r, s, b: r.integers(-70000, 70000, size=s),
            I32: lambda r, s, b: r.integers(-300, 300, size=s),
            BOOL: lambda r, s, b: r.integers(0, 2, size=s).astype(BOOL)}
    for src in gens:
        for dst in gens:
            if src == dst:
                continue
            sn, dn = np.dtype(src).name, np.dtype(dst).name
            out.append(case(f"Cast-{sn}-to-{dn}", [node("Cast", ["x"], ["y"], to=ELEM[np.dtype(dst)])],
                            [("x", src, ["N", 3])], [("y", dst)], opset=19, gen={"x": gens[src]}))
    out.append(case("CastLike-f32-like-i64", [node("CastLike", ["x", "t"], ["y"])],
                    [("x", F32, ["N", 3]), ("t", I64, [1])], [("y", I64)], opset=19,
                    gen={"x": fractions}))
    # ConstantOfShape on a shape computed at run time (as exporters build
    # zero states), and on a constant one; Range with bounds from inputs.
    out.append(case("ConstantOfShape-from-Shape-dyn",
                    [node("Shape", ["x"], ["s"]),
                     node("ConstantOfShape", ["s"], ["y"],
                          value=numpy_helper.from_array(np.array([7], I64)))],
                    [("x", F32, ["N", "M"])], [("y", I64)], opset=20))
    out.append(case("ConstantOfShape-default-float-zero", [node("ConstantOfShape", ["s"], ["y"])],
                    [], [("y", F32)], {"s": const_i64(2, 0, 3)}, opset=20))
    out.append(case("ConstantOfShape-input-shape", [node("ConstantOfShape", ["s"], ["y"],
                    value=numpy_helper.from_array(np.array([1.5], F32)))],
                    [("s", I64, [2])], [("y", F32)], opset=20,
                    gen={"s": lambda r, s, b: r.integers(0, 4, size=s)}))
    for dtype, lo, hi, step in ((F32, -2.5, 3.0, 0.75), (I64, 10, -3, -4), (I32, 0, 9, 3),
                                (F32, 1.0, 1.0, 0.5)):
        name = np.dtype(dtype).name
        out.append(case(f"Range-{name}-{lo}-{hi}-{step}", [node("Range", ["a", "b", "d"], ["y"])],
                        [("b", dtype, [])], [("y", dtype)],
                        {"a": np.array(lo, dtype), "d": np.array(step, dtype)}, opset=11,
                        gen={"b": lambda r, s, b, hi=hi, dtype=dtype: np.array(hi, dtype)}))
    # Reductions with constant axes: keepdims both ways, negative axes, all
    # axes by default, noop_with_empty_axes, the opset-13 attribute form.
    positive = lambda r, s, b: r.uniform(0.5, 2.0, size=s).astype(F32)
    for op in ("ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1",
               "ReduceL2", "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp"):
        gen = {"x": positive} if op in ("ReduceLogSum", "ReduceProd") else None
        for axes, keep, tag in (([1], 1, "axis1-keep"), ([-1, 0], 0, "two-axes-drop")):
            out.append(case(f"{op}-{tag}-dyn", [node(op, ["x", "axes"], ["y"], keepdims=keep)],
                            [("x", F32, ["N", 3, "M"])], [("y", F32)], {"axes": const_i64(*axes)},
                            opset=18, gen=gen))
        out.append(case(f"{op}-all-axes", [node(op, ["x"], ["y"], keepdims=0)],
                        [("x", F32, [2, 3, 4])], [("y", F32)], opset=18, gen=gen))
        out.append(case(f"{op}-opset13-attribute", [node(op, ["x"], ["y"], axes=[1])],
                        [("x", F32, [2, 3, 4])], [("y", F32)],
                        opset=11 if op == "ReduceSum" else 13, gen=gen))
    out.append(case("ReduceSum-noop-with-empty-axes", [node("ReduceSum", ["x"], ["y"],
                                                            noop_with_empty_axes=1)],
                    [("x", F32, ["N", 3])], [("y", F32)], opset=18))
    for op in ("ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd"):
        out.append(case(f"{op}-i64-dyn", [node(op, ["x", "axes"], ["y"], keepdims=0)],
                        [("x", I64, ["N", 3])], [("y", I64)], {"axes": const_i64(0)}, opset=18,
                        gen={"x": lambda r, s, b: r.integers(-4, 5, size=s)}))
    for op in ("ReduceMax", "ReduceMin"):
        out.append(case(f"{op}-bool", [node(op, ["x", "axes"], ["y"], keepdims=0)],
                        [("x", BOOL, [3, 4])], [("y", BOOL)], {"axes": const_i64(1)}, opset=20))
    # Softmax and LogSoftmax along each axis, large values (the max shift),
    # and the opset-11 form where it equals the one-axis rule.
    large = lambda r, s, b: (r.standard_normal(s) * 30).astype(F32)
    for op in ("Softmax", "LogSoftmax"):
        for axis in (-1, 0, 1):
            out.append(case(f"{op}-axis{axis}-dyn", [node(op, ["x"], ["y"], axis=axis)],
                            [("x", F32, ["N", 3, "M"])], [("y", F32)], opset=13, gen={"x": large}))
        out.append(case(f"{op}-opset11-2d", [node(op, ["x"], ["y"])], [("x", F32, ["N", 5])],
                        [("y", F32)], opset=11))
        out.append(case(f"{op}-opset11-last-axis", [node(op, ["x"], ["y"], axis=2)],
                        [("x", F32, [2, 3, 4])], [("y", F32)], opset=11))
    # Expand: constant shapes broadcasting both ways, and a shape computed at
    # run time (Shape of another input, as exporters write it).
    for xshape, target in (([3, 1], [2, 1, 6]), ([1, 4], [3, 1]), (["N", 1], [1, 5]),
                           ([2, 3], [3])):
        out.append(case(f"Expand-{xshape}-to-{target}", [node("Expand", ["x", "s"], ["y"])],
                        [("x", F32, xshape)], [("y", F32)], {"s": const_i64(*target)}, opset=13))
    out.append(case("Expand-to-Shape-of-other-dyn", [node("Shape", ["like"], ["s"]),
                                                     node("Expand", ["x", "s"], ["y"])],
                    [("x", F32, [1, 4]), ("like", F32, ["N", 4])], [("y", F32)], opset=13))
    out.append(case("Expand-shape-input", [node("Expand", ["x", "s"], ["y"])],
                    [("x", F32, [3, 1]), ("s", I64, [2])], [("y", F32)], opset=13,
                    gen={"s": lambda r, s, b: np.array([3, 4])}))
    # Squeeze and Unsqueeze with axes read at run time (the values per run).
    for cid, op, shape, axes in (("Unsqueeze-axes-at-run-time", "Unsqueeze", ["N", 3], [0, -1]),
                                 ("Unsqueeze-axes-at-run-time-middle", "Unsqueeze", [2, "M"], [1, 3]),
                                 ("Squeeze-axes-at-run-time", "Squeeze", [1, "N", 1, 3], [2, -4])):
        out.append(case(cid, [node(op, ["x", "axes"], ["y"])],
                        [("x", F32, shape), ("axes", I64, [len(axes)])], [("y", F32)], opset=13,
                        gen={"axes": lambda r, s, b, axes=axes: np.array(axes)}))
    # Slice with axes and steps read at run time (negative steps and axes).
    for cid, starts, ends, axes, steps in (("Slice-axes-steps-at-run-time", [1, -1], [5, 0], [2, 0], [2, -1]),
                                           ("Slice-axes-steps-at-run-time-negative-axis", [-2], [-100], [-1], [-2]),
                                           ("Slice-axes-at-run-time-clamped", [0, 1], [100, 3], [1, 2], [1, 1])):
        vals = {"starts": starts, "ends": ends, "axes": axes, "steps": steps}
        out.append(case(cid, [node("Slice", ["x", "starts", "ends", "axes", "steps"], ["y"])],
                        [("x", F32, ["N", 4, 6])] + [(k, I64, [len(v)]) for k, v in vals.items()],
                        [("y", F32)], opset=13,
                        gen={k: (lambda r, s, b, v=v: np.array(v)) for k, v in vals.items()}))
    # A dynamic size that is 1 at run time broadcasts, in either operand.
    pairs = ({"N": 3, "B": 1, "M": 4, "K": 1}, {"N": 1, "B": 2, "M": 1, "K": 5},
             {"N": 2, "B": 2, "M": 3, "K": 3})
    out.append(case("Add-dyn-broadcast-at-run-time", [node("Add", ["a", "b"], ["y"])],
                    [("a", F32, ["N", "M"]), ("b", F32, ["B", "K"])], [("y", F32)], opset=13, runs=pairs))
    # MatMul's batch dimensions broadcast the same way, in either operand.
    out.append(case("MatMul-dyn-batch-broadcast-at-run-time", [node("MatMul", ["a", "b"], ["y"])],
                    [("a", F32, ["N", "B", 2, 3]), ("b", F32, ["M", 3, "K"])], [("y", F32)],
                    opset=13, runs=({"N": 2, "B": 1, "M": 4, "K": 5},
                                    {"N": 1, "B": 3, "M": 3, "K": 2},
                                    {"N": 2, "B": 3, "M": 1, "K": 1},
                                    {"N": 2, "B": 2, "M": 2, "K": 4})))
    out.append(case("Where-dyn-broadcast-at-run-time", [node("Where", ["c", "a", "b"], ["y"])],
                    [("c", BOOL, ["N", 1]), ("a", F32, ["B", "M"]), ("b", F32, ["K"])], [("y", F32)],
                    opset=13, runs=({"N": 3, "B": 1, "M": 4, "K": 1}, {"N": 1, "B": 2, "M": 5, "K": 5})))
    out.append(case("Expand-dyn-1-at-run-time", [node("Expand", ["x", "s"], ["y"])],
                    [("x", F32, ["N", "M"])], [("y", F32)], {"s": const_i64(4, 3)}, opset=13,
                    runs=({"N": 1, "M": 3}, {"N": 4, "M": 1}, {"N": 1, "M": 1}, {"N": 4, "M": 3})))
    for axis in (0, 1, 2, -1, 3):
        out.append(case(f"Flatten-axis{axis}-dyn", [node("Flatten", ["x"], ["y"], axis=axis)],
                        [("x", F32, ["N", 3, "M"])], [("y", F32)], opset=13))
    for op in ("Min", "Max"):  # Sum and Mean are float-only in ONNX
        out.append(case(f"{op}-i64-two-inputs", [node(op, ["a", "b"], ["y"])],
                        [("a", I64, ["N", 3]), ("b", I64, [3])], [("y", I64)], opset=13))
    return out


def chain_cases():
    out = []
    rng = np.random.default_rng(3)
    F, H = 6, 4
    # torch-like head around a recurrent layer: flatten [B,T,F] -> [B*T,F],
    # Linear + Tanh, reshape back to [B,T,H] with a shape computed at run time
    # (Shape -> Gather -> Unsqueeze -> Concat, as torch.onnx exports it, and the
    # same with Shape(start, end) in place of Gather + Unsqueeze).
    for variant in ("gather", "shape-slices"):
        if variant == "gather":
            dims = [node("Shape", ["x"], ["s"]),
                    node("Gather", ["s", "i0"], ["b"], axis=0),
                    node("Gather", ["s", "i1"], ["t"], axis=0),
                    node("Unsqueeze", ["b", "ax0"], ["ub"]),
                    node("Unsqueeze", ["t", "ax0"], ["ut"])]
        else:
            dims = [node("Shape", ["x"], ["ub"], start=0, end=1),
                    node("Shape", ["x"], ["ut"], start=1, end=2)]
        nodes = dims + [node("Concat", ["m1", "cF"], ["flat_shape"], axis=0),
                        node("Reshape", ["x", "flat_shape"], ["flat"]),
                        node("MatMul", ["flat", "W"], ["mm"]),
                        node("Add", ["mm", "bias"], ["lin"]),
                        node("Tanh", ["lin"], ["act"]),
                        node("Concat", ["ub", "ut", "cH"], ["out_shape"], axis=0),
                        node("Reshape", ["act", "out_shape"], ["y"])]
        inits = {"m1": const_i64(-1), "cF": const_i64(F), "cH": const_i64(H),
                 "W": rng.standard_normal((F, H)).astype(F32) * 0.5, "bias": rng.standard_normal(H).astype(F32)}
        if variant == "gather":
            inits.update({"i0": np.array(0, I64), "i1": np.array(1, I64), "ax0": const_i64(0)})
        out.append(case(f"Chain-flatten-linear-tanh-unflatten-{variant}", nodes, [("x", F32, ["B", "T", F])],
                        [("y", F32)], inits, opset=17))

    # batch-first input -> time-major, last time step, Gemm head, Sigmoid / Relu, plus the shape
    nodes = [node("Transpose", ["x"], ["xt"], perm=[1, 0, 2]),
             node("Slice", ["xt", "sm1", "smax", "ax0"], ["last"]),
             node("Squeeze", ["last", "ax0"], ["h"]),
             node("Gemm", ["h", "W2", "b2"], ["g"], transB=1),
             node("Sigmoid", ["g"], ["p"]),
             node("Relu", ["g"], ["r"]),
             node("Sub", ["p", "r"], ["d"]),
             node("Div", ["d", "two"], ["y"]),
             node("Shape", ["xt"], ["yshape"], start=0, end=2)]
    inits = {"sm1": const_i64(-1), "smax": const_i64(INT64_MAX), "ax0": const_i64(0),
             "W2": rng.standard_normal((3, F)).astype(F32), "b2": rng.standard_normal(3).astype(F32),
             "two": np.array(2.0, F32)}
    out.append(case("Chain-transpose-slice-squeeze-gemm-act", nodes, [("x", F32, ["B", "T", F])],
                    [("y", F32), ("yshape", I64)], inits, opset=18))

    # an LSTM between torch-style shape plumbing: the flattening shape built from the
    # batch size at run time (Shape(start, end) -> Concat -> Reshape)
    I, Hh = 3, 4
    nodes = [node("Transpose", ["x"], ["xt"], perm=[1, 0, 2]),
             node("LSTM", ["xt", "W", "R", "Bb"], ["Y", "Y_h"], hidden_size=Hh),
             node("Squeeze", ["Y", "ax1"], ["Ys"]),                # [T,B,H]
             node("Transpose", ["Ys"], ["Yb"], perm=[1, 0, 2]),      # [B,T,H]
             node("Shape", ["Yb"], ["ub"], end=1),
             node("Concat", ["ub", "m1"], ["shp"], axis=0),
             node("Reshape", ["Yb", "shp"], ["flat"]),               # [B, T*H]
             node("MatMul", ["Y_h", "Wo"], ["o"]),                  # [1,B,H]x[H,2]
             node("Add", ["o", "bo"], ["o2"]),
             node("Tanh", ["o2"], ["y2"])]
    inits = {"W": (rng.standard_normal((1, 4 * Hh, I)) * 0.5).astype(F32),
             "R": (rng.standard_normal((1, 4 * Hh, Hh)) * 0.5).astype(F32),
             "Bb": (rng.standard_normal((1, 8 * Hh)) * 0.5).astype(F32),
             "ax1": const_i64(1), "m1": const_i64(-1),
             "Wo": rng.standard_normal((Hh, 2)).astype(F32), "bo": rng.standard_normal(2).astype(F32)}
    out.append(case("Chain-lstm-with-shape-plumbing", nodes, [("x", F32, ["B", "T", I])],
                    [("flat", F32), ("y2", F32)], inits, opset=17))
    return out


def _weights(cid, shape, scale=1.0):
    """Deterministic per-case initializer values."""
    return (np.random.default_rng(zlib.crc32(cid.encode())).standard_normal(shape) * scale).astype(F32)


def conv_cases():
    out = []

    def cv(cid, xshape, wshape, bias=False, w_input=False, opset=11, **attrs):
        """Conv of X (graph input) with W (initializer, or graph input when w_input)
        and optional B [M] (initializer)."""
        names, inputs, inits = ["x", "w"], [("x", F32, xshape)], {}
        if w_input:
            inputs.append(("w", F32, wshape))
        else:
            inits["w"] = _weights(cid, wshape)
        if bias:
            names.append("b")
            inits["b"] = _weights(cid + "/b", [wshape[0]])
        out.append(case(cid, [node("Conv", names, ["y"], **attrs)], inputs, [("y", F32)], inits, opset))

    # 1-D
    cv("Conv1d-bias", [2, 3, 10], [4, 3, 3], bias=True)
    cv("Conv1d-nobias", [2, 3, 10], [4, 3, 3])
    cv("Conv1d-W-graph-input", [2, 3, 9], [5, 3, 2], w_input=True)
    cv("Conv1d-kernel1", [2, 4, 6], [3, 4, 1], bias=True)
    cv("Conv1d-stride2", [1, 2, 11], [3, 2, 3], strides=[2])
    cv("Conv1d-stride-gt-kernel", [1, 2, 11], [3, 2, 2], bias=True, strides=[4])
    cv("Conv1d-dilation2", [2, 2, 12], [3, 2, 3], dilations=[2])
    cv("Conv1d-dilation3-stride2-pads", [1, 3, 13], [2, 3, 3], bias=True, dilations=[3], strides=[2],
       pads=[2, 1])
    cv("Conv1d-asym-pads", [2, 3, 7], [4, 3, 3], bias=True, pads=[2, 0])
    cv("Conv1d-pads-gt-kernel", [1, 2, 4], [3, 2, 2], pads=[3, 4])
    cv("Conv1d-group3", [2, 6, 8], [9, 2, 3], bias=True, group=3)
    cv("Conv1d-depthwise", [2, 4, 9], [4, 1, 3], bias=True, group=4, pads=[1, 1])
    cv("Conv1d-depthwise-multiplier2", [1, 3, 8], [6, 1, 3], group=3, strides=[2])
    cv("Conv1d-kernel_shape-attr", [2, 3, 10], [4, 3, 3], bias=True, kernel_shape=[3])
    cv("Conv1d-output-length1", [1, 2, 3], [3, 2, 3], bias=True)
    cv("Conv1d-output-length1-stride-overshoot", [1, 2, 5], [3, 2, 3], strides=[3])
    cv("Conv1d-kernel-covers-padded-input", [1, 2, 2], [3, 2, 4], pads=[1, 1])
    for mode in ("SAME_UPPER", "SAME_LOWER", "VALID"):
        cv(f"Conv1d-auto_pad-{mode}-k4-s1", [2, 3, 9], [4, 3, 4], bias=True, auto_pad=mode)
        cv(f"Conv1d-auto_pad-{mode}-k3-s2", [1, 3, 10], [2, 3, 3], auto_pad=mode, strides=[2])
        cv(f"Conv1d-auto_pad-{mode}-k2-s3", [1, 2, 11], [2, 2, 2], auto_pad=mode, strides=[3])
    # (onnxruntime refuses dilations with SAME_*)
    cv("Conv1d-auto_pad-VALID-k2-s3-d2", [1, 2, 11], [2, 2, 2], auto_pad="VALID", strides=[3], dilations=[2])
    # dynamic batch and length (explicit pads only)
    cv("Conv1d-dyn-batch", ["N", 3, 8], [4, 3, 3], bias=True, pads=[1, 1])
    cv("Conv1d-dyn-batch-length-pads", ["N", 3, "T"], [4, 3, 3], bias=True, pads=[1, 1])
    cv("Conv1d-dyn-length-asym-pads-stride2", [2, 3, "T"], [4, 3, 3], pads=[2, 0], strides=[2])
    cv("Conv1d-dyn-length-depthwise-dilation", ["B", 3, "T"], [3, 1, 2], group=3, dilations=[2],
       pads=[2, 1])
    cv("Conv1d-dyn-length-VALID-kernel1", ["N", 2, "T"], [3, 2, 1], bias=True, auto_pad="VALID")
    # the channel count a dim_param too (checked against W at run time)
    out.append(case("Conv1d-dyn-channels-group2", [node("Conv", ["x", "w", "b"], ["y"], pads=[1, 1], group=2)],
                    [("x", F32, ["N", "C", "T"])], [("y", F32)],
                    {"w": _weights("Conv-dyn-C-w", [4, 2, 3]), "b": _weights("Conv-dyn-C-b", [4])}, opset=11,
                    runs=({"N": 2, "C": 4, "T": 7}, {"N": 1, "C": 4, "T": 1})))
    # silero-vad's STFT: 258 filters of length 256, hop 128 over 640 samples
    cv("Conv1d-silero-stft-k256-s128", [1, 1, 640], [258, 1, 256], strides=[128])
    out.append(case("Conv1d-silero-reflect-pad-then-stft",
                    [node("Pad", ["x", "p"], ["xp"], mode="reflect"),
                     node("Unsqueeze", ["xp", "ax1"], ["xu"]),
                     node("Conv", ["xu", "w"], ["y"], strides=[128])],
                    [("x", F32, [1, 576])], [("y", F32)],
                    {"p": const_i64(0, 0, 0, 64), "ax1": const_i64(1),
                     "w": _weights("silero-stft", [258, 1, 256])}, opset=18))
    # 2-D
    cv("Conv2d-bias", [2, 3, 7, 6], [5, 3, 3, 2], bias=True)
    cv("Conv2d-nobias-W-graph-input", [1, 2, 5, 5], [3, 2, 3, 3], w_input=True)
    cv("Conv2d-strides2,3", [1, 3, 9, 10], [4, 3, 3, 3], bias=True, strides=[2, 3])
    cv("Conv2d-dilations2,1", [2, 2, 8, 7], [3, 2, 3, 2], dilations=[2, 1])
    cv("Conv2d-asym-pads", [1, 3, 6, 5], [4, 3, 3, 3], bias=True, pads=[1, 0, 2, 3])
    cv("Conv2d-group2", [1, 4, 6, 6], [6, 2, 3, 3], bias=True, group=2, pads=[1, 1, 1, 1])
    cv("Conv2d-depthwise", [2, 4, 5, 5], [4, 1, 3, 3], bias=True, group=4, pads=[1, 1, 1, 1])
    cv("Conv2d-depthwise-stride2-dilation2", [1, 3, 9, 9], [3, 1, 2, 2], group=3, strides=[2, 2],
       dilations=[2, 2])
    cv("Conv2d-kernel_shape-attr-strides", [1, 2, 7, 7], [3, 2, 2, 3], kernel_shape=[2, 3],
       strides=[2, 1])
    cv("Conv2d-1x1-pointwise", [2, 5, 4, 3], [6, 5, 1, 1], bias=True)
    cv("Conv2d-stride-gt-kernel", [1, 2, 9, 8], [2, 2, 2, 2], strides=[3, 4])
    cv("Conv2d-output-1x1", [1, 2, 3, 4], [2, 2, 3, 4], bias=True)
    cv("Conv2d-auto_pad-SAME_UPPER-s2-k4", [1, 2, 7, 6], [3, 2, 4, 3], bias=True, auto_pad="SAME_UPPER",
       strides=[2, 2])
    cv("Conv2d-auto_pad-SAME_LOWER-s2-k4", [1, 2, 7, 6], [3, 2, 4, 3], bias=True, auto_pad="SAME_LOWER",
       strides=[2, 2])
    cv("Conv2d-auto_pad-SAME_UPPER-group2", [1, 4, 6, 5], [4, 2, 2, 3], auto_pad="SAME_UPPER", group=2)
    cv("Conv2d-auto_pad-VALID-s2", [2, 3, 7, 8], [2, 3, 3, 3], auto_pad="VALID", strides=[2, 2])
    cv("Conv2d-dyn-batch", ["N", 2, 5, 5], [3, 2, 3, 3], bias=True, pads=[1, 1, 1, 1])
    cv("Conv2d-dyn-batch-SAME_LOWER", ["N", 2, 5, 4], [3, 2, 2, 2], auto_pad="SAME_LOWER")
    cv("Conv2d-dyn-spatial-pads-strides", [1, 2, "T", "K"], [3, 2, 2, 2], bias=True, pads=[1, 0, 1, 2],
       strides=[2, 1])
    # 3-D
    cv("Conv3d-bias-pads", [1, 2, 4, 5, 3], [3, 2, 2, 3, 2], bias=True, pads=[1, 0, 1, 0, 1, 1])
    cv("Conv3d-group2-strides-dilations", [2, 4, 5, 6, 5], [4, 2, 2, 2, 2], group=2, strides=[1, 2, 2],
       dilations=[2, 1, 2])
    cv("Conv3d-SAME_UPPER", [1, 2, 3, 4, 5], [2, 2, 2, 3, 2], auto_pad="SAME_UPPER", strides=[1, 1, 2])
    # a small network: Conv -> Relu -> depthwise Conv -> Add residual
    out.append(case("Conv1d-chain-relu-depthwise-residual",
                    [node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1]),
                     node("Relu", ["c1"], ["r"]),
                     node("Conv", ["r", "w2"], ["c2"], group=4, pads=[2, 2], dilations=[2]),
                     node("Add", ["c2", "c1"], ["y"])],
                    [("x", F32, ["N", 3, "T"])], [("y", F32)],
                    {"w1": _weights("chain-w1", [4, 3, 3]), "b1": _weights("chain-b1", [4]),
                     "w2": _weights("chain-w2", [4, 1, 3])}, opset=11))
    return out


def conv_transpose_cases():
    out = []

    def ct(cid, xshape, wshape, bias=False, opset=11, runs=None, oracle="ort", **attrs):
        """ConvTranspose of X (graph input) with W [C, M/group, k...] and
        optional B [M] (initializers)."""
        names, inits = ["x", "w"], {"w": _weights(cid, wshape)}
        if bias:
            names.append("b")
            inits["b"] = _weights(cid + "/b", [wshape[1] * attrs.get("group", 1)])
        out.append(case(cid, [node("ConvTranspose", names, ["y"], **attrs)], [("x", F32, xshape)],
                        [("y", F32)], inits, opset, runs=runs, oracle=oracle))

    ct("ConvTranspose1d-bias", [2, 3, 7], [3, 4, 3], bias=True)
    ct("ConvTranspose1d-stride2", [1, 2, 6], [2, 3, 4], strides=[2])
    ct("ConvTranspose1d-stride-gt-kernel", [1, 2, 5], [2, 2, 2], bias=True, strides=[3])
    ct("ConvTranspose1d-stride2-pads-output_padding", [2, 3, 5], [3, 2, 3], strides=[2], pads=[1, 2],
       output_padding=[1])
    ct("ConvTranspose1d-dilation2-stride3", [1, 2, 4], [2, 3, 3], dilations=[2], strides=[3])
    ct("ConvTranspose1d-pads-beyond-kernel", [1, 2, 6], [2, 2, 2], pads=[3, 2])
    ct("ConvTranspose1d-group2", [1, 4, 5], [4, 3, 3], bias=True, group=2, strides=[2])
    ct("ConvTranspose1d-depthwise", [2, 3, 6], [3, 1, 4], group=3, strides=[2], pads=[1, 1])
    ct("ConvTranspose1d-output_shape", [1, 2, 4], [2, 3, 3], strides=[3], output_shape=[13])
    for mode in ("SAME_UPPER", "SAME_LOWER"):
        ct(f"ConvTranspose1d-{mode}-s2-k3", [1, 2, 5], [2, 2, 3], bias=True, strides=[2], auto_pad=mode)
        # The stride outruns the kernel: SAME_* still gives input x stride
        # outputs, the spare one zero (ONNX Runtime stops at the kernel's reach).
        ct(f"ConvTranspose1d-{mode}-s3-k2", [1, 2, 5], [2, 2, 2], strides=[3], auto_pad=mode,
           oracle="onnx")
    ct("ConvTranspose1d-VALID", [1, 2, 5], [2, 2, 3], strides=[2], auto_pad="VALID")
    ct("ConvTranspose1d-dyn-batch-length", ["N", 3, "T"], [3, 2, 4], bias=True, strides=[2], pads=[1, 1])
    ct("ConvTranspose1d-dyn-length-SAME_UPPER", [1, 2, "T"], [2, 3, 3], strides=[2], auto_pad="SAME_UPPER")
    ct("ConvTranspose2d-bias-strides", [1, 2, 4, 3], [2, 3, 3, 2], bias=True, strides=[2, 3])
    ct("ConvTranspose2d-group2-dilations-pads", [2, 4, 3, 4], [4, 2, 2, 3], group=2, dilations=[2, 1],
       pads=[1, 0, 0, 2], output_padding=[1, 0], strides=[2, 2])
    ct("ConvTranspose2d-dyn-spatial", [1, 2, "T", "K"], [2, 2, 3, 3], strides=[2, 1], pads=[1, 1, 0, 1])
    ct("ConvTranspose3d", [1, 2, 3, 2, 3], [2, 2, 2, 2, 2], bias=True, strides=[1, 2, 2])
    return out


def resize_cases():
    out = []
    F = np.float32

    def rs(cid, xshape, scales=None, sizes=None, roi=None, opset=19, dtype=F32, runs=None,
           oracle="ort", sizes_input=False, **attrs):
        """Resize X by constant scales or sizes (or sizes as a graph input, its
        values from `sizes` per run)."""
        names, inputs, inits, gen = ["x", "roi" if roi is not None else "", "", ""], [("x", dtype, xshape)], {}, {}
        if roi is not None:
            inits["roi"] = np.array(roi, F)
        if scales is not None:
            names[2] = "scales"
            inits["scales"] = np.array(scales, F)
        elif sizes_input:
            names[3] = "sizes"
            inputs.append(("sizes", I64, [len(sizes)]))
            gen["sizes"] = lambda r, s, b: np.array([b.get(v, v) if isinstance(v, str) else v for v in sizes])
        else:
            names[3] = "sizes"
            inits["sizes"] = np.array(sizes, np.int64)
        while names[-1] == "":
            names.pop()
        out.append(case(cid, [node("Resize", names, ["y"], **attrs)], inputs, [("y", dtype)], inits, opset,
                        gen=gen, runs=runs, oracle=oracle))

    up, down = [1, 1, 2, 3], [1, 1, 0.6, 0.8]
    for transform in ("half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric"):
        for nearest in ("round_prefer_floor", "round_prefer_ceil", "floor", "ceil"):
            rs(f"Resize-nearest-{transform}-{nearest}-up", [2, 3, 4, 5], scales=up, mode="nearest",
               coordinate_transformation_mode=transform, nearest_mode=nearest)
        # align_corners with scales that do not give whole sizes: ONNX's
        # reference divides by (scale * length - 1), ONNX Runtime by (output
        # length - 1); seqc follows the reference (and the node tests).
        rs(f"Resize-nearest-{transform}-down", [1, 2, 7, 9], scales=down, mode="nearest",
           coordinate_transformation_mode=transform,
           oracle="onnx" if transform == "align_corners" else "ort")
        for mode in ("linear", "cubic"):
            rs(f"Resize-{mode}-{transform}-up", [2, 3, 4, 5], scales=up, mode=mode,
               coordinate_transformation_mode=transform)
            rs(f"Resize-{mode}-{transform}-down-sizes", [1, 2, 8, 9], sizes=[1, 2, 5, 4], mode=mode,
               coordinate_transformation_mode=transform)
    rs("Resize-linear-half_pixel_symmetric-down", [1, 1, 7, 9], scales=down, mode="linear",
       coordinate_transformation_mode="half_pixel_symmetric")
    rs("Resize-cubic-A-0.5-exclude_outside", [1, 2, 5, 6], scales=[1, 1, 1.7, 2.3], mode="cubic",
       cubic_coeff_a=-0.5, exclude_outside=1)
    rs("Resize-linear-antialias-down", [1, 2, 9, 11], scales=[1, 1, 0.45, 0.6], mode="linear", antialias=1)
    rs("Resize-cubic-antialias-down-sizes", [1, 1, 10, 8], sizes=[1, 1, 4, 5], mode="cubic", antialias=1)
    rs("Resize-tf_crop_and_resize-linear", [1, 2, 6, 7], sizes=[1, 2, 4, 5],
       roi=[0, 0, 0.2, 0.1, 1, 1, 0.9, 1.3], mode="linear", coordinate_transformation_mode="tf_crop_and_resize",
       extrapolation_value=-3.0)
    rs("Resize-tf_crop_and_resize-nearest", [1, 1, 5, 5], sizes=[1, 1, 3, 4],
       roi=[0, 0, -0.2, 0.3, 1, 1, 0.8, 1.1], mode="nearest",
       coordinate_transformation_mode="tf_crop_and_resize", extrapolation_value=7.0)
    # 1-D time axis of [N, C, T] (an upsampling decoder), dynamic batch and length
    rs("Resize-linear-time-axis-dyn", ["N", 3, "T"], scales=[1, 1, 2.5], mode="linear")
    rs("Resize-nearest-time-axis-dyn", ["N", 3, "T"], scales=[1, 1, 3], mode="nearest")
    rs("Resize-linear-sizes-at-run-time", ["N", 2, "T"], sizes=["N", 2, "K"], sizes_input=True,
       mode="linear", runs=({"N": 2, "T": 5, "K": 9}, {"N": 1, "T": 7, "K": 3}))
    # (ONNX Runtime's cubic mode takes 2-D and NCHW inputs only)
    rs("Resize-cubic-axes-attr", [2, 5, 6], sizes=[9, 4], axes=[2, 1], mode="cubic", oracle="onnx")
    rs("Resize-nearest-not_larger", [1, 1, 4, 6], sizes=[8, 9], axes=[2, 3], mode="nearest",
       keep_aspect_ratio_policy="not_larger")
    rs("Resize-nearest-not_smaller", [1, 1, 4, 6], sizes=[8, 9], axes=[2, 3], mode="nearest",
       keep_aspect_ratio_policy="not_smaller")
    rs("Resize-nearest-int32", [2, 3, 4], scales=[1, 2, 1.5], mode="nearest", dtype=I32)
    rs("Resize-linear-opset11-empty-roi", [1, 2, 3, 4], scales=[1, 1, 2, 2], roi=[], opset=11,
       mode="linear")
    # Resize-10 and Upsample: asymmetric coordinates, nearest rounds down
    out.append(case("Resize-opset10-nearest", [node("Resize", ["x", "s"], ["y"], mode="nearest")],
                    [("x", F32, [1, 2, 3, 4])], [("y", F32)], {"s": np.array([1, 1, 2, 2.5], F)}, opset=10))
    out.append(case("Resize-opset10-linear", [node("Resize", ["x", "s"], ["y"], mode="linear")],
                    [("x", F32, [1, 2, 3, 4])], [("y", F32)], {"s": np.array([1, 1, 2, 3], F)}, opset=10))
    out.append(case("Upsample-opset9-nearest", [node("Upsample", ["x", "s"], ["y"], mode="nearest")],
                    [("x", F32, [1, 2, 3, 4])], [("y", F32)], {"s": np.array([1, 1, 2, 3], F)}, opset=9))
    out.append(case("Upsample-opset7-scales-attr", [node("Upsample", ["x"], ["y"], mode="nearest",
                                                         scales=[1.0, 1.0, 2.0, 2.0])],
                    [("x", F32, [1, 2, 3, 4])], [("y", F32)], opset=7))
    return out


def spectral_cases():
    out = []
    F = np.float32

    def dft(cid, xshape, opset=20, axis=None, length=None, runs=None, oracle="ort", **attrs):
        """DFT of X; opset 20 takes axis and dft_length as (constant) inputs,
        opset 17 axis as an attribute."""
        names, inits = ["x", "", ""], {}
        if length is not None:
            names[1] = "n"
            inits["n"] = np.array(length, np.int64)
        if axis is not None and opset >= 20:
            names[2] = "axis"
            inits["axis"] = np.array(axis, np.int64)
        elif axis is not None:
            attrs["axis"] = axis
        while names[-1] == "":
            names.pop()
        out.append(case(cid, [node("DFT", names, ["y"], **attrs)], [("x", F32, xshape)], [("y", F32)],
                        inits, opset, runs=runs, oracle=oracle))

    dft("DFT-real-axis1", [2, 16, 1], axis=1)
    dft("DFT-real-default-axis", [3, 10, 1])
    dft("DFT-complex-axis1", [2, 12, 3, 2], axis=1)
    dft("DFT-complex-axis2", [2, 5, 9, 2], axis=2)
    dft("DFT-complex-negative-axis", [2, 5, 9, 2], axis=-3)
    dft("DFT-real-onesided-even", [2, 16, 1], axis=1, onesided=1)
    dft("DFT-real-onesided-odd", [2, 15, 1], axis=1, onesided=1)
    dft("DFT-inverse", [2, 8, 3, 2], axis=1, inverse=1)
    dft("DFT-length-pads", [2, 10, 1], axis=1, length=16)
    dft("DFT-length-cuts", [2, 10, 2], axis=1, length=6)
    dft("DFT-irfft", [2, 9, 2], axis=1, inverse=1, onesided=1)
    # (ONNX Runtime's irfft of an odd length differs from numpy.fft.irfft,
    # which ONNX's reference uses)
    dft("DFT-irfft-odd-length", [2, 9, 2], axis=1, inverse=1, onesided=1, length=15, oracle="onnx")
    dft("DFT-dyn-batch-length", ["N", "T", 1], axis=1, onesided=1)
    dft("DFT-opset17-attr-axis", [2, 3, 8, 1], opset=17, axis=2)
    dft("DFT-opset17-default-axis", [2, 8, 1], opset=17, inverse=1)

    def stft(cid, signal, step, window=None, length=None, runs=None, **attrs):
        names, inits, nodes = ["x", "step", "", ""], {"step": np.array(step, np.int64)}, []
        if window is not None:
            names[2] = "w"
            nodes.append(node(window, ["wn"], ["w"]))
            inits["wn"] = np.array(window_length, np.int64) if length is None else np.array(length, np.int64)
        if length is not None:
            names[3] = "n"
            inits["n"] = np.array(length, np.int64)
        while names[-1] == "":
            names.pop()
        nodes.append(node("STFT", names, ["y"], **attrs))
        out.append(case(cid, nodes, [("x", F32, signal)], [("y", F32)], inits, 17, runs=runs))

    window_length = 16
    stft("STFT-hann-window", [1, 128, 1], 4, window="HannWindow")
    stft("STFT-hamming-window-frame_length", [2, 100, 1], 8, window="HammingWindow", length=16)
    stft("STFT-no-window-two-sided", [1, 64, 1], 16, length=16, onesided=0)
    stft("STFT-complex-signal", [1, 50, 2], 5, length=12, onesided=0)
    stft("STFT-dyn-length", ["N", "T", 1], 3, window="BlackmanWindow",
         runs=({"N": 2, "T": 40}, {"N": 1, "T": 16}))
    for op in ("HannWindow", "HammingWindow", "BlackmanWindow"):
        for periodic in (0, 1):
            out.append(case(f"{op}-periodic{periodic}", [node(op, ["n"], ["y"], periodic=periodic)],
                            [("n", I64, [])], [("y", F32)], opset=17,
                            gen={"n": lambda r, s, b: np.array(10)}))
    out.append(case("HannWindow-float64", [node("HannWindow", ["n"], ["y"], output_datatype=11)],
                    [("n", I64, [])], [("y", F64)], opset=17, gen={"n": lambda r, s, b: np.array(7)}))

    def mel(cid, mels, length, rate, low, high, runtime=False, datatype=None):
        """MelWeightMatrix from constants, or from graph inputs read at run time."""
        values = {"m": np.array(mels, np.int64), "n": np.array(length, np.int64),
                  "r": np.array(rate, np.int64), "lo": np.array(low, F),
                  "hi": np.array(high, F)}
        attrs = {} if datatype is None else {"output_datatype": datatype}
        nodes = [node("MelWeightMatrix", ["m", "n", "r", "lo", "hi"], ["y"], **attrs)]
        out_type = F64 if datatype == TensorProto.DOUBLE else F32
        if runtime:
            out.append(case(cid, nodes, [(k, v.dtype.type, []) for k, v in values.items()],
                            [("y", out_type)], opset=17, oracle="onnx",
                            gen={k: (lambda r, s, b, v=v: v) for k, v in values.items()}))
        else:
            out.append(case(cid, nodes, [], [("y", out_type)], values, opset=17, oracle="onnx"))

    mel("MelWeightMatrix-whisper-like", 80, 400, 16000, 0.0, 8000.0)
    mel("MelWeightMatrix-narrow-band", 8, 64, 8000, 300.0, 3400.0)
    mel("MelWeightMatrix-f64", 40, 512, 22050, 20.0, 11025.0, datatype=TensorProto.DOUBLE)
    mel("MelWeightMatrix-runtime", 23, 257, 44100, 50.0, 16000.0, runtime=True)
    return out


def scan_cases():
    out = []
    vi = helper.make_tensor_value_info
    FLOAT = TensorProto.FLOAT

    def body(nodes, inputs, outputs, inits=None):
        """A Scan body: inputs and outputs as (name, shape) float tensors."""
        return helper.make_graph(nodes, "body", [vi(n, FLOAT, s) for n, s in inputs],
                                 [vi(n, FLOAT, s) for n, s in outputs],
                                 [numpy_helper.from_array(v, k) for k, v in (inits or {}).items()])

    # Running sum over time, dynamic length: state and output.
    running = body([node("Add", ["s", "x"], ["s2"]), node("Identity", ["s2"], ["y"])],
                   [("s", [3]), ("x", [3])], [("s2", [3]), ("y", [3])])
    out.append(case("Scan-running-sum-dyn-length",
                    [node("Scan", ["s0", "x"], ["s", "ys"], body=running, num_scan_inputs=1)],
                    [("s0", F32, [3]), ("x", F32, ["T", 3])], [("s", F32), ("ys", F32)], opset=16))
    # Scan axis 1 of [2, T, 3], reversed; stacked along axis 1, reversed too,
    # and a second output stacked forward along axis 0.
    two = body([node("Mul", ["s", "x"], ["m"]), node("Add", ["m", "x"], ["s2"]),
                node("Tanh", ["s2"], ["y"]), node("Neg", ["s2"], ["z"])],
               [("s", [2, 3]), ("x", [2, 3])], [("s2", [2, 3]), ("y", [2, 3]), ("z", [2, 3])])
    out.append(case("Scan-axis1-reverse-input-outputs-mixed",
                    [node("Scan", ["s0", "x"], ["s", "ys", "zs"], body=two, num_scan_inputs=1,
                          scan_input_axes=[1], scan_input_directions=[1], scan_output_axes=[1, 0],
                          scan_output_directions=[1, 0])],
                    [("s0", F32, [2, 3]), ("x", F32, [2, "T", 3])],
                    [("s", F32), ("ys", F32), ("zs", F32)], opset=16))
    # Opset 8's batched form: batch first, time second, the body per element;
    # a reversed second input (directions), dynamic batch. (A dynamic length
    # too is refused: the Loop over the batch stacks outputs whose shape is
    # known only inside it.)
    pair = body([node("Add", ["s", "x"], ["a"]), node("Mul", ["a", "w"], ["s2"]),
                 node("Identity", ["s2"], ["y"])],
                [("s", [3]), ("x", [3]), ("w", [3])], [("s2", [3]), ("y", [3])])
    out.append(case("Scan-opset8-batched-dyn",
                    [node("Scan", ["", "s0", "x", "w"], ["s", "ys"], body=pair,
                          num_scan_inputs=2, directions=[0, 1])],
                    [("s0", F32, ["B", 3]), ("x", F32, ["B", 4, 3]), ("w", F32, ["B", 4, 3])],
                    [("s", F32), ("ys", F32)], opset=8))
    # minGRU as exported with a Scan: z = sigmoid(x Wz), h~ = x Wh (weights
    # captured from the outer graph), h = (1 - z) h + z h~.
    H, F = 4, 3
    mingru = body([node("MatMul", ["x", "wz"], ["zl"]), node("Sigmoid", ["zl"], ["z"]),
                   node("MatMul", ["x", "wh"], ["hh"]), node("Sub", ["one", "z"], ["keep"]),
                   node("Mul", ["keep", "h"], ["a"]), node("Mul", ["z", "hh"], ["b"]),
                   node("Add", ["a", "b"], ["h2"]), node("Identity", ["h2"], ["y"])],
                  [("h", [2, H]), ("x", [2, F])], [("h2", [2, H]), ("y", [2, H])],
                  {"one": np.array(1, F32)})
    out.append(case("Scan-minGRU-captured-weights",
                    [node("Scan", ["h0", "x"], ["h", "ys"], body=mingru, num_scan_inputs=1)],
                    [("h0", F32, [2, H]), ("x", F32, ["T", 2, F])], [("h", F32), ("ys", F32)],
                    {"wz": _weights("mingru-z", [F, H]), "wh": _weights("mingru-h", [F, H])}, opset=16))
    # Two scan inputs in opposite directions, no state.
    pair = body([node("Sub", ["a", "b"], ["d"])], [("a", [3]), ("b", [3])], [("d", [3])])
    out.append(case("Scan-two-inputs-opposite-directions-no-state",
                    [node("Scan", ["a", "b"], ["d"], body=pair, num_scan_inputs=2,
                          scan_input_directions=[0, 1])],
                    [("a", F32, [5, 3]), ("b", F32, [5, 3])], [("d", F32)], opset=16))
    return out


def loop_cases():
    out = []
    vi = helper.make_tensor_value_info
    FLOAT, INT64, BOOL_ = TensorProto.FLOAT, TensorProto.INT64, TensorProto.BOOL

    # A counted loop (no condition), as Range's function body and exported
    # `for` loops: a running product of the rows of a captured table,
    # indexed by the iteration number, and every step stacked.
    body = helper.make_graph(
        [node("Gather", ["table", "i"], ["row"], axis=0), node("Mul", ["acc", "row"], ["acc2"]),
         node("Identity", ["cond"], ["cond2"]), node("Tanh", ["acc2"], ["step"])],
        "body", [vi("i", INT64, []), vi("cond", BOOL_, []), vi("acc", FLOAT, [3])],
        [vi("cond2", BOOL_, []), vi("acc2", FLOAT, [3]), vi("step", FLOAT, [3])])
    out.append(case("Loop-counted-scan-output", [node("Loop", ["m", "", "a0"], ["a", "steps"], body=body)],
                    [("m", I64, []), ("a0", F32, [3])], [("a", F32), ("steps", F32)],
                    {"table": _weights("loop-table", [6, 3])}, opset=16,
                    gen={"m": lambda r, s, b: np.array(4)}))
    # A while loop: double x until its sum passes a bound, at most M times.
    grow = helper.make_graph(
        [node("Add", ["x", "x"], ["x2"]), node("ReduceSum", ["x2"], ["total"], keepdims=0),
         node("Less", ["total", "bound"], ["more"])],
        "grow", [vi("i", INT64, []), vi("cond", BOOL_, []), vi("x", FLOAT, [4])],
        [vi("more", BOOL_, []), vi("x2", FLOAT, [4])])
    # The same with every step stacked: the rows the iterations filled.
    grow_stacked = helper.make_graph(
        [node("Add", ["x", "x"], ["x2"]), node("ReduceSum", ["x2"], ["total"], keepdims=0),
         node("Less", ["total", "bound"], ["more"]), node("Neg", ["x2"], ["step"])],
        "grow", [vi("i", INT64, []), vi("cond", BOOL_, []), vi("x", FLOAT, [4])],
        [vi("more", BOOL_, []), vi("x2", FLOAT, [4]), vi("step", FLOAT, [4])])
    out.append(case("Loop-while-scan-output-cut-to-iterations",
                    [node("Loop", ["m", "c", "x0"], ["x", "steps"], body=grow_stacked)],
                    [("m", I64, []), ("c", BOOL, []), ("x0", F32, [4])], [("x", F32), ("steps", F32)],
                    {"bound": np.array(100.0, F32)}, opset=16,
                    gen={"m": lambda r, s, b: np.array(50), "c": lambda r, s, b: np.array(True),
                         "x0": lambda r, s, b: np.abs(r.standard_normal(s)).astype(F32) + 0.1}))
    for cid, trips, start in (("Loop-while-condition-stops", 50, True), ("Loop-while-trip-count-stops", 3, True),
                              ("Loop-while-false-at-entry", 50, False)):
        out.append(case(cid, [node("Loop", ["m", "c", "x0"], ["x"], body=grow)],
                        [("m", I64, []), ("c", BOOL, []), ("x0", F32, [4])], [("x", F32)],
                        {"bound": np.array(100.0, F32)}, opset=16,
                        gen={"m": lambda r, s, b, t=trips: np.array(t),
                             "c": lambda r, s, b, v=start: np.array(v),
                             "x0": lambda r, s, b: np.abs(r.standard_normal(s)).astype(F32) + 0.1}))
    return out


def pad_cases():
    out = []

    def pd(cid, shape, pads, mode=None, value=None, axes=None, dtype=F32, pads_input=False,
           axes_input=False, opset=18, gen=None):
        """Pad X (graph input) by pads (initializer, or graph input when pads_input:
        gen then supplies its values); value: constant_value initializer; axes:
        initializer or graph input."""
        names, inputs, inits = ["x", "p"], [("x", dtype, shape)], {}
        if pads_input:
            inputs.append(("p", I64, [len(pads)]))
            gen = dict(gen or {})
            gen.setdefault("p", lambda r, s, b, pads=pads: np.array(pads, np.int64))
        else:
            inits["p"] = const_i64(*pads)
        if value is not None or axes is not None:
            names.append("" if value is None else "v")
            if value is not None:
                inits["v"] = np.array(value, dtype)
        if axes is not None:
            names.append("a")
            if axes_input:
                inputs.append(("a", I64, [len(axes)]))
                gen = dict(gen or {})
                gen["a"] = lambda r, s, b, axes=axes: np.array(axes, np.int64)
            else:
                inits["a"] = const_i64(*axes)
        attrs = {} if mode is None else {"mode": mode}
        out.append(case(cid, [node("Pad", names, ["y"], **attrs)], inputs, [("y", dtype)], inits, opset,
                        gen=gen))

    # constant mode
    pd("Pad-constant-default-mode-2d", [3, 4], [1, 0, 2, 3])
    pd("Pad-constant-zero-2d", [3, 4], [0, 2, 1, 0], mode="constant")
    pd("Pad-constant-value-2d", [3, 4], [1, 2, 1, 0], mode="constant", value=1.5)
    pd("Pad-constant-value-r3", [2, 3, 4], [0, 1, 1, 1, 0, 2], mode="constant", value=-2.25)
    pd("Pad-constant-r1", [5], [3, 2], mode="constant", value=7.0)
    pd("Pad-constant-all-zero-pads", [2, 3], [0, 0, 0, 0], mode="constant")
    pd("Pad-constant-negative-crop", [4, 5], [-1, 2, 0, -2], mode="constant", value=9.0)
    pd("Pad-constant-negative-both-sides", [5, 6], [-2, -1, -1, -3], mode="constant")
    pd("Pad-constant-crop-to-empty", [3, 4], [-2, 0, -1, 0], mode="constant")
    pd("Pad-constant-empty-input", [0, 3], [1, 0, 2, 1], mode="constant", value=4.0)
    pd("Pad-constant-i64", [3, 4], [1, 1, 2, 0], mode="constant", value=-7, dtype=I64)
    pd("Pad-constant-i64-default-value", [3, 4], [0, 3, 1, 1], mode="constant", dtype=I64)
    pd("Pad-constant-i32", [2, 3], [1, 1, 1, 1], mode="constant", value=5, dtype=I32)
    # reflect (ORT: pads < dimension size)
    pd("Pad-reflect-2d", [4, 5], [2, 1, 3, 4], mode="reflect")
    pd("Pad-reflect-r3-one-axis", [2, 3, 6], [0, 0, 5, 0, 0, 4], mode="reflect")
    pd("Pad-reflect-i64", [3, 4], [2, 3, 1, 0], mode="reflect", dtype=I64)
    pd("Pad-reflect-negative-other-side", [4, 5], [-1, 2, 1, -1], mode="reflect")
    pd("Pad-reflect-size2", [2, 3], [1, 2, 1, 1], mode="reflect")
    # edge
    pd("Pad-edge-2d", [3, 4], [1, 2, 2, 1], mode="edge")
    pd("Pad-edge-pads-gt-dim", [2, 3], [5, 4, 7, 6], mode="edge")
    pd("Pad-edge-size1", [1, 3], [2, 0, 3, 0], mode="edge")
    pd("Pad-edge-i64-negative", [4, 5], [2, -1, -1, 3], mode="edge", dtype=I64)
    # wrap (opset 19)
    pd("Pad-wrap-2d", [3, 4], [1, 2, 2, 3], mode="wrap", opset=19)
    pd("Pad-wrap-pads-gt-dim", [2, 3], [3, 5, 4, 7], mode="wrap", opset=19)
    pd("Pad-wrap-i64-r3", [2, 3, 2], [1, 0, 3, 0, 2, 1], mode="wrap", dtype=I64, opset=19)
    pd("Pad-wrap-negative-both-sides", [5, 6], [-1, 0, -2, 0], mode="wrap", opset=19)
    pd("Pad-wrap-crop-one-side-pad-other", [2, 3], [-1, 2, 0, -1], mode="wrap", opset=19)
    # axes (opset 18)
    pd("Pad-axes-const-1", [2, 3, 4], [2, 3], mode="constant", value=0.5, axes=[1])
    pd("Pad-axes-const-neg", [2, 3, 4], [1, 2, 0, 3], mode="edge", axes=[-1, 0])
    pd("Pad-axes-const-reflect-unsorted", [3, 4, 5], [2, 1, 3, 2], mode="reflect", axes=[2, 1])
    pd("Pad-axes-input", [2, 3, 4], [1, 2, 3, 0], mode="constant", value=-1.0, axes=[0, 2],
       axes_input=True)
    pd("Pad-axes-input-neg", [2, 3, 4], [1, 0, 2, 3], mode="wrap", axes=[-1, -3], axes_input=True,
       opset=19)
    pd("Pad-axes-input-pads-input", [3, 4], [2, 1], mode="edge", axes=[-2], axes_input=True,
       pads_input=True)
    pd("Pad-axes-const-pads-input", [2, 3, 4], [1, 2, 0, 1], mode="constant", axes=[2, 0], pads_input=True,
       gen={"p": lambda r, s, b: r.integers(-1, 4, size=s)})
    # pads as a graph input (values known at run time only)
    pd("Pad-pads-input-constant", [3, 4], [0, 0, 0, 0], mode="constant", value=2.0, pads_input=True,
       gen={"p": lambda r, s, b: r.integers(-1, 4, size=s)})
    pd("Pad-pads-input-reflect", [4, 5], [0, 0, 0, 0], mode="reflect", pads_input=True,
       gen={"p": lambda r, s, b: np.array([r.integers(0, 4), r.integers(0, 5), r.integers(0, 4),
                                           r.integers(0, 5)])})
    pd("Pad-pads-input-edge-i64", [2, 3], [0, 0, 0, 0], mode="edge", dtype=I64, pads_input=True,
       gen={"p": lambda r, s, b: r.integers(0, 7, size=s)})
    pd("Pad-pads-input-wrap", [2, 3], [0, 0, 0, 0], mode="wrap", pads_input=True, opset=19,
       gen={"p": lambda r, s, b: r.integers(0, 8, size=s)})
    pd("Pad-pads-input-default-mode-dyn", ["N", 3], [0, 0, 0, 0], pads_input=True,
       gen={"p": lambda r, s, b: np.array([r.integers(0, 3), 1, r.integers(0, 3), 2])})
    # dynamic dimensions
    pd("Pad-dyn-batch-edge-inner", ["N", 3], [0, 1, 0, 2], mode="edge")
    pd("Pad-dyn-batch-constant-padded", ["N", 3], [1, 0, 2, 1], mode="constant", value=3.0)
    pd("Pad-dyn-batch-wrap-padded", ["N", 3], [2, 1, 3, 0], mode="wrap", opset=19)
    pd("Pad-dyn-BT-reflect-inner", ["B", "T", 4], [0, 0, 3, 0, 0, 2], mode="reflect")
    pd("Pad-dyn-T-constant-crop", ["B", 5], [0, -1, 0, -2], mode="constant")
    pd("Pad-dyn-batch-i64-axes", ["N", 3], [2, 1], mode="constant", value=-5, axes=[1], dtype=I64)
    # opset 2 / 10 form: pads and value as attributes
    out.append(case("Pad-opset2-constant-value-attr", [node("Pad", ["x"], ["y"], pads=[1, 0, 2, 3], value=2.5)],
                    [("x", F32, [3, 4])], [("y", F32)], opset=2))
    out.append(case("Pad-opset10-edge-attr", [node("Pad", ["x"], ["y"], mode="edge", pads=[0, 2, 1, 1])],
                    [("x", F32, [3, 4])], [("y", F32)], opset=10))
    out.append(case("Pad-opset10-reflect-attr-dyn", [node("Pad", ["x"], ["y"], mode="reflect",
                                                           pads=[0, 2, 0, 1])],
                    [("x", F32, ["N", 4])], [("y", F32)], opset=10))
    out.append(case("Pad-opset10-constant-default-value", [node("Pad", ["x"], ["y"], pads=[1, 1, 0, 0])],
                    [("x", F32, [2, 2])], [("y", F32)], opset=10))
    out.append(case("Pad-opset10-negative-pads", [node("Pad", ["x"], ["y"], pads=[-1, 1, 2, -1], value=-1.0)],
                    [("x", F32, [3, 4])], [("y", F32)], opset=10))
    # opset 11 (no axes), constant_value from a Constant node
    out.append(case("Pad-opset11-value-from-Constant",
                    [node("Constant", [], ["v"], value=numpy_helper.from_array(np.array(0.75, F32))),
                     node("Pad", ["x", "p", "v"], ["y"], mode="constant")],
                    [("x", F32, ["N", 2, 3])], [("y", F32)], {"p": const_i64(0, 1, 1, 0, 2, 0)}, opset=11))
    # pads computed at run time from a shape (pad the last axis up to 8)
    out.append(case("Pad-computed-pads-from-Shape",
                    [node("Shape", ["x"], ["s"], start=1, end=2),
                     node("Sub", ["eight", "s"], ["rest"]),
                     node("Concat", ["zero", "zero", "zero", "rest"], ["p"], axis=0),
                     node("Pad", ["x", "p"], ["y"])],
                    [("x", F32, [2, "T"])], [("y", F32)],
                    {"eight": const_i64(8), "zero": const_i64(0)}, opset=18))
    return out


def _branch(name, nodes, outputs, inits=None):
    """An If branch graph: no inputs, outputs [(name, dtype)] without shapes."""
    return helper.make_graph(
        nodes, name, [], [helper.make_tensor_value_info(n, ELEM[np.dtype(t)], None) for n, t in outputs],
        [numpy_helper.from_array(np.asarray(v), k) for k, v in (inits or {}).items()])


def _cond_runs(dynamic=False, conds=(True, False)):
    """Bindings that run the model once with each condition value (and, for a
    dynamic model, with both dimension bindings)."""
    if not dynamic:
        return tuple({"cond": c} for c in conds)
    return tuple({**b, "cond": c} for b in BINDINGS for c in conds)


def _cond_gen(key="cond"):
    return lambda r, s, b: np.full(s, b[key], BOOL)


def if_cases():
    out = []
    gen = {"c": _cond_gen()}

    # a condition of shape [] or [1] selecting between computations on captured outer values
    then_g = _branch("then", [node("Add", ["x", "w"], ["t"])], [("t", F32)])
    else_g = _branch("else", [node("Mul", ["x", "x"], ["e"])], [("e", F32)])
    for cshape in ([], [1]):
        out.append(case(f"If-cond{cshape}-captures-add-vs-mul",
                        [node("If", ["c"], ["y"], then_branch=then_g, else_branch=else_g)],
                        [("c", BOOL, cshape), ("x", F32, [2, 3])], [("y", F32)],
                        {"w": _weights("If-w", [3])}, gen=gen, runs=_cond_runs()))
    out.append(case("If-dyn-captures-relu-vs-neg",
                    [node("If", ["c"], ["y"],
                          then_branch=_branch("then", [node("Relu", ["x"], ["t"])], [("t", F32)]),
                          else_branch=_branch("else", [node("Neg", ["x"], ["e"])], [("e", F32)]))],
                    [("c", BOOL, []), ("x", F32, ["N", 3])], [("y", F32)], gen=gen,
                    runs=_cond_runs(dynamic=True)))
    # a branch-local initializer, and a branch that only forwards the outer value
    out.append(case("If-branch-initializer-and-outer-output",
                    [node("If", ["c"], ["y"],
                          then_branch=_branch("then", [node("Sub", ["x", "k"], ["t"])], [("t", F32)],
                                              inits={"k": np.array([1.0, -2.0, 0.5], F32)}),
                          else_branch=_branch("else", [node("Identity", ["x"], ["e"])], [("e", F32)]))],
                    [("c", BOOL, []), ("x", F32, ["N", 3])], [("y", F32)], gen=gen,
                    runs=_cond_runs(dynamic=True)))
    # branches with different static shapes for one output: the result is dynamic
    out.append(case("If-branch-shapes-differ-concat-vs-slice",
                    [node("If", ["c"], ["y"],
                          then_branch=_branch("then", [node("Concat", ["x", "x"], ["t"], axis=0)],
                                              [("t", F32)]),
                          else_branch=_branch("else", [node("Slice", ["x", "s0", "s2", "ax0"], ["e"])],
                                              [("e", F32)]))],
                    [("c", BOOL, []), ("x", F32, [4, 3])], [("y", F32)],
                    {"s0": const_i64(0), "s2": const_i64(2), "ax0": const_i64(0)}, gen=gen,
                    runs=_cond_runs()))
    out.append(case("If-branch-shapes-differ-both-dims-i64",
                    [node("If", ["c"], ["y"],
                          then_branch=_branch("then", [node("Transpose", ["x"], ["t"], perm=[1, 0])],
                                              [("t", I64)]),
                          else_branch=_branch("else", [node("Add", ["x", "one"], ["e"])], [("e", I64)]))],
                    [("c", BOOL, [1]), ("x", I64, [2, 5])], [("y", I64)], {"one": np.array(1, I64)},
                    gen=gen, runs=_cond_runs()))
    # two outputs, one of them the same in both branches' shapes
    out.append(case("If-two-outputs",
                    [node("If", ["c"], ["y", "z"],
                          then_branch=_branch("then", [node("Tanh", ["x"], ["t1"]),
                                                       node("Shape", ["x"], ["t2"])],
                                              [("t1", F32), ("t2", I64)]),
                          else_branch=_branch("else", [node("Sigmoid", ["x"], ["e1"]),
                                                       node("Shape", ["x"], ["e2"], start=1),
                                                       node("Concat", ["e2", "e2"], ["e3"], axis=0)],
                                              [("e1", F32), ("e3", I64)]))],
                    [("c", BOOL, []), ("x", F32, ["B", "T", 2])], [("y", F32), ("z", I64)], gen=gen,
                    runs=_cond_runs(dynamic=True)))
    # consumers after the If: its (dynamic) result feeds more nodes
    out.append(case("If-result-feeds-matmul",
                    [node("If", ["c"], ["h"],
                          then_branch=_branch("then", [node("Relu", ["x"], ["t"])], [("t", F32)]),
                          else_branch=_branch("else", [node("Slice", ["x", "s0", "s1", "ax0"], ["e"])],
                                              [("e", F32)])),
                     node("MatMul", ["h", "w"], ["y"])],
                    [("c", BOOL, []), ("x", F32, [3, 4])], [("y", F32)],
                    {"w": _weights("If-mm-w", [4, 2]), "s0": const_i64(1), "s1": const_i64(3),
                     "ax0": const_i64(0)}, gen=gen, runs=_cond_runs()))
    # nested If: the outer then_branch holds another If on a second condition, whose
    # branches capture both a graph input and a value local to the outer branch
    inner = node("If", ["c2"], ["i"],
                 then_branch=_branch("inner_then", [node("Add", ["x", "a"], ["it"])], [("it", F32)]),
                 else_branch=_branch("inner_else", [node("Mul", ["a", "w"], ["ie"])], [("ie", F32)]))
    out.append(case("If-nested",
                    [node("If", ["c1"], ["y"],
                          then_branch=_branch("outer_then", [node("Tanh", ["x"], ["a"]), inner,
                                                             node("Relu", ["i"], ["ot"])],
                                              [("ot", F32)]),
                          else_branch=_branch("outer_else", [node("Sub", ["x", "w"], ["oe"])],
                                              [("oe", F32)]))],
                    [("c1", BOOL, []), ("c2", BOOL, [1]), ("x", F32, ["N", 3])], [("y", F32)],
                    {"w": _weights("If-nested-w", [3])},
                    gen={"c1": _cond_gen("c1"), "c2": _cond_gen("c2")},
                    runs=tuple({**b, "c1": c1, "c2": c2} for b in BINDINGS
                               for c1 in (True, False) for c2 in (True, False))))
    # both branches use the same local names; two Ifs in a row on one condition
    def same_names(tag, op):
        return _branch(tag, [node(op, ["x"], ["t"]), node("Add", ["t", "x"], ["u"])], [("u", F32)])
    out.append(case("If-sibling-branches-same-local-names",
                    [node("If", ["c"], ["y1"], then_branch=same_names("then1", "Relu"),
                          else_branch=same_names("else1", "Sigmoid")),
                     node("If", ["c"], ["y2"], then_branch=same_names("then2", "Neg"),
                          else_branch=same_names("else2", "Abs")),
                     node("Mul", ["y1", "y2"], ["y"])],
                    [("c", BOOL, []), ("x", F32, [2, 3])], [("y", F32)], gen=gen, runs=_cond_runs()))
    # the condition computed at run time from data (Greater on a scalar input)
    out.append(case("If-cond-from-Greater",
                    [node("Greater", ["s", "zero"], ["c"]),
                     node("If", ["c"], ["y"],
                          then_branch=_branch("then", [node("Mul", ["x", "s"], ["t"])], [("t", F32)]),
                          else_branch=_branch("else", [node("Sub", ["x", "s"], ["e"])], [("e", F32)]))],
                    [("s", F32, []), ("x", F32, ["N", 3])], [("y", F32)], {"zero": np.array(0.0, F32)},
                    gen={"s": lambda r, s, b: np.array(1.5 if b["cond"] else -0.5, F32)},
                    runs=_cond_runs(dynamic=True)))
    # the condition folds at compile time: Shape -> Gather -> Equal on a static dim. The
    # branches yield different ranks, which seqc refuses for a condition known at run time
    # only (If-refused-branch-ranks-differ-run-time-cond), so these compile only when folded.
    for dim, taken in ((3, "then"), (4, "else")):
        out.append(case(f"If-folded-Shape-Equal-{taken}",
                        [node("Shape", ["x"], ["sh"]),
                         node("Gather", ["sh", "i1"], ["d"], axis=0),
                         node("Equal", ["d", "want"], ["c"]),
                         node("If", ["c"], ["y"],
                              then_branch=_branch("then", [node("Tanh", ["x"], ["t"])], [("t", F32)]),
                              else_branch=_branch("else", [node("Reshape", ["x", "m1"], ["e"])],
                                                  [("e", F32)]))],
                        [("x", F32, ["N", 3])], [("y", F32)],
                        {"i1": np.array(1, I64), "want": np.array(dim, I64), "m1": const_i64(-1)}))
    out.append(case("If-folded-Size-Equal",
                    [node("Size", ["x"], ["n"]),
                     node("Equal", ["n", "six"], ["c"]),
                     node("If", ["c"], ["y"],
                          then_branch=_branch("then", [node("Relu", ["x"], ["t"])], [("t", F32)]),
                          else_branch=_branch("else", [node("Reshape", ["x", "m1"], ["e"])], [("e", F32)]))],
                    [("x", F32, [2, 3])], [("y", F32)], {"six": np.array(6, I64), "m1": const_i64(-1)}))
    return out


def size_cases():
    out = []
    for cid, shape, dtype in (("Size-static-r3", [2, 3, 4], F32), ("Size-static-i64", [5], I64),
                              ("Size-scalar-input", [], F32), ("Size-empty", [0, 3], F32),
                              ("Size-dyn", ["N", 3, "M"], F32), ("Size-dyn-bool", ["B", "T"], BOOL)):
        out.append(case(cid, [node("Size", ["x"], ["y"])], [("x", dtype, shape)], [("y", I64)], opset=13))
    out.append(case("Size-opset21-dyn", [node("Size", ["x"], ["y"])], [("x", F32, ["N", 2])], [("y", I64)],
                    opset=21))
    # Size as a value: mean by hand (ReduceSum / Cast(Size)) and a flattening Reshape
    out.append(case("Size-mean-by-hand-dyn",
                    [node("Size", ["x"], ["n"]), node("Cast", ["n"], ["nf"], to=TensorProto.FLOAT),
                     node("ReduceSum", ["x"], ["s"], keepdims=0), node("Div", ["s", "nf"], ["y"])],
                    [("x", F32, ["N", "M"])], [("y", F32)], opset=13))
    out.append(case("Size-flatten-reshape-dyn",
                    [node("Size", ["x"], ["n"]), node("Unsqueeze", ["n", "ax0"], ["shp"]),
                     node("Reshape", ["x", "shp"], ["y"])],
                    [("x", F32, ["B", "T", 2])], [("y", F32)], {"ax0": const_i64(0)}, opset=13))
    return out


# --------------------------------------------------------------------------- compile-time refusals

def refused(cid, nodes, inputs, outputs, match, inits=None, opset=18):
    """A model seqc must refuse at compile time with an error matching `match`."""
    return pytest.param(make_model(nodes, inputs, outputs, inits, opset), match, id=cid)


def compile_error_cases():
    w = _weights("refused-w", [4, 3, 3])
    then_g = _branch("then", [node("Relu", ["x"], ["t"])], [("t", F32)])
    else_g = _branch("else", [node("Reshape", ["x", "m1"], ["e"])], [("e", F32)])
    return [
        refused("Conv-refused-W-channels-vs-group", [node("Conv", ["x", "w"], ["y"], group=2)],
                [("x", F32, [1, 4, 8])], [("y", F32)], r"X has 4 channels, W expects 3 x 2 groups",
                {"w": _weights("refused-w2", [4, 3, 3])}, opset=11),
        refused("Conv-refused-W-channels-no-group", [node("Conv", ["x", "w"], ["y"])],
                [("x", F32, [1, 5, 8])], [("y", F32)], r"X has 5 channels", {"w": w}, opset=11),
        refused("Conv-refused-M-not-divisible-by-group", [node("Conv", ["x", "w"], ["y"], group=3)],
                [("x", F32, [1, 9, 8])], [("y", F32)], r"output channels do not divide into 3 groups",
                {"w": w}, opset=11),
        refused("Conv-refused-SAME_UPPER-dyn-length",
                [node("Conv", ["x", "w"], ["y"], auto_pad="SAME_UPPER")],
                [("x", F32, ["N", 3, "T"])], [("y", F32)], r"SAME_UPPER needs static spatial sizes",
                {"w": w}, opset=11),
        refused("Conv-refused-SAME_LOWER-dyn-height",
                [node("Conv", ["x", "w"], ["y"], auto_pad="SAME_LOWER")],
                [("x", F32, [1, 3, "T", 4])], [("y", F32)], r"SAME_LOWER needs static spatial sizes",
                {"w": _weights("refused-w4", [2, 3, 2, 2])}, opset=11),
        refused("Conv-refused-kernel_shape-disagrees",
                [node("Conv", ["x", "w"], ["y"], kernel_shape=[2])],
                [("x", F32, [1, 3, 8])], [("y", F32)], r"kernel_shape disagrees with W", {"w": w}, opset=11),
        refused("Conv-refused-kernel_shape-length",
                [node("Conv", ["x", "w"], ["y"], kernel_shape=[3, 3])],
                [("x", F32, [1, 3, 8])], [("y", F32)], r"kernel_shape has 2 values, expected 1", {"w": w},
                opset=11),
        refused("Conv-refused-strides-length", [node("Conv", ["x", "w"], ["y"], strides=[1, 1])],
                [("x", F32, [1, 3, 8])], [("y", F32)], r"strides has 2 values, expected 1", {"w": w},
                opset=11),
        refused("Conv-refused-bias-size", [node("Conv", ["x", "w", "b"], ["y"])],
                [("x", F32, [1, 3, 8])], [("y", F32)], r"B must be 1-D",
                {"w": w, "b": np.zeros(3, F32)}, opset=11),
        refused("Pad-refused-unknown-mode", [node("Pad", ["x", "p"], ["y"], mode="mirror")],
                [("x", F32, [2, 3])], [("y", F32)], r"unknown mode 'mirror'", {"p": const_i64(1, 1, 1, 1)}),
        refused("Pad-refused-crop-below-zero", [node("Pad", ["x", "p"], ["y"])],
                [("x", F32, [2, 3])], [("y", F32)], r"cropped below 0", {"p": const_i64(-2, 0, -1, 0)}),
        refused("Pad-refused-repeated-axis", [node("Pad", ["x", "p", "", "a"], ["y"])],
                [("x", F32, [2, 3])], [("y", F32)], r"repeats",
                {"p": const_i64(1, 1, 1, 1), "a": const_i64(1, -1)}),
        refused("If-refused-branch-ranks-differ-run-time-cond",
                [node("If", ["c"], ["y"], then_branch=then_g, else_branch=else_g)],
                [("c", BOOL, []), ("x", F32, [2, 3])], [("y", F32)], r"only known at run time",
                {"m1": const_i64(-1)}),
    ]


@pytest.mark.parametrize("model,match", compile_error_cases())
def test_compile_error(model, match, tmp_path):
    with pytest.raises(sh.SeqcCompileError, match=match):
        sh.compile_model(model, tmp_path)


def test_matmul_batch_sizes_that_do_not_broadcast(tmp_path):
    """Dynamic batch sizes 2 and 3: neither is 1, so the call is a
    SEQC_ERROR_SHAPE naming the problem, and the same context then runs."""
    model = make_model([node("MatMul", ["a", "b"], ["y"])],
                       [("a", F32, ["N", 2, 3]), ("b", F32, ["M", 3, 4])], [("y", F32)], opset=13)
    cm = sh.compile_model(model, tmp_path)
    a, b = np.ones((2, 2, 3), F32), np.ones((3, 3, 4), F32)
    with pytest.raises(sh.SeqcRunError) as err:
        cm.run([a, b])
    assert err.value.status == sh.SEQC_ERROR_SHAPE and "neither 1" in err.value.message
    (y,) = cm.run([a, b[:1]])
    np.testing.assert_allclose(y, np.full((2, 2, 4), 3, F32))


def test_conv_output_length_0(tmp_path):
    """A kernel longer than the padded input: seqc gives the empty [N, M, 0] result
    (output size max(0, ...)), where onnxruntime refuses to run; static and dynamic
    length, and the dynamic model still computes once the input is long enough."""
    w = _weights("Conv-len0-w", [2, 1, 3])
    for k, length in enumerate((2, "T")):
        model = make_model([node("Conv", ["x", "w"], ["y"])], [("x", F32, [1, 1, length])], [("y", F32)],
                           {"w": w}, opset=11)
        cm = sh.compile_model(model, tmp_path / str(k))
        for t in ((2,) if length == 2 else (2, 1, 3)):
            x = np.random.default_rng(t).standard_normal((1, 1, t)).astype(F32)
            (y,) = cm.run([x])
            want = np.einsum("mk,ok->mo", w[:, 0, :],
                             np.lib.stride_tricks.sliding_window_view(x[0, 0], 3))[None] if t >= 3 \
                else np.zeros((1, 2, 0), F32)
            assert y.shape == want.shape, (length, t, y.shape)
            np.testing.assert_allclose(y, want, rtol=1e-5, atol=1e-5)


def test_if_branch_that_cannot_run_fails_only_when_taken(tmp_path):
    """A branch that cannot be typed for the compiled shapes (Reshape of 6 elements to
    [4, -1]) compiles into a run-time error raised only when it is taken, as in
    onnxruntime; the other branch runs normally before and after."""
    model = make_model([node("If", ["c"], ["y"],
                             then_branch=_branch("then", [node("Reshape", ["x", "s"], ["t"])], [("t", F32)]),
                             else_branch=_branch("else", [node("Neg", ["x"], ["e"])], [("e", F32)]))],
                       [("c", BOOL, []), ("x", F32, [2, 3])], [("y", F32)], {"s": const_i64(4, -1)})
    cm = sh.compile_model(model, tmp_path)
    x = np.arange(6, dtype=F32).reshape(2, 3)
    np.testing.assert_array_equal(cm.run([np.array(False), x])[0], -x)
    with pytest.raises(sh.SeqcRunError) as err:
        cm.run([np.array(True), x])
    assert err.value.status == sh.SEQC_ERROR_SHAPE and "reshape" in err.value.message
    with pytest.raises(Exception):
        ort_session(model).run(None, {"c": np.array(True), "x": x})
    np.testing.assert_array_equal(cm.run([np.array(False), x])[0], -x)


def pool_cases():
    """MaxPool with its Indices output (positions in X flattened, row-major; with
    storage_order 1 column-major over H and W), and BatchNormalization in
    training mode (the batch's statistics, the running ones blended by momentum):
    onnx's reference evaluator is the oracle (ONNX Runtime's CPU build has no
    training-mode BatchNormalization)."""
    out = []

    def mp(cid, shape, oracle="ort", **attrs):
        out.append(case(cid, [node("MaxPool", ["x"], ["y", "i"], **attrs)], [("x", F32, shape)],
                        [("y", F32), ("i", I64)], oracle=oracle))

    mp("MaxPool-indices-2d", [2, 3, 6, 7], kernel_shape=[3, 2], strides=[2, 1])
    mp("MaxPool-indices-2d-pads-dilations", [1, 2, 7, 6], kernel_shape=[3, 3], pads=[1, 2, 2, 1],
       dilations=[2, 1])
    mp("MaxPool-indices-2d-ceil", [1, 1, 5, 5], kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1)
    mp("MaxPool-indices-2d-column-major", [2, 2, 5, 4], kernel_shape=[2, 3], strides=[1, 1],
       storage_order=1)
    mp("MaxPool-indices-1d-dyn", ["B", 3, "T"], kernel_shape=[3], strides=[2], pads=[1, 1])
    mp("MaxPool-indices-3d", [1, 2, 4, 5, 3], kernel_shape=[2, 2, 2], strides=[2, 1, 1])

    def bn(cid, shape, momentum=None, dtype=F32):
        attrs = {"training_mode": 1}
        if momentum is not None:
            attrs["momentum"] = momentum
        c = shape[1]
        out.append(case(cid, [node("BatchNormalization", ["x", "s", "b", "m", "v"],
                                   ["y", "rm", "rv"], **attrs)],
                        [("x", dtype, shape), ("s", dtype, [c]), ("b", dtype, [c]),
                         ("m", dtype, [c]), ("v", dtype, [c])],
                        [("y", dtype), ("rm", dtype), ("rv", dtype)], opset=15,
                        gen={"v": lambda r, s, b: r.uniform(0.5, 2, s).astype(np.float32)},
                        oracle="onnx"))

    bn("BatchNormalization-training-4d", [2, 3, 4, 5])
    bn("BatchNormalization-training-3d-momentum-dyn", ["B", 4, "T"], momentum=0.7)
    return out


def dropout_cases():
    """Dropout in training mode: the mask drawn from MT19937 seeded with `seed`,
    as numpy's RandomState draws it, so onnx's reference evaluator (which uses
    one) is the oracle, bit for bit; kept elements scaled by 1 / (1 - ratio).
    700 elements take three refills of the generator's 624-word state."""
    out = []

    def dr(cid, shape, seed, ratio=None, mode=None, dtype=F32, gen=None):
        inputs, inits = [("x", dtype, shape)], {}
        names = ["x", "r" if ratio is not None else "", "t" if mode is not None else ""]
        while not names[-1]:
            names.pop()
        if ratio is not None:
            inits["r"] = np.array(ratio, np.float32)
        if mode == "input":
            inputs.append(("t", BOOL, []))
        elif mode is not None:
            inits["t"] = np.array(mode, BOOL)
        out.append(case(cid, [node("Dropout", names, ["y", "mask"], seed=seed)],
                        inputs, [("y", dtype), ("mask", BOOL)], inits, opset=13, oracle="onnx",
                        gen=gen))

    dr("Dropout-training-constant-mode", [3, 4, 5], seed=0, ratio=0.75, mode=True)
    dr("Dropout-training-3-refills", [2, 350], seed=12345, ratio=0.5, mode=True)
    dr("Dropout-training-zero-ratio", [4, 6], seed=3, ratio=0.0, mode=True)
    dr("Dropout-inference-constant-mode", [4, 6], seed=3, ratio=0.5, mode=False)
    dr("Dropout-training-mode-at-run-time-dyn", ["B", "T"], seed=99, ratio=0.4, mode="input")
    dr("Dropout-training-f64", [5, 7], seed=1, ratio=0.3, mode=True, dtype=np.float64)
    return out


CASES = (pool_cases() + dropout_cases() + constant_cases() + identity_cases() + squeeze_cases() + unsqueeze_cases() + transpose_cases()
         + reshape_cases() + concat_cases() + slice_cases() + gather_cases() + shape_cases()
         + matmul_cases() + gemm_cases() + binary_cases() + unary_cases() + pow_and_variadic_cases()
         + chain_cases() + conv_cases() + conv_transpose_cases() + resize_cases() + spectral_cases() + scan_cases() + loop_cases() + pad_cases() + if_cases() + size_cases())


def test_case_ids_unique():
    ids = [p.id for p in CASES]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


@pytest.mark.parametrize("c", CASES)
def test_op(c, tmp_path, request):
    model = c["model"]
    cm = sh.compile_model(model, tmp_path)
    assert cm.input_names == [i.name for i in model.graph.input]
    assert cm.output_names == [o.name for o in model.graph.output]
    sess = ort_session(model) if c["oracle"] == "ort" else ReferenceEvaluator(model)
    seed = zlib.crc32(request.node.callspec.id.encode())
    for k, binding in enumerate(c["runs"]):
        rng = np.random.default_rng([seed, k])
        feeds = make_feeds(c, rng, binding)
        want = sess.run(None, feeds)
        got = cm.run([feeds[n] for n in cm.input_names])
        compare(got, want, f"run {k} {binding or 'static'}")
        if c["check"]:
            c["check"](feeds, got)
