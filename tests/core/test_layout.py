"""House rules on the source tree: small modules, stable public import paths."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 400


def test_no_source_module_is_over_400_lines():
    sources = [p for top in ("rewardkit", "plugins", "sandbox") for p in (ROOT / top).rglob("*.py")]
    assert len(sources) > 50
    long = {str(p.relative_to(ROOT)): n for p in sources
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}, f"split these modules along a real seam: {long}"


def test_code_extraction_keeps_its_public_path_in_rewardkit_extract():
    from rewardkit import extract, markdown_code

    for name in markdown_code.__all__:
        if name != "in_spans":
            assert getattr(extract, name) is getattr(markdown_code, name)
            assert name in extract.__all__
