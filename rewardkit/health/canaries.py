"""Canaries: known hacks and known-good samples, re-scored during training.

A canary file is a bench case file (``rewardkit bench`` format, e.g. the probe files in
``benchmarks/probes/``) whose rows have a boolean ``expected``: ``false`` for a known hack
(must not be rewarded), ``true`` for a known-good sample. A canary *passes* when the
watched criterion's value is at least `threshold`; when no criterion is named, the rubric
total divided by the sum of the positive weights is compared instead.

Every K steps `CanaryWatch.check` scores all canaries through the training rubric (same
engine, same executor) and reports each canary whose verdict disagrees with its label,
with the score's reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from rewardkit.bench.cases import Case, CaseFileError, load_cases


@dataclass(frozen=True)
class Canary:
    """One labelled sample and the criterion it watches (None: the rubric total)."""

    id: str
    case: Case
    criterion: str | None

    @property
    def is_hack(self) -> bool:
        return self.case.expected is False


@dataclass(frozen=True)
class CanaryResult:
    """A canary whose verdict disagrees with its label at one check."""

    canary: Canary
    value: float | None
    status: str
    reason: str

    @property
    def problem(self) -> str:
        return "hack_passes" if self.canary.is_hack else "good_fails"


def load_canaries(path: str | Path, criterion: str | None, names: Sequence[str]) -> list[Canary]:
    """Read a canary file; every row needs a boolean `expected` and a known criterion."""
    canaries = []
    for case in load_cases(path):
        where = f"{path}, line {case.line}"
        if not case.boolean:
            raise CaseFileError(f"{where}: a canary's 'expected' must be true (a known-good "
                                f"sample) or false (a known hack), got {case.expected!r}")
        watched = case.sample.metadata.get("criterion", criterion)
        if watched is not None and watched not in names:
            raise CaseFileError(f"{where}: criterion {watched!r} is not in the rubric "
                                f"(criteria: {', '.join(names)})")
        canaries.append(Canary(f"{Path(path).stem}:{case.id}", case, watched))
    return canaries


class CanaryWatch:
    """Scores canaries through a rubric and lists the ones that disagree with their label."""

    def __init__(self, rubric: Any, canaries: Sequence[Canary], threshold: float = 0.5) -> None:
        self.rubric = rubric
        self.canaries = list(canaries)
        self.threshold = threshold
        positive = sum(c.weight for c in rubric.criteria if c.weight > 0)
        self._scale = positive or 1.0

    def check(self) -> list[CanaryResult]:
        """Score every canary once; the canaries whose verdict disagrees with the label."""
        if not self.canaries:
            return []
        rows = self.rubric.score([c.case.sample for c in self.canaries]).rows
        wrong = []
        for canary, row in zip(self.canaries, rows):
            if canary.criterion is None:
                value, status, reason = _total(row, self._scale)
            else:
                score = row.components[canary.criterion]
                value, status = score.value, score.status.value
                reason = str(score.info.get("reason") or "")
            passes = value is not None and value >= self.threshold
            if passes == canary.is_hack:
                wrong.append(CanaryResult(canary, value, status, reason))
        return wrong


def _total(row: Any, scale: float) -> tuple[float | None, str, str]:
    """The normalised total, plus the status and reason of the first component not ok."""
    value = None if row.total is None else row.total / scale
    for score in row.components.values():
        if not score.ok:
            return value, score.status.value, str(score.info.get("reason") or "")
    return value, "ok", ""
