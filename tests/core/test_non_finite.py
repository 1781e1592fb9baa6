"""A non-finite reward value (inf, -inf, NaN) is an `error` with a reason, everywhere."""

from __future__ import annotations

import json

import pytest

from rewardkit import Rubric, Sample, Status, criterion
from rewardkit.engine import Engine
from tests.core.rewards_for_tests import ReturnsAsync, returns, returns_in_worker

VALUES = ["inf", "-inf", "nan"]


@pytest.mark.parametrize("reward", [returns(), ReturnsAsync()], ids=["sync", "async"])
def test_in_process_non_finite_values_are_errors(reward):
    scores = Engine().run(reward, [Sample(v) for v in ["1", *VALUES]])
    assert scores[0].value == 1.0
    for score in scores[1:]:
        assert score.status is Status.ERROR and score.value is None
        assert "non-finite" in score.info["reason"] or "NaN" in score.info["reason"]


def test_non_finite_values_from_a_worker_are_errors():
    engine = Engine(workers=1)
    try:
        scores = engine.run(returns_in_worker(), [Sample(v) for v in ["2", *VALUES]], timeout=30)
    finally:
        engine.close()
    assert scores[0].value == 2.0
    assert [s.status for s in scores[1:]] == [Status.ERROR] * 3


def test_the_rubric_total_stays_finite_and_the_row_is_valid_json():
    rubric = Rubric([criterion(returns, name="value"), criterion(returns, name="other", weight=0)])
    result = rubric.score([Sample("inf"), Sample("1.5")])
    assert result.totals == [None, 1.5]
    assert result.rows[0].components["value"].status is Status.ERROR
    json.dumps([row.to_dict() for row in result.rows], allow_nan=False)  # no Infinity/NaN


@pytest.mark.parametrize("kwargs", [{"weight": float("inf")}, {"on_error": float("nan")},
                                    {"gate_threshold": float("-inf")}])
def test_a_criterion_rejects_non_finite_numbers(kwargs):
    from rewardkit import ConfigError

    with pytest.raises(ConfigError, match="finite"):
        criterion(returns, **kwargs)


@pytest.mark.parametrize("timeout, message", [
    ("abc", "valid number"), (-1, "greater than 0"), (0, "greater than 0")])
def test_criterion_validates_its_timeout_like_a_rubric_file(timeout, message):
    from rewardkit import ConfigError

    with pytest.raises(ConfigError, match=message):
        criterion(returns, timeout=timeout)
    with pytest.raises(ConfigError, match=message):
        Rubric.from_dict({"criteria": [{"reward": "tests.core.rewards_for_tests:returns",
                                        "timeout": timeout}]})
