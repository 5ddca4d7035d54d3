"""seqc.compile / CompiledModel / seqc.load against ONNX Runtime."""
import subprocess
import sys

import numpy as np
import onnx
import pytest

import interface_models
import rnn_models

seqc = pytest.importorskip("seqc")

TOL = 1e-4


def lstm_model(**overrides):
    settings = dict(direction="bidirectional", layout=0, hidden=4, input_size=3,
                    with_bias=True, with_seq_lens=False, with_initial_h=True,
                    with_initial_c=True, dynamic_dims=True, batch=2, seq_len=5, seed=1)
    settings.update(overrides)
    return rnn_models.make_rnn_model("LSTM", **settings)


def reference(model, feeds):
    return rnn_models.run_ort(model, feeds)


def ordered(model, feeds):
    return [feeds[i.name] for i in model.graph.input if i.name in feeds]


@pytest.mark.parametrize("form", ["path", "bytes", "proto"])
def test_three_input_forms_match_onnxruntime(form, tmp_path):
    model, feeds = lstm_model()
    path = tmp_path / "lstm.onnx"
    onnx.save(model, str(path))
    source = {"path": str(path), "bytes": model.SerializeToString(), "proto": model}[form]
    compiled = seqc.compile(source)
    got = compiled(*ordered(model, feeds))
    for g, w in zip(got, reference(model, feeds)):
        assert g.shape == w.shape
        assert np.abs(g - w).max() <= TOL


@pytest.mark.parametrize("op", ["LSTM", "GRU", "RNN"])
@pytest.mark.parametrize("direction", ["forward", "reverse", "bidirectional"])
@pytest.mark.parametrize("layout", [0, 1])
def test_attribute_combinations_with_dynamic_sizes(op, direction, layout):
    model, feeds = rnn_models.make_rnn_model(
        op, direction=direction, layout=layout, hidden=3, input_size=2, with_bias=True,
        with_seq_lens=True, with_initial_h=True, with_initial_c=op == "LSTM",
        with_peepholes=op == "LSTM", dynamic_dims=True, batch=3, seq_len=4, seed=5,
        linear_before_reset=1 if op == "GRU" else 0)
    compiled = seqc.compile(model)
    outputs = compiled.run(feeds, as_dict=True)
    for name, want in zip([o.name for o in model.graph.output], reference(model, feeds)):
        assert np.abs(outputs[name] - want).max() <= TOL, name
    # Another batch and sequence length through the same compiled model.
    model2, feeds2 = rnn_models.make_rnn_model(
        op, direction=direction, layout=layout, hidden=3, input_size=2, with_bias=True,
        with_seq_lens=True, with_initial_h=True, with_initial_c=op == "LSTM",
        with_peepholes=op == "LSTM", dynamic_dims=True, batch=1, seq_len=7, seed=5,
        linear_before_reset=1 if op == "GRU" else 0)
    for got, want in zip(compiled.run(feeds2), reference(model2, feeds2)):
        assert np.abs(got - want).max() <= TOL


def test_inputs_by_name_positional_and_non_contiguous():
    model, feeds = lstm_model()
    compiled = seqc.compile(model)
    names = [s.name for s in compiled.inputs]
    by_name = compiled(**{n: feeds[n] for n in names})
    positional = compiled(*[feeds[n] for n in names])
    # A transposed view: not C-contiguous, converted by seqc.
    x = feeds[names[0]]
    view = np.ascontiguousarray(x.transpose(1, 0, 2)).transpose(1, 0, 2)
    assert not view.flags["C_CONTIGUOUS"]
    converted = compiled(view, *[feeds[n] for n in names[1:]])
    for a, b, c in zip(by_name, positional, converted):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, c)


def test_fast_call_path_matches_the_checked_one():
    # Plain tensors take one C++ call (seqc._seqc.Invoker); what it cannot
    # take as it is (lists, other dtypes, views) goes the checked way, and
    # both give the same bits.
    model, feeds = lstm_model()
    compiled = seqc.compile(model)
    assert compiled._invoker is not None
    inputs = [feeds[s.name] for s in compiled.inputs]
    fast = compiled.run(inputs)
    checked = compiled._run_checked(inputs)
    assert compiled._invoker(compiled._context, [inputs[0].tolist()] + inputs[1:]) is None
    as_lists = compiled.run([a.tolist() for a in inputs])
    for a, b, c in zip(fast, checked, as_lists):
        assert a.flags["C_CONTIGUOUS"] and a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, c)
    # A failing call's status and message come back through it too.
    with pytest.raises(seqc.ExecutionError) as err:
        compiled.run([inputs[0], np.ascontiguousarray(inputs[1][:, :1]), inputs[2]])
    assert err.value.status == 2 and "initial_h" in err.value.message


def test_specs_describe_names_dtypes_and_symbolic_shapes():
    model, _ = lstm_model()
    compiled = seqc.compile(model)
    x = compiled.inputs[0]
    assert x.name == model.graph.input[0].name
    assert x.dtype == np.float32
    assert x.shape == ("seq_len", "batch", 3)
    assert [o.name for o in compiled.outputs] == [o.name for o in model.graph.output]


def test_save_and_load_round_trip(tmp_path):
    model, feeds = lstm_model()
    compiled = seqc.compile(model, emit_dir=tmp_path / "build", name="lstm")
    saved = compiled.save(tmp_path / "saved")
    assert sorted(p.name for p in saved.iterdir()) == ["liblstm.a", "liblstm.so",
                                                       "lstm.h", "lstm.o"]
    loaded = seqc.load(saved)
    for a, b in zip(loaded(*ordered(model, feeds)), compiled(*ordered(model, feeds))):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(seqc.CompileError):
        loaded.ir("seq")  # no model beside the artifacts


def test_scalar_first_input_and_scalar_output():
    # The scalar s comes first: its shape member (one unused slot) sits
    # between s and X, where a layout of 1 + rank slots would misplace X.
    model = interface_models.scalar_model()
    compiled = seqc.compile(model)
    s = np.asarray(1.5, np.float32)
    for x in (np.arange(6, dtype=np.float32).reshape(2, 3), np.ones((1, 3), np.float32)):
        y, z = compiled(s, x)
        want_y, want_z = reference(model, {"s": s, "X": x})
        assert y.shape == want_y.shape and z.shape == want_z.shape == ()
        np.testing.assert_allclose(y, want_y, rtol=1e-6)
        np.testing.assert_allclose(z, want_z, rtol=1e-6)


def test_a_library_of_another_abi_version_is_refused(tmp_path, monkeypatch):
    compiled = seqc.compile(interface_models.scalar_model(), emit_dir=tmp_path, name="m")
    assert compiled.inputs_layout.size == 40  # s: 8 + 8, X: 8 + 2 * 8
    monkeypatch.setattr(seqc._model, "ABI_VERSION", 3)
    with pytest.raises(seqc.ExecutionError, match="libm.so uses seqc C ABI version 2.*reads "
                                                  "version 3: recompile"):
        seqc.load(tmp_path, "m")


def test_ir_of_every_text_stage():
    model, _ = lstm_model(direction="forward")
    compiled = seqc.compile(model)
    assert '"onnx.LSTM"' in compiled.ir("onnx")
    assert "seq.recurrence forward" in compiled.ir("seq")
    assert "scf.for" in compiled.ir("linalg")
    assert "@model_run(" in compiled.ir("llvm")
    assert "model_run:" in compiled.ir("asm")
    with pytest.raises(ValueError):
        compiled.ir("lib")


def test_options_are_the_command_line_flags():
    flags = seqc.flags()
    help_text = subprocess.run([sys.executable, "-m", "seqc", "--help"],
                               capture_output=True, text=True).stdout
    for name in flags:
        assert f"-{name}" in help_text, name
    assert {"target", "mcpu", "mattr", "O", "name", "timing", "dump-dir"} <= set(flags)
    model, feeds = lstm_model(direction="forward")
    compiled = seqc.compile(model, O=1, mcpu="x86-64", name="tiny", timing=False)
    assert compiled.prefix == "tiny"
    with pytest.raises(TypeError, match="unknown seqc option"):
        seqc.compile(model, not_a_flag=1)


def test_python_dash_m_behaves_like_the_cli(tmp_path):
    model, _ = lstm_model()
    path = tmp_path / "m.onnx"
    onnx.save(model, str(path))
    (tmp_path / "out").mkdir()
    result = subprocess.run([sys.executable, "-m", "seqc", str(path), "-o",
                             str(tmp_path / "out" / "m")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "libm.a", "libm.so", "m.h", "m.o"]
    seq_ir = subprocess.run([sys.executable, "-m", "seqc", str(path), "--emit=seq"],
                            capture_output=True, text=True)
    assert "seq.recurrence" in seq_ir.stdout
    bad = subprocess.run([sys.executable, "-m", "seqc", str(tmp_path / "missing.onnx")],
                         capture_output=True, text=True)
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1


@pytest.mark.parametrize("kernels", ["mlir", "halide", "auto"])
def test_each_kernel_backend_matches_onnxruntime(kernels):
    # seqc.kernel_backends() names the backends this build has; each one
    # (and auto) computes the same model within 1e-4 of ONNX Runtime.
    backends = seqc.kernel_backends()
    assert backends[0] == "mlir" and set(backends) <= {"mlir", "halide"}
    if kernels == "halide" and "halide" not in backends:
        with pytest.raises(seqc.CompileError, match="built without Halide"):
            seqc.compile(lstm_model()[0], kernels="halide")
        return
    model, feeds = lstm_model(hidden=16, input_size=8, batch=3, seq_len=6)
    compiled = seqc.compile(model, kernels=kernels)
    for g, w in zip(compiled(*ordered(model, feeds)), reference(model, feeds)):
        assert np.abs(g - w).max() <= TOL
    with pytest.raises(seqc.CompileError, match="expected mlir, halide or auto"):
        seqc.compile(model, kernels="tiles")
