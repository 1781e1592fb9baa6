"""Native dataset formats: a reference ``{"format": NAME, ...the row's own fields...}``
becomes the program and sandbox test suite that judge a completion as that dataset's
own evaluation harness does (one module per format family; see the plugin README).

>>> row = {"prompt": "def f(x):\\n", "test": "def check(c):\\n    assert c(1) == 2\\n",
...        "entry_point": "f", "task_id": "HumanEval/0"}
>>> reference_from_row(row, format="humaneval")["format"]
'humaneval'
"""

from __future__ import annotations

from typing import Any, Mapping

from rewardkit import extract
from rewardkit_code.formats import (
    apps, codecontests, humaneval_x, livecodebench, multipl_e, python_asserts)
from rewardkit_code.formats.base import FENCE_LABELS, FormatError, Plan

__all__ = ["FORMATS", "FormatError", "Plan", "plan", "reference_from_row", "is_native"]

FORMATS: dict[str, Any] = {
    "apps": apps, "taco": apps, "livecodebench": livecodebench,
    "humaneval": python_asserts.HumanEval, "mbpp": python_asserts.Mbpp,
    "codecontests": codecontests, "multipl-e": multipl_e, "humaneval-x": humaneval_x,
}


def is_native(reference: Any) -> bool:
    """Whether `reference` names a dataset format (rather than being a sandbox suite)."""
    return isinstance(reference, Mapping) and "format" in reference


def _adapter(name: Any) -> Any:
    if name not in FORMATS:
        raise FormatError(f"unknown format {name!r}; known: {', '.join(sorted(FORMATS))}")
    return FORMATS[name]


def reference_from_row(row: Mapping[str, Any], format: str, **extra: Any) -> dict[str, Any]:
    """A sample `reference` for a dataset row: ``{"format": format, ...}`` plus the row's
    test fields for that format, unchanged (JSON strings stay strings); `extra` adds
    fields the row lacks (``language="cpp"`` for CodeContests). For ``datasets.map``::

        ds.map(lambda row: {"reference": reference_from_row(row, format="mbpp")})

    Raises FormatError (a ValueError) naming a required field the row lacks.
    """
    adapter = _adapter(format)
    merged = {**row, **extra}
    _require_fields(adapter, merged, "row")
    keep = (*adapter.FIELDS, *adapter.OPTIONAL)
    return {"format": format, **{k: merged[k] for k in keep if k in merged}}


def _require_fields(adapter: Any, row: Mapping[str, Any], what: str) -> None:
    missing = [f for f in adapter.FIELDS if row.get(f) is None]
    if missing:
        raise FormatError(f"{adapter.NAME}: the {what} has no {', '.join(map(repr, missing))} "
                          f"(its fields: {', '.join(sorted(map(str, row)))})")


def plan(reference: Mapping[str, Any], completion: str, default_language: str | None) -> Plan:
    """The program and suite judging `completion` against a native-format `reference`.

    The program is the completion's last code block in the problem's language (for
    formats with an entry point, the last one that defines it, so that a usage example
    after the solution is not taken for it); formats whose harness continues a prompt
    (humaneval, multipl-e, humaneval-x) also take a
    completion with no code block as the code itself. Raises FormatError for a reference
    that cannot be judged (also when there is no code), and returns a plan whose
    program is empty when there is no code.
    """
    adapter = _adapter(reference.get("format"))
    _require_fields(adapter, reference, "reference")
    language = adapter.language(reference, default_language)
    defines = getattr(adapter, "defines", None)
    code = pick_code(completion, language,
                     (lambda c: defines(reference, c, language)) if defines else None)
    if code is None and adapter.CONTINUATION and "```" not in completion:
        code = completion
    if code is None or not code.strip():
        return Plan("", adapter.build(reference, "", language).suite)
    return adapter.build(reference, code, language)


def pick_code(completion: str, language: str, prefer: Any = None) -> str | None:
    """The last fenced block labelled with `language` (or an alias), else the last
    unlabelled one; among them the last for which `prefer(code)` holds, if any does."""
    blocks = extract.code_blocks(completion)
    for labels in (FENCE_LABELS.get(language, (language,)), ("",)):
        chosen = [b.code for b in blocks if b.language in labels]
        if chosen:
            preferred = [c for c in chosen if prefer(c)] if prefer else []
            return (preferred or chosen)[-1]
    return None
