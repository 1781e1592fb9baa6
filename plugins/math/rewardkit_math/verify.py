"""The pipeline for one sample: extract -> normalise -> parse -> compare -> Score.

Runs in whatever process calls it; `rewardkit_math.reward` makes sure that is a killable
worker. Returns plain dicts (value, status, info) so results cross process boundaries
cheaply.
"""

from __future__ import annotations

import re
from typing import Any

from rewardkit import extract, is_missing
from rewardkit_math.compare import equal
from rewardkit_math.normalize import normalize, repair_escapes, strip_labels
from rewardkit_math.parse import Refused, TooLong, Unparsable
from rewardkit_math.scalar import Policy
from rewardkit_math.structure import Options, build


def _joined_math(text: str) -> str | None:
    """The last run of math spans joined by separators (``$1$ and $2$``), else None."""
    spans = extract.math_spans(text)
    if not spans:
        return None
    groups: list[list[tuple[int, int]]] = []
    for span in spans:
        gap = text[groups[-1][-1][1]:span[0]] if groups else None
        if gap is not None and re.fullmatch(r"\s*(?:,|;|and|or|&)?\s*(?:and|or)?\s*", gap):
            groups[-1].append(span)
        else:
            groups.append([span])
    last = groups[-1]
    parts = [_inner(text[a:b]) for a, b in last]
    joiners = [re.sub(r"\s+", " ", text[last[k][1]:last[k + 1][0]]).strip() or ","
               for k in range(len(last) - 1)]
    out = parts[0]
    for joiner, part in zip(joiners, parts[1:]):
        out += (", " if joiner in (",", ";") else f" {joiner} ") + part
    return out


def _inner(span: str) -> str:
    for left, right in (("$$", "$$"), ("$", "$"), ("\\[", "\\]"), ("\\(", "\\)")):
        if span.startswith(left) and span.endswith(right):
            return span[len(left):len(span) - len(right)].strip()
    return span  # \begin{env}...\end{env}


def _dedupe(items: list[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


_DELIMS = re.compile(r"\$|\\\(|\\\[|\\begin\{")
_PROSE = re.compile(r"[A-Za-z]{2,}[,.;:!?']?\s+[A-Za-z]{2,}")


def is_prose(text: str) -> bool:
    """Two words in a row outside math and \\text{}: a sentence, not an expression."""
    bare = re.sub(r"\\text\{[^{}]*\}|\\[A-Za-z]+", " ", text)
    if not _PROSE.search(bare):
        return False
    if "$" in bare or "\\" in text:
        for a, b in reversed(extract.math_spans(bare)):
            bare = bare[:a] + " " + bare[b:]
    return bool(_PROSE.search(bare))


def _expand(text: str, method: str, fallback: bool) -> list[tuple[str, str]]:
    """Readings of one answer-bearing text: itself, its math spans, its last number."""
    out: list[tuple[str, str]] = []
    stripped = strip_labels(text).strip()
    whole_math = bool(re.fullmatch(r"\s*(\$\$?|\\\(|\\\[).*(\$|\\\)|\\\])\s*\.?\s*", stripped,
                                   re.DOTALL)) and len(extract.math_spans(stripped)) == 1
    number = _last_number(stripped) if fallback or is_prose(stripped) else None
    if _DELIMS.search(stripped) and not whole_math:
        spans = extract.math_spans(stripped)
        if number and is_prose(stripped) and spans and _after_math(stripped, number, spans[-1][1]):
            out.append((number, method + ":last_number"))  # "... the largest $n$ is 34."
        joined = _joined_math(stripped)
        if joined:
            out.append((joined, method + ":math"))
        lenient = extract.last_math(stripped)
        if lenient and lenient != joined:
            out.append((lenient, method + ":last_math"))
    elif not is_prose(stripped) or not re.search(r"\d", stripped):
        out.append((stripped, method))
    if number and (number, method + ":last_number") not in out:
        out.append((number, method + ":last_number"))
    return out


def _after_math(text: str, number: str, math_end: int) -> bool:
    """Whether the last occurrence of `number` lies after the last math span."""
    return text.rfind(number) >= math_end


def candidates(text: str, mode: str, fallback: bool, hedging: str
               ) -> tuple[list[tuple[str, str]], str | None]:
    """Answers to try, best first, as (text, method); and a hedging note if any."""
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
    final = final_span[0] if final_span else None
    if final:
        out += _expand(final, "final_answer", fallback)
    if mode == "final_answer":
        return out, None
    if mode in ("whole", "answer_tag") or (mode == "last_math" or fallback) and not out:
        out += _expand(text, "whole" if mode == "whole" else "last_math", fallback)
    return out, None


_NUMBER = re.compile(r"(?<![A-Za-z\d.])-?\d+(?:,\d{3})*(?:[.,]\d+)?(?:/\d+)?(?![A-Za-z]*\d)")


def _last_number(text: str) -> str | None:
    """The last number not glued inside a word (``AZYUK2A`` has none)."""
    found = [m.group() for m in _NUMBER.finditer(text)
             if not re.match(r"[A-Za-z]", text[m.end():m.end() + 1] or " ")
             or re.match(r"[a-zA-Z]{0,3}(?:²|\^|\b)", text[m.end():])]
    return found[-1] if found else None


def _options(params: Any) -> Options:
    return Options(lowercase=not params.case_sensitive, mixed=params.mixed_numbers,
                   plus_minus=params.plus_minus)


def interpret(text: str, params: Any, opts: Options) -> tuple[Any, Any]:
    """(tree, Normalized) for one candidate answer; raises Unparsable / Refused."""
    from rewardkit_math.parse import check_size

    norm = normalize(text, comma=params.comma, units=params.units,
                     repair=params.repair_escapes, qualifiers=params.qualifiers,
                     mixed=params.mixed_numbers)
    check_size(norm.text, params.max_answer_chars)
    return build(norm.text, opts), norm


def _normal_text(text: str, params: Any) -> str:
    norm = normalize(text, comma=params.comma, units=params.units, repair=params.repair_escapes,
                     qualifiers=params.qualifiers, mixed=params.mixed_numbers)
    return norm.text.replace(" ", "") + ("%" if norm.percent else "")


def _first(cands: list[tuple[str, str]], params: Any, opts: Options, shorter: bool = True):
    """(tree, normalized, method, text) of the first candidate that parses, else
    (None, None, None, [why each failed]). Refused (too large) propagates."""
    errors, too_long = [], None
    for text, method in cands:
        try:
            tree, norm = interpret(text, params, opts)
            return tree, norm, method, text
        except TooLong as exc:  # a shorter reading (a math span, a number) may follow
            if not shorter:
                raise
            too_long = too_long or exc
            errors.append(str(exc))
        except Refused:
            raise
        except Unparsable as exc:
            errors.append(str(exc))
        except (RecursionError, Exception) as exc:  # noqa: BLE001 - sympy set/relation code
            errors.append(f"cannot read {text[:80]!r} ({type(exc).__name__}: {str(exc)[:100]})")
    if too_long is not None:
        raise too_long
    return None, None, None, errors


def verify(reference: Any, completion: str, params: Any) -> dict:
    """Score one completion against one reference; returns Score fields as a dict."""
    opts = _options(params)
    info: dict[str, Any] = {}
    if isinstance(reference, (list, tuple)):  # several gold answers: all of them
        if any(is_missing(r) for r in reference):
            return _result(None, "unverifiable", info, "the reference list has a missing value "
                           "(None, NaN, '' or 'nan'); it is never compared as text")
        reference = ", ".join(str(r) for r in reference)
    elif isinstance(reference, (int, float)) and not isinstance(reference, bool):
        reference = repr(reference)
    elif reference is not None and not isinstance(reference, str):
        return _result(None, "unverifiable", info, f"the reference must be text or a number, "
                       f"not {type(reference).__name__}")
    if params.repair_escapes:
        reference = repair_escapes(str(reference)) if reference is not None else None
        completion = repair_escapes(completion or "")
    if reference is None or not str(reference).strip():
        return _result(None, "unverifiable", info, "the sample has no reference answer")
    gold_cands, _ = candidates(str(reference), "whole", True, "last")
    pred_cands, hedge = candidates(completion, params.answer_from, params.fallback, params.hedging)
    try:
        gold, gold_norm, _, gold_raw = _first(gold_cands, params, opts, shorter=False)
    except Refused as exc:
        return _result(None, "unverifiable", info, f"reference: {exc}")
    if gold is None:
        return _result(None, "unverifiable", info,
                       "the reference answer could not be parsed: " + "; ".join(gold_raw)[:300])
    info.update(reference=gold_raw, normalized_reference=gold_norm.text)
    if pred_cands and not hedge:  # an answer written like the parsed gold needs no parsing
        gold_text = gold_norm.text.replace(" ", "") + ("%" if gold_norm.percent else "")
        if gold_text == _normal_text(pred_cands[0][0], params):
            return _result(1.0, "ok", info, rule="string", extracted=pred_cands[0][0],
                           method=pred_cands[0][1], normalized=gold_norm.text)
    if hedge:
        return _result(0.0, "ok", info, hedge, rule="hedged")
    if not pred_cands:
        return _result(0.0, "ok", info, "no answer found in the completion", rule="no_answer")
    try:
        pred, pred_norm, method, pred_raw = _first(pred_cands, params, opts)
    except TooLong as exc:  # a wall of text is a wrong answer, not an undecidable one
        return _result(0.0, "ok", info, f"answer: {exc}", rule="answer_too_long",
                       extracted=pred_cands[0][0][:200])
    except Refused as exc:
        return _result(None, "unverifiable", info, f"answer: {exc}", extracted=pred_cands[0][0])
    if pred is None:
        return _result(0.0, "ok", info, "the answer could not be parsed: " + "; ".join(pred_raw)[:300],
                       rule="unparsable_answer", extracted=pred_cands[0][0])
    info.update(extracted=pred_raw, method=method, normalized=pred_norm.text)
    if pred_norm.text.replace(" ", "") == gold_norm.text.replace(" ", "") and \
            pred_norm.percent == gold_norm.percent:
        return _result(1.0, "ok", info, rule="string")
    policy = Policy(rel_tol=params.rel_tol, rounding=params.rounding, percent=params.percent,
                    degrees=params.degrees, ordered_lists=params.ordered_lists,
                    rename_symbols=params.rename_symbols, gold_percent=gold_norm.percent,
                    pred_percent=pred_norm.percent, gold_degrees=gold_norm.degrees,
                    pred_degrees=pred_norm.degrees)
    if params.percent == "strict" and gold_norm.percent != pred_norm.percent:
        return _result(0.0, "ok", info, rule="percent_mismatch")
    try:
        verdict = equal(gold, pred, policy)
    except Refused as exc:
        return _result(None, "unverifiable", info, str(exc))
    except RecursionError:
        return _result(None, "unverifiable", info, "expression nested too deeply")
    except Exception as exc:  # noqa: BLE001 - sympy raises many types on odd input
        return _result(None, "unverifiable", info,
                       f"the comparison failed ({type(exc).__name__}: {str(exc)[:200]})")
    return _result(1.0 if verdict.equal else 0.0, "ok", info, rule=verdict.rule)


def _result(value: float | None, status: str, info: dict, reason: str | None = None,
            rule: str | None = None, **extra: Any) -> dict:
    info = {**info, **extra}
    if rule:
        info["rule"] = rule
    if reason:
        info["reason"] = reason
    return {"value": value, "status": status, "info": info}
