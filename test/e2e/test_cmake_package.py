"""The installed package (issue: apps build their models): `cmake --install`
into a temporary prefix, then examples/cmake-app configured and built from a
fresh folder with only that prefix, its model compiled by seqc_add_model();
the app's outputs against ONNX Runtime; the model compiled again when the
.onnx file or its external data change, and nothing rebuilt when nothing
did."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest

import seqc_harness as sh

ROOT = Path(__file__).resolve().parents[2]
BUILD = sh.seqc_binary().parent.parent
pytestmark = [
    pytest.mark.skipif(not (BUILD / "CMakeCache.txt").exists(),
                       reason=f"no CMake build at {BUILD}"),
    pytest.mark.skipif(shutil.which("cmake") is None or shutil.which("ninja") is None,
                       reason="cmake and ninja are needed"),
    # The sanitized run's seqc is a wrapper script, not an installable build.
    pytest.mark.skipif(sh.seqc_binary().name != "seqc", reason="seqc is wrapped here"),
]


def run(*cmd, **kwargs):
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kwargs)
    assert proc.returncode == 0, f"{cmd}:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def compilers():
    """clang-22 where there is one (the project's compiler), else CMake's choice."""
    found = [shutil.which("clang-22"), shutil.which("clang++-22")]
    return [f"-DCMAKE_C_COMPILER={found[0]}", f"-DCMAKE_CXX_COMPILER={found[1]}"] \
        if all(found) else []


@pytest.fixture(scope="module")
def prefix(tmp_path_factory):
    prefix = tmp_path_factory.mktemp("prefix")
    run("cmake", "--install", BUILD, "--prefix", prefix)
    return prefix


def test_install_layout(prefix):
    for path in ["bin/seqc", "bin/seqc-opt", "include/seqc/SeqcTypes.h",
                 "lib/cmake/seqc/seqcConfig.cmake", "lib/cmake/seqc/SeqcAddModel.cmake",
                 "lib/cmake/seqc/seqcTargets.cmake", "lib/cmake/seqc/seqcConfigVersion.cmake"]:
        assert (prefix / path).is_file(), path
    assert run(prefix / "bin" / "seqc", "--version").startswith("seqc ")


def test_app_builds_its_model(prefix, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT / "examples" / "cmake-app", src)
    # The example's model, its weights moved into an external-data file.
    model = onnx.load(str(src / "gru.onnx"))
    onnx.save_model(model, str(src / "gru.onnx"), save_as_external_data=True,
                    all_tensors_to_one_file=True, location="gru.weights", size_threshold=0)
    app = tmp_path / "app"
    run("cmake", "-S", src, "-B", app, "-G", "Ninja", f"-DCMAKE_PREFIX_PATH={prefix}",
        *compilers())
    out = run("cmake", "--build", app)
    assert "Compiling gru.onnx with seqc" in out

    rng = np.random.default_rng(0)
    x = rng.standard_normal((5, 3, 8)).astype(np.float32)
    text = "5 3\n" + "\n".join(repr(float(v)) for v in x.ravel())
    got = np.array(run(app / "gru_app", input=text).split(), np.float32)
    session = ort.InferenceSession(str(src / "gru.onnx"), providers=["CPUExecutionProvider"])
    y, y_h = session.run(None, {"X": x})
    np.testing.assert_allclose(got, np.concatenate([y.ravel(), y_h.ravel()]), rtol=0, atol=1e-5)

    assert "no work to do" in run("cmake", "--build", app)
    for touched in ["gru.onnx", "gru.weights"]:
        os.utime(src / touched)
        out = run("cmake", "--build", app)
        assert "Compiling gru.onnx with seqc" in out, touched
        assert "no work to do" in run("cmake", "--build", app)
