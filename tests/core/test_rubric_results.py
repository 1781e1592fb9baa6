"""Per-criterion statistics are counted by one function for rubrics and score files."""

from __future__ import annotations

from rewardkit import Score
from rewardkit.rubric_results import RubricRow, add_row, new_stats, summarize
from rewardkit.score_file import _add

ROWS = [
    RubricRow(1.0, {"a": Score(1.0), "b": Score(0.0)}),
    RubricRow(None, {"a": Score.error("boom"), "b": Score(1.0)}),
]


def test_add_row_counts_each_component_and_the_total():
    stats = new_stats(["a", "b"])
    for row in ROWS:
        add_row(stats, row)
    assert stats["a"].to_dict() == {"n": 2, "mean": 1.0, "std": 0.0, "ok": 1,
                                    "not_applicable": 0, "unverifiable": 0, "error": 1,
                                    "timeout": 0}
    assert (stats["b"].n, stats["b"].mean) == (2, 0.5)
    assert (stats["total"].n, stats["total"].values) == (2, [1.0])  # a None total is counted


def test_summarize_is_add_row_over_every_row():
    by_hand = new_stats(["a", "b"])
    for row in ROWS:
        add_row(by_hand, row)
    summary = summarize(ROWS, ["a", "b"])
    assert {k: v.to_dict() for k, v in summary.items()} == \
        {k: v.to_dict() for k, v in by_hand.items()}


def test_score_file_rows_count_like_rubric_rows_and_unreadable_rows_not_at_all():
    stats = new_stats(["a", "b"])
    for row in ROWS:
        _add(stats, {"status": "ok", **row.to_dict()})
    _add(stats, {"status": "error", "error": "line 3: invalid JSON", "total": None,
                 "components": {}})
    assert {k: v.to_dict() for k, v in stats.items()} == \
        {k: v.to_dict() for k, v in summarize(ROWS, ["a", "b"]).items()}
