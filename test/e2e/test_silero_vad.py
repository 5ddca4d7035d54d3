"""silero-vad (the `silero-vad` 6.2.3 PyPI package's silero_vad.onnx) compiled
by seqc, run chunk by chunk like the reference wrapper, against ONNX Runtime.

The signal is vad_signal.make_signal(): ~25 s of synthetic 16 kHz audio
(silence, noise, speech-like bursts), cut by vad_signal.chunks() exactly as
silero's OnnxWrapper does: 512 new samples per call, prefixed with the last
64 samples of the previous call (576 in all), the state [2, 1, 128] carried
from each call's `stateN` to the next, starting from zeros. ONNX Runtime (one
thread, as the wrapper configures it) and the compiled model each carry their
own state; every per-chunk probability and the final state must agree within
1e-4 absolute.

Two compilations: `sr` left an input (fed int64 16000 on every call) and
`bind={"sr": 16000}` (then `sr` is no input of the compiled model); both give
the input a static length, `input_shapes={"input": [None, 576]}`.

`pytest -s` shows the mean time per chunk of ONNX Runtime and of seqc (the
seqc figure includes the Python binding's per-call work: a context, the
output shapes, the buffers). Nothing asserts on time.

Skipped when the silero-vad package is not installed (scripts/setup.sh
installs it, without its torch dependency: so the package itself cannot be
imported, and the model is found by its file), when onnxruntime is missing,
and, for the compiled runs, when the seqc Python package is not available.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import vad_signal

ROOT = Path(__file__).resolve().parents[2]
TOL = 1e-4
SR = 16000
MIN_CHUNKS = 600


def silero_model(name: str = "silero_vad.onnx") -> Path:
    """The path of a model the silero-vad package ships (silero_vad/data/).
    Found without importing the package: its __init__ imports torch."""
    try:
        spec = importlib.util.find_spec("silero_vad")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("silero-vad is not installed (scripts/setup.sh installs silero-vad==6.2.3)")
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / name
    if not path.is_file():
        pytest.skip(f"silero-vad is installed but has no data/{name}")
    return path


def import_seqc():
    """The seqc package: installed, or the one the build made in build/python
    (as python-bindings/tests/conftest.py does)."""
    if importlib.util.find_spec("seqc") is None:
        sys.path.insert(0, str(ROOT / "build" / "python"))
    return pytest.importorskip("seqc", reason="the seqc Python package is not built")


@pytest.fixture(scope="module")
def signal():
    samples, segments = vad_signal.make_signal()
    chunks = np.stack(list(vad_signal.chunks(samples, chunk=512, context=64)))
    return samples, segments, chunks


@pytest.fixture(scope="module")
def reference(signal):
    """ONNX Runtime over every chunk: (probabilities [n], final state, mean
    seconds per chunk)."""
    ort = pytest.importorskip("onnxruntime")
    path = silero_model()
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    _, _, chunks = signal
    state = np.zeros((2, 1, 128), np.float32)
    sr = np.array(SR, dtype=np.int64)
    probs = np.empty(len(chunks), np.float32)
    start = time.perf_counter()
    for i, chunk in enumerate(chunks):
        out, state = session.run(None, {"input": chunk[None, :], "state": state, "sr": sr})
        probs[i] = out[0, 0]
    seconds = (time.perf_counter() - start) / len(chunks)
    return probs, state, seconds


def test_signal_exercises_the_model(signal, reference):
    """The signal is long enough and the model's answer on it is not flat:
    the speech-like bursts are detected as speech, silence is not."""
    samples, segments, chunks = signal
    probs, _, seconds = reference
    assert chunks.shape == (len(probs), 576) and chunks.dtype == np.float32
    assert len(chunks) >= MIN_CHUNKS, f"{len(chunks)} chunks, want >= {MIN_CHUNKS}"
    assert len(chunks) == -(-len(samples) // 512)
    assert float(probs.max() - probs.min()) > 0.1, (probs.min(), probs.max())
    speech = np.zeros(len(probs), bool)
    for start, end, kind in segments:
        if kind == "speech":
            speech[int(start * SR) // 512:int(end * SR) // 512] = True
    assert probs[speech].max() > 0.5, "no speech-like burst was detected as speech"
    # Every burst detected somewhere, and silence/noise mostly not speech.
    for start, end, kind in segments:
        if kind == "speech":
            assert probs[int(start * SR) // 512:int(end * SR) // 512].max() > 0.5, (start, end)
    assert np.mean(probs[~speech] > 0.5) < 0.25
    print(f"\nsilero_vad.onnx on {len(chunks)} chunks: probability {probs.min():.4f}.."
          f"{probs.max():.4f}, {int(np.sum(probs > 0.5))} chunks > 0.5; "
          f"onnxruntime {seconds * 1e6:.1f} us/chunk")


@pytest.mark.parametrize("bind,kernels", [(False, "mlir"), (True, "mlir"), (True, "halide")],
                         ids=["sr_input", "bind_sr", "bind_sr_halide"])
def test_compiled_matches_onnxruntime(signal, reference, bind, kernels, tmp_path):
    ref_probs, ref_state, ort_seconds = reference
    path = silero_model()
    seqc = import_seqc()
    if kernels not in seqc.kernel_backends():
        pytest.skip(f"seqc was built without {kernels}")
    _, _, chunks = signal
    options = {"input_shapes": {"input": [None, 576]}, "kernels": kernels}
    if bind:
        options["bind"] = {"sr": SR}
    model = seqc.compile(str(path), emit_dir=tmp_path / "out", **options)

    names = [spec.name for spec in model.inputs]
    assert names == (["input", "state"] if bind else ["input", "state", "sr"]), model
    assert model.inputs[0].shape[1] == 576, model
    feeds = {"state": np.zeros((2, 1, 128), np.float32)}
    if not bind:
        feeds["sr"] = np.array(SR, dtype=np.int64)

    probs = np.empty(len(chunks), np.float32)
    start = time.perf_counter()
    for i, chunk in enumerate(chunks):
        feeds["input"] = chunk[None, :]
        out = model.run(feeds, as_dict=True)
        assert out["output"].shape == (1, 1)
        probs[i] = out["output"][0, 0]
        feeds["state"] = out["stateN"]
    seqc_seconds = (time.perf_counter() - start) / len(chunks)
    state = feeds["state"]
    print(f"\nsilero_vad ({'bind sr=16000' if bind else 'sr as an input'}), "
          f"{len(chunks)} chunks: onnxruntime {ort_seconds * 1e6:.1f} us/chunk, "
          f"seqc {seqc_seconds * 1e6:.1f} us/chunk")

    diff = np.abs(probs.astype(np.float64) - ref_probs)
    worst = int(np.argmax(diff))
    assert np.all(np.isfinite(probs)), "non-finite probabilities"
    assert diff[worst] <= TOL, (f"chunk {worst}: seqc {probs[worst]:.6f}, onnxruntime "
                                f"{ref_probs[worst]:.6f}; {int(np.sum(diff > TOL))} of "
                                f"{len(diff)} chunks differ by more than {TOL}")
    assert state.shape == ref_state.shape
    state_diff = float(np.max(np.abs(state.astype(np.float64) - ref_state)))
    assert state_diff <= TOL, f"final state differs by {state_diff:.3g}"
