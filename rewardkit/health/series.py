"""From log entries to health points: one ``{metric: value}`` per logging step.

A log entry is what the trainer logged at a step (a ``metrics.jsonl`` row, an item of
TRL's ``trainer_state.json`` ``log_history``, or the ``logs`` of ``on_log``). Our own
``health/...`` keys are used when present; otherwise the point is rebuilt from TRL's
metrics (``rewards/<name>/mean``, ``frac_reward_zero_std``, ``completions/mean_length``),
and length drift and reward-length correlation are computed across logging steps.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from rewardkit.health.stats import correlation

PREFIX = "health/"
_TRL_FALLBACKS = {"zero_std_groups": "frac_reward_zero_std", "length/mean":
                  "completions/mean_length", "total/mean": "reward", "total/std": "reward_std"}
_CORR_WINDOW = 10


def criteria_in(entry: Mapping[str, Any]) -> list[str]:
    """Criterion names TRL logged (``rewards/<name>/mean``), in logged order."""
    return [k[len("rewards/"):-len("/mean")] for k in entry
            if k.startswith("rewards/") and k.endswith("/mean")]


def to_point(entry: Mapping[str, Any]) -> dict[str, float]:
    """The health metrics in one log entry (prefix dropped), with TRL fallbacks."""
    point = {k[len(PREFIX):]: float(v) for k, v in entry.items()
             if k.startswith(PREFIX) and isinstance(v, (int, float))}
    for key, native in _TRL_FALLBACKS.items():
        if key not in point and isinstance(entry.get(native), (int, float)):
            point[key] = float(entry[native])
    for name in criteria_in(entry):
        for stat in ("mean", "std"):
            value = entry.get(f"rewards/{name}/{stat}")
            if f"{name}/{stat}" not in point and isinstance(value, (int, float)):
                point[f"{name}/{stat}"] = float(value)
    return point


def add_derived(points: Sequence[dict[str, float]], baseline: int = 3) -> None:
    """Fill in length drift and reward-length correlation where the log lacks them.

    Drift: mean length over its mean in the first `baseline` points, minus 1. Correlation:
    between the mean total and the mean length over the last ten points (needs three).
    """
    lengths = [p["length/mean"] for p in points[:baseline] if "length/mean" in p]
    ref = sum(lengths) / len(lengths) if lengths else None
    for i, point in enumerate(points):
        if "length/drift" not in point and ref and "length/mean" in point:
            point["length/drift"] = point["length/mean"] / ref - 1.0
        if "length_corr" not in point:
            window = [p for p in points[max(0, i + 1 - _CORR_WINDOW):i + 1]
                      if "length/mean" in p and "total/mean" in p]
            corr = correlation([p["length/mean"] for p in window],
                               [p["total/mean"] for p in window])
            if corr is not None:
                point["length_corr"] = corr
