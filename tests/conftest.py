"""Fixtures shared by every test directory."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import Callable

import pytest

TESTS = Path(__file__).parent
sys.path.insert(0, str(TESTS.parent))  # `tests.*` modules are importable by dotted path


@pytest.fixture
def fake_dist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Install a fake distribution (module + dist-info with entry points) on sys.path.

    ``fake_dist("acme-rewards", "acme", "<module source>", requires=["rewardkit>=9"])``
    """
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    created: list[str] = []

    def make(dist: str, entry_point: str, source: str, *, module: str | None = None,
             group: str = "rewardkit_test", requires: list[str] | None = None,
             version: str = "1.0") -> Path:
        module = module or dist.replace("-", "_")
        (site / f"{module}.py").write_text(textwrap.dedent(source))
        info = site / f"{dist.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        meta = ["Metadata-Version: 2.1", f"Name: {dist}", f"Version: {version}"]
        meta += [f"Requires-Dist: {r}" for r in requires or []]
        (info / "METADATA").write_text("\n".join(meta) + "\n")
        (info / "entry_points.txt").write_text(f"[{group}]\n{entry_point} = {module}\n")
        created.append(module)
        return site

    yield make
    for module in created:
        sys.modules.pop(module, None)
