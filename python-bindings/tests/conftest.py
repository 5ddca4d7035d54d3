"""Tests of the seqc Python package. They import the installed package when
there is one (`pip install ./python-bindings`), else the one the main build
made in build/python; and reuse the model builders of test/e2e."""
import importlib.util
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "test" / "e2e"))
if importlib.util.find_spec("seqc") is None:
    BUILT = str(ROOT / "build" / "python")
    sys.path.insert(0, BUILT)
    # Subprocesses (python -m seqc) find it too.
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [BUILT] + [p for p in [os.environ.get("PYTHONPATH")] if p])
