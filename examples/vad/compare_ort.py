#!/usr/bin/env python3
"""Run silero-vad in ONNX Runtime over a WAV the way examples/vad/main.c does
and compare with the probabilities main.c wrote (`vad --probs FILE`).

Usage:
  compare_ort.py MODEL.onnx SPEECH.wav PROBS.txt

Prints ONNX Runtime's mean time per chunk (1 thread) and the largest
difference between its per-chunk probabilities and seqc's.
"""

import sys
import time
import wave

import numpy as np
import onnxruntime as ort

CHUNK, CONTEXT, RATE = 512, 64, 16000


def read_wav(path):
    with wave.open(str(path), "rb") as f:
        if f.getnchannels() != 1 or f.getsampwidth() != 2 or f.getframerate() != RATE:
            raise SystemExit(f"{path}: expected 16-bit mono {RATE} Hz")
        data = np.frombuffer(f.readframes(f.getnframes()), dtype="<i2")
    return data.astype(np.float32) / 32768.0


def main(model, wav, probs_file):
    signal = read_wav(wav)
    seqc_probs = np.loadtxt(probs_file, dtype=np.float64, ndmin=1)
    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    state = np.zeros((2, 1, 128), np.float32)
    context = np.zeros(CONTEXT, np.float32)
    sr = np.array(RATE, np.int64)
    probs, elapsed = [], 0.0
    for start in range(0, len(signal), CHUNK):
        chunk = signal[start:start + CHUNK]
        chunk = np.pad(chunk, (0, CHUNK - len(chunk)))
        x = np.concatenate([context, chunk])[None, :]
        t = time.perf_counter()
        p, state = session.run(None, {"input": x, "state": state, "sr": sr})
        elapsed += time.perf_counter() - t
        probs.append(float(p[0, 0]))
        context = chunk[-CONTEXT:]
    probs = np.array(probs)
    if len(probs) != len(seqc_probs):
        raise SystemExit(f"{len(probs)} chunks in ONNX Runtime, {len(seqc_probs)} from seqc")
    print(f"ONNX Runtime 1 thread: {elapsed / len(probs) * 1e6:.1f} us per chunk; "
          f"max |p_seqc - p_ort| over {len(probs)} chunks = "
          f"{np.abs(probs - seqc_probs).max():.2e}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
