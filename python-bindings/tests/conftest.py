"""Tests of the seqc Python package. They import the package built by the
main build (build/python) unless `seqc` is already importable (e.g. after
`pip install ./python-bindings`), and reuse the model builders of test/e2e."""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "test" / "e2e"))
try:
    import seqc  # noqa: F401
except ImportError:
    BUILT = str(ROOT / "build" / "python")
    sys.path.insert(0, BUILT)
    # Subprocesses (python -m seqc) find it too.
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [BUILT] + [p for p in [os.environ.get("PYTHONPATH")] if p])
