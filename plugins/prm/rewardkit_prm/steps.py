"""Splitting a solution into steps whose texts, joined, reproduce it exactly.

>>> text = "Step 1: add.\\nStep 2: halve.\\nSo 4."
>>> [text[s:e] for s, e in split_steps(text, "step_k")]
['Step 1: add.\\n', 'Step 2: halve.\\nSo 4.']
>>> text = "a\\n\\nb\\nc"
>>> [text[s:e] for s, e in split_steps(text, "double_newline")]
['a\\n\\n', 'b\\nc']

Each step keeps the separator that ends it; text before the first ``Step k:`` marker
belongs to the first step; whitespace-only pieces join the step before them.
"""

from __future__ import annotations

import re
from typing import Literal

SplitMode = Literal["auto", "double_newline", "newline", "step_k", "regex"]

_SEPARATORS = {
    "double_newline": re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*"),
    "newline": re.compile(r"\n(?:[ \t]*\n)*"),
}
_STEP_MARKER = re.compile(r"^[ \t]*(?:#+[ \t]*)?\**[ \t]*step[ \t]*\d+[ \t]*\**[ \t]*[:.)]",
                          re.IGNORECASE | re.MULTILINE)


def _boundaries(text: str, mode: str, pattern: str | None) -> list[int]:
    if mode == "step_k":
        return [m.start() for m in _STEP_MARKER.finditer(text)][1:]  # prelude joins step 1
    if mode == "regex":
        if not pattern:
            raise ValueError("split='regex' needs a pattern matching the step separators")
        return [m.end() for m in re.finditer(pattern, text)]
    return [m.end() for m in _SEPARATORS[mode].finditer(text)]


def _spans(text: str, cuts: list[int]) -> list[tuple[int, int]]:
    points = sorted({c for c in cuts if 0 < c < len(text)})
    edges = [0, *points, len(text)]
    spans: list[tuple[int, int]] = []
    for start, end in zip(edges, edges[1:]):
        if spans and not text[start:end].strip():
            spans[-1] = (spans[-1][0], end)  # whitespace joins the step before it
        elif len(spans) == 1 and not text[spans[0][0]:spans[0][1]].strip():
            spans[0] = (spans[0][0], end)  # leading whitespace joins the first real step
        else:
            spans.append((start, end))
    return spans


def split_steps(text: str, mode: SplitMode = "auto",
                pattern: str | None = None) -> list[tuple[int, int]]:
    """(start, end) of each step of `text`; empty text has no steps.

    Modes: ``double_newline``, ``newline``, ``step_k`` (a new step at each "Step k:"
    line), ``regex`` (a new step after each match of `pattern`), and ``auto``: "Step k:"
    markers when there are two or more, else blank lines when they give two or more
    steps, else single newlines.
    """
    if not text:
        return []
    if mode == "auto":
        for candidate in ("step_k", "double_newline"):
            spans = _spans(text, _boundaries(text, candidate, None))
            if len(spans) >= 2:
                return spans
        mode = "newline"
    return _spans(text, _boundaries(text, mode, pattern))


def merge_steps(spans: list[tuple[int, int]], limit: int) -> list[tuple[int, int]]:
    """At most `limit` spans, by joining runs of neighbours into near-equal groups."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    if len(spans) <= limit:
        return list(spans)
    groups = []
    for g in range(limit):
        first = g * len(spans) // limit
        last = (g + 1) * len(spans) // limit - 1
        groups.append((spans[first][0], spans[last][1]))
    return groups
