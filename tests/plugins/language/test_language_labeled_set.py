"""Accuracy on the labeled mixed-language set (benchmarks/data/language): MAE under 0.03."""

import importlib.util
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


def _short_rows(split):
    path = DATA.parent / "short_set.py"
    spec = importlib.util.spec_from_file_location("short_set", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.rows(split)


def test_short_text_set_is_split_by_source():
    dev, test = _short_rows("dev"), _short_rows("test")
    assert len(dev) >= 300 and len(test) >= 300
    sources = {row["id"].split("/")[0].split(":")[-1] for row in dev}
    assert not sources & {row["id"].split("/")[0].split(":")[-1] for row in test}


def test_short_text_is_decided_and_accurate():
    # short reasoning lines: every one decided, MAE far under the 0.05 goal
    errors, undecided = [], 0
    for row in _short_rows("test"):
        result = LanguagePurity(**row["params"]).score([Sample(row["completion"])])[0]
        undecided += result.value is None
        errors.append(abs((result.value or 0.0) - row["expected"]))
    assert undecided == 0
    assert statistics.fmean(errors) < 0.03
