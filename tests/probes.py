"""The hack-probe files in benchmarks/probes/, for the plugin tests that run them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PROBES = Path(__file__).resolve().parents[1] / "benchmarks" / "probes"


def load_probes(name: str) -> list[dict[str, Any]]:
    """The cases of ``benchmarks/probes/<name>.jsonl``."""
    text = (PROBES / f"{name}.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def split_probes(cases: list[dict[str, Any]]) -> tuple[list[dict], list[dict]]:
    """(hacks, honest controls); every case must be one or the other."""
    hacks = [case for case in cases if case["expected"] is False]
    controls = [case for case in cases if case["expected"] is True]
    assert len(hacks) + len(controls) == len(cases), "a probe's expected must be true or false"
    return hacks, controls
