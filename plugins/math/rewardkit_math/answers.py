"""Extract stage: the answer texts to try, best first, found with `rewardkit.extract`.

``auto`` reads what follows the last ``</think>``: the ``<answer>`` tag, else the last run
of ``\\boxed{}``, else "the final answer is ...", else (``fallback``) the last math span or
number. ``whole`` (and every reference) is the text itself, still read through boxes,
math delimiters and "the answer is"; a longer expression is never cut down to its last
number there: only a sentence falls back to its last number.
"""

from __future__ import annotations

import re

from rewardkit import extract
from rewardkit_math.normalize import strip_labels
from rewardkit_math.policy import Policy

_DELIMS = re.compile(r"\$|\\\(|\\\[|\\begin\{")
_WHOLE_MATH = re.compile(r"\s*(\$\$?|\\\(|\\\[).*(\$|\\\)|\\\])\s*\.?\s*", re.DOTALL)


def _dedupe(items: list[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def _expand(text: str, method: str, last_number: bool) -> list[tuple[str, str]]:
    """Readings of one answer-bearing text: itself, its math spans, its last number."""
    out: list[tuple[str, str]] = []
    stripped = strip_labels(text).strip()
    prose = extract.is_prose(stripped)
    whole_math = bool(_WHOLE_MATH.fullmatch(stripped)) and len(extract.math_spans(stripped)) == 1
    number = extract.last_number(stripped, standalone=True) if last_number or prose else None
    spans = extract.math_spans(stripped) if _DELIMS.search(stripped) else []
    lenient = extract.last_math(stripped) if _DELIMS.search(stripped) else None
    if (spans or lenient) and not whole_math:
        if number and prose and spans and stripped.rfind(number) >= spans[-1][1]:
            out.append((number, method + ":last_number"))  # "... the largest $n$ is 34."
        joined = extract.joined_math(stripped)
        if joined:
            out.append((joined, method + ":math"))
        if lenient and lenient != joined:
            out.append((lenient, method + ":last_math"))
    if not out and (not prose or not re.search(r"\d", stripped)):
        out.append((stripped, method))  # no math span after all (\$10): the text itself
    if number and (number, method + ":last_number") not in out:
        out.append((number, method + ":last_number"))
    return out


def candidates(text: str, pol: Policy, mode: str | None = None, hedging: str | None = None
               ) -> tuple[list[tuple[str, str]], str | None]:
    """Answers to try, best first, as (text, method); and a hedging note if any."""
    mode = mode or pol.answer_from
    hedging = hedging or pol.hedging
    text = text or ""
    if mode != "whole":
        text = extract.after_thinking(text)
    if mode in ("auto", "answer_tag"):
        tagged = extract.answer_tag(text)
        if tagged is not None:
            text = tagged
        elif mode == "answer_tag":
            return [], None
    spans = extract.boxed_spans(text) if mode != "final_answer" else []
    final_span = extract.final_answer_span(text) if mode != "boxed" else None
    if spans:
        runs = extract.boxed_runs(text)
        if len({tuple(_dedupe(r)) for r in runs}) == 1 or hedging == "last":
            return [(", ".join(_dedupe(runs[-1])), "boxed")], None
        if not (final_span and final_span[1] > spans[-1][2]):
            return [], "several different boxed answers"
        # intermediate results were boxed; the answer is the one stated after them
    if mode == "boxed":
        return [], None
    out: list[tuple[str, str]] = []
    fallback = pol.fallback and mode != "whole"
    if final_span:
        out += _expand(final_span[0], "final_answer", fallback)
    if mode == "final_answer":
        return out, None
    if mode in ("whole", "answer_tag") or (mode == "last_math" or fallback) and not out:
        out += _expand(text, "whole" if mode == "whole" else "last_math", fallback)
    return out, None


def reference_candidates(text: str, pol: Policy) -> list[tuple[str, str]]:
    """Readings of a reference answer (``whole``; several boxes are one answer)."""
    found, _ = candidates(text, pol, mode="whole", hedging="last")
    return found
