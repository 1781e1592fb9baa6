"""Fixtures shared by every test directory."""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path
from typing import Callable

import pytest

TESTS = Path(__file__).parent
sys.path.insert(0, str(TESTS.parent))  # `tests.*` modules are importable by dotted path
IN_CI = os.environ.get("CI", "").lower() == "true"


def importorskip_or_fail(skip: Callable[..., object], in_ci: bool) -> Callable[..., object]:
    """`pytest.importorskip` that, under ``CI=true``, fails instead of skipping.

    CI installs every extra (``make install``), so a missing trl, ray or fastapi there
    is a broken install, not a reason to pass by skipping (like the Docker tests).
    """

    def importorskip(modname: str, *args: object, **kwargs: object) -> object:
        try:
            return skip(modname, *args, **kwargs)
        except pytest.skip.Exception as exc:
            if not in_ci:
                raise
            pytest.fail(f"{exc.msg} (CI=true: every extra is installed there, so this test "
                        "must run, not skip; see .ci/run)")

    return importorskip


pytest.importorskip = importorskip_or_fail(pytest.importorskip, IN_CI)  # type: ignore[assignment]


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
