"""Every hack probe in benchmarks/probes/language.jsonl scores below 0.5; every honest
control in it scores 0.5 or more (so a reward that rejects everything fails)."""

import json
from pathlib import Path

import pytest
from rewardkit_language import LanguagePurity

from rewardkit import Sample

PROBES = Path(__file__).resolve().parents[3] / "benchmarks" / "probes" / "language.jsonl"
CASES = [json.loads(line) for line in PROBES.read_text(encoding="utf-8").splitlines() if line]


def test_probe_file_covers_the_hiding_places():
    assert {"part", "math", "code", "masking", "prompt", "mixing", "chat"} <= {
        case["category"] for case in CASES}
    hacks = [case for case in CASES if case["expected"] is False]
    controls = [case for case in CASES if case["expected"] is True]
    assert len(hacks) >= 10 and len(controls) >= 3
    assert len(hacks) + len(controls) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_probe_is_decided_as_labelled(case):
    reward = LanguagePurity(**case.get("params", {}))
    sample = Sample(case["completion"], prompt=case.get("prompt", ""), reference=case["reference"])
    result = reward.score([sample])[0]
    assert result.ok, (case["note"], result.info)
    assert (result.value >= 0.5) is case["expected"], (case["note"], result.value, result.info)
