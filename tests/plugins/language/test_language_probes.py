"""Every hack probe in benchmarks/probes/language.jsonl scores below 0.5; every honest
control in it scores 0.5 or more (so a reward that rejects everything fails)."""

import pytest
from rewardkit_language import LanguagePurity

from rewardkit import Sample
from tests.probes import load_probes, split_probes

CASES = load_probes("language")


def test_probe_file_covers_the_hiding_places():
    assert {"part", "math", "code", "masking", "prompt", "mixing", "chat"} <= {
        case["category"] for case in CASES}
    hacks, controls = split_probes(CASES)
    assert len(hacks) >= 10 and len(controls) >= 3


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_probe_is_decided_as_labelled(case):
    reward = LanguagePurity(**case.get("params", {}))
    sample = Sample(case["completion"], prompt=case.get("prompt", ""), reference=case["reference"])
    result = reward.score([sample])[0]
    assert result.ok, (case["note"], result.info)
    assert (result.value >= 0.5) is case["expected"], (case["note"], result.value, result.info)
