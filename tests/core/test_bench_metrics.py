"""Bench metrics: confusion counts, P/R/F1, MAE, percentiles, per-category, None policy."""

from __future__ import annotations

import pytest

from rewardkit.bench.metrics import (
    CaseResult,
    accuracy_metrics,
    classification,
    confusion,
    latency_ms,
    mean_absolute_error,
    mistakes,
    per_category,
    percentile,
    status_counts,
)


def case(id, expected, value, status="ok", category="c", latency=None):
    return CaseResult(str(id), category, expected, value, status, latency)


# 3 tp, 1 fp, 2 tn, 2 fn (one fn is an unverifiable None), plus one numeric case.
RESULTS = [
    case(1, True, 1.0), case(2, True, 0.5), case(3, True, 0.9, category="d"),
    case(4, False, 0.7),
    case(5, False, 0.0), case(6, False, 0.49, category="d"),
    case(7, True, 0.2), case(8, True, None, status="unverifiable", category="d"),
    case(9, 0.25, 0.75, category="d"),
]


def test_confusion_counts_threshold_inclusive_and_none_as_not_rewarded():
    assert confusion(RESULTS, 0.5) == {"tp": 3, "fp": 1, "tn": 2, "fn": 2}


def test_threshold_is_configurable():
    assert confusion(RESULTS, 0.1) == {"tp": 4, "fp": 2, "tn": 1, "fn": 1}


def test_classification_metrics_exact():
    metrics = classification({"tp": 3, "fp": 1, "tn": 2, "fn": 2})
    assert metrics["accuracy"] == 5 / 8
    assert metrics["precision"] == 3 / 4
    assert metrics["recall"] == 3 / 5
    assert metrics["f1"] == pytest.approx(2 * 0.75 * 0.6 / 1.35)


def test_undefined_ratios_are_none_not_zero():
    metrics = classification({"tp": 0, "fp": 0, "tn": 3, "fn": 0})
    assert metrics == {"accuracy": 1.0, "precision": None, "recall": None, "f1": None}
    assert classification({"tp": 0, "fp": 2, "tn": 0, "fn": 1})["f1"] == 0.0


def test_no_boolean_cases_means_no_accuracy():
    assert classification({"tp": 0, "fp": 0, "tn": 0, "fn": 0})["accuracy"] is None


def test_mae_over_numeric_cases_with_a_value():
    results = [case(1, 1.0, 0.5), case(2, 0.0, 0.25), case(3, 1.0, None, "timeout"),
               case(4, True, 1.0)]
    assert mean_absolute_error(results) == (0.375, 2)
    assert mean_absolute_error([case(1, True, 1.0)]) == (None, 0)


def test_status_counts_lists_every_status():
    assert status_counts(RESULTS) == {"ok": 8, "not_applicable": 0, "unverifiable": 1,
                                      "error": 0, "timeout": 0}


def test_percentile_interpolates_linearly():
    values = [1.0, 2.0, 3.0, 4.0, 5.0]
    assert percentile(values, 50) == 3.0
    assert percentile(values, 95) == pytest.approx(4.8)
    assert percentile(values, 99) == pytest.approx(4.96)
    assert percentile([7.0], 99) == 7.0
    assert percentile([], 50) is None


def test_latency_ms_converts_and_skips_missing():
    results = [case(i, True, 1.0, latency=s) for i, s in enumerate([0.001, 0.003, None])]
    assert latency_ms(results) == {"p50": 2.0, "p95": 2.9, "p99": 2.98, "mean": 2.0, "max": 3.0}
    assert latency_ms([])["p50"] is None


def test_accuracy_metrics_whole_set():
    metrics = accuracy_metrics(RESULTS, 0.5)
    assert (metrics["n"], metrics["n_boolean"]) == (9, 8)
    assert (metrics["tp"], metrics["fp"], metrics["tn"], metrics["fn"]) == (3, 1, 2, 2)
    assert metrics["mae"] == 0.5 and metrics["mae_n"] == 1


def test_per_category_split():
    split = per_category(RESULTS, 0.5)
    assert list(split) == ["c", "d"]
    c, d = split["c"], split["d"]
    assert (c["n"], c["tp"], c["fp"], c["tn"], c["fn"]) == (5, 2, 1, 1, 1)
    assert c["accuracy"] == 3 / 5 and c["mae"] is None
    assert (d["n"], d["tp"], d["fp"], d["tn"], d["fn"]) == (4, 1, 0, 1, 1)
    assert d["accuracy"] == 2 / 3 and d["mae"] == 0.5
    assert d["status_counts"]["unverifiable"] == 1


def test_mistakes_lists_ids():
    assert mistakes(RESULTS, 0.5) == {"false_positives": ["4"], "false_negatives": ["7", "8"]}


def test_case_result_to_dict():
    row = case(8, True, None, "unverifiable", latency=0.0123).to_dict(0.5)
    assert row["rewarded"] is False and row["correct"] is False
    assert row["latency_ms"] == 12.3 and row["status"] == "unverifiable"
    assert case(9, 0.5, 0.5).to_dict(0.5)["correct"] is None
