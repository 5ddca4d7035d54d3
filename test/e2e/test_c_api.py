"""The generated header and library used from C, as a C program uses them:
a model with a scalar first input and a scalar output, compiled with the seqc
binary, driven by test/e2e/Inputs/run_scalar_model.c (built with the system C
compiler against the generated header and static library) and compared with
ONNX Runtime. Skipped without seqc or a C compiler."""

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import onnx
import pytest

import interface_models
import rnn_models
import seqc_harness as sh

CC = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
HERE = Path(__file__).resolve().parent
pytestmark = [
    pytest.mark.skipif(CC is None, reason="no C compiler"),
    pytest.mark.skipif(not os.access(sh.seqc_binary(), os.X_OK),
                       reason=f"seqc binary not found at {sh.seqc_binary()} (set SEQC)"),
]
TOL = 1e-6


@pytest.fixture(scope="module")
def scalar_program(tmp_path_factory):
    work = tmp_path_factory.mktemp("scalar")
    model = interface_models.scalar_model()
    onnx.save(model, str(work / "scalar.onnx"))
    subprocess.run([str(sh.seqc_binary()), str(work / "scalar.onnx"), "-o", str(work / "scalar")],
                   check=True, capture_output=True, text=True)
    program = work / "run_scalar_model"
    subprocess.run([CC, *sh.c_flags(), "-std=c11", "-Wall", "-Wextra", "-Werror", f"-I{work}",
                    str(HERE / "Inputs" / "run_scalar_model.c"), str(work / "libscalar.a"),
                    "-lm", "-o", str(program)], check=True, capture_output=True, text=True)
    return model, program


def run_program(program, s, x):
    args = [str(program), repr(float(s))] + [repr(float(v)) for v in x.ravel()]
    out = subprocess.run(args, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = dict(line.split(" ", 1) for line in out.stdout.splitlines())
    shape = tuple(int(d) for d in lines["Y_shape"].split())
    y = np.array([float(v) for v in lines["Y"].split()], np.float32).reshape(shape)
    return y, np.float32(lines["Z"])


@pytest.mark.parametrize("n", [1, 4])
def test_scalar_first_input_from_c(scalar_program, n):
    model, program = scalar_program
    rng = np.random.default_rng(n)
    s = np.float32(rng.uniform(0.5, 2.0))
    x = rng.standard_normal((n, 3)).astype(np.float32)
    y, z = run_program(program, s, x)
    want_y, want_z = rnn_models.run_ort(model, {"s": np.asarray(s), "X": x})
    assert y.shape == want_y.shape == (n, 3)
    np.testing.assert_allclose(y, want_y, rtol=TOL, atol=TOL)
    assert want_z.shape == ()
    np.testing.assert_allclose(z, want_z, rtol=TOL)


def test_out_of_memory_is_a_status(tmp_path):
    """A batch too large to allocate the kernel's buffers for: the run returns
    SEQC_ERROR_OUT_OF_MEMORY (3) with its message, and the context still runs
    a model of normal size afterwards. The address space is limited (4 GiB)
    so that the allocation fails whatever the system's overcommit policy."""
    import resource

    if sh.under_asan():
        pytest.skip("ASan reserves terabytes of address space: a 4 GiB limit cannot hold")
    model = Path(__file__).resolve().parents[1] / "Pipeline" / "Inputs" / "lstm-for.onnxtxt"
    subprocess.run([str(sh.seqc_binary()), str(model), "-o", str(tmp_path / "lstm")],
                   check=True, capture_output=True, text=True)
    program = tmp_path / "run_out_of_memory"
    subprocess.run([CC, *sh.c_flags(), "-std=c11", "-Wall", "-Wextra", "-Werror", f"-I{tmp_path}",
                    str(HERE / "Inputs" / "run_out_of_memory.c"), str(tmp_path / "liblstm.a"),
                    "-lm", "-o", str(program)], check=True, capture_output=True, text=True)

    def limit_address_space():
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    out = subprocess.run([str(program)], capture_output=True, text=True,
                         preexec_fn=limit_address_space)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.splitlines() == ["status 3 out of memory", "after 0"]


ASAN_CC = shutil.which("clang-22")


@pytest.mark.skipif(ASAN_CC is None, reason="clang-22 (for -fsanitize=address) not found")
def test_sanitize_address_reports_reads_past_a_buffer(tmp_path):
    """--sanitize=address instruments the generated code: a caller that claims
    more rows than it allocated makes the kernel read past the heap buffer, and
    ASan stops the program naming the overflow in the model's code; the same
    program with honest sizes runs clean and right."""
    x = onnx.helper.make_tensor_value_info("X", onnx.TensorProto.FLOAT, ["N", 4])
    y = onnx.helper.make_tensor_value_info("Y", onnx.TensorProto.FLOAT, ["N", 4])
    one = onnx.helper.make_tensor("one", onnx.TensorProto.FLOAT, [], [1.0])
    graph = onnx.helper.make_graph([onnx.helper.make_node("Add", ["X", "one"], ["Y"])],
                                   "add", [x], [y], [one])
    onnx.save(onnx.helper.make_model(graph, opset_imports=[onnx.helper.make_opsetid("", 17)]),
              str(tmp_path / "add.onnx"))
    subprocess.run([str(sh.seqc_binary()), str(tmp_path / "add.onnx"), "-o", str(tmp_path / "add"),
                    "--sanitize=address"], check=True, capture_output=True, text=True)
    program = tmp_path / "run_overread"
    subprocess.run([ASAN_CC, "-fsanitize=address", "-std=c11", "-Wall", "-Werror", f"-I{tmp_path}",
                    str(HERE / "Inputs" / "run_overread.c"), str(tmp_path / "libadd.a"),
                    "-lm", "-o", str(program)], check=True, capture_output=True, text=True)
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    env["ASAN_OPTIONS"] = "detect_leaks=0"
    ok = subprocess.run([str(program), "3", "3"], capture_output=True, text=True, env=env)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.split() == ["status", "0", "sum", "12"]
    bad = subprocess.run([str(program), "3", "5"], capture_output=True, text=True, env=env)
    assert bad.returncode != 0
    assert "ERROR: AddressSanitizer: heap-buffer-overflow" in bad.stderr
    assert "READ of size" in bad.stderr
    assert "add_run" in bad.stderr
