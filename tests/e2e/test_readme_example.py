"""The README's first Python example works as a plain script (no ``__main__`` guard), as
``python -c`` and as notebook-style code run by an interactive interpreter.

Worker processes start as fresh interpreters, so none of them re-runs the caller's code.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
NOTEBOOK = ("import code, sys; code.InteractiveInterpreter({'__name__': '__main__'})"
            ".runsource(open(sys.argv[1]).read(), '<cell>', 'exec')")


def readme_example() -> str:
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert blocks, "README.md has no python example"
    assert "__main__" not in blocks[0]  # the example really has no guard
    return blocks[0]


@pytest.mark.parametrize("how", ["script", "python -c", "notebook"])
def test_the_readme_example_scores_from_any_kind_of_main(tmp_path, how):
    code = readme_example()
    script = tmp_path / "example.py"
    script.write_text(code)
    command = {"script": [sys.executable, str(script)],
               "python -c": [sys.executable, "-c", code],
               "notebook": [sys.executable, "-c", NOTEBOOK, str(script)]}[how]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=300, check=False)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "Traceback" not in out.stderr, out.stderr[-3000:]
    total = float(out.stdout.split()[0])
    assert total == pytest.approx(1.7, abs=1e-3), out.stdout
    assert "'error'" not in out.stdout and "'timeout'" not in out.stdout, out.stdout
