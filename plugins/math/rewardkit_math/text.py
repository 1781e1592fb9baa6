"""Answers that are words: equal when the words are; a paraphrase is undecidable."""

from __future__ import annotations

import re
from typing import Any

from rewardkit_math.nodes import Coll, Text
from rewardkit_math.sample import Undecided
from rewardkit_math.verdict import Verdict


def _words(node: Any) -> str:
    raw = node.words if isinstance(node, Text) else getattr(node, "raw", str(node))
    raw = re.sub(r"\\text\{([^{}]*)\}", r"\1", raw).lower()
    raw = re.sub(r"(\d):(?=\d)", r"\1h", raw)  # a clock time is one word: 14:05
    raw = re.sub(r"\b(the|a|an)\b", " ", raw)
    return re.sub(r"[^a-z0-9]+", " ", raw).strip()


def text_list(node: Text) -> Any:
    parts = [p.strip() for p in re.split(r",|\band\b", node.words) if p.strip()]
    return Coll([Text(p) for p in parts]) if len(parts) > 1 else node


_NEGATION = {"not", "no", "never", "none", "cannot", "isn", "doesn", "don"}


def compare_text(gold: Any, pred: Any) -> Verdict:
    """Same words: equal. A one-word answer naming the subject of a sentence gold: equal
    (never when the sentence negates). Two single words that differ: not equal. Anything
    else in words (a paraphrase, a sentence against a value) is undecidable here."""
    g, p = _words(gold), _words(pred)
    if g == p and g:
        return Verdict(True, "text")
    gw, pw = g.split(), p.split()
    if (len(pw) == 1 and len(pw[0]) >= 4 and len(gw) >= 4 and pw[0] in gw
            and not _NEGATION & set(gw) and isinstance(pred, Text)):
        return Verdict(True, "text_in_sentence")
    if isinstance(gold, Text) and isinstance(pred, Text) and _may_paraphrase(gw, pw):
        raise Undecided("answers in words that differ: a paraphrase needs a reader")
    return Verdict(False, "text")


def _may_paraphrase(gw: list[str], pw: list[str]) -> bool:
    """Whether two different word answers could still mean the same: not when both are
    short names (``First strategy`` / ``Final strategy``), nor when a one-word answer is
    absent from a sentence gold (``Becker`` / ``Kafelnikov served first``)."""
    if len(gw) <= 3 and len(pw) <= 3:
        return False
    shorter, longer = sorted((gw, pw), key=len)
    return not (len(shorter) == 1 and shorter[0] not in longer)
