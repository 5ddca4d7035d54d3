"""End-to-end: ONNX element types kept apart. Unsigned integers compute as
unsigned (values above the signed range included), and Cast converts between
every pair of numeric types seqc has, the 8-bit floats (saturating or not),
FLOAT8E8M0 (each round_mode), FLOAT4E2M1, INT4/UINT4/INT2/UINT2 and bfloat16
among them. Each model runs through the generated C API on seeded random
inputs with special values mixed in, and is compared bit for bit with ONNX's
reference evaluator (the specification: ONNX Runtime lacks most of these
casts)."""

from __future__ import annotations

import os

import ml_dtypes
import numpy as np
import onnx
import pytest
from onnx import TensorProto as T
from onnx import helper
from onnx.reference import ReferenceEvaluator

import seqc_harness as sh

if not (sh.seqc_binary().is_file() and os.access(sh.seqc_binary(), os.X_OK)):
    pytest.skip(f"seqc binary not found at {sh.seqc_binary()} (set SEQC)", allow_module_level=True)

NUMPY = {code: np.dtype(t) for code, t in sh.DTYPES.items()}
FLOATS = [T.FLOAT, T.FLOAT16, T.DOUBLE, T.BFLOAT16]
NARROW_FLOATS = [T.FLOAT8E4M3FN, T.FLOAT8E4M3FNUZ, T.FLOAT8E5M2, T.FLOAT8E5M2FNUZ,
                 T.FLOAT4E2M1]
NARROW_INTS = [T.INT4, T.UINT4, T.INT2, T.UINT2]
WIDE_INTS = [T.INT8, T.UINT8, T.INT16, T.UINT16, T.INT32, T.UINT32, T.INT64, T.UINT64]
SPECIALS = [0.0, -0.0, np.nan, -np.nan, np.inf, -np.inf, 1e6, -1e6, 1e-7, -1e-7, 448, 464,
            470, 240, 57344, 61440, 6.0, 5.0, 0.25, 0.75, -3.5, 2.5, 7.5, -8.5, 2.0**-127]


def name(code: int) -> str:
    return T.DataType.Name(code)


def cast_model(source: int, shape, targets):
    """One Cast (or CastLike) per target [(to, attrs)]: outputs y0, y1, ..."""
    nodes, outputs, inits = [], [], []
    for i, (to, attrs) in enumerate(targets):
        nodes.append(helper.make_node("Cast", ["x"], [f"y{i}"], to=to, **attrs))
        outputs.append(helper.make_tensor_value_info(f"y{i}", to, shape))
    graph = helper.make_graph(nodes, "casts", [helper.make_tensor_value_info("x", source, shape)],
                              outputs, inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 25)], ir_version=11)


def assert_same_bits(got, want, label):
    assert got.dtype == want.dtype, f"{label}: dtype {got.dtype}, expected {want.dtype}"
    assert got.shape == want.shape, f"{label}: shape {got.shape}, expected {want.shape}"
    if want.dtype.kind == "f" or want.dtype.name.startswith(("float", "bfloat")):
        g, w = got.astype(np.float64), want.astype(np.float64)
        same = (g == w) | (np.isnan(g) & np.isnan(w))
        # -0 and +0 differ only in bits: compare them too.
        same &= np.signbit(g) == np.signbit(w)
        same |= np.isnan(g) & np.isnan(w)
    else:
        same = got.view(np.uint8) == want.view(np.uint8) if got.dtype.itemsize == 1 \
            else got == want
    bad = np.flatnonzero(~same)
    assert bad.size == 0, (f"{label}: {bad.size} elements differ, e.g. at {bad[:5]}: "
                           f"got {got.ravel()[bad[:5]]}, expected {want.ravel()[bad[:5]]}")


def run_both(model, feeds, tmp_path):
    compiled = sh.compile_model(model, tmp_path)
    got = compiled.run(feeds)
    want = ReferenceEvaluator(model).run(None, feeds)
    return got, want


def float_input(rng, dtype, n=200):
    values = np.concatenate([np.array(SPECIALS, np.float64),
                             rng.standard_normal(n) * 10.0 ** rng.integers(-8, 6, n)])
    with np.errstate(over="ignore", invalid="ignore"):
        return values.astype(dtype)


@pytest.mark.parametrize("source", FLOATS, ids=name)
def test_float_to_narrow_and_float(source, tmp_path):
    """Floats, special values included, into every float and narrow format;
    the 8-bit floats with and without saturation, E8M0 with each round_mode."""
    rng = np.random.default_rng(source)
    x = float_input(rng, NUMPY[source])
    targets = [(t, {}) for t in FLOATS + NARROW_FLOATS + [T.BOOL] if t != source]
    targets += [(t, {"saturate": 0}) for t in NARROW_FLOATS[:4]]
    targets += [(T.FLOAT8E8M0, {"round_mode": m, "saturate": s})
                for m in ("up", "down", "nearest") for s in (0, 1)]
    # E8M0 of a negative number is unspecified: positive inputs only there.
    model = cast_model(source, [len(x)], targets)
    feeds = {"x": x}
    got, want = run_both(model, feeds, tmp_path)
    for (to, attrs), g, w in zip(targets, got, want):
        if to == T.BFLOAT16 and not sh.bf16_rounding_exact():
            continue
        if to == T.FLOAT8E8M0:
            keep = ~np.signbit(x.astype(np.float64))
            g, w = g[keep], w[keep]
        assert_same_bits(g, w, f"{name(source)} -> {name(to)} {attrs}")


@pytest.mark.parametrize("source", FLOATS, ids=name)
def test_float_to_narrow_ints(source, tmp_path):
    """To INT4/UINT4/INT2/UINT2: truncated toward zero, 0 when out of range."""
    rng = np.random.default_rng(100 + source)
    x = np.concatenate([np.arange(-20, 20, 0.25), rng.uniform(-10, 10, 100),
                        [np.nan, np.inf, -np.inf]]).astype(NUMPY[source])
    targets = [(t, {}) for t in NARROW_INTS]
    got, want = run_both(cast_model(source, [len(x)], targets), {"x": x}, tmp_path)
    for (to, _), g, w in zip(targets, got, want):
        assert_same_bits(g, w, f"{name(source)} -> {name(to)}")


@pytest.mark.parametrize("source", NARROW_FLOATS + NARROW_INTS + [T.FLOAT8E8M0], ids=name)
def test_narrow_to_everything(source, tmp_path):
    """Every bit pattern of a narrow format, to floats, wide and narrow ints
    (in range) and the other narrow formats."""
    dtype = NUMPY[source]
    bits = 16 if source in (T.FLOAT4E2M1, T.INT4, T.UINT4) else \
        4 if source in (T.INT2, T.UINT2) else 256
    x = np.arange(bits, dtype=np.uint8).view(dtype)
    targets = [(t, {}) for t in FLOATS + [T.BOOL] + NARROW_FLOATS + NARROW_INTS if t != source]
    if source in NARROW_INTS:
        targets += [(t, {}) for t in WIDE_INTS]
    got, want = run_both(cast_model(source, [len(x)], targets), {"x": x}, tmp_path)
    for (to, _), g, w in zip(targets, got, want):
        if to == T.BFLOAT16 and not sh.bf16_rounding_exact():
            continue
        if source in NARROW_FLOATS + [T.FLOAT8E8M0] and to in NARROW_INTS:
            # NaN to an integer is undefined: compare the numbers only.
            keep = ~np.isnan(x.astype(np.float32))
            g, w = g[keep], w[keep]
        assert_same_bits(g, w, f"{name(source)} -> {name(to)}")


def test_integers_wrap_and_convert(tmp_path):
    """Integer to integer discards the high bits (narrow targets too); unsigned
    sources above the signed range convert to floats as unsigned."""
    rng = np.random.default_rng(7)
    for source in (T.UINT8, T.UINT16, T.UINT32, T.UINT64, T.INT8, T.INT32, T.INT64):
        dtype = NUMPY[source]
        info = np.iinfo(dtype)
        x = np.concatenate([np.array([info.min, info.max, 0, 1, info.max // 2 + 1], dtype),
                            rng.integers(info.min, info.max, 64, dtype=dtype, endpoint=True)])
        targets = [(t, {}) for t in WIDE_INTS + NARROW_INTS + [T.FLOAT, T.DOUBLE, T.BOOL]
                   if t != source]
        got, want = run_both(cast_model(source, [len(x)], targets), {"x": x},
                             tmp_path / name(source))
        for (to, _), g, w in zip(targets, got, want):
            assert_same_bits(g, w, f"{name(source)} -> {name(to)}")


UNSIGNED_OPS = [("Div", 2), ("Mod", 2), ("Max", 2), ("Min", 2), ("Less", 2), ("Greater", 2),
                ("LessOrEqual", 2), ("GreaterOrEqual", 2), ("Equal", 2), ("Add", 2),
                ("Sub", 2), ("Mul", 2), ("Abs", 1), ("Sign", 1), ("Clip", 3)]


@pytest.mark.parametrize("elem", [T.UINT8, T.UINT16, T.UINT32, T.UINT64], ids=name)
def test_unsigned_arithmetic(elem, tmp_path):
    """Values above the signed range: a signed lowering would get these wrong."""
    dtype = NUMPY[elem]
    rng = np.random.default_rng(elem)
    top = np.iinfo(dtype).max
    a = np.concatenate([np.array([top, top - 1, top // 2 + 1, 1, 0], dtype),
                        rng.integers(0, top, 59, dtype=dtype, endpoint=True)])
    b = np.concatenate([np.array([3, top, 2, top, 1], dtype),
                        rng.integers(1, top, 59, dtype=dtype, endpoint=True)])
    assert b.min() > 0  # (integer division by zero is issue 9's)
    lo, hi = np.array(top // 4, dtype), np.array(top // 4 * 3, dtype)
    nodes, outputs = [], []
    for i, (op, arity) in enumerate(UNSIGNED_OPS):
        inputs = ["a", "b", "c"][:arity] if op != "Clip" else ["a", "lo", "hi"]
        nodes.append(helper.make_node(op, inputs, [f"y{i}"], **({"fmod": 0} if op == "Mod" else {})))
        compare = op in ("Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Equal")
        outputs.append(helper.make_tensor_value_info(f"y{i}", T.BOOL if compare else elem, [64]))
    graph = helper.make_graph(
        nodes, "unsigned",
        [helper.make_tensor_value_info(n, elem, [64]) for n in "ab"] +
        [helper.make_tensor_value_info(n, elem, []) for n in ("lo", "hi")],
        outputs)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)], ir_version=10)
    feeds = {"a": a, "b": b, "lo": lo, "hi": hi}
    with np.errstate(over="ignore"):
        got, want = run_both(model, feeds, tmp_path)
    for (op, _), g, w in zip(UNSIGNED_OPS, got, want):
        assert_same_bits(g, w.astype(g.dtype) if op != "Sign" else w, f"{op} {name(elem)}")


def test_unsigned_max_pool_and_top_k(tmp_path):
    x = np.array([[[[250, 3, 129, 7], [0, 255, 128, 127], [5, 200, 1, 2], [9, 8, 130, 131]]]],
                 np.uint8)
    graph = helper.make_graph(
        [helper.make_node("MaxPool", ["x"], ["p"], kernel_shape=[2, 2], strides=[2, 2]),
         helper.make_node("Flatten", ["x"], ["f"], axis=0),
         helper.make_node("Cast", ["f"], ["f64"], to=T.UINT64),
         helper.make_node("Add", ["f64", "big"], ["g"]),
         helper.make_node("TopK", ["g", "k"], ["v", "i"])],
        "pool", [helper.make_tensor_value_info("x", T.UINT8, [1, 1, 4, 4])],
        [helper.make_tensor_value_info("p", T.UINT8, [1, 1, 2, 2]),
         helper.make_tensor_value_info("v", T.UINT64, [1, 5]),
         helper.make_tensor_value_info("i", T.INT64, [1, 5])],
        [onnx.numpy_helper.from_array(np.array([2**63], np.uint64), "big"),
         onnx.numpy_helper.from_array(np.array([5], np.int64), "k")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)], ir_version=10)
    got, want = run_both(model, {"x": x}, tmp_path)
    for g, w, label in zip(got, want, ("MaxPool", "TopK values", "TopK indices")):
        assert_same_bits(g, w, label)


def test_computing_on_a_narrow_type_is_refused(tmp_path):
    graph = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["y"], name="relu_u8")], "refused",
        [helper.make_tensor_value_info("x", T.FLOAT8E4M3FN, [3])],
        [helper.make_tensor_value_info("y", T.FLOAT8E4M3FN, [3])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 25)], ir_version=11)
    with pytest.raises(sh.SeqcCompileError) as err:
        sh.compile_model(model, tmp_path)
    message = str(err.value)
    assert "relu_u8" in message and "f8E4M3FN" in message, message
    assert not list(tmp_path.glob("model.o")), "no half-written output"


def test_bfloat16_arithmetic(tmp_path):
    """bfloat16 computes in f32 and rounds after each op (MatMul and
    Softmax, which accumulate, round once from f32): within bf16's precision
    of the exact values."""
    rng = np.random.default_rng(3)
    a = rng.standard_normal((4, 8)).astype(ml_dtypes.bfloat16)
    b = rng.standard_normal((8, 5)).astype(ml_dtypes.bfloat16)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["a", "b"], ["m"]),
         helper.make_node("Softmax", ["m"], ["s"], axis=-1),
         helper.make_node("Cast", ["s"], ["y"], to=T.FLOAT)],
        "bf16", [helper.make_tensor_value_info("a", T.BFLOAT16, [4, 8]),
                 helper.make_tensor_value_info("b", T.BFLOAT16, [8, 5])],
        [helper.make_tensor_value_info("m", T.BFLOAT16, [4, 5]),
         helper.make_tensor_value_info("y", T.FLOAT, [4, 5])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)], ir_version=10)
    got, _ = run_both(model, {"a": a, "b": b}, tmp_path)
    exact = a.astype(np.float64) @ b.astype(np.float64)
    np.testing.assert_allclose(got[0].astype(np.float64), exact, rtol=2e-2, atol=2e-2)
    e = np.exp(exact - exact.max(axis=-1, keepdims=True))
    np.testing.assert_allclose(got[1], e / e.sum(axis=-1, keepdims=True), rtol=3e-2, atol=1e-2)


def test_unsigned_reductions_and_data_movement(tmp_path):
    """uint8 values above 127 through the reductions, ArgMax/ArgMin, CumSum,
    ScatterElements(max) and the data-movement ops; FLOAT8 bits through Pad
    and Tile."""
    rng = np.random.default_rng(11)
    x = rng.integers(0, 256, (3, 4), dtype=np.uint8)
    x[0, 0], x[1, 2] = 255, 128
    f8 = rng.standard_normal((2, 3)).astype(ml_dtypes.float8_e5m2)
    inits = [onnx.numpy_helper.from_array(np.array([1], np.int64), "axis1"),
             onnx.numpy_helper.from_array(np.array(1, np.int64), "axis"),
             onnx.numpy_helper.from_array(np.array([0, 1, 1, 0], np.int64), "pads"),
             onnx.numpy_helper.from_array(np.array(200, np.uint8), "padv"),
             onnx.numpy_helper.from_array(np.array([2, 1], np.int64), "reps"),
             onnx.numpy_helper.from_array(np.array([[0, 2], [1, 0], [2, 3]], np.int64), "gi"),
             onnx.numpy_helper.from_array(np.array([[1, 0, 3, 2]] * 3, np.int64), "si"),
             onnx.numpy_helper.from_array(np.full((3, 4), 130, np.uint8), "su"),
             onnx.numpy_helper.from_array(np.array([2, 3], np.int64), "shape")]
    nodes = [
        helper.make_node("ReduceMax", ["x", "axis1"], ["rmax"]),
        helper.make_node("ReduceMin", ["x", "axis1"], ["rmin"], keepdims=0),
        helper.make_node("Cast", ["x"], ["x32"], to=T.UINT32),
        helper.make_node("ReduceSum", ["x32", "axis1"], ["rsum"]),
        helper.make_node("ReduceProd", ["x32", "axis1"], ["rprod"]),
        helper.make_node("ArgMax", ["x"], ["amax"], axis=1),
        helper.make_node("ArgMin", ["x"], ["amin"], axis=0),
        helper.make_node("CumSum", ["x32", "axis"], ["csum"]),
        helper.make_node("ScatterElements", ["x", "si", "su"], ["smax"], axis=1,
                         reduction="max"),
        helper.make_node("Pad", ["x", "pads", "padv"], ["pad"]),
        helper.make_node("Tile", ["x", "reps"], ["tile"]),
        helper.make_node("GatherElements", ["x", "gi"], ["gel"], axis=1),
        helper.make_node("ConstantOfShape", ["shape"], ["cos"],
                         value=onnx.numpy_helper.from_array(np.array([250], np.uint8))),
        helper.make_node("Pad", ["f8", "pads"], ["f8pad"]),
        helper.make_node("Tile", ["f8", "reps"], ["f8tile"]),
    ]
    outputs = [("rmax", T.UINT8), ("rmin", T.UINT8), ("rsum", T.UINT32), ("rprod", T.UINT32),
               ("amax", T.INT64), ("amin", T.INT64), ("csum", T.UINT32), ("smax", T.UINT8),
               ("pad", T.UINT8), ("tile", T.UINT8), ("gel", T.UINT8), ("cos", T.UINT8),
               ("f8pad", T.FLOAT8E5M2), ("f8tile", T.FLOAT8E5M2)]
    graph = helper.make_graph(
        nodes, "moves", [helper.make_tensor_value_info("x", T.UINT8, [3, 4]),
                         helper.make_tensor_value_info("f8", T.FLOAT8E5M2, [2, 3])],
        [helper.make_tensor_value_info(n, t, None) for n, t in outputs], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)], ir_version=10)
    model = onnx.shape_inference.infer_shapes(model)
    got, want = run_both(model, {"x": x, "f8": f8}, tmp_path)
    for (n, _), g, w in zip(outputs, got, want):
        assert_same_bits(g, w, n)


@pytest.mark.parametrize("elem", [T.UINT8, T.UINT32, T.INT8, T.INT64], ids=name)
def test_bit_shift(elem, tmp_path):
    """Both directions, shifts in and out of [0, width), negative values and
    negative shifts for signed types."""
    dtype = NUMPY[elem]
    info, bits = np.iinfo(dtype), np.iinfo(dtype).bits
    rng = np.random.default_rng(elem)
    x = rng.integers(info.min, info.max, 64, dtype=dtype, endpoint=True)
    n = rng.integers(-3 if info.min < 0 else 0, bits + 3, 64).astype(dtype)
    nodes = [helper.make_node("BitShift", ["x", "n"], [d.lower()], direction=d)
             for d in ("LEFT", "RIGHT")]
    graph = helper.make_graph(nodes, "shift",
                              [helper.make_tensor_value_info(v, elem, [64]) for v in "xn"],
                              [helper.make_tensor_value_info(v, elem, [64])
                               for v in ("left", "right")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 28)], ir_version=11)
    got, want = run_both(model, {"x": x, "n": n}, tmp_path)
    for g, w, label in zip(got, want, ("LEFT", "RIGHT")):
        assert_same_bits(g, w, f"BitShift {label} {name(elem)}")


def test_bit_cast(tmp_path):
    """The same bits as another type of the same width, bools as bytes."""
    rng = np.random.default_rng(5)
    f = rng.standard_normal(16).astype(np.float32)
    h = rng.standard_normal(16).astype(np.float16)
    b = rng.integers(0, 2, 16).astype(np.bool_)
    q = np.arange(16, dtype=np.uint8).view(ml_dtypes.float8_e4m3fn)
    casts = [("f", T.INT32, "fi"), ("fi", T.FLOAT, "ff"), ("h", T.UINT16, "hu"),
             ("h", T.BFLOAT16, "hb"), ("b", T.UINT8, "bu"), ("q", T.INT8, "qi")]
    graph = helper.make_graph(
        [helper.make_node("BitCast", [src], [dst], to=to) for src, to, dst in casts],
        "bitcast", [helper.make_tensor_value_info("f", T.FLOAT, [16]),
                    helper.make_tensor_value_info("h", T.FLOAT16, [16]),
                    helper.make_tensor_value_info("b", T.BOOL, [16]),
                    helper.make_tensor_value_info("q", T.FLOAT8E4M3FN, [16])],
        [helper.make_tensor_value_info(dst, to, [16]) for _, to, dst in casts])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 26)], ir_version=11)
    got, want = run_both(model, {"f": f, "h": h, "b": b, "q": q}, tmp_path)
    for (_, _, dst), g, w in zip(casts, got, want):
        assert_same_bits(g, w, f"BitCast {dst}")


def test_sixteen_bit_floats_accumulate_in_f32(tmp_path):
    """f16 MatMul, ReduceSum and Conv sum in f32 and round once
    (onnx-accumulate-in-f32), as numpy and ONNX Runtime do: every result is
    within one f16 unit of the exact value. Summed in f16, 64 terms were off
    by several units."""
    rng = np.random.default_rng(5)
    a = rng.standard_normal((8, 64)).astype(np.float16)
    b = rng.standard_normal((64, 8)).astype(np.float16)
    x = rng.standard_normal((1, 16, 40)).astype(np.float16)
    w = rng.standard_normal((4, 16, 5)).astype(np.float16)
    H = T.FLOAT16
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["a", "b"], ["m"]),
         helper.make_node("ReduceSum", ["a"], ["s"], keepdims=0,
                          noop_with_empty_axes=0),
         helper.make_node("Conv", ["x", "w"], ["c"])],
        "f16", [helper.make_tensor_value_info("a", H, [8, 64]),
                helper.make_tensor_value_info("b", H, [64, 8]),
                helper.make_tensor_value_info("x", H, [1, 16, 40]),
                helper.make_tensor_value_info("w", H, [4, 16, 5])],
        [helper.make_tensor_value_info("m", H, None),
         helper.make_tensor_value_info("s", H, None),
         helper.make_tensor_value_info("c", H, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)], ir_version=10)
    got, _ = run_both(model, {"a": a, "b": b, "x": x, "w": w}, tmp_path)
    a64, b64, x64, w64 = (v.astype(np.float64) for v in (a, b, x, w))
    conv = np.stack([sum((w64[:, :, k] @ x64[0, :, k:k + 36]) for k in range(5))])
    for value, exact in zip(got, [a64 @ b64, a64.sum(), conv]):
        ulp = np.spacing(np.abs(value.astype(np.float16))).astype(np.float64)
        assert (np.abs(value.astype(np.float64) - exact) <= ulp).all(), \
            np.abs(value.astype(np.float64) - exact).max()
