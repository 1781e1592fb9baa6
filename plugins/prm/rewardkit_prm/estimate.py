"""Step values from graded rollouts, solution rewards from step values, and the
binary search for the first wrong step. Pure functions: no model, no verifier.

>>> step_value([1.0, 0.0, None, 1.0], "soft")   # None grades are left out
0.6666666666666666
>>> step_value([0.0, 1.0], "hard")
1.0
>>> aggregate([1.0, 0.5, None], "product")
0.5
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal, Sequence

ValueMode = Literal["soft", "hard"]
Aggregate = Literal["min", "last", "mean", "product"]
CORRECT = 0.5  # a grade at or above this counts as a correct rollout


def step_value(grades: Sequence[float | None], mode: ValueMode) -> float | None:
    """Soft: the fraction of graded rollouts that are correct; hard: 1 if any is.

    Rollouts without a grade (the verifier could not decide, erred or timed out) are
    excluded, never counted as wrong; with no graded rollout the value is None.
    """
    graded = [g for g in grades if g is not None]
    if not graded:
        return None
    correct = sum(g >= CORRECT for g in graded)
    if mode == "hard":
        return 1.0 if correct else 0.0
    return correct / len(graded)


def aggregate(values: Sequence[float | None], how: Aggregate) -> float | None:
    """The solution's reward from its step values (steps without a value are skipped;
    ``last`` needs the last step's value)."""
    if how == "last":
        return values[-1] if values else None
    known = [v for v in values if v is not None]
    if not known:
        return None
    if how == "min":
        return min(known)
    if how == "mean":
        return sum(known) / len(known)
    return math.prod(known)


@dataclass
class FirstErrorSearch:
    """Binary search for the first step after which no rollout reaches a correct answer.

    Assumes monotonicity (OmegaPRM): once a prefix cannot be completed correctly, no
    longer prefix can. Needs about log2(steps) evaluated prefixes instead of all of them.
    `last_value` is the grade of the whole solution (its last step's value).
    """

    steps: int
    last_value: float
    measured: dict[int, float] = field(default_factory=dict)
    lo: int = 0
    hi: int = -1

    def __post_init__(self) -> None:
        self.measured[self.steps - 1] = self.last_value
        if self.last_value >= CORRECT:  # a correct solution: no step is wrong
            self.lo = self.hi = self.steps
        else:
            self.hi = self.steps - 1

    @property
    def done(self) -> bool:
        return self.lo >= self.hi

    def next_step(self) -> int:
        """The step whose prefix to evaluate next (only while not `done`)."""
        return (self.lo + self.hi) // 2

    def record(self, step: int, value: float) -> None:
        self.measured[step] = value
        if value > 0:  # some rollout from here is correct: the error comes later
            self.lo = step + 1
        else:
            self.hi = step

    @property
    def first_error(self) -> int | None:
        return self.lo if self.done and self.lo < self.steps else None

    def values(self) -> list[tuple[float, bool]]:
        """(value, inferred) per step: measured where evaluated, else 1 before the first
        error and 0 from it on."""
        cut = self.lo if self.done else self.steps
        return [(self.measured[i], False) if i in self.measured
                else (1.0 if i < cut else 0.0, True) for i in range(self.steps)]
