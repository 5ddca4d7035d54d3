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

CC = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
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
    subprocess.run([CC, "-std=c11", "-Wall", "-Wextra", "-Werror", f"-I{work}",
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

    model = Path(__file__).resolve().parents[1] / "Pipeline" / "Inputs" / "lstm-for.onnxtxt"
    subprocess.run([str(sh.seqc_binary()), str(model), "-o", str(tmp_path / "lstm")],
                   check=True, capture_output=True, text=True)
    program = tmp_path / "run_out_of_memory"
    subprocess.run([CC, "-std=c11", "-Wall", "-Wextra", "-Werror", f"-I{tmp_path}",
                    str(HERE / "Inputs" / "run_out_of_memory.c"), str(tmp_path / "liblstm.a"),
                    "-lm", "-o", str(program)], check=True, capture_output=True, text=True)

    def limit_address_space():
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    out = subprocess.run([str(program)], capture_output=True, text=True,
                         preexec_fn=limit_address_space)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.splitlines() == ["status 3 out of memory", "after 0"]
