"""seqc's CPU kernels on every x86 vector width: the same recurrent models
compiled for SSE (4 f32 lanes), AVX2+FMA (8) and AVX-512 (16) compute what
ONNX Runtime and the NumPy reference do (max abs error <= 1e-4), with sizes
that leave partial register tiles (hidden 13: 52 gate columns; batch 5 and
9: 4-row tiles plus single rows). Each width runs where the host has it;
every width is compiled, and its assembly shows the vector registers it
was meant to use."""

import os
import re
import subprocess

import numpy as np
import onnx
import pytest

import rnn_reference as ref
import seqc_harness as sh
from rnn_models import make_rnn_model, run_ort

if not (sh.seqc_binary().is_file() and os.access(sh.seqc_binary(), os.X_OK)):
    pytest.skip(f"seqc binary not found at {sh.seqc_binary()} (set SEQC)", allow_module_level=True)

TOL = 1e-4
# (name, seqc flags, host CPU flags it needs, register that marks its code)
WIDTHS = [
    ("sse", ["--mcpu=x86-64"], set(), "xmm"),
    ("avx2", ["--mcpu=haswell"], {"avx2", "fma"}, "ymm"),
    ("avx512", ["--mcpu=skylake-avx512"], {"avx512f"}, "zmm"),
]


HOST = sh.host_cpu_flags()


@pytest.mark.parametrize("name,flags,needs,register", WIDTHS, ids=[w[0] for w in WIDTHS])
def test_assembly_uses_the_width(name, flags, needs, register, tmp_path):
    model, _ = make_rnn_model("LSTM", hidden=16, input_size=16, batch=1, seq_len=2)
    path = tmp_path / "lstm.onnx"
    onnx.save(model, str(path))
    asm = subprocess.run([str(sh.seqc_binary()), str(path), "--emit=asm", "-o", "-", *flags],
                         capture_output=True, text=True, check=True).stdout
    # The recurrent step's FMAs (mul + add without FMA) on that register file.
    assert re.search(rf"\b(vfmadd\w*|mulps|vmulps)\s.*%{register}", asm), name
    wider = {"xmm": ("ymm", "zmm"), "ymm": ("zmm",), "zmm": ()}[register]
    for reg in wider:
        assert f"%{reg}" not in asm, f"{name} code uses %{reg}"


@pytest.mark.parametrize("name,flags,needs,register", WIDTHS, ids=[w[0] for w in WIDTHS])
@pytest.mark.parametrize("op", ["LSTM", "GRU", "RNN"])
@pytest.mark.parametrize("hidden", [13, 64])
def test_numerics_at_width(name, flags, needs, register, op, hidden, tmp_path):
    if not needs <= HOST:
        pytest.skip(f"host CPU lacks {sorted(needs - HOST)}")
    model, _ = make_rnn_model(op, direction="bidirectional", hidden=hidden, input_size=11,
                              dynamic_dims=True, batch=5, seq_len=7, with_initial_h=True)
    cm = sh.compile_model(model, tmp_path, flags=flags)
    for batch, seq_len in [(5, 7), (9, 3), (1, 6)]:
        m, feeds = make_rnn_model(op, direction="bidirectional", hidden=hidden, input_size=11,
                                  dynamic_dims=True, batch=batch, seq_len=seq_len,
                                  with_initial_h=True)
        got = cm.run(feeds)
        for want, what in [(ref.run_model(m, feeds), "reference"), (run_ort(m, feeds), "ORT")]:
            for g, w in zip(got, want):
                err = float(np.abs(g.astype(np.float64) - w).max(initial=0.0))
                assert err <= TOL, f"{name} {op} b{batch} T{seq_len} vs {what}: {err:.3g}"


def _halide_kernel_asm(asm, name):
    """The assembly of the function `name` (up to the next function's label)."""
    match = re.search(rf"^{name}:\n(.*?)(?=^\S+:\s*$\n\s*\.cfi_startproc|\Z)", asm, re.M | re.S)
    return match.group(1) if match else None


@pytest.mark.parametrize("name,flags,needs,register", WIDTHS, ids=[w[0] for w in WIDTHS])
def test_halide_kernels_use_the_width(name, flags, needs, register, tmp_path):
    # --kernels=halide: the LSTM's two matmuls (the hoisted projection, the
    # step) are calls of one Halide kernel (K = 16, packed weights, a matrix
    # init), generated for the same target as the rest of the model.
    model, _ = make_rnn_model("LSTM", hidden=16, input_size=16, batch=1, seq_len=2)
    path = tmp_path / "lstm.onnx"
    onnx.save(model, str(path))
    proc = subprocess.run([str(sh.seqc_binary()), str(path), "--emit=asm", "-o", "-",
                           "--kernels=halide", *flags], capture_output=True, text=True)
    if "built without Halide" in proc.stderr:
        pytest.skip("seqc was built without Halide")
    assert proc.returncode == 0, proc.stderr
    kernel = _halide_kernel_asm(proc.stdout, "seqc_halide_matmul_k16_packed")
    assert kernel is not None, "no Halide kernel in the object"
    assert re.search(rf"\b(vfmadd\w*|mulps|vmulps)\s.*%{register}", kernel), name
    for reg in {"xmm": ("ymm", "zmm"), "ymm": ("zmm",), "zmm": ()}[register]:
        assert f"%{reg}" not in kernel, f"{name} Halide kernel uses %{reg}"


@pytest.mark.parametrize("name,flags,needs,register", WIDTHS, ids=[w[0] for w in WIDTHS])
@pytest.mark.parametrize("op", ["LSTM", "GRU"])
def test_halide_kernels_compute_the_same(name, flags, needs, register, op, tmp_path):
    # The Halide kernels on a bidirectional model (hidden 24: 96 gate
    # columns, 6 vectors of AVX-512 and no whole block of 4; input 11: an odd
    # reduction) at batches whose row blocks shift inwards (5, 9) or that
    # are single rows, at 1 and 2 threads: within 1e-4 of ONNX Runtime.
    if not needs <= HOST:
        pytest.skip(f"host CPU lacks {sorted(needs - HOST)}")
    model, _ = make_rnn_model(op, direction="bidirectional", hidden=24, input_size=11,
                              dynamic_dims=True, batch=5, seq_len=7, with_initial_h=True)
    try:
        halide = sh.compile_model(model, tmp_path, flags=[*flags, "--kernels=halide"])
    except sh.SeqcCompileError as e:
        if "built without Halide" in str(e):
            pytest.skip("seqc was built without Halide")
        raise
    symbols = subprocess.run(["nm", str(tmp_path / "libmodel.so")], capture_output=True,
                             text=True, check=True).stdout
    assert "seqc_halide_matmul_k24_packed" in symbols, "the step is not a Halide kernel"
    assert "seqc_halide_matmul_k11_packed" in symbols, "the projection is not a Halide kernel"
    for batch, seq_len in [(5, 7), (9, 3), (1, 6)]:
        m, feeds = make_rnn_model(op, direction="bidirectional", hidden=24, input_size=11,
                                  dynamic_dims=True, batch=batch, seq_len=seq_len,
                                  with_initial_h=True)
        want = run_ort(m, feeds)
        for threads in (1, 2):
            halide.threads = threads
            for g, w in zip(halide.run(feeds), want):
                err = float(np.abs(g.astype(np.float64) - w).max(initial=0.0))
                assert err <= TOL, f"{name} {op} b{batch} T{seq_len} t{threads}: {err:.3g}"


@pytest.mark.parametrize("name,flags,needs,register", WIDTHS, ids=[w[0] for w in WIDTHS])
def test_bfloat16_needs_no_compiler_rt(name, flags, needs, register, tmp_path):
    # Vectorised bfloat16 selects are widened through float on CPUs without
    # bf16 instructions, and LLVM then calls compiler-rt's __truncsfbf2: the
    # library carries its own (it failed to load on such CPUs before).
    from onnx import TensorProto, helper
    graph = helper.make_graph(
        [helper.make_node("Range", ["start", "limit", "delta"], ["y"])], "range",
        [helper.make_tensor_value_info(n, TensorProto.BFLOAT16, []) for n in
         ("start", "limit", "delta")],
        [helper.make_tensor_value_info("y", TensorProto.BFLOAT16, ["n"])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 22)])
    path = tmp_path / "range.onnx"
    onnx.save(model, str(path))
    subprocess.run([str(sh.seqc_binary()), str(path), "-o", str(tmp_path / "model"), *flags],
                   check=True)
    undefined = subprocess.run(["nm", "-D", "--undefined-only", str(tmp_path / "libmodel.so")],
                               capture_output=True, text=True, check=True).stdout
    assert "__truncsfbf2" not in undefined
    exported = subprocess.run(["nm", "-D", "--defined-only", str(tmp_path / "libmodel.so")],
                              capture_output=True, text=True, check=True).stdout
    assert "__truncsfbf2" not in exported
    if needs <= HOST:
        import ml_dtypes
        bf16 = ml_dtypes.bfloat16
        cm = sh.CompiledModel(tmp_path / "libmodel.so", "model")
        got = cm.run({"start": np.array(1, bf16), "limit": np.array(40, bf16),
                      "delta": np.array(2.5, bf16)})[0]
        np.testing.assert_array_equal(got.astype(np.float32),
                                      np.arange(1, 40, 2.5, dtype=np.float32).astype(bf16)
                                      .astype(np.float32))


@pytest.mark.parametrize("seq_lens", [False, True], ids=["full", "seq_lens"])
@pytest.mark.parametrize("op", ["LSTM", "GRU"])
def test_threads_compute_the_same(op, seq_lens, tmp_path):
    # Matmuls of >= 131072 multiply-adds are split into parts that the
    # context's threads share (the input projection by 64-row chunks, a
    # step by panels of columns). The parts do not depend on the thread
    # count, so 1, 2 and 3 threads give the same bits; the points below
    # take each way: T*B = 200 projection rows, a batch-40 step, and a
    # batch-1 step of 256 columns (not split). Elementwise ops of >= 16384
    # iterations are split by their first dimension too: the bias
    # broadcast over [T, B, G*H] at batch 40, and at batch 256 a step's gate
    # math over [B, H]. From batch 8 on (two shares of >= 4 rows), each
    # direction's recurrence runs as shares of the batch, one per thread
    # (seq-parallelize-batch): at batch 9 and 3 threads, rows 3+3+3; at 2
    # threads, 5+4; with sequence_lens each share takes its rows' lengths.
    kwargs = dict(direction="bidirectional", hidden=64, input_size=64, dynamic_dims=True,
                  with_initial_h=True, with_seq_lens=seq_lens)
    model, _ = make_rnn_model(op, batch=2, seq_len=2, **kwargs)
    path = tmp_path / "model.onnx"
    onnx.save(model, str(path))
    llvm = subprocess.run([str(sh.seqc_binary()), str(path), "--emit=llvm", "-o", "-"],
                          capture_output=True, text=True, check=True).stdout
    assert re.search(r"call .*@seqc_rt_parallel_for\(", llvm)
    seq = subprocess.run([str(sh.seqc_binary()), str(path), "--emit=seq", "-o", "-"],
                         capture_output=True, text=True, check=True).stdout
    assert seq.count("scf.forall (") == 2  # each direction in shares of the batch
    cm = sh.compile_model(model, tmp_path)
    for batch, seq_len in [(40, 5), (1, 9), (9, 3), (256, 2)]:
        m, feeds = make_rnn_model(op, batch=batch, seq_len=seq_len, **kwargs)
        results = {}
        for threads in (1, 2, 3):
            cm.threads = threads
            results[threads] = cm.run(feeds)
        for g, w in zip(results[1], run_ort(m, feeds)):
            err = float(np.abs(g.astype(np.float64) - w).max(initial=0.0))
            assert err <= TOL, f"{op} b{batch} T{seq_len} vs ORT: {err:.3g}"
        for threads in (2, 3):
            for one, many in zip(results[1], results[threads]):
                np.testing.assert_array_equal(one, many, f"{op} b{batch} {threads} threads")


@pytest.mark.parametrize("case", [
    # (X shape with None for dynamic, W shape, attributes, bias)
    ((None, 3, None), (5, 3, 4), dict(strides=[2], dilations=[2], pads=[1, 3]), True),
    ((None, 1, None), (8, 1, 16), dict(strides=[4]), False),
    ((None, 2, None, None), (4, 2, 3, 2), dict(strides=[2, 1], pads=[1, 0, 1, 1]), True),
], ids=["conv1d", "conv1d_stft_like", "conv2d"])
@pytest.mark.parametrize("constant_w", [True, False], ids=["w_constant", "w_input"])
def test_conv_as_matmul(case, constant_w, tmp_path):
    # An f32 Conv of one group is a matmul of the gathered windows by the
    # weights (im2col: vector code, the weights packed when constant); the
    # batch and lengths dynamic, checked against ONNX Runtime.
    from onnx import TensorProto, helper, numpy_helper
    xdims, wshape, attrs, with_bias = case
    rng = np.random.default_rng(7)
    w = rng.standard_normal(wshape).astype(np.float32)
    b = rng.standard_normal(wshape[0]).astype(np.float32)
    xnames = [d if d is not None else f"d{i}" for i, d in enumerate(xdims)]
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, xnames)]
    inits = [numpy_helper.from_array(b, "b")] if with_bias else []
    if constant_w:
        inits.append(numpy_helper.from_array(w, "w"))
    else:
        inputs.append(helper.make_tensor_value_info("w", TensorProto.FLOAT, list(wshape)))
    node = helper.make_node("Conv", ["x", "w"] + (["b"] if with_bias else []), ["y"], **attrs)
    graph = helper.make_graph([node], "conv", inputs,
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
                              inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=9)
    cm = sh.compile_model(model, tmp_path)
    import onnxruntime as ort
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    for batch, length in [(1, 37), (3, 20)]:
        shape = [batch, xdims[1]] + [length] * (len(xdims) - 2)
        feeds = {"x": rng.standard_normal(shape).astype(np.float32)}
        if not constant_w:
            feeds["w"] = w
        got = cm.run(feeds)[0]
        want = session.run(None, feeds)[0]
        assert got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("case", ["matmul_rank3", "gemm_transb_constant", "gemm_transb_input"])
def test_matmul_and_gemm_as_matmul(case, tmp_path):
    # f32 MatMul x @ W (x of rank 3, dynamic batch and length) and Gemm with
    # transB (a constant B is transposed at compile time; an input B stays
    # a contraction) against ONNX Runtime.
    from onnx import TensorProto, helper, numpy_helper
    rng = np.random.default_rng(3)
    w = rng.standard_normal((40, 24)).astype(np.float32)
    c = rng.standard_normal(24).astype(np.float32)
    if case == "matmul_rank3":
        node = helper.make_node("MatMul", ["x", "w"], ["y"])
        x_dims, inits, inputs = ["b", "t", 40], [numpy_helper.from_array(w, "w")], []
    else:
        node = helper.make_node("Gemm", ["x", "w", "c"], ["y"], transB=1, alpha=0.5, beta=2.0)
        x_dims, inits = ["m", 40], [numpy_helper.from_array(c, "c")]
        inputs = []
        if case == "gemm_transb_constant":
            inits.append(numpy_helper.from_array(w.T.copy(), "w"))
        else:
            inputs.append(helper.make_tensor_value_info("w", TensorProto.FLOAT, [24, 40]))
    graph = helper.make_graph(
        [node], "mm", [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_dims)] + inputs,
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=9)
    cm = sh.compile_model(model, tmp_path)
    import onnxruntime as ort
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    for rows in (1, 7, 130):
        shape = [2, rows, 40] if case == "matmul_rank3" else [rows, 40]
        feeds = {"x": rng.standard_normal(shape).astype(np.float32)}
        if case == "gemm_transb_input":
            feeds["w"] = w.T.copy()
        got, want = cm.run(feeds)[0], session.run(None, feeds)[0]
        assert got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)
