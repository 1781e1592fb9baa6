"""Reading a judge's verdict: only a ``VERDICT <key>: ...`` line counts, the last one wins.

Lines without the key (an injected ``VERDICT: 10``, a guessed key) are ignored, and so is
anything the judge quotes back inside a keyed BEGIN/END block. A verdict that is missing,
unreadable or off the scale is *unverifiable*, never the lowest score.
"""

from __future__ import annotations

import re

from rewardkit import Score

_NUMBER = re.compile(r"^([-+]?\d+(?:\.\d+)?)(?:\s*/\s*\d+)?$")


def _verdicts(reply: str, key: str) -> list[str]:
    k = re.escape(key)
    quoted = re.compile(rf"<<<[^\n]*? {k} BEGIN>>>.*?<<<[^\n]*? {k} END>>>", re.DOTALL)
    outside = quoted.sub("", reply)
    return re.findall(rf"VERDICT\s+{k}\s*:\s*([^\n]*)", outside, re.IGNORECASE)


def _clean(raw: str) -> str:
    return raw.strip().strip("*_`'\"[](). ").strip()


def parse_scale(reply: str, key: str, low: int, high: int) -> Score:
    """The verdict normalised to [0, 1] (``low`` -> 0, ``high`` -> 1), or unverifiable."""
    found = _verdicts(reply, key)
    if not found:
        return Score.unverifiable(f"the judge's reply has no 'VERDICT {key}:' line",
                                  reply=reply[-500:])
    raw = _clean(found[-1])
    match = _NUMBER.match(raw)
    if not match:
        return Score.unverifiable(f"the verdict {raw!r} is not a number", reply=reply[-500:])
    verdict = float(match.group(1))
    if not low <= verdict <= high:
        return Score.unverifiable(f"the verdict {verdict:g} is outside the scale {low}-{high}",
                                  verdict=verdict, reply=reply[-500:])
    return Score((verdict - low) / (high - low), info={"verdict": verdict})


def parse_choice(reply: str, key: str) -> str | None:
    """'A', 'B' or 'TIE' from the last keyed verdict line; None when there is none."""
    found = _verdicts(reply, key)
    if not found:
        return None
    choice = _clean(found[-1]).upper()
    return choice if choice in {"A", "B", "TIE"} else None
