"""Reward functions written for TRL's GRPOTrainer, named by import path in tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _text(completion: Any) -> str:
    return completion if isinstance(completion, str) else completion[-1]["content"]


def short(completions, **kwargs) -> list[float]:
    """1.0 for a completion under 5 characters."""
    return [float(len(_text(c)) < 5) for c in completions]


def matches_solution(completions, solution, **kwargs) -> list[float]:
    """1.0 when the completion is the solution; names a reference column."""
    return [float(_text(c) == s) for c, s in zip(completions, solution)]


def reads_columns(prompts, completions, level, **kwargs) -> list[float]:
    """The row's `level` column; no reference needed."""
    return [float(x) for x in level]


def odd_values(completions, **kwargs) -> list[Any]:
    """Whatever the completion names: inf, nan, none, text, or 1."""
    table = {"inf": float("inf"), "nan": float("nan"), "none": None, "text": "yes"}
    return [table.get(_text(c), 1) for c in completions]


def nothing(completions, **kwargs) -> list[float]:
    """Returns no values at all (a broken function)."""
    return []


def get_scaled(scale: float) -> Callable:
    """A TRL-style factory: returns a reward function."""
    def scaled(completions, **kwargs) -> list[float]:
        return [scale * len(_text(c)) for c in completions]
    return scaled


def per_batch(samples: list) -> list[float]:
    """A batch function that is not TRL's shape: rejected when the rubric is built."""
    return [1.0 for _ in samples]
