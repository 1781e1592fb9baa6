"""Plain-text math and word answers rewritten as the LaTeX the parser reads.

Models write ``sqrt(3)/2``, ``abs(x-1)``, ``exp(2x)``, ``e^(i*pi)``, ``log(5)/log(2)``,
``sec(x)``, ``x**2`` inside ``\\boxed{}`` and answer tags; golds write ``no solution``,
``infinity``, ``3^{\\text{rd}}``, ``2:05 P.M.``. Each rule here covers one such class and
only fires on its own syntax (a function name directly followed by ``(``, a whole-answer
synonym), so LaTeX input passes through unchanged.
"""

from __future__ import annotations

import re
from fractions import Fraction

_FUNCTIONS = {  # plain name -> LaTeX command
    **{n: "\\" + n for n in ("sin", "cos", "tan", "sec", "csc", "cot", "sinh", "cosh", "tanh",
                              "arcsin", "arccos", "arctan", "log", "ln")},
    "asin": "\\arcsin", "acos": "\\arccos", "atan": "\\arctan", "cosec": "\\csc", "ctg": "\\cot",
    "tg": "\\tan", "lg": "\\log",
}
_CALL = re.compile(r"(?<![\\A-Za-z])(sqrt|cbrt|abs|exp|sech|csch|cosech|coth|"
                   + "|".join(sorted(_FUNCTIONS, key=len, reverse=True)) + r")\s*(?=[(^])")
_PI = re.compile(r"(?<![\\A-Za-z])pi(?![A-Za-z])")
_INFINITY_TOKEN = re.compile(r"(?<![\\A-Za-z])(?:infinity|inf|oo)(?![A-Za-z])", re.IGNORECASE)


def _group_end(text: str, start: int) -> int:
    """Index just past the bracket group opening at `start` (len(text) if unclosed)."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] in "({[":
            depth += 1
        elif text[i] in ")}]":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def _calls(text: str) -> str:
    """``sqrt(x)`` -> ``\\sqrt{x}``, ``abs(x)`` -> ``|x|``, ``exp(x)`` -> ``e^{x}``,
    ``sec(x)`` -> ``\\sec(x)``, ``sech(x)`` -> ``\\frac{1}{\\cosh(x)}``."""
    out, pos = [], 0
    for m in _CALL.finditer(text):
        if m.start() < pos:
            continue
        name, at = m.group(1), m.end()
        out.append(text[pos:m.start()])
        if text[at] != "(" or name not in ("sqrt", "cbrt", "abs", "exp", "sech", "csch",
                                           "cosech", "coth"):
            out.append(_FUNCTIONS.get(name, "\\" + name) + " ")
            pos = at
            continue
        end = _group_end(text, at)
        inner = _calls(text[at + 1:end - 1])
        out.append({"sqrt": f"\\sqrt{{{inner}}}", "cbrt": f"\\sqrt[3]{{{inner}}}",
                    "abs": f"\\left|{inner}\\right|", "exp": f"e^{{{inner}}}",
                    "sech": f"\\frac{{1}}{{\\cosh({inner})}}", "csch": f"\\frac{{1}}{{\\sinh({inner})}}",
                    "cosech": f"\\frac{{1}}{{\\sinh({inner})}}",
                    "coth": f"\\frac{{\\cosh({inner})}}{{\\sinh({inner})}}"}[name])
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _paren_powers(text: str) -> str:
    """``x^(1/2)`` -> ``x^{1/2}`` (nested brackets kept whole); ``**`` -> ``^``."""
    text = text.replace("**", "^")
    out, pos = [], 0
    for m in re.finditer(r"\^\s*\(", text):
        if m.start() < pos:
            continue
        start = m.end() - 1
        end = _group_end(text, start)
        out.append(text[pos:m.start()] + "^{" + _paren_powers(text[start + 1:end - 1]) + "}")
        pos = end
    out.append(text[pos:])
    return "".join(out)


def plain_math(text: str) -> str:
    """Rewrite plain-text function calls, powers, pi and infinity as LaTeX."""
    if re.search(r"[A-Za-z]{2}", text):
        text = _calls(re.sub(r"\\sqrt\s*(?=\()", "sqrt", text))  # \sqrt(2) is \sqrt{2}
        text = _PI.sub(r"\\pi ", text)
        text = _INFINITY_TOKEN.sub(r"\\infty ", text)
    if "^" in text or "**" in text:
        text = _paren_powers(text)
    return text


_EMPTY = re.compile(r"(?:\\text\{\s*)?(?:no\s+(?:real\s+)?solutions?|no\s+such\s+\w+|none|"
                    r"(?:the\s+)?empty\s+set|\\varnothing|\\emptyset|\{\s*\}|\\\{\s*\\\})"
                    r"\s*\}?\s*\.?", re.IGNORECASE)
_INFINITE = re.compile(r"(?:\\text\{\s*)?([+-]?)\s*(?:infinity|infinite|inf|oo|\\infty)\s*\}?",
                       re.IGNORECASE)


def synonyms(text: str) -> str:
    """Whole-answer words: ``no solution`` / ``none`` / ``{}`` -> ``\\emptyset``,
    ``infinity`` / ``inf`` / ``oo`` -> ``\\infty`` (with its sign)."""
    stripped = text.strip()
    if _EMPTY.fullmatch(stripped):
        return "\\emptyset"
    infinite = _INFINITE.fullmatch(stripped)
    if infinite:
        return ("-" if infinite.group(1) == "-" else "") + "\\infty"
    return text


_ORDINAL = re.compile(r"(\d+)\s*(?:\^\s*\{?\s*\\text\{\s*(?:st|nd|rd|th)\s*\}\s*\}?|(?:st|nd|rd|th)\b)")
_CLOCK = re.compile(r"\b(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:([AaPp])\.?\s*[Mm]\.?|(?![\d:]))")


def _clock(m: re.Match) -> str:
    hour, minute, second, half = int(m.group(1)), m.group(2), m.group(3), m.group(4)
    if half:
        hour = hour % 12 + (12 if half.lower() == "p" else 0)
    tail = f":{second}" if second and second != "00" else ""
    return f"{hour}:{minute}{tail}"


def ordinals_and_clocks(text: str) -> str:
    """``3^{\\text{rd}}`` / ``3rd`` -> ``3``; ``2:05 P.M.`` -> ``14:05``; ``14:05:00`` -> ``14:05``."""
    text = _ORDINAL.sub(r"\1", text)
    return _CLOCK.sub(_clock, text) if ":" in text else text


_MIXED = re.compile(r"([+-]?)(\d+)\s+(\d+)\s*/\s*(\d+)")


def mixed_number(text: str) -> str:
    """``7 2/3`` -> ``\\frac{23}{3}``, ``-4 4/9`` -> ``-\\frac{40}{9}``, ``3 0/5`` -> 3; a
    fraction part that is not proper (``11 7/6``, ``4 4/0``) is left as written."""
    m = _MIXED.fullmatch(text.strip())
    if not m:
        return text
    sign, whole, num, den = m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4))
    if den == 0 or num >= den:
        return text
    value = whole + Fraction(num, den)
    body = str(value.numerator) if value.denominator == 1 else \
        f"\\frac{{{value.numerator}}}{{{value.denominator}}}"
    return ("-" if sign == "-" else "") + body


_UNIT_JOIN = re.compile(r"\\text\{([^{}]*)\}\s*(/|\\cdot)\s*\\text\{([^{}]*)\}")


def join_unit_words(text: str) -> str:
    """``\\text{m}/\\text{s}`` -> ``\\text{m/s}`` so the unit is dropped as one."""
    while True:
        joined = _UNIT_JOIN.sub(lambda m: f"\\text{{{m.group(1)}{'/' if m.group(2) == '/' else ' '}"
                                          f"{m.group(3)}}}", text)
        if joined == text:
            return text
        text = joined
