"""scripts/conformance.py on a few op types: the report's format, that its
counts add up, and that each way a case can end is classified as documented
(the last test drives the script with a fake seqc that refuses, crashes and
hangs)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import seqc_harness

SCRIPT = seqc_harness.REPO_ROOT / "scripts" / "conformance.py"
TOTALS = re.compile(r"^(\d+) passed, (\d+) failed, (\d+) unsupported \(of (\d+) cases\)$")
ROW = re.compile(r"^\| (\w+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$")


def run_script(out: Path, ops: str, *extra: str, env: dict | None = None,
               returncode: int = 0) -> str:
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out), "--ops", ops, *extra],
        capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == returncode, proc.stdout + proc.stderr
    run_script.stdout = proc.stdout
    return out.read_text()


def parse(text: str) -> tuple[dict, dict, tuple[int, ...]]:
    """Per-op rows {op: (cases, passed, failed, unsupported)}, listed cases
    {"Failed cases"/"Unsupported cases": {name: reason}}, the totals line."""
    lines = text.splitlines()
    totals = TOTALS.match(lines[-1])
    assert totals, f"last line is not the totals line: {lines[-1]!r}"
    rows, listed, section = {}, {}, None
    for line in lines:
        if line.startswith("## "):
            section = line[3:]
            listed.setdefault(section, {})
        elif section == "All op types" and ROW.match(line):
            op, *counts = ROW.match(line).groups()
            rows[op] = tuple(int(c) for c in counts)
        elif line.startswith("- `test_"):
            name, reason = re.match(r"- `(test_\w+)`: (.+)$", line).groups()
            listed[section][name] = reason
    return rows, listed, tuple(int(g) for g in totals.groups())


def check_consistent(text: str, ops: set[str]) -> tuple[dict, dict]:
    rows, listed, (passed, failed, unsupported, total) = parse(text)
    assert set(rows) == ops
    for op, (cases, p, f, u) in rows.items():
        assert cases > 0 and p + f + u == cases, (op, rows[op])
    assert passed + failed + unsupported == total
    assert total == sum(r[0] for r in rows.values())
    assert (passed, failed, unsupported) == tuple(
        sum(r[i] for r in rows.values()) for i in (1, 2, 3))
    assert len(listed["Failed cases"]) == failed
    assert len(listed["Unsupported cases"]) == unsupported
    summary = re.search(r"^Sequence-model ops: (\d+) / (\d+) cases passed "
                        r"\((\d+) failed, (\d+) unsupported\)\.$", text, re.M)
    assert summary, "no sequence-model ops summary"
    # Add, Relu and Erf are all on the sequence-model list.
    assert tuple(int(g) for g in summary.groups()) == (passed, total, failed, unsupported)
    return rows, listed


@pytest.fixture
def seqc_available() -> None:
    if not seqc_harness.seqc_binary().exists():
        pytest.skip(f"seqc binary not found ({seqc_harness.seqc_binary()})")


def test_report_on_three_ops(tmp_path: Path, seqc_available: None) -> None:
    text = run_script(tmp_path / "conformance.md", "Add,Relu,Erf", "--check")
    # --check: test_onnx_backend.py claims these ops' cases, and they passed.
    claimed = re.search(r"^(\d+) of (\d+) claimed cases passed$", run_script.stdout, re.M)
    assert claimed and claimed.group(1) == claimed.group(2) != "0", run_script.stdout
    rows, listed = check_consistent(text, {"Add", "Relu", "Erf"})
    cases, passed, failed, _ = rows["Add"]
    assert failed == 0, [n for n in listed["Failed cases"] if n.startswith("test_add")]
    assert passed == cases >= 8  # seqc supports Add on all its ONNX types
    assert "test_relu" not in listed["Failed cases"]
    assert "test_relu" not in listed["Unsupported cases"]


FAKE_SEQC = """#!/bin/sh
# Each case compiles in a directory named after it (SeqcBackend.prepare).
case "$1" in
  *seqc-backend-test_erf-*) kill -SEGV $$ ;;           # seqc crashes
  *seqc-backend-test_relu-*) kill -SEGV $PPID ;;       # the case's process dies
  *seqc-backend-test_relu_expanded*) exec sleep 60 ;;  # seqc hangs
  *) echo "seqc: error: node 'x': unsupported operator 'Fake'" >&2; exit 1 ;;
esac
"""


def test_crashes_and_timeouts_are_failures(tmp_path: Path) -> None:
    fake = tmp_path / "seqc"
    fake.write_text(FAKE_SEQC)
    fake.chmod(0o755)
    env = {**os.environ, "SEQC": str(fake)}
    # Under the sanitizer run ASan is preloaded everywhere; its signal handler
    # would turn the fake seqc's SIGSEGV into an exit code.
    env.pop("LD_PRELOAD", None)
    text = run_script(tmp_path / "conformance.md", "Add,Relu,Erf", "--timeout", "3", "--check",
                      env=env, returncode=1)
    # --check fails, naming each claimed case that did not pass.
    assert "claimed case test_add: unsupported: seqc: error:" in run_script.stdout
    assert "claimed case test_erf: failed: seqc killed by SIGSEGV" in run_script.stdout
    rows, listed = check_consistent(text, {"Add", "Relu", "Erf"})
    assert rows["Add"][3] == rows["Add"][0]  # all unsupported, with seqc's line
    assert listed["Unsupported cases"]["test_add"] == \
        "`seqc: error: node 'x': unsupported operator 'Fake'`"
    failed = listed["Failed cases"]
    assert set(failed) == {"test_erf", "test_relu", "test_relu_expanded_ver18"}
    assert failed["test_erf"].startswith("`seqc killed by SIGSEGV")
    assert failed["test_relu"] == "`case process killed by SIGSEGV`"
    assert failed["test_relu_expanded_ver18"] == "`timeout after 3 s`"
