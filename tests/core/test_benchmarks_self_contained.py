"""Everything the benchmarks read lives in the repository, with its source and licence."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted((ROOT / "benchmarks").glob("*.py"))


def test_no_benchmark_reads_outside_the_repository():
    outside = re.compile(r"\.\./shared|[\"']shared[\"']\s*[/,)]|/work/")
    found = [f"{p.name}:{n}" for p in SCRIPTS
             for n, line in enumerate(p.read_text().splitlines(), 1) if outside.search(line)]
    assert SCRIPTS and not found, f"benchmarks read data outside the repository: {found}"


def test_every_data_folder_records_source_and_licence():
    folders = [d for d in (ROOT / "benchmarks" / "data").iterdir() if d.is_dir()]
    assert folders
    for folder in folders:
        readme = folder / "README.md"
        assert readme.exists(), f"{folder.relative_to(ROOT)} has no README.md"
        text = readme.read_text().lower()
        assert "licen" in text and "source" in text, f"{readme} names no source or licence"


def test_math_benchmarks_find_their_cases():
    data = ROOT / "benchmarks" / "data" / "math"
    for name in ("hardverify_dev.jsonl", "hard_cases.jsonl", "math_verify_tests.jsonl"):
        assert (data / name).stat().st_size > 0
