"""Every hack probe in benchmarks/probes/format.jsonl must score below 0.5."""

import json
from pathlib import Path

import pytest

from rewardkit import Sample
from rewardkit_format import FormatReward

PROBES = Path(__file__).resolve().parents[3] / "benchmarks" / "probes" / "format.jsonl"
CASES = [json.loads(line) for line in PROBES.read_text(encoding="utf-8").splitlines() if line]


def test_probe_file_covers_every_hack_category():
    categories = {case["category"] for case in CASES}
    assert {"repeated", "nested", "truncated", "empty", "code", "order", "casing",
            "attributes", "outside", "chat"} <= categories
    assert all(case["expected"] is False for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_probe_is_not_rewarded(case):
    reward = FormatReward(**case.get("params", {}))
    result = reward.score([Sample(case["completion"], reference=case["reference"])])[0]
    assert result.ok and result.value < 0.5, (case["note"], result.info)
    assert result.info["reason"]  # every failure says which rule failed
