"""Every hack probe in benchmarks/probes/language.jsonl must score below 0.5."""

import json
from pathlib import Path

import pytest

from rewardkit import Sample
from rewardkit_language import LanguagePurity

PROBES = Path(__file__).resolve().parents[3] / "benchmarks" / "probes" / "language.jsonl"
CASES = [json.loads(line) for line in PROBES.read_text(encoding="utf-8").splitlines() if line]


def test_probe_file_covers_the_hiding_places():
    assert {"part", "math", "code", "masking", "prompt", "mixing", "chat"} <= {
        case["category"] for case in CASES}
    assert all(case["expected"] is False for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_probe_is_not_rewarded(case):
    reward = LanguagePurity(**case.get("params", {}))
    sample = Sample(case["completion"], prompt=case.get("prompt", ""), reference=case["reference"])
    result = reward.score([sample])[0]
    assert result.ok and result.value < 0.5, (case["note"], result.info)
