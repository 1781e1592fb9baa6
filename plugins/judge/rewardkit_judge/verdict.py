"""Reading a judge's verdict: exactly one ``VERDICT <key>: ...`` line must be there.

Lines without the key (an injected ``VERDICT: 10``, a guessed key) are ignored, and so is
anything the judge quotes back inside a keyed BEGIN/END block, and a line that repeats
the format's placeholder (``VERDICT <key>: N``). A reply with more than one keyed verdict
is not trusted, whether they agree or not: a judge asked for one line that writes two
was talked into the second. A verdict that is missing, repeated, unreadable or off the
scale is *unverifiable* (``info["conflict"]`` marks a repeated one), never the lowest score.
"""

from __future__ import annotations

import re

from rewardkit import Score

_NUMBER = re.compile(r"^([-+]?\d+(?:\.\d+)?)(?:\s*/\s*\d+)?$")


def _verdicts(reply: str, key: str) -> list[str]:
    k = re.escape(key)
    quoted = re.compile(rf"<<<[^\n]*? {k} BEGIN>>>.*?<<<[^\n]*? {k} END>>>", re.DOTALL)
    outside = quoted.sub("", reply)
    found = re.findall(rf"VERDICT\s+{k}\s*:\s*([^\n]*)", outside, re.IGNORECASE)
    return [raw for raw in found if _clean(raw).upper() not in _PLACEHOLDERS]


_PLACEHOLDERS = {"N", "X", "A|B|TIE"}


def _conflict(found: list[str], key: str, reply: str) -> Score:
    values = ", ".join(repr(_clean(raw)) for raw in found)
    return Score.unverifiable(
        f"the judge's reply has {len(found)} 'VERDICT {key}:' lines ({values}) where one "
        "was asked for; the answer may have talked the judge into the extra one",
        conflict=True, verdicts=[_clean(raw) for raw in found], reply=reply[-500:])


def _clean(raw: str) -> str:
    return raw.strip().strip("*_`'\"[](). ").strip()


def parse_scale(reply: str, key: str, low: int, high: int) -> Score:
    """The verdict normalised to [0, 1] (``low`` -> 0, ``high`` -> 1), or unverifiable."""
    found = _verdicts(reply, key)
    if not found:
        return Score.unverifiable(f"the judge's reply has no 'VERDICT {key}:' line",
                                  reply=reply[-500:])
    if len(found) > 1:
        return _conflict(found, key, reply)
    raw = _clean(found[-1])
    match = _NUMBER.match(raw)
    if not match:
        return Score.unverifiable(f"the verdict {raw!r} is not a number", reply=reply[-500:])
    verdict = float(match.group(1))
    if not low <= verdict <= high:
        return Score.unverifiable(f"the verdict {verdict:g} is outside the scale {low}-{high}",
                                  verdict=verdict, reply=reply[-500:])
    return Score((verdict - low) / (high - low), info={"verdict": verdict})


def parse_choice(reply: str, key: str) -> str | Score:
    """'A', 'B' or 'TIE' from the one keyed verdict line, else an unverifiable Score."""
    found = _verdicts(reply, key)
    if len(found) > 1:
        return _conflict(found, key, reply)
    choice = _clean(found[0]).upper() if found else ""
    if choice not in {"A", "B", "TIE"}:
        return Score.unverifiable(f"no readable 'VERDICT {key}: A|B|TIE' line",
                                  reply=reply[-500:])
    return choice
