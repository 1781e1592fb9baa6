"""Accuracy on the labeled mixed-language set (benchmarks/data/language): MAE under 0.03."""

import json
import statistics
from pathlib import Path

from rewardkit_language import LanguagePurity

from rewardkit import Sample

DATA = Path(__file__).resolve().parents[3] / "benchmarks" / "data" / "language" / "mixed_cot.jsonl"
ROWS = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]


def test_labeled_set_is_large_and_varied():
    assert len(ROWS) >= 150
    assert len({row["category"] for row in ROWS}) >= 10
    assert {0.0, 1.0} < {row["expected"] for row in ROWS}


def test_mean_absolute_error_under_three_points():
    errors = []
    for row in ROWS:
        reward = LanguagePurity(**row["params"])
        result = reward.score([Sample(row["completion"], prompt=row["prompt"])])[0]
        assert result.ok, (row["id"], result.info)
        assert result.info["target"] == row["target"], row["id"]
        errors.append(abs(result.value - row["expected"]))
    assert statistics.fmean(errors) < 0.03
    assert max(errors) < 0.25
