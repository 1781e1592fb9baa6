"""Every hack probe in benchmarks/probes/format.jsonl scores below 0.5; every honest
control in it scores 0.5 or more (so a reward that rejects everything fails)."""

import pytest
from rewardkit_format import FormatReward

from rewardkit import Sample
from tests.probes import load_probes, split_probes

CASES = load_probes("format")


def test_probe_file_covers_every_hack_category():
    categories = {case["category"] for case in CASES}
    assert {"repeated", "nested", "truncated", "empty", "code", "order", "casing",
            "attributes", "outside", "chat"} <= categories
    hacks, controls = split_probes(CASES)
    assert len(hacks) >= 10 and len(controls) >= 3


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_probe_is_decided_as_labelled(case):
    reward = FormatReward(**case.get("params", {}))
    result = reward.score([Sample(case["completion"], reference=case["reference"])])[0]
    assert result.ok, (case["note"], result.info)
    assert (result.value >= 0.5) is case["expected"], (case["note"], result.value, result.info)
    if not case["expected"]:
        assert result.info["reason"]  # every failure says which rule failed
