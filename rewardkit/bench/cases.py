"""Bench case files: JSON lines, one labelled completion per line.

Each line is an object with

  id          string or integer, unique in the file
  completion  text, or chat messages (a list of ``{"role", "content"}``)
  expected    ``true``/``false``: should the completion be rewarded (accuracy, P/R/F1);
              or a number: the value the reward should give (MAE). ``1`` is a number,
              not ``true``
  reference   optional: the gold answer / tests / rubric the reward checks against
  prompt      optional: text or chat messages
  category    optional: a label for the per-category breakdown
  params      optional: reward parameters for this case (override every other source)

Any other key (``source``, ``note``, ...) goes into the sample's metadata. Blank lines are
skipped. Every problem raises `CaseFileError` naming the file and the line.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from rewardkit.errors import InputError
from rewardkit.files import read_text
from rewardkit.types import Sample, sample_from_mapping

REQUIRED = ("id", "completion", "expected")
KNOWN = {*REQUIRED, "reference", "prompt", "category", "params", "metadata"}
UNCATEGORIZED = "uncategorized"


class CaseFileError(InputError):
    """A case file is unreadable or one of its lines is malformed."""


@dataclass(frozen=True)
class Case:
    """One labelled completion: the sample to score and what the reward should say."""

    id: str
    sample: Sample
    expected: bool | float
    category: str = UNCATEGORIZED
    params: Mapping[str, Any] = field(default_factory=dict)
    line: int = 0

    @property
    def boolean(self) -> bool:
        """True when `expected` is a should-it-be-rewarded label, not a target value."""
        return isinstance(self.expected, bool)


def parse_case(row: Any, where: str, line: int = 0) -> Case:
    """Validate one decoded JSON line; `where` (``FILE, line N``) prefixes every error."""
    if not isinstance(row, dict):
        raise CaseFileError(f"{where}: expected a JSON object, got {type(row).__name__}")
    missing = [key for key in REQUIRED if key not in row]
    if missing:
        raise CaseFileError(f"{where}: missing field(s) {', '.join(map(repr, missing))} "
                            f"(every case needs {', '.join(REQUIRED)})")
    case_id = row["id"]
    if isinstance(case_id, bool) or not isinstance(case_id, (str, int)) or case_id == "":
        raise CaseFileError(f"{where}: 'id' must be a non-empty string or an integer, "
                            f"got {case_id!r}")
    expected = row["expected"]
    if not isinstance(expected, (bool, int, float)) or (
            isinstance(expected, float) and not math.isfinite(expected)):
        raise CaseFileError(f"{where}: 'expected' must be true/false (should the completion be "
                            f"rewarded) or a finite number, got {json.dumps(expected)}")
    if not isinstance(expected, bool):
        expected = float(expected)
    sample = sample_from_mapping(row, where, ignore=KNOWN, error=CaseFileError)
    params = row.get("params") or {}
    if not isinstance(params, dict):
        raise CaseFileError(f"{where}: 'params' must be an object of reward parameters, "
                            f"got {type(params).__name__}")
    category = row.get("category")
    if category is not None and not isinstance(category, (str, int)):
        raise CaseFileError(f"{where}: 'category' must be a string, got {category!r}")
    return Case(id=str(case_id), sample=sample, expected=expected,
                category=str(category) if category not in (None, "") else UNCATEGORIZED,
                params=params, line=line)


def load_cases(path: str | Path) -> list[Case]:
    """Read and validate a case file; raises `CaseFileError` naming the file and line."""
    path = Path(path)
    text = read_text(path, "case file", CaseFileError)
    cases: list[Case] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}, line {number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CaseFileError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno}); "
                                "each line must be one JSON object") from None
        case = parse_case(row, where, number)
        if case.id in seen:
            raise CaseFileError(f"{where}: duplicate id {case.id!r} "
                                f"(first used on line {seen[case.id]})")
        seen[case.id] = number
        cases.append(case)
    if not cases:
        raise CaseFileError(f"case file '{path}' holds no cases (it is empty)")
    return cases
