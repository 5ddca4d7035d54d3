"""The README's five-minute tour, run line by line as written in an empty
temporary folder holding only model.onnx (an LSTM of dynamic length and
batch, input X) and x.npy: every line exits 0, out/ is made, the outputs
are written."""

import os
import re
import subprocess
from pathlib import Path

import numpy as np
import onnx
import pytest

import rnn_models
import seqc_harness as sh

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(sh.seqc_binary().name != "seqc" or
                                not os.access(sh.seqc_binary(), os.X_OK),
                                reason="the tour calls seqc and seqc-opt by name")


def tour_lines():
    text = (ROOT / "README.md").read_text()
    section = text.split("## A five-minute tour", 1)[1]
    code = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    # A comment starts at two spaces and '#'.
    return [re.split(r"\s{2,}#", line)[0].strip() for line in code.splitlines() if line.strip()]


def test_tour_runs_verbatim(tmp_path):
    model, feeds = rnn_models.make_rnn_model("LSTM", hidden=8, input_size=4, batch=2, seq_len=5,
                                             dynamic_dims=True)
    onnx.save(model, str(tmp_path / "model.onnx"))
    np.save(tmp_path / "x.npy", feeds["X"])
    env = dict(os.environ, PATH=f"{sh.seqc_binary().parent}{os.pathsep}{os.environ['PATH']}")
    lines = tour_lines()
    assert len(lines) >= 10
    for line in lines:
        proc = subprocess.run(line, shell=True, cwd=tmp_path, env=env, capture_output=True,
                              text=True)
        assert proc.returncode == 0, f"{line}\n{proc.stderr[-2000:]}"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == \
        ["libmodel.a", "libmodel.so", "model.h", "model.o"]
    y = np.load(tmp_path / "outputs" / "Y.npy")
    assert y.shape == (5, 1, 2, 8)
