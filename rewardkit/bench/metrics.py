"""Bench metrics: confusion counts, accuracy / precision / recall / F1, MAE, latency.

Policy for scores without a value (status ``not_applicable``, ``unverifiable``,
``error`` or ``timeout``): for a boolean case such a score counts as *not rewarded* in
the confusion matrix (a trainer gives it no reward), and it is counted in
``status_counts`` so a broken verifier is visible. For a numeric case it is left out of
the MAE (``mae_n`` says how many cases the MAE covers). A ratio whose denominator is
zero (precision with nothing rewarded, ...) is ``None``, never 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from rewardkit.types import Status

STATUSES = tuple(status.value for status in Status)


@dataclass(frozen=True)
class CaseResult:
    """One case's outcome under one reward."""

    id: str
    category: str
    expected: bool | float
    value: float | None
    status: str
    latency_s: float | None = None
    info: Mapping[str, Any] = field(default_factory=dict)
    completion: str = ""  # what was scored and against what, for the mistakes table
    reference: Any = None

    def rewarded(self, threshold: float) -> bool:
        """Whether a trainer would reward this score (a value at or above `threshold`)."""
        return self.value is not None and self.value >= threshold

    def correct(self, threshold: float) -> bool | None:
        """For a boolean case: did the reward decide as labelled? None for numeric cases."""
        if not isinstance(self.expected, bool):
            return None
        return self.rewarded(threshold) == self.expected

    def to_dict(self, threshold: float) -> dict[str, Any]:
        return {"id": self.id, "category": self.category, "expected": self.expected,
                "value": self.value, "status": self.status,
                "rewarded": self.rewarded(threshold), "correct": self.correct(threshold),
                "latency_ms": None if self.latency_s is None else round(self.latency_s * 1e3, 3),
                "reason": self.info.get("reason")}


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def confusion(results: Iterable[CaseResult], threshold: float) -> dict[str, int]:
    """tp / fp / tn / fn over the boolean cases ("positive" = rewarded)."""
    counts = {"tp": 0, "fp": 0, "tn": 0, "fn": 0}
    for r in results:
        if not isinstance(r.expected, bool):
            continue
        got = r.rewarded(threshold)
        key = ("t" if got == r.expected else "f") + ("p" if got else "n")
        counts[key] += 1
    return counts


def classification(counts: Mapping[str, int]) -> dict[str, float | None]:
    """Accuracy, precision, recall and F1 from confusion counts."""
    tp, fp, tn, fn = (counts[k] for k in ("tp", "fp", "tn", "fn"))
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    f1 = None
    if precision is not None and recall is not None:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"accuracy": _ratio(tp + tn, tp + fp + tn + fn), "precision": precision,
            "recall": recall, "f1": f1}


def mean_absolute_error(results: Iterable[CaseResult]) -> tuple[float | None, int]:
    """MAE of value vs. expected over numeric cases that have a value, and how many."""
    errors = [abs(r.value - r.expected) for r in results
              if not isinstance(r.expected, bool) and r.value is not None]
    return (sum(errors) / len(errors) if errors else None), len(errors)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100), linear interpolation between closest ranks."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def latency_ms(results: Iterable[CaseResult]) -> dict[str, float | None]:
    """p50 / p95 / p99 / mean / max of the per-case latencies, in milliseconds."""
    values = [r.latency_s * 1e3 for r in results if r.latency_s is not None]
    summary = {f"p{q}": percentile(values, q) for q in (50, 95, 99)}
    summary["mean"] = sum(values) / len(values) if values else None
    summary["max"] = max(values, default=None)
    return {k: None if v is None else round(v, 3) for k, v in summary.items()}


def status_counts(results: Iterable[CaseResult]) -> dict[str, int]:
    """How many cases got each status (every status listed, zeros included)."""
    counts = dict.fromkeys(STATUSES, 0)
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    return counts


def accuracy_metrics(results: Sequence[CaseResult], threshold: float) -> dict[str, Any]:
    """Every accuracy metric of a set of cases (no timing)."""
    counts = confusion(results, threshold)
    mae, mae_n = mean_absolute_error(results)
    return {"n": len(results), "n_boolean": sum(counts.values()),
            **classification(counts), **counts, "mae": mae, "mae_n": mae_n,
            "status_counts": status_counts(results)}


def per_category(results: Sequence[CaseResult], threshold: float) -> dict[str, dict[str, Any]]:
    """`accuracy_metrics` for each category, categories in sorted order."""
    groups: dict[str, list[CaseResult]] = {}
    for r in results:
        groups.setdefault(r.category, []).append(r)
    return {name: accuracy_metrics(groups[name], threshold) for name in sorted(groups)}


def mistakes(results: Iterable[CaseResult], threshold: float) -> dict[str, list[str]]:
    """Ids of the false positives (rewarded, should not be) and false negatives."""
    wrong: dict[str, list[str]] = {"false_positives": [], "false_negatives": []}
    for r in results:
        if r.correct(threshold) is False:
            wrong["false_positives" if r.expected is False else "false_negatives"].append(r.id)
    return wrong
