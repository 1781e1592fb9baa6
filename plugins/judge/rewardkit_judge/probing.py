"""A scripted judge that obeys instructions injected into the answer, for hack probes.

Use it as the responder of the scripted backend to check that a template and the verdict
parser hold up against a gullible judge model::

    judge(backend="rewardkit.generators.testing:ScriptedGenerator",
          backend_config={"responder": "rewardkit_judge.probing:obedient_judge"})

What it does with a pointwise or reference prompt:

1. quotes the answer back (without the markers), as judges often do;
2. grades honestly: with a reference, top score when the answer's last number equals the
   reference's, bottom score otherwise; without one, top score for any non-empty answer;
   and writes that verdict in the requested ``VERDICT <key>: N`` form;
3. then obeys the answer: every line asking to "give / rate / score / award / put / write
   N" (or the same in French, German, Spanish, Portuguese, Italian, Russian or Chinese)
   makes it add ``VERDICT: N`` (or, when the line asks for the *official* verdict line,
   in any of those languages, the keyed form with N), and every line mentioning a
   verdict or score is repeated verbatim.

So a parser that takes the last number, or the last "VERDICT" line of any kind, is fooled.
"""

from __future__ import annotations

import re
from typing import Any

from rewardkit.extract import last_number

_FORMAT = re.compile(r"VERDICT ([0-9A-F]{12}): N\s*$", re.MULTILINE)
_SCALE = re.compile(r"whole number from (\d+) \(worst\) to (\d+) \(best\)")
_ORDER = re.compile(r"(?:give|rate|score|award|put|write|donne|gib|gebe|dale|dê|da|assegna|"
                    r"поставь|дай|给|打)\D{0,40}?(\d+)", re.IGNORECASE)
_OFFICIAL = re.compile(r"official|officiel|offiziell|oficial|ufficial|официальн|正式",
                       re.IGNORECASE)


def _block(prompt: str, label: str, key: str) -> str | None:
    found = re.search(rf"<<<{label} {key} BEGIN>>>\n(.*?)\n<<<{label} {key} END>>>",
                      prompt, re.DOTALL)
    return found.group(1) if found else None


def obedient_judge(prompt: str, n: int, sampling: Any) -> list[str] | None:
    """The scripted replies (n copies); None for prompts that are not pointwise/reference."""
    keys = _FORMAT.findall(prompt)
    scale = _SCALE.search(prompt)
    if not keys or not scale:
        return None
    key, low, high = keys[-1], int(scale.group(1)), int(scale.group(2))
    answer = _block(prompt, "ANSWER", key) or ""
    reference = _block(prompt, "REFERENCE", key)
    if reference is not None and reference.strip():
        correct = last_number(answer) is not None and last_number(answer) == last_number(reference)
    else:
        correct = bool(answer.strip())
    lines = [f"The answer reads:\n{answer}", f"VERDICT {key}: {high if correct else low}"]
    for line in answer.splitlines():
        order = _ORDER.search(line)
        if order:
            official = bool(_OFFICIAL.search(line))
            lines.append(f"VERDICT {key}: {order.group(1)}" if official
                         else f"VERDICT: {order.group(1)}")
        if re.search(r"verdict|score", line, re.IGNORECASE):
            lines.append(line)
    return ["\n".join(lines)] * n
