#!/usr/bin/env python3
"""Write the synthetic VAD test signal to a WAV file and print its ground truth.

The signal is test/e2e/vad_signal.py's (the one test/e2e/test_silero_vad.py
checks seqc against ONNX Runtime with): about 25 s of 16 kHz mono audio made
of silence, noise and speech-like bursts, written as 16-bit PCM.

Usage:
  make_wav.py OUT.wav [--seed N] [--rate 16000|8000]

Prints one line per segment, `start_s end_s kind`, kind being silence,
noise or speech; examples/vad/main.c prints the speech segments it detects
in the same `start_s end_s` form.
"""

import argparse
import importlib.util
import sys
from pathlib import Path

SIGNAL = Path(__file__).resolve().parents[2] / "test" / "e2e" / "vad_signal.py"


def load_signal_module():
    spec = importlib.util.spec_from_file_location("vad_signal", SIGNAL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wav", help="the WAV file to write")
    parser.add_argument("--seed", type=int, default=None,
                        help="synthesis seed (default: vad_signal.SEED)")
    parser.add_argument("--rate", type=int, default=16000, choices=(16000, 8000),
                        help="sample rate (8000 is resampled from 16000)")
    args = parser.parse_args(argv)
    vs = load_signal_module()
    seed = vs.SEED if args.seed is None else args.seed
    samples, segments = vs.make_signal(seed, rate=args.rate)
    vs.write_wav(args.wav, samples, args.rate)
    print(f"# {args.wav}: {len(samples)} samples, {len(samples) / args.rate:.3f} s at "
          f"{args.rate} Hz, seed {seed}", file=sys.stderr)
    for start, end, kind in segments:
        print(f"{start:.3f} {end:.3f} {kind}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
