"""The Python example of the repository README runs as written."""
import re
from pathlib import Path

import pytest

seqc = pytest.importorskip("seqc")

ROOT = Path(__file__).resolve().parents[2]


def test_readme_example(monkeypatch, tmp_path):
    text = (ROOT / "README.md").read_text()
    section = text.split("## Python", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert len(code.strip().splitlines()) <= 12
    # The example compiles the model scripts/run_example.sh generates.
    import subprocess
    import sys
    model = tmp_path / "build" / "example" / "lstm2.onnx"
    model.parent.mkdir(parents=True)
    subprocess.run([sys.executable, str(ROOT / "examples" / "lstm2" / "make_model.py"),
                    str(model)], check=True, capture_output=True)
    monkeypatch.chdir(tmp_path)
    namespace = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert namespace["output"].shape == (7, 3, 32)
    assert (tmp_path / "build" / "lstm2-artifacts" / "liblstm2.so").is_file()
