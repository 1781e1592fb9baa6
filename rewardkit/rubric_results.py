"""What scoring a rubric returns: per-sample rows, and per-criterion statistics."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from rewardkit.types import Score, Status


@dataclass
class RubricRow:
    """One sample's result: its total and every component's score."""

    total: float | None
    components: dict[str, Score]
    gated: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "gated": self.gated,
                "components": {k: v.to_dict() for k, v in self.components.items()}}


@dataclass
class CriterionStats:
    n: int = 0
    values: list[float] = field(default_factory=list, repr=False)
    status_counts: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in Status})

    def add(self, score: Score) -> None:
        self.n += 1
        self.status_counts[score.status.value] += 1
        if score.value is not None:
            self.values.append(score.value)

    @property
    def mean(self) -> float | None:
        return sum(self.values) / len(self.values) if self.values else None

    @property
    def std(self) -> float | None:
        if not self.values:
            return None
        m = self.mean or 0.0
        return math.sqrt(sum((v - m) ** 2 for v in self.values) / len(self.values))

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "mean": self.mean, "std": self.std, **self.status_counts}


def new_stats(names: Sequence[str]) -> dict[str, CriterionStats]:
    """Empty statistics for each criterion in `names`, plus ``total``."""
    return {name: CriterionStats() for name in [*names, "total"]}


def add_row(stats: dict[str, CriterionStats], row: RubricRow) -> None:
    """Count one scored sample: each component's score under its criterion, and the total
    (``total`` counts the sample; its value only when there is one)."""
    for name, score in row.components.items():
        stats[name].add(score)
    total = stats["total"]
    total.n += 1
    if row.total is not None:
        total.values.append(row.total)


def summarize(rows: Iterable[RubricRow], names: Sequence[str]) -> dict[str, CriterionStats]:
    """Per-criterion stats plus ``total`` over `rows`."""
    stats = new_stats(names)
    for row in rows:
        add_row(stats, row)
    return stats


@dataclass
class RubricResult:
    rows: list[RubricRow]
    criteria: list[str]

    @property
    def totals(self) -> list[float | None]:
        return [row.total for row in self.rows]

    def component(self, name: str) -> list[Score]:
        return [row.components[name] for row in self.rows]

    @property
    def summary(self) -> dict[str, CriterionStats]:
        return summarize(self.rows, self.criteria)
