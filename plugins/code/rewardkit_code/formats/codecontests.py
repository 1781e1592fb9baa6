"""`codecontests`: ``public_tests``, ``private_tests`` and ``generated_tests`` (each
``{"input": [...], "output": [...]}``), and the ``language`` of the solution.

As DeepMind's ``execution/tester_sandboxer.cc``: every test feeds its input on stdin and
compares stdout with ``OutputsMatch`` (``judges/codecontests.py``). ``language`` is a
name (``python``, ``cpp``, ``java``, ...) or the dataset's number (2 C++, 3 Python 3,
4 Java; 1, Python 2, is not run); without it the reward's ``language`` param applies.
A ``checker`` (the sandbox's checker object, e.g. the problem's testlib checker) may be
added to the reference for problems with several valid answers; it replaces
``OutputsMatch``.
"""

from __future__ import annotations

from typing import Any, Mapping

from rewardkit_code.formats import judges
from rewardkit_code.formats.base import (
    FormatError, Plan, json_field, sandbox_language, string_list)

NAME = "codecontests"
FIELDS = ()
OPTIONAL = ("public_tests", "private_tests", "generated_tests", "language", "checker")
CONTINUATION = False
SPLITS = ("public_tests", "private_tests", "generated_tests")
_NUMBERED = {2: "cpp", 3: "python", 4: "java"}


def language(row: Mapping[str, Any], default: str | None) -> str:
    value = row.get("language", default)
    if value is None:
        raise FormatError(f"{NAME}: the reference has no 'language' (add the solution's "
                          "language to the row, or set the reward's `language` param)")
    if isinstance(value, int) and not isinstance(value, bool):
        if value not in _NUMBERED:
            raise FormatError(f"{NAME}: language {value} (Python 2 or unknown) is not one "
                              "the sandbox runs")
        return _NUMBERED[value]
    return sandbox_language(value, NAME)


def tests(row: Mapping[str, Any]) -> list[dict[str, str]]:
    if not any(split in row for split in SPLITS):
        raise FormatError(f"{NAME}: the reference has none of {', '.join(SPLITS)}")
    cases = []
    for split in SPLITS:
        group = json_field(row, split, NAME, default={"input": [], "output": []})
        if not isinstance(group, dict):
            raise FormatError(f"{NAME}: {split!r} must be an object with 'input' and 'output'")
        inputs = string_list(group.get("input"), f"{split}.input", NAME)
        outputs = string_list(group.get("output"), f"{split}.output", NAME)
        if len(inputs) != len(outputs):
            raise FormatError(f"{NAME}: {split} has {len(inputs)} inputs but "
                              f"{len(outputs)} outputs")
        cases += [{"input": i, "output": o} for i, o in zip(inputs, outputs)]
    return cases


def build(row: Mapping[str, Any], code: str, language: str) -> Plan:
    checker = row.get("checker") or judges.checker("codecontests")
    return Plan(code, {"language": language, "checker": checker, "tests": tests(row)})
