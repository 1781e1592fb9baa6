"""rewardkit.health.stats: the per-batch numbers, on hand-made batches."""

import pytest

from rewardkit.health.stats import (
    advantage_shares,
    batch_stats,
    correlation,
    disagreement,
    groups_by_prompt,
    weighted_totals,
    zero_variance_share,
)
from rewardkit.types import Score


def test_groups_are_runs_of_equal_prompts_cut_at_the_group_size():
    assert groups_by_prompt(["a", "a", "b", "b", "b"]) == [[0, 1], [2, 3, 4]]
    assert groups_by_prompt(["a"] * 4, size=2) == [[0, 1], [2, 3]]


def shares(columns, weights, groups):
    return advantage_shares(*weighted_totals(columns, weights), groups)


def flat(columns, weights, groups):
    return zero_variance_share(weighted_totals(columns, weights)[1], groups)


def test_shares_split_the_within_group_variance_of_the_total():
    columns = {"x": [0.0, 1.0, 0.0, 1.0], "y": [1.0, 1.0, 0.0, 0.0]}
    split, whole = shares(columns, {"x": 1.0, "y": 1.0}, [[0, 1], [2, 3]])
    assert split == {"x": pytest.approx(1.0), "y": pytest.approx(0.0)}
    assert whole == pytest.approx(1.0)


def test_shares_follow_the_weights_and_sum_to_one():
    columns = {"x": [0.0, 1.0, 1.0, 0.0], "y": [0.0, 1.0, 0.0, 1.0]}
    split, _ = shares(columns, {"x": 3.0, "y": 1.0}, [[0, 1, 2, 3]])
    assert split["x"] == pytest.approx(0.9) and split["y"] == pytest.approx(0.1)
    assert sum(split.values()) == pytest.approx(1.0)


def test_rows_where_every_value_is_none_are_left_out_like_trl_masks_them():
    columns = {"x": [None, 1.0, 0.0]}
    split, whole = shares(columns, {"x": 1.0}, [[0, 1, 2]])
    assert split == {"x": pytest.approx(1.0)} and whole == pytest.approx(0.5)
    assert flat({"x": [None, 1.0, 1.0]}, {"x": 1.0}, [[0, 1, 2]]) == 1.0


def test_a_flat_batch_has_no_shares_and_only_zero_variance_groups():
    columns = {"x": [1.0, 1.0, 0.0, 0.0]}
    assert shares(columns, {"x": 1.0}, [[0, 1], [2, 3]]) == ({"x": 0.0}, 0.0)
    assert flat(columns, {"x": 1.0}, [[0, 1], [2, 3]]) == 1.0


def test_correlation_needs_three_pairs_and_spread_on_both_sides():
    assert correlation([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert correlation([1, 2], [1, 2]) is None
    assert correlation([1, 1, 1], [1, 2, 3]) is None


def test_disagreement_counts_only_samples_both_verifiers_scored():
    rule = [Score(1.0), Score(0.0), Score(1.0), Score.error("down")]
    judge = [Score(1.0), Score(1.0), Score.unverifiable("?"), Score(0.0)]
    assert disagreement(rule, judge) == 0.5


def test_batch_stats_reports_status_rates_and_length_correlation():
    scores = {"x": [Score(0.0), Score(1.0), Score.error("boom"), Score(1.0)]}
    columns = {"x": [s.value for s in scores["x"]]}
    out = batch_stats(scores, columns, {"x": 1.0}, [1.0, 5.0, 3.0, 6.0], [[0, 1, 2, 3]])
    assert out["x/error_rate"] == 0.25 and out["x/timeout_rate"] == 0.0
    assert out["x/mean"] == pytest.approx(2 / 3)
    assert out["x/length_corr"] > 0.9 and out["length_corr"] > 0.9
    assert out["length/mean"] == 3.75 and out["zero_std_groups"] == 0.0
    assert "disagree/x/x" not in out
