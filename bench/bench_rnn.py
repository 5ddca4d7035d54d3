#!/usr/bin/env python3
"""seqc against ONNX Runtime and OpenVINO, in the same run, on recurrent models.

Per grid point (op, layers, directions, hidden = input size, T, batch,
threads) the model is compiled by seqc and loaded by ONNX Runtime (CPU
provider, `threads` intra-op threads) and by OpenVINO (CPU, f32 inference
precision, latency hint, `threads` inference threads; skipped when the
`openvino` package is missing). Their outputs must agree with seqc's. The
contestants then run interleaved, one call each per round, so that noise
hits all alike; reported per contestant: the median and the 10th-90th
percentile spread of the rounds, and each peer's time over seqc's (> 1: seqc
is faster). Times are whole calls from Python (argument checks, the ctypes
or binding call, output allocation).

    PYTHONPATH=build/python .venv/bin/python bench/bench_rnn.py --grid default
    bash bench/run.sh [--grid smoke|default|full]   (builds, installs openvino)

Writes the table to docs/performance.md (or --out), keeping the hand-written
part below its marker line.
"""
import argparse
import itertools
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "test" / "e2e"))
import rnn_models  # noqa: E402
import seqc  # noqa: E402

try:
    import openvino
except ImportError:  # the bench's own extra (bench/requirements.txt)
    openvino = None

# Everything from this line on in docs/performance.md is hand-written and kept.
KEPT = "<!-- hand-written below: kept by bench/bench_rnn.py -->"
# Agreement with seqc (float32 engines summing in different orders).
TOLERANCE = 1e-4

GRIDS = {
    # (ops, layers, bidirectional, hidden, T, batch, threads)
    "smoke": (["LSTM", "GRU"], [1], [False], [64], [16], [1], [1]),
    "default": (["LSTM", "GRU"], [1], [False, True], [128, 256, 512], [16, 128], [1, 8, 64],
                [1, 2]),
    "full": (["LSTM", "GRU"], [1, 2], [False, True], [128, 256, 512, 1024], [16, 128, 1024],
             [1, 8, 64], [1, 2]),
}


def make_model(op, layers, bidirectional, hidden, seq_len, batch):
    if layers == 1:
        return rnn_models.make_rnn_model(
            op, direction="bidirectional" if bidirectional else "forward", hidden=hidden,
            input_size=hidden, batch=batch, seq_len=seq_len, dynamic_dims=True, seed=0,
            # torch's init: larger weights make the recurrence chaotic, and then
            # any two float32 engines drift apart over the steps.
            weight_scale=1 / np.sqrt(hidden))
    return rnn_models.make_pytorch_style_stack(
        op, num_layers=layers, bidirectional=bidirectional, hidden=hidden, input_size=hidden,
        batch=batch, seq_len=seq_len, dynamic_dims=True)


class OrtRunner:
    name = "ONNX Runtime"

    def __init__(self, model, threads):
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(model.SerializeToString(), options,
                                            providers=["CPUExecutionProvider"])

    def __call__(self, feeds):
        return self.session.run(None, feeds)


class OpenVinoRunner:
    name = "OpenVINO"

    def __init__(self, model, threads):
        core = openvino.Core()
        compiled = core.compile_model(
            core.read_model(model.SerializeToString(), b""), "CPU",
            {"INFERENCE_PRECISION_HINT": "f32", "PERFORMANCE_HINT": "LATENCY",
             "INFERENCE_NUM_THREADS": threads, "NUM_STREAMS": 1})
        self.request = compiled.create_infer_request()
        self.outputs = compiled.outputs

    def __call__(self, feeds):
        results = self.request.infer(feeds)
        return [np.asarray(results[o]) for o in self.outputs]


class SeqcRunner:
    name = "seqc"

    def __init__(self, model):
        self.compiled = seqc.compile(model)
        self.inputs = [i.name for i in model.graph.input]

    def __call__(self, feeds):
        got = self.compiled(*[feeds[n] for n in self.inputs if n in feeds])
        return list(got) if isinstance(got, tuple) else [got]


def interleaved(runners, feeds, rounds):
    """Seconds per call of each runner: `rounds` samples, one call of each
    runner per round (after 3 warm-up rounds)."""
    samples = [[] for _ in runners]
    for r in range(rounds + 3):
        for i, run in enumerate(runners):
            start = time.perf_counter()
            run(feeds)
            if r >= 3:
                samples[i].append(time.perf_counter() - start)
    return samples


def summary(values):
    q = np.percentile(values, [10, 90])
    return statistics.median(values), float(q[0]), float(q[1])


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "cpu"


def cpu_flags():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
                return " ".join(f for f in ("avx2", "fma", "avx512f", "avx512_bf16", "avx512_vnni",
                                            "amx_tile") if f in flags)
    except OSError:
        pass
    return "?"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", choices=sorted(GRIDS), default="default")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--threads", help="thread counts instead of the grid's, e.g. 1,2")
    parser.add_argument("--out", default=str(ROOT / "docs" / "performance.md"))
    args = parser.parse_args()

    ops, layer_counts, bidis, hiddens, seq_lens, batches, thread_counts = GRIDS[args.grid]
    if args.threads:
        thread_counts = [int(t) for t in args.threads.split(",")]
    peers = [OrtRunner] + ([OpenVinoRunner] if openvino else [])
    rows = []
    for op, layers, bidi, hidden, seq_len, batch in itertools.product(
            ops, layer_counts, bidis, hiddens, seq_lens, batches):
        model, feeds = make_model(op, layers, bidi, hidden, seq_len, batch)
        ours = SeqcRunner(model)
        want = ours(feeds)
        for threads in thread_counts:
            runners = [ours] + [peer(model, threads) for peer in peers]
            diff = 0.0
            for peer in runners[1:]:
                got = peer(feeds)
                diff = max(diff, max(float(np.abs(g - w).max()) for g, w in zip(got, want)))
            assert diff <= TOLERANCE, f"{op} h{hidden}: peers differ from seqc by {diff:.2g}"
            times = [summary(s) for s in interleaved(runners, feeds, args.rounds)]
            label = (f"{op} {layers}L {'bi' if bidi else 'uni'} h{hidden} T{seq_len} "
                     f"b{batch} t{threads}")
            rows.append((label, times, diff))
            ratios = "  ".join(f"{r.name} {t[0] / times[0][0]:5.2f}x"
                               for r, t in zip(runners[1:], times[1:]))
            print(f"{label:34s} seqc {times[0][0] * 1e3:8.3f} ms  {ratios}", flush=True)

    names = ["seqc"] + [p.name for p in peers]
    header = " | ".join(f"{n} ms (p10-p90)" for n in names)
    lines = [
        "# Performance",
        "",
        "Generated by `bench/bench_rnn.py` (see its docstring): seqc, ONNX Runtime"
        + (" and OpenVINO" if openvino else "") + " in one run, interleaved; median",
        f"of {args.rounds} rounds after 3 warm-up rounds; float32; input size = hidden;",
        "weights uniform(±1/√hidden) as torch initialises them (2-layer stacks: ±0.6).",
        "Each peer's column `peer / seqc` is its time over seqc's: above 1, seqc is faster.",
        "seqc runs on one thread at every thread count (it has no thread pool yet).",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {cpu_model()} ({cpu_flags()}).",
        f"onnxruntime {ort.__version__}"
        + (f", openvino {openvino.__version__.split('-')[0]}" if openvino else ", OpenVINO not installed")
        + ". IREE is not measured yet.",
        f"Command: `PYTHONPATH=build/python .venv/bin/python bench/bench_rnn.py --grid {args.grid}"
        f" --rounds {args.rounds}" + (f" --threads {args.threads}" if args.threads else "") + "`",
        "",
        f"| point | {header} | " + " | ".join(f"{n} / seqc" for n in names[1:])
        + " | max abs diff |",
        "|---|" + "---:|" * (2 * len(names) - 1) + "---:|",
    ]
    for label, times, diff in rows:
        cells = [f"{m * 1e3:.3f} ({lo * 1e3:.3f}-{hi * 1e3:.3f})" for m, lo, hi in times]
        ratios = [f"{t[0] / times[0][0]:.2f}" for t in times[1:]]
        lines.append(f"| {label} | " + " | ".join(cells + ratios) + f" | {diff:.1e} |")
    for i, name in enumerate(names[1:], start=1):
        for threads in thread_counts:
            ratios = [t[i][0] / t[0][0] for label, t, _ in rows if label.endswith(f"t{threads}")]
            if ratios:
                geomean = float(np.exp(np.mean(np.log(ratios))))
                lines.append("")
                lines.append(f"Geometric mean of {name} / seqc at {threads} thread{'s' if threads > 1 else ''}: "
                             f"{geomean:.2f} ({sum(r > 1 for r in ratios)} of {len(ratios)} "
                             "points faster than the peer).")
    out = Path(args.out)
    kept = out.read_text().split(KEPT, 1) if out.exists() else []
    lines += ["", KEPT + (kept[1].rstrip("\n") if len(kept) == 2 else "")]
    out.write_text("\n".join(lines) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
