"""Python sources shipped into the sandbox: checkers that compare as a dataset's harness
does, and the driver that calls a function for call-based tests.

Each file is standard-library Python, importable here (the tests call the checkers
directly) and sent as text: `source("apps_stdio")` is the file's content.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_HERE = Path(__file__).parent


@lru_cache(maxsize=None)
def source(name: str) -> str:
    """The text of judges/<name>.py."""
    return (_HERE / f"{name}.py").read_text()


def checker(name: str) -> dict[str, str]:
    """A sandbox checker entry for judges/<name>.py (which defines ``check``)."""
    return {"language": "python", "source": source(name)}
