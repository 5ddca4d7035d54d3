"""The roofline of bench_rnn.py: the machine's ceilings, measured once per
run by bench/roofline.c, and each point's least possible time under them.

A recurrent layer does, per direction, an input projection (2·T·B·I·G·H
FLOPs, a GEMM: bound by the FMA peak) and T steps that each multiply the
state by R (2·B·H·G·H FLOPs) while reading all of R (G·H·H·4 bytes). A step
is bound by the FMA peak or by the bandwidth of the cache level R lives in,
whichever is slower; with n threads each reads 1/n of R, so the level is the
one that holds that share. The ceiling of a point is the sum of those times;
seqc's fraction of it is ceiling / measured (1 = at the roofline).
"""
import json
import os
import platform
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
GATES = {"LSTM": 4, "GRU": 3, "RNN": 1}


def measure(thread_counts):
    """{threads: {"gflops": .., "read_gbs": {bytes: GB/s}}} from roofline.c,
    compiled for this machine."""
    with tempfile.TemporaryDirectory() as tmp:
        exe = Path(tmp) / "roofline"
        # Clang splits 512-bit vectors in two for some AVX-512 CPUs unless told.
        wide = ["-mprefer-vector-width=512"] if platform.machine() == "x86_64" else []
        subprocess.run([os.environ.get("CC", "clang-22"), "-O3", "-march=native", *wide,
                        "-pthread", str(HERE / "roofline.c"), "-o", str(exe)], check=True)
        machine = {}
        for threads in thread_counts:
            out = subprocess.run([str(exe), str(threads)], check=True, capture_output=True,
                                 text=True).stdout
            result = json.loads(out)
            result["read_gbs"] = {int(k): v for k, v in result["read_gbs"].items()}
            machine[threads] = result
        return machine


def read_bandwidth(ceilings, bytes_per_thread):
    """GB/s (all threads) of the smallest measured buffer that holds each
    thread's share."""
    sizes = sorted(ceilings["read_gbs"])
    size = next((s for s in sizes if s >= bytes_per_thread), sizes[-1])
    return ceilings["read_gbs"][size]


def point_work(op, layers, bidirectional, hidden, seq_len, batch):
    """[(projection FLOPs, step FLOPs, R bytes per step)] per layer and
    direction."""
    gates, directions = GATES[op], 2 if bidirectional else 1
    work = []
    for layer in range(layers):
        inputs = hidden if layer == 0 else directions * hidden
        for _ in range(directions):
            work.append((2 * seq_len * batch * inputs * gates * hidden,
                         2 * batch * hidden * gates * hidden,
                         gates * hidden * hidden * 4))
    return work


def ceiling_seconds(machine, threads, op, layers, bidirectional, hidden, seq_len, batch):
    """The least time of one call under the measured ceilings."""
    ceilings = machine[threads]
    peak = ceilings["gflops"] * 1e9
    seconds = 0.0
    for projection, step, r_bytes in point_work(op, layers, bidirectional, hidden,
                                                seq_len, batch):
        bandwidth = read_bandwidth(ceilings, r_bytes / threads) * 1e9
        seconds += projection / peak + seq_len * max(step / peak, r_bytes / bandwidth)
    return seconds


def total_flops(op, layers, bidirectional, hidden, seq_len, batch):
    return sum(p + seq_len * s for p, s, _ in
               point_work(op, layers, bidirectional, hidden, seq_len, batch))


def describe(machine):
    """Markdown lines stating the measured ceilings."""
    lines = []
    for threads, c in sorted(machine.items()):
        reads = ", ".join(f"{size >> 10} KiB {gbs:.0f}" for size, gbs in
                          sorted(c["read_gbs"].items()))
        lines.append(f"- {threads} thread{'s' if threads > 1 else ''}: FMA peak "
                     f"{c['gflops']:.0f} GFLOP/s ({c['lanes']} f32 lanes); read GB/s by "
                     f"buffer size per thread: {reads}.")
    return lines


def plot(rows, machine, table):
    """Beside the table file (docs/performance.md): <stem>-roofline.png
    (seqc's points against the ceilings) and <stem>-speedup.png (each peer's
    time over seqc's, per thread count). rows: (point dict, {runner name:
    median seconds}). Returns the written paths, or [] without matplotlib."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return []
    table = Path(table)
    paths = []
    thread_counts = sorted(machine)
    fig, axes = plt.subplots(1, len(thread_counts), figsize=(6 * len(thread_counts), 4.5),
                             squeeze=False)
    for ax, threads in zip(axes[0], thread_counts):
        c = machine[threads]
        intensity = [2 ** e for e in range(-4, 9)]
        ax.plot(intensity, [c["gflops"]] * len(intensity), "k-", label="FMA peak")
        for size, style in zip(sorted(c["read_gbs"])[1::2], ["--", "-.", ":", "--"]):
            gbs = c["read_gbs"][size]
            ax.plot(intensity, [min(c["gflops"], gbs * i) for i in intensity], style,
                    label=f"read {size >> 10} KiB/thread ({gbs:.0f} GB/s)")
        for point, times in rows:
            if point["threads"] != threads:
                continue
            flops = total_flops(**{k: point[k] for k in
                                   ("op", "layers", "bidirectional", "hidden", "seq_len",
                                    "batch")})
            r_bytes = sum(point["seq_len"] * r for _, _, r in
                          point_work(point["op"], point["layers"], point["bidirectional"],
                                     point["hidden"], point["seq_len"], point["batch"]))
            ax.scatter(flops / r_bytes, flops / times["seqc"] * 1e-9, s=12,
                       c="tab:blue" if point["op"] == "LSTM" else "tab:orange")
        ax.set(xscale="log", yscale="log", xlabel="FLOPs per byte of R read",
               ylabel="GFLOP/s", title=f"seqc, {threads} thread{'s' if threads > 1 else ''} "
               "(blue LSTM, orange GRU)")
        ax.legend(fontsize=7)
    fig.tight_layout()
    paths.append(table.with_name(f"{table.stem}-roofline.png"))
    fig.savefig(paths[-1], dpi=110)
    plt.close(fig)

    peers = [n for n in rows[0][1] if n != "seqc"] if rows else []
    fig, axes = plt.subplots(len(thread_counts), 1, figsize=(14, 3.5 * len(thread_counts)),
                             squeeze=False)
    for ax, threads in zip(axes[:, 0], thread_counts):
        mine = [(p, t) for p, t in rows if p["threads"] == threads]
        width = 0.8 / max(1, len(peers))
        for k, name in enumerate(peers):
            xs = [i + k * width for i, (_, t) in enumerate(mine) if t.get(name)]
            ys = [t[name] / t["seqc"] for _, t in mine if t.get(name)]
            ax.bar(xs, ys, width, label=f"{name} / seqc")
        ax.axhline(1, color="k", lw=0.8)
        ax.set(yscale="log", ylabel="time over seqc's",
               title=f"{threads} thread{'s' if threads > 1 else ''}: above 1, seqc is faster")
        ax.set_xticks(range(len(mine)))
        ax.set_xticklabels([p["label"].rsplit(" t", 1)[0] for p, _ in mine], rotation=90,
                           fontsize=6)
        ax.legend(fontsize=7)
    fig.tight_layout()
    paths.append(table.with_name(f"{table.stem}-speedup.png"))
    fig.savefig(paths[-1], dpi=110)
    plt.close(fig)
    return paths
