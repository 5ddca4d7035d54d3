#!/usr/bin/env python3
"""seqc's linear scans against ONNX Runtime and against seqc's own lowerings, in one run.

The models are test/e2e/scan_models.py's, at benchmark sizes:

  minGRU H=256   a minGRU Scan, input = hidden = 256, T = 4096, batch 1: seqc
                 (--scan=auto), ONNX Runtime, and the floor: the projection
                 the scan cannot avoid, [T x 256] x [256 x 512], alone
                 (a MatMul model compiled by seqc);
  minGRU H=32    the same at H = 32, where ONNX Runtime's per-step cost of
                 interpreting the Scan body dominates;
  narrow        h = a h + b (a, b scan inputs) and minGRU, state widths 1,
                 4, 8, T = 65536: --scan=parallel (chunks side by side)
                 against --scan=sequential (a chain of dependent FMAs);
  retention      RetNet-style retention, d_k = d_v = 64, T = 4096 (a matrix
                 state): the scan (--scan=parallel; auto leaves a state this
                 large step by step) against --scan=off (the body as
                 written: a rank-1 update per step);
  CumSum         65536 x 8, along the long axis: parallel, sequential, ORT.

Each contestant's outputs must agree with ONNX Runtime's (relative error
1e-4). The contestants run in turns (bench_rnn.interleaved). Reported: the
median and 10th-90th percentile spread, and the ratios the acceptance of the
scan issue names. Writes docs/performance-scan.md (or --out).

    PYTHONPATH=build/python .venv/bin/python bench/bench_scan.py
"""
import argparse
import sys
from pathlib import Path

import numpy as np
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "test" / "e2e"))
sys.path.insert(0, str(ROOT / "bench"))
import bench_rnn  # noqa: E402  (its timing loop and machine description)
import scan_models  # noqa: E402
import seqc  # noqa: E402

TOLERANCE = 1e-4
# (case, contestant, relative error) where a contestant disagreed.
DISAGREEMENTS = []


class Seqc:
    """A model compiled by seqc with `options` (e.g. scan="parallel")."""

    def __init__(self, label, model, threads, **options):
        self.name = label
        self.compiled = seqc.compile(model, **options)
        self.compiled.threads = threads
        self.inputs = [spec.name for spec in self.compiled.inputs]

    def __call__(self, feeds):
        got = self.compiled(*[feeds[n] for n in self.inputs])
        return list(got) if isinstance(got, tuple) else [got]


def both_lowerings(model, threads):
    """ONNX Runtime, then seqc's two lowerings of the scan."""
    return [bench_rnn.OrtRunner(model, threads),
            Seqc("seqc sequential", model, threads, scan="sequential"),
            Seqc("seqc parallel", model, threads, scan="parallel")]


def projection_floor(steps, features, columns, seed=0):
    """x [T, features] times constant weights [features, columns]: the one
    product a minGRU layer cannot skip (its two gates' projections)."""
    rng = np.random.default_rng(seed)
    weights = (rng.standard_normal((features, columns)) / np.sqrt(features)).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"])], "projection",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["T", features])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["T", columns])],
        [numpy_helper.from_array(weights, "w")])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def feeds_for(model, steps, rng):
    """Normal random inputs; the bare recurrence's coefficients `as` in
    [0.5, 1) (decays, as a gate gives them)."""
    feeds = {}
    for value in model.graph.input:
        dims = [d.dim_value if d.dim_value else steps for d in value.type.tensor_type.shape.dim]
        feeds[value.name] = (rng.uniform(0.5, 1.0, dims) if value.name == "as"
                             else rng.standard_normal(dims)).astype(np.float32)
    return feeds


def source_commit():
    """The checkout's commit (the seqc that was measured)."""
    import subprocess
    proc = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True)
    return proc.stdout.strip() or "?"


def relative_error(got, want):
    return max(float(np.abs(np.asarray(g, np.float64) - w).max(initial=0.0))
               / max(float(np.abs(w).max(initial=0.0)), 1e-6) for g, w in zip(got, want))


def run_case(title, model, steps, threads, contestants, rounds, budget, extra=()):
    """Times `contestants` (the first is the reference whose outputs the
    others must match) and `extra` runners that compute something else (the
    floor). Returns {name: (median, p10, p90)}."""
    rng = np.random.default_rng(0)
    feeds = feeds_for(model, steps, rng)
    want = bench_rnn.timed_call(contestants[0], feeds)
    for runner in contestants[1:]:
        err = relative_error(bench_rnn.timed_call(runner, feeds), want)
        if err > TOLERANCE:
            print(f"  {title}: {runner.name} differs from {contestants[0].name} by {err:.2g}",
                  flush=True)
            DISAGREEMENTS.append((title, runner.name, err))
    runners = list(contestants)
    extra_feeds = []
    for runner, runner_feeds in extra:
        bench_rnn.timed_call(runner, runner_feeds)
        runners.append(runner)
        extra_feeds.append(runner_feeds)
    samples = bench_rnn.interleaved(runners[:len(contestants)], feeds, rounds, budget)
    for runner, runner_feeds in zip(runners[len(contestants):], extra_feeds):
        samples += bench_rnn.interleaved([runner], runner_feeds, rounds, budget)
    times = {r.name: bench_rnn.summary(s) for r, s in zip(runners, samples)}
    line = "  ".join(f"{name} {t[0] * 1e3:.3f} ms" for name, t in times.items())
    print(f"{title} t{threads}: {line}", flush=True)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--budget", type=float, default=2.0)
    parser.add_argument("--out", default=str(ROOT / "docs" / "performance-scan.md"))
    args = parser.parse_args()
    rows = []  # (case, threads, times, ratio text)

    def ms(t):
        return f"{t[0] * 1e3:.3f} ({t[1] * 1e3:.3f}-{t[2] * 1e3:.3f})"

    for threads in (1, 2):
        # minGRU at H = 256 and 32, T = 4096, batch 1.
        for hidden in (256, 32):
            steps = 4096
            model = scan_models.mingru(hidden=hidden, features=hidden, batch=1)
            floor = projection_floor(steps, hidden, 2 * hidden)
            floor_feeds = {"x": np.random.default_rng(1).standard_normal(
                (steps, hidden)).astype(np.float32)}
            times = run_case(
                f"minGRU Scan H={hidden} T={steps}", model, steps, threads,
                [bench_rnn.OrtRunner(model, threads), Seqc("seqc", model, threads)],
                args.rounds, args.budget,
                extra=[(Seqc("projection floor", floor, threads), floor_feeds)])
            ratio = (f"ORT/seqc {times['ONNX Runtime'][0] / times['seqc'][0]:.1f}x; "
                     f"seqc/floor {times['seqc'][0] / times['projection floor'][0]:.2f}x")
            rows.append((f"minGRU Scan H={hidden} T={steps} B=1", threads, times, ratio))
        # Narrow states, long sequences: the two lowerings of the scan, on
        # the bare recurrence h = a * h + b (the scan alone) and in minGRU
        # (with its projections and gates around it).
        for width in (1, 4, 8):
            steps = 65536
            model = scan_models.gated_sum(width)
            times = run_case(f"h = a h + b, width {width}, T={steps}", model, steps, threads,
                             both_lowerings(model, threads), args.rounds, args.budget)
            ratio = (f"sequential/parallel "
                     f"{times['seqc sequential'][0] / times['seqc parallel'][0]:.2f}x; "
                     f"ORT/parallel {times['ONNX Runtime'][0] / times['seqc parallel'][0]:.1f}x")
            rows.append((f"h = a h + b, width {width}, T={steps}", threads, times, ratio))
        for hidden in (1, 4, 8):
            steps = 65536
            model = scan_models.mingru(hidden=hidden, features=hidden, batch=1)
            times = run_case(f"minGRU Scan H={hidden} T={steps}", model, steps, threads,
                             both_lowerings(model, threads), args.rounds, args.budget)
            ratio = (f"sequential/parallel "
                     f"{times['seqc sequential'][0] / times['seqc parallel'][0]:.2f}x; "
                     f"ORT/parallel {times['ONNX Runtime'][0] / times['seqc parallel'][0]:.1f}x")
            rows.append((f"minGRU Scan H={hidden} T={steps} B=1", threads, times, ratio))
        # A matrix state: the scan against the rank-1 update per step.
        steps, d = 4096, 64
        model = scan_models.retention(dk=d, dv=d, features=d)
        times = run_case(
            f"retention d={d} T={steps}", model, steps, threads,
            [bench_rnn.OrtRunner(model, threads),
             Seqc("seqc step by step (--scan=off)", model, threads, scan="off"),
             Seqc("seqc scan (--scan=parallel)", model, threads, scan="parallel")],
            args.rounds, args.budget)
        ratio = ("step-by-step/scan "
                 f"{times['seqc step by step (--scan=off)'][0] / times['seqc scan (--scan=parallel)'][0]:.2f}x")
        rows.append((f"retention d={d} T={steps}", threads, times, ratio))
        # CumSum along a long axis.
        steps = 65536
        model = scan_models.cumsum(axis=0)
        model.graph.input[0].type.tensor_type.shape.dim[1].dim_value = 8
        model.graph.output[0].type.tensor_type.shape.dim[1].dim_value = 8
        times = run_case(f"CumSum {steps}x8", model, steps, threads,
                         both_lowerings(model, threads), args.rounds, args.budget)
        ratio = (f"sequential/parallel "
                 f"{times['seqc sequential'][0] / times['seqc parallel'][0]:.2f}x")
        rows.append((f"CumSum {steps}x8 axis 0", threads, times, ratio))

    lines = [
        "# Linear scans: performance",
        "",
        f"Machine: {bench_rnn.cpu_model()} ({bench_rnn.cpu_flags()}); onnxruntime "
        f"{ort.__version__}; seqc at commit {source_commit()}.",
        "",
        "Command: `PYTHONPATH=build/python .venv/bin/python bench/bench_scan.py "
        f"--rounds {args.rounds} --budget {args.budget}`",
        "",
        "Milliseconds per call, median (10th-90th percentile). Outputs against "
        "ONNX Runtime's (relative error over 1e-4): "
        + ("; ".join(f"{c}, {n}: {e:.2g}" for c, n, e in DISAGREEMENTS)
           if DISAGREEMENTS else "none, every contestant agrees") + ".",
        "",
        "| case | threads | contestants | ratios |",
        "|---|---|---|---|",
    ]
    for case, threads, times, ratio in rows:
        cells = "<br>".join(f"{name}: {ms(t)}" for name, t in times.items())
        lines.append(f"| {case} | {threads} | {cells} | {ratio} |")
    Path(args.out).write_text("\n".join(lines) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
