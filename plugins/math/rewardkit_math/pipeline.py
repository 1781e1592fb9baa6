"""The pipeline for one sample, in one direction: extract -> normalise -> structure
(parse) -> compare -> a result dict (value, status, info).

Every stage reads the same frozen `Policy`; none calls back into an earlier one. Runs in
whatever process calls it: `rewardkit_math.reward` makes sure that is a killable worker.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from rewardkit import is_missing
from rewardkit_math.answers import candidates, reference_candidates
from rewardkit_math.compare import equal
from rewardkit_math.nodes import Coll
from rewardkit_math.normalize import normalize, repair_escapes
from rewardkit_math.parse import Refused, TooLong, Unparsable, check_size
from rewardkit_math.policy import Policy
from rewardkit_math.verdict import Pair
from rewardkit_math.structure import build


def interpret(text: str, pol: Policy) -> tuple[Any, Any]:
    """(tree, Normalized) for one candidate answer; raises Unparsable / Refused."""
    norm = normalize(text, pol)
    check_size(norm.text, pol.max_answer_chars)
    return build(norm.text, pol), norm


def _first(cands: list[tuple[str, str]], pol: Policy,
           shorter: bool = True) -> tuple[Any, Any, Any, Any]:
    """(tree, normalized, method, text) of the first candidate that parses, else
    (None, None, None, [why each failed]). Refused (too large) propagates."""
    errors, too_long = [], None
    for text, method in cands:
        try:
            tree, norm = interpret(text, pol)
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


def _flat(norm: Any) -> str:
    return norm.text.replace(" ", "") + ("%" if norm.percent else "")


def _reference_text(reference: Any) -> str | None:
    """The reference as text; raises TypeError for a type that cannot be one."""
    if isinstance(reference, (list, tuple)):  # several gold answers: all of them
        return ", ".join(str(r) for r in reference)
    if isinstance(reference, (int, float)) and not isinstance(reference, bool):
        return repr(reference)
    if reference is not None and not isinstance(reference, str):
        raise TypeError(f"the reference must be text or a number, not {type(reference).__name__}")
    return reference


def run(reference: Any, completion: str, pol: Policy) -> dict:
    """Score one completion against one reference; returns Score fields as a dict."""
    info: dict[str, Any] = {}
    if isinstance(reference, (list, tuple)) and any(is_missing(r) for r in reference):
        return _result(None, "unverifiable", info, "the reference list has a missing value "
                       "(None, NaN, '' or 'nan'); it is never compared as text")
    if is_missing(reference):
        return _result(None, "unverifiable", info, "the sample has no reference answer "
                       "(None, NaN, '' or a 'nan'/'None' marker is never compared as text)")
    try:
        reference = _reference_text(reference)
    except TypeError as exc:
        return _result(None, "unverifiable", info, str(exc))
    if pol.repair_escapes:
        reference = repair_escapes(reference) if reference is not None else None
        completion = repair_escapes(completion or "")
    if reference is None or not reference.strip():
        return _result(None, "unverifiable", info, "the sample has no reference answer")
    try:
        gold, gold_norm, _, gold_raw = _first(reference_candidates(reference, pol), pol, shorter=False)
    except Refused as exc:
        return _result(None, "unverifiable", info, f"reference: {exc}")
    if gold is None:
        return _result(None, "unverifiable", info,
                       "the reference answer could not be parsed: " + "; ".join(gold_raw)[:300])
    info.update(reference=gold_raw, normalized_reference=gold_norm.text)
    pred_cands, hedge = candidates(completion, pol)
    if pred_cands and not hedge and _flat(gold_norm) == _flat(normalize(pred_cands[0][0], pol)):
        return _result(1.0, "ok", info, rule="string", extracted=pred_cands[0][0],
                       method=pred_cands[0][1], normalized=gold_norm.text)
    if hedge:
        return _result(0.0, "ok", info, hedge, rule="hedged")
    if not pred_cands:
        return _result(0.0, "ok", info, "no answer found in the completion", rule="no_answer")
    try:
        pred, pred_norm, method, pred_raw = _first(pred_cands, pol)
    except TooLong as exc:  # a wall of text is a wrong answer, not an undecidable one
        return _result(0.0, "ok", info, f"answer: {exc}", rule="answer_too_long",
                       extracted=pred_cands[0][0][:200])
    except Refused as exc:
        return _result(None, "unverifiable", info, f"answer: {exc}", extracted=pred_cands[0][0])
    if pred is None:
        return _unparsable(info, pred_cands[0][0], pred_raw)
    info.update(extracted=pred_raw, method=method, normalized=pred_norm.text)
    if _flat(pred_norm) == _flat(gold_norm):
        return _result(1.0, "ok", info, rule="string")
    if pol.percent == "strict" and gold_norm.percent != pred_norm.percent:
        return _result(0.0, "ok", info, rule="percent_mismatch")
    verdict = _compare(gold, pred, gold_norm, pred_norm, pol, info)
    if isinstance(verdict, dict):
        return verdict
    if not verdict.equal and isinstance(gold, Coll) and pol.comma == "auto" and "," in pred_raw:
        retried = _list_reading(gold, gold_norm, pred_raw, pol, info)
        if retried is not None:
            return retried
    return _result(1.0 if verdict.equal else 0.0, "ok", info, rule=verdict.rule)


def _compare(gold: Any, pred: Any, gold_norm: Any, pred_norm: Any, pol: Policy,
             info: dict) -> Any:
    """The verdict, or a finished result dict when no rule can decide."""
    pair = Pair(pol, gold_percent=gold_norm.percent, pred_percent=pred_norm.percent,
                gold_degrees=gold_norm.degrees, pred_degrees=pred_norm.degrees)
    try:
        return equal(gold, pred, pair)
    except Refused as exc:
        return _result(None, "unverifiable", info, str(exc))
    except RecursionError:
        return _result(None, "unverifiable", info, "expression nested too deeply")
    except Exception as exc:  # noqa: BLE001 - sympy raises many types on odd input
        return _result(None, "unverifiable", info,
                       f"the comparison failed ({type(exc).__name__}: {str(exc)[:200]})")


def _list_reading(gold: Any, gold_norm: Any, pred_raw: str, pol: Policy, info: dict) -> dict | None:
    """``100,349,500`` against the list ``100, 349, 500``: the commas may separate items."""
    as_list = dataclasses.replace(pol, comma="list")
    try:
        pred, pred_norm = interpret(pred_raw, as_list)
    except (Unparsable, Refused):
        return None
    if not isinstance(pred, Coll):
        return None
    verdict = _compare(gold, pred, gold_norm, pred_norm, as_list, info)
    if isinstance(verdict, dict) or not verdict.equal:
        return None
    return _result(1.0, "ok", info, rule="comma_list:" + verdict.rule)


def _unparsable(info: dict, text: str, errors: list[str]) -> dict:
    """An answer no reader understands: 0.0 when it holds no math at all (empty, noise),
    otherwise `unverifiable` (a form the rules do not know is not a wrong answer)."""
    reason = "the answer could not be parsed: " + "; ".join(errors)[:300]
    if not re.search(r"[A-Za-z0-9]", text):
        return _result(0.0, "ok", info, reason, rule="unparsable_answer", extracted=text)
    return _result(None, "unverifiable", info, reason, extracted=text)


def _result(value: float | None, status: str, info: dict, reason: str | None = None,
            rule: str | None = None, **extra: Any) -> dict:
    info = {**info, **extra}
    if rule:
        info["rule"] = rule
    if reason:
        info["reason"] = reason
    return {"value": value, "status": status, "info": info}
