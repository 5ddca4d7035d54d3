#!/usr/bin/env python3
"""seqc against ONNX Runtime, OpenVINO and IREE, in the same run, on recurrent models.

Per grid point (op, layers, directions, hidden = input size, T, batch,
threads) the model is compiled by seqc and loaded by ONNX Runtime (CPU
provider, `threads` intra-op threads), by OpenVINO (CPU, f32 inference
precision, latency hint, `threads` inference threads) and by IREE (its ONNX
importer, llvm-cpu for the host; `local-sync` at one thread, `local-task`
with `threads` workers otherwise). OpenVINO and IREE are skipped when their
packages (bench/requirements.txt) are missing, and IREE where it cannot
compile the model. Their outputs must agree with seqc's. The
contestants then run in turns (see interleaved()), twice through all, so that
slow drifts of the machine hit all alike; reported per contestant: the median and the 10th-90th
percentile spread of the rounds, and each peer's time over seqc's (> 1: seqc
is faster). Times are whole calls from Python (argument checks, the ctypes
or binding call, output allocation).

    PYTHONPATH=build/python .venv/bin/python bench/bench_rnn.py --grid default
    bash bench/run.sh [--grid smoke|default|full]   (builds, installs openvino)

Writes the table to docs/performance.md (or --out), keeping the hand-written
part below its marker line.
"""
import argparse
import copy
import importlib.metadata
import itertools
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "test" / "e2e"))
import rnn_models  # noqa: E402
import seqc  # noqa: E402

import roofline  # noqa: E402  (bench/, beside this file)

try:
    import openvino
except ImportError:  # the bench's own extra (bench/requirements.txt)
    openvino = None
try:
    import iree.compiler
    import iree.runtime
except ImportError:  # the bench's own extra too
    iree = None

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
        batch=batch, seq_len=seq_len, dynamic_dims=True, weight_scale=1 / np.sqrt(hidden))


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


class IreeRunner:
    """The model imported by IREE's ONNX importer and compiled for the host
    CPU (llvm-cpu). One thread: the `local-sync` device (runs on the
    caller's thread); more: `local-task`, whose worker count is a process
    flag set once, before its first device (see main)."""
    name = "IREE"
    # It fails on some dynamic-size models (GRU: a linalg.fill of size -1):
    # it gets each point's shapes as static ones.
    static_shapes = True
    task_threads = None  # the count the process flag was set to
    _compiled = {}  # model bytes -> vmfb bytes: compiled once per model

    def __init__(self, model, threads):
        if threads > 1 and threads != IreeRunner.task_threads:
            raise ValueError(f"IREE's worker count is fixed at {IreeRunner.task_threads}")
        data = model.SerializeToString()
        if data not in self._compiled:
            self._compiled[data] = self._compile(data)
        config = iree.runtime.Config("local-sync" if threads == 1 else "local-task")
        context = iree.runtime.SystemContext(config=config)
        context.add_vm_module(iree.runtime.VmModule.copy_buffer(config.vm_instance,
                                                                self._compiled[data]))
        self.function = context.modules.module[model.graph.name]
        initializers = {i.name for i in model.graph.initializer}
        self.inputs = [i.name for i in model.graph.input if i.name not in initializers]

    @staticmethod
    def _compile(data):
        import subprocess
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            onnx_path, mlir_path = Path(tmp) / "model.onnx", Path(tmp) / "model.mlir"
            onnx_path.write_bytes(data)
            subprocess.run([sys.executable, "-m", "iree.compiler.tools.import_onnx",
                            str(onnx_path), "-o", str(mlir_path)], check=True,
                           capture_output=True)
            return iree.compiler.compile_file(
                str(mlir_path), target_backends=["llvm-cpu"],
                extra_args=["--iree-llvmcpu-target-cpu=host"])

    def __call__(self, feeds):
        results = self.function(*[feeds[n] for n in self.inputs])
        results = results if isinstance(results, (list, tuple)) else [results]
        return [r.to_host() for r in results]


class SeqcRunner:
    name = "seqc"

    def __init__(self, model):
        self.compiled = seqc.compile(model)

    def __call__(self, feeds):
        # The compiled model's inputs (a bound input is not one).
        got = self.compiled(*[feeds[spec.name] for spec in self.compiled.inputs
                              if spec.name in feeds])
        return list(got) if isinstance(got, tuple) else [got]


def with_static_shapes(model, feeds):
    """A copy of `model` whose graph inputs have the shapes of `feeds`."""
    model = copy.deepcopy(model)
    for value in model.graph.input:
        if value.name in feeds:
            dims = value.type.tensor_type.shape.dim
            for dim, size in zip(dims, feeds[value.name].shape):
                dim.Clear()
                dim.dim_value = size
    return model


class SeqcHalideRunner(SeqcRunner):
    """seqc with its Halide kernel backend (`kernels="halide"`): the same
    compiler, the matmuls' kernels generated by Halide (lib/Kernels)."""
    name = "seqc Halide"
    _compiled = {}  # model bytes -> compiled model: compiled once per model
    options = {}  # more compile options (silero-vad's: see silero_rows)

    def __init__(self, model, threads):
        data = model.SerializeToString()
        if data not in self._compiled:
            self._compiled.clear()
            self._compiled[data] = seqc.compile(model, kernels="halide", **self.options)
        self.compiled = self._compiled[data]
        self.compiled.threads = threads


def start_peer(peer, model, feeds, threads):
    """The peer's runner, or None (printed) where it cannot compile the model."""
    if getattr(peer, "static_shapes", False):
        model = with_static_shapes(model, feeds)
    try:
        return peer(model, threads)
    except Exception as e:  # noqa: BLE001 - a peer's failure is a table cell
        print(f"  {peer.name} cannot run this point: {str(e).splitlines()[0][:200]}",
              flush=True)
        return None


def interleaved(runners, feeds, rounds, budget, blocks=2):
    """Seconds per call of each runner: `rounds` samples each, fewer where
    they would take more than `budget` seconds (one at least: the full
    grid's largest points take seconds per call), taken in up to `blocks`
    turns through the runners, each turn untimed calls (2, and 20 ms at
    least) and then the turn's share of the timed ones in a row. A runner
    whose calls take 0.1 s or more (measured by its last call, the agreement
    check's at first) gets no untimed calls: what they warm up (caches,
    clocks, first-touch pages) is then well within the spread. Not one call
    each in turn: the contestants' worker threads keep spinning after a call
    (ONNX Runtime's used ~40 ms of CPU in the 100 ms after one), and on a
    2-core machine they would take the cores from the next contestant's
    threads (seqc at 2 threads measured 1.3 ms alone, 2.3 ms right after an
    ONNX Runtime call); each turn starts 100 ms after the previous one ended."""
    samples = [[] for _ in runners]
    wanted = [max(1, min(rounds, int(budget / run.last_seconds))) for run in runners]
    for turn in range(blocks):
        for i, run in enumerate(runners):
            # This turn's share of the samples (none where they are taken).
            count = -(-(wanted[i] - len(samples[i])) // (blocks - turn))
            if count <= 0:
                continue
            time.sleep(0.1)  # the previous contestant's threads go idle
            if run.last_seconds < 0.1:
                # After the pause, the first short calls ran up to 3x slower.
                warm_until, calls = time.perf_counter() + 0.02, 0
                while calls < 2 or time.perf_counter() < warm_until:
                    run(feeds)
                    calls += 1
            for _ in range(count):
                start = time.perf_counter()
                run(feeds)
                samples[i].append(time.perf_counter() - start)
            run.last_seconds = samples[i][-1]
    return samples


def timed_call(run, feeds):
    """run(feeds), its seconds kept as run.last_seconds."""
    start = time.perf_counter()
    got = run(feeds)
    run.last_seconds = time.perf_counter() - start
    return got


def measure_point(ours, want, model, feeds, threads, peers, rounds, budget, name):
    """seqc and each peer at `threads` threads: their (median, p10, p90)
    seconds (None where a peer cannot run the model), and the largest
    difference of a peer's outputs from seqc's `want` (printed where it is
    over TOLERANCE: the table shows it; a long run goes on)."""
    ours.compiled.threads = threads
    runners = [ours] + [start_peer(peer, model, feeds, threads) for peer in peers]
    diff = 0.0
    for peer in runners[1:]:
        if peer:
            got = timed_call(peer, feeds)
            diff = max(diff, max(float(np.abs(g - w).max()) for g, w in zip(got, want)))
    if diff > TOLERANCE:
        print(f"  {name}: peers differ from seqc by {diff:.2g}", flush=True)
    present = [r for r in runners if r]
    measured = iter(summary(s) for s in interleaved(present, feeds, rounds, budget))
    return [next(measured) if r else None for r in runners], diff


def silero_model():
    """silero_vad.onnx of the silero-vad package (scripts/setup.sh installs
    it; found without importing the package, whose __init__ imports torch),
    or None."""
    import importlib.util
    spec = importlib.util.find_spec("silero_vad")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "silero_vad.onnx"
    return path if path.is_file() else None


class SeqcSileroRunner:
    """silero-vad's per-chunk call: 512 new samples and 64 of context at
    16 kHz (the input's length static, `sr` bound at compile time, as the
    package's own wrapper calls it)."""
    name = "seqc"

    options = {"input_shapes": {"input": [None, 576]}, "bind": {"sr": 16000}}

    def __init__(self, path):
        self.compiled = seqc.compile(str(path), **self.options)

    def __call__(self, feeds):
        return list(self.compiled(feeds["input"], feeds["state"]))


def silero_rows(thread_counts, rounds, budget, peers):
    """(label, times, diff) per thread count for silero-vad's chunk call; []
    without the package."""
    path = silero_model()
    if path is None:
        print("silero-vad is not installed: no silero-vad point", flush=True)
        return []
    model = onnx.load(str(path))
    rng = np.random.default_rng(0)
    feeds = {"input": (rng.standard_normal((1, 576)) * 0.1).astype(np.float32),
             "state": np.zeros((2, 1, 128), np.float32), "sr": np.array(16000, np.int64)}
    ours = SeqcSileroRunner(path)
    want = timed_call(ours, feeds)
    SeqcHalideRunner.options = SeqcSileroRunner.options
    rows = []
    for threads in thread_counts:
        times, diff = measure_point(ours, want, model, feeds, threads, peers, rounds,
                                    budget, "silero-vad")
        rows.append((f"silero-vad chunk t{threads}", times, diff))
        ratios = "  ".join(f"{p.name} {t[0] / times[0][0]:5.2f}x"
                           for p, t in zip(peers, times[1:]) if t)
        print(f"silero-vad chunk t{threads:<22d} seqc {times[0][0] * 1e6:8.1f} us  {ratios}",
              flush=True)
    return rows


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
    parser.add_argument("--budget", type=float, default=3.0,
                        help="seconds of timed calls per contestant and point, at most "
                             "(fewer rounds where they would take longer; one at least)")
    parser.add_argument("--threads", help="thread counts instead of the grid's, e.g. 1,2")
    parser.add_argument("--peers", default="ort,openvino,iree,halide",
                        help="which peers run beside seqc (of ort, openvino, iree, halide)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "performance.md"))
    args = parser.parse_args()
    wanted = set(args.peers.split(","))

    ops, layer_counts, bidis, hiddens, seq_lens, batches, thread_counts = GRIDS[args.grid]
    if args.threads:
        thread_counts = [int(t) for t in args.threads.split(",")]
    peers = ([OrtRunner] if "ort" in wanted else []) \
        + ([OpenVinoRunner] if openvino and "openvino" in wanted else []) \
        + ([IreeRunner] if iree and "iree" in wanted else []) \
        + ([SeqcHalideRunner] if "halide" in wanted and "halide" in seqc.kernel_backends()
           else [])
    if IreeRunner in peers and max(thread_counts) > 1:
        # Before IREE's first task device in this process.
        iree.runtime.flags.parse_flags(
            f"--task_topology_max_group_count={max(thread_counts)}")
        IreeRunner.task_threads = max(thread_counts)
    machine = roofline.measure(thread_counts)
    rows = []
    for op, layers, bidi, hidden, seq_len, batch in itertools.product(
            ops, layer_counts, bidis, hiddens, seq_lens, batches):
        model, feeds = make_model(op, layers, bidi, hidden, seq_len, batch)
        ours = SeqcRunner(model)
        want = timed_call(ours, feeds)
        for threads in thread_counts:
            label = (f"{op} {layers}L {'bi' if bidi else 'uni'} h{hidden} T{seq_len} "
                     f"b{batch} t{threads}")
            times, diff = measure_point(ours, want, model, feeds, threads, peers,
                                        args.rounds, args.budget, label)
            point = dict(op=op, layers=layers, bidirectional=bidi, hidden=hidden,
                         seq_len=seq_len, batch=batch)
            of_ceiling = roofline.ceiling_seconds(machine, threads, **point) / times[0][0]
            point.update(threads=threads, label=label)
            rows.append((point, times, diff, of_ceiling))
            ratios = "  ".join(f"{p.name} {t[0] / times[0][0]:5.2f}x"
                               for p, t in zip(peers, times[1:]) if t)
            print(f"{label:34s} seqc {times[0][0] * 1e3:8.3f} ms ({of_ceiling:4.0%} of "
                  f"ceiling)  {ratios}", flush=True)

    # silero-vad's chunk call is ~0.1 ms: more samples for the same spread.
    silero = silero_rows(thread_counts, 10 * args.rounds, args.budget, peers)

    names = ["seqc"] + [p.name for p in peers]
    header = " | ".join(f"{n} ms (p10-p90)" for n in names)
    versions = [f"onnxruntime {ort.__version__}",
                f"openvino {openvino.__version__.split('-')[0]}" if openvino
                else "OpenVINO not installed",
                f"IREE {importlib.metadata.version('iree-base-compiler')}" if iree
                else "IREE not installed"]
    lines = [
        "# Performance",
        "",
        "Generated by `bench/bench_rnn.py` (see its docstring): "
        + ", ".join(["seqc"] + [p.name for p in peers[:-1]]) + f" and {peers[-1].name}"
        + " in one run, interleaved; median",
        f"of {args.rounds} calls in 2 turns (warm-up: 2 calls and 20 ms at least, none for calls of 0.1 s",
        f"or more; fewer calls, one at least, where {args.rounds} would take over {args.budget:g} s);",
        "float32; input = hidden;",
        "weights uniform(±1/√hidden) as torch initialises them.",
        "Each peer's column `peer / seqc` is its time over seqc's: above 1, seqc is faster;",
        "— where the peer could not compile the model. Every contestant runs at the",
        "point's thread count (seqc: its context's `threads`). IREE compiles each point",
        "with its shapes static (it fails on dynamic GRUs); the others compile one model",
        "of dynamic batch and length.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {cpu_model()} ({cpu_flags()}).",
        ", ".join(versions) + ".",
        f"Command: `PYTHONPATH=build/python .venv/bin/python bench/bench_rnn.py --grid {args.grid}"
        f" --rounds {args.rounds}" + (f" --budget {args.budget:g}" if args.budget != 3.0 else "")
        + (f" --peers {args.peers}" if args.peers != parser.get_default("peers") else "")
        + (f" --threads {args.threads}" if args.threads else "") + "`",
        "",
        f"| point | {header} | " + " | ".join(f"{n} / seqc" for n in names[1:])
        + " | seqc / roofline | max abs diff |",
        "|---|" + "---:|" * (2 * len(names) - 1) + "---:|---:|",
    ]
    for point, times, diff, of_ceiling in rows:
        cells = [f"{m * 1e3:.3f} ({lo * 1e3:.3f}-{hi * 1e3:.3f})" if t else "—"
                 for t in times for m, lo, hi in [t or (0, 0, 0)]]
        ratios = [f"{t[0] / times[0][0]:.2f}" if t else "—" for t in times[1:]]
        lines.append(f"| {point['label']} | " + " | ".join(cells + ratios)
                     + f" | {of_ceiling:.0%} | {diff:.1e}{' (over 1e-4)' if diff > TOLERANCE else ''} |")
    for i, name in enumerate(names[1:], start=1):
        for threads in thread_counts:
            ratios = [t[i][0] / t[0][0] for point, t, _, _ in rows
                      if point["threads"] == threads and t[i]]
            if ratios:
                geomean = float(np.exp(np.mean(np.log(ratios))))
                lines.append("")
                lines.append(f"Geometric mean of {name} / seqc at {threads} thread{'s' if threads > 1 else ''}: "
                             f"{geomean:.2f} ({sum(r > 1 for r in ratios)} of {len(ratios)} "
                             "points faster than the peer).")
    if silero:
        lines += ["", "silero-vad (the silero-vad package's silero_vad.onnx), one call per"
                  " 512-sample chunk with 64 samples of context at 16 kHz, the state fed in;",
                  f"median of {10 * args.rounds} calls (µs):", "",
                  f"| point | " + " | ".join(f"{n} µs (p10-p90)" for n in names) + " | "
                  + " | ".join(f"{n} / seqc" for n in names[1:]) + " | max abs diff |",
                  "|---|" + "---:|" * (2 * len(names) - 1) + "---:|"]
        for label, times, diff in silero:
            cells = [f"{m * 1e6:.1f} ({lo * 1e6:.1f}-{hi * 1e6:.1f})" if t else "—"
                     for t in times for m, lo, hi in [t or (0, 0, 0)]]
            ratios = [f"{t[0] / times[0][0]:.2f}" if t else "—" for t in times[1:]]
            lines.append(f"| {label} | " + " | ".join(cells + ratios) + f" | {diff:.1e} |")
    lines += ["", "Roofline (bench/roofline.py: each point's least time under the measured",
              "FMA peak and the read bandwidth of the cache level that holds each thread's",
              "share of R; `seqc / roofline` is that time over seqc's):", ""]
    lines += roofline.describe(machine)
    plots = roofline.plot([(p, {n: t[0] for n, t in zip(names, times) if t})
                           for p, times, _, _ in rows], machine, args.out)
    lines += [""] + [f"![{p.stem}]({p.name})" for p in plots]
    out = Path(args.out)
    kept = out.read_text().split(KEPT, 1) if out.exists() else []
    lines += ["", KEPT + (kept[1].rstrip("\n") if len(kept) == 2 else "")]
    out.write_text("\n".join(lines) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
