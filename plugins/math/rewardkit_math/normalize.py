"""String-level normalisation of an extracted answer, driven by explicit policy flags.

Everything here is plain `re`: no sympy. The result is LaTeX-ish text that
`rewardkit_math.structure` splits and `rewardkit_math.parse` turns into sympy.

Policy (see `MathParams` for the flags):

* spacing: ``\\!``, ``\\,``, ``{,}`` between digit groups join them (``1\\,000`` is 1000);
* commas: ``1,000`` (groups of three) is a thousands separator; a lone ``2,74`` in plain
  text is a decimal comma; ``32, 349`` (comma + space) is a list;
* percent / degrees become markers (``%`` / ``°``) the comparison knows how to treat;
* units: ``\\text{...}`` words after a value are dropped, never a bare letter
  (``3 + c`` stays ``3 + c``);
* qualifiers: a trailing ``\\text{ for all ...}`` / ``where ...`` clause is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rewardkit_math.notation import (
    join_unit_words,
    mixed_number,
    ordinals_and_clocks,
    plain_math,
    synonyms,
)
from rewardkit_math.policy import Policy

PERCENT = "\\%"
DEGREE = "^{\\circ}"


@dataclass
class Normalized:
    """The normalised text and what normalisation noticed on the way."""

    text: str
    percent: bool = False
    degrees: bool = False
    units: list[str] = field(default_factory=list)
    latex: bool = False  # the answer was written with LaTeX markup


# --- escapes and unicode -------------------------------------------------------------

_CONTROL_ESCAPES = {  # "\t" + "ext", "\f" + "rac": a LaTeX command mangled by a non-raw string
    "\t": "\\t", "\x0c": "\\f", "\x08": "\\b", "\r": "\\r", "\x0b": "\\v", "\x07": "\\a",
}
_MANGLED = re.compile(r"[\t\x0c\x08\r\x0b\x07](?=[a-z]{2})")
_DOUBLED = re.compile(
    r"\\\\(?=(?:d?t?c?frac|sqrt|left|right|pi|boxed|text|cdot|times|infty|leq?|geq?|neq?|pm|"
    r"sin|cos|tan|log|ln|in|cup|cap|quad|circ|bigg|Bigg|big|Big|mathrm|mathbb|begin|end|alpha|beta|theta)\b)")

_UNICODE = {
    "π": "\\pi ", "∞": "\\infty ", "≤": "\\le ", "≥": "\\ge ", "≠": "\\ne ", "×": "\\times ",
    "·": "\\cdot ", "⋅": "\\cdot ", "−": "-", "–": "-", "＞": ">", "＜": "<", "＝": "=",
    "∀": "\\forall ", "√": "\\sqrt", "∪": "\\cup ", "∩": "\\cap ", "∈": "\\in ",
    "²": "^2", "³": "^3", "≈": "\\approx ", "⩽": "\\le ", "⩾": "\\ge ", "∅": "\\emptyset ",
    "，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "÷": "\\div ", "α": "\\alpha ",
    "β": "\\beta ", "θ": "\\theta ",
}
_CIRCLED = {chr(0x2460 + i): str(i + 1) for i in range(20)}


def repair_escapes(text: str) -> str:
    """Undo JSON/Python escape accidents: TAB+"ext" -> \\text, \\\\frac -> \\frac."""
    text = _MANGLED.sub(lambda m: _CONTROL_ESCAPES[m.group()], text)
    return _DOUBLED.sub(r"\\", text)


def _unicode(text: str) -> str:
    for src, dst in _UNICODE.items():
        if src in text:
            text = text.replace(src, dst)
    if any(c in text for c in _CIRCLED):  # ②③ -> 2, 3
        text = re.sub("[" + "".join(_CIRCLED) + "]+",
                      lambda m: ", ".join(_CIRCLED[c] for c in m.group()), text)
    text = re.sub(r"<sup>(.*?)</sup>", r"^{\1}", text)
    text = re.sub(r"<sub>(.*?)</sub>", r"_{\1}", text)
    return text.replace("°", DEGREE)


# --- LaTeX cosmetics -------------------------------------------------------------------

_SIZING = re.compile(r"\\(?:left|right|bigg|Bigg|big|Big|middle)(?![a-zA-Z])\s*(\\[{}|]|[()\[\]|.]?)")
_FRAC_VARIANTS = re.compile(r"\\[dtc]frac(?![a-zA-Z])")
_BINOM_VARIANTS = re.compile(r"\\[dt]binom(?![a-zA-Z])")
_DROP = re.compile(r"\\(?:displaystyle|textstyle|limits|nolimits|mathstrut)(?![a-zA-Z])")
_TEXT_COMMANDS = re.compile(
    r"\\(?:mbox|textnormal|textbf|textit|textrm|textsf|texttt|emph|hbox|mathrm|mathit|mathbf|"
    r"mathsf|operatorname\*?|boldsymbol|bm|rm)(?![a-zA-Z])\s*")
_INVERSE_TRIG = re.compile(r"\\(sin|cos|tan|cot|sec|csc)\s*\^\s*\{?\s*-\s*1\s*\}?")
_FUNCTION_TEXT = re.compile(r"\\text\{\s*(sin|cos|tan|cot|sec|csc|log|ln|exp|arcsin|arccos|"
                            r"arctan)\s*\}")
_DEGREE_FORMS = re.compile(
    r"\^\s*\{?\s*\\(?:circ|textcirc|degree)\s*\}?|\\(?:degree|textdegree)(?![a-zA-Z])"
    r"|\^\s*\{\s*\\text\{\s*o\s*\}\s*\}")
_PERCENT_FORMS = re.compile(r"\\?%|\s*\\text\{\s*%\s*\}|(?<![a-zA-Z])(?:percentage|percent|pct)"
                            r"(?![a-zA-Z])")
_CURRENCY = re.compile(r"\\\$|\\(?:euro|pounds|yen)(?![a-zA-Z])|[€£¥]|\$")
_PAREN_POWER = re.compile(r"\^\s*\(([^()]*)\)")


_REPEATING = re.compile(r"(-?\d*)\.(\d*)\\overline\{(\d+)\}")
_BASE = re.compile(r"(?<![\w.])(\d+)_\{?(\d{1,2})\}?(?![\d}])")


def _repeating(m: re.Match) -> str:
    """0.1\\overline{6} -> \\frac{1}{6} (exact)."""
    from fractions import Fraction

    whole, fixed, cycle = m.group(1) or "0", m.group(2), m.group(3)
    sign = -1 if whole.startswith("-") else 1
    value = Fraction(int(fixed or "0"), 10 ** len(fixed)) + Fraction(
        int(cycle), (10 ** len(cycle) - 1) * 10 ** len(fixed))
    value = abs(int(whole or "0")) + value
    value *= sign
    return f"\\frac{{{value.numerator}}}{{{value.denominator}}}"


def _base(m: re.Match) -> str:
    """204_5 (a numeral in base 5) -> 54; left alone when the digits do not fit the base."""
    digits, base = m.group(1), int(m.group(2))
    if 2 <= base <= 36 and base != 10 and all(int(d) < base for d in digits):
        return str(int(digits, base))
    return m.group()


def _latex_cosmetics(text: str) -> str:
    text = _SIZING.sub(lambda m: m.group(1) if m.group(1) != "." else "", text)
    text = _FRAC_VARIANTS.sub(r"\\frac", text)
    text = _BINOM_VARIANTS.sub(r"\\binom", text)
    text = _DROP.sub("", text)
    text = _FUNCTION_TEXT.sub(lambda m: "\\" + m.group(1) + " ", text)
    text = _TEXT_COMMANDS.sub(r"\\text", text)
    text = re.sub(r"\\text\s+([A-Za-z0-9])(?![A-Za-z])", r"\\text{\1}", text)  # \text E
    text = _INVERSE_TRIG.sub(lambda m: "\\arc" + m.group(1) + " ", text)
    text = _PAREN_POWER.sub(r"^{\1}", text)
    text = re.sub(r"\\frac\s*\{([^{}]*)\}\s*([A-Za-z0-9])", r"\\frac{\1}{\2}", text)
    text = re.sub(r"\\frac\s*([A-Za-z0-9])\s*([A-Za-z0-9])", r"\\frac{\1}{\2}", text)
    text = re.sub(r"\\frac\s*([A-Za-z0-9])\s*\{", r"\\frac{\1}{", text)
    text = re.sub(r"\\sqrt\s*([A-Za-z0-9])", r"\\sqrt{\1}", text)
    text = re.sub(r"(?<![A-Za-z\\])C_\{?(\w)\}?\^\{?(\w+)\}?", r"\\binom{\1}{\2}", text)  # C_n^3
    text = _REPEATING.sub(_repeating, text)
    text = _BASE.sub(_base, text)
    text = re.sub(r"\\text\{\{([^{}]*)\}\}", r"\\text{\1}", text)
    return text


# --- numbers: spacing, separators --------------------------------------------------------

_THIN_SPACES = re.compile(r"(?<=\d)\s*(?:\\[!,;: ]|\{\s*,\s*\}|\\thinspace|~)+\s*(?=\d)")
_BANG = re.compile(r"\\!\s*")
_THOUSANDS = re.compile(r"(?<![\d.,(\[{])(\d{1,3})((?:,\d{3})+)(?![\d,)\]}]|\.\d*,)")
_SPACE_THOUSANDS = re.compile(r"^(-?\d{1,3})((?: \d{3})+)$")
_DECIMAL_COMMA = re.compile(r"^(-?\d+),(\d{2}|\d{4,})$|^(-?0),(\d+)$")


def _numbers(text: str, latex: bool, comma: str) -> str:
    if comma in ("auto", "thousands"):
        text = _THOUSANDS.sub(lambda m: m.group(1) + m.group(2).replace(",", "")
                              if not (m.group(1).startswith("0") and comma == "auto") else m.group(),
                              text)
    stripped = text.strip()
    spaced = _SPACE_THOUSANDS.match(stripped)
    if spaced and not latex:
        return spaced.group(1) + spaced.group(2).replace(" ", "")
    decimal = (re.match(r"^(-?\d+),(\d+)$", stripped) if comma == "decimal"
               else _DECIMAL_COMMA.match(stripped))
    if decimal and (comma == "decimal" or (comma == "auto" and not latex)):
        whole, frac = (decimal.group(1), decimal.group(2)) if decimal.group(1) else decimal.group(3, 4)
        return f"{whole}.{frac}"
    return text


# --- text: qualifiers, units -------------------------------------------------------------

_QUALIFIER = re.compile(
    r"\s*(?:\\text\{\s*|\\quad\s*|,\s*)?(?:for\s+all|for\s+every|for\s+any|for\s+some|where|when|"
    r"with|if|such\s+that|is\s+both|is\s+the|is\s+a|which)\b.*$", re.IGNORECASE | re.DOTALL)
_LEADING_WORDS = re.compile(r"^\s*(?:\\text\{\s*)?(?:only|exactly|approximately|about|approx\.?|"
                            r"(?:the\s+)?(?:final\s+)?answer(?:\s+is)?\s*:?)\s*\}?\s*", re.IGNORECASE)
_TEXT_BLOCK = re.compile(r"\\text\{([^{}]*)\}(\s*\^\s*\{?\d\}?)?")
_UNIT_WORDS = (
    "cm|mm|km|m|meters?|metres?|centimeters?|millimeters?|kilometers?|inch|inches|feet|foot|ft|"
    "yards?|miles?|units?|square|sq|cubic|kg|g|grams?|kilograms?|pounds?|lbs?|ounces?|oz|"
    "seconds?|sec|s|minutes?|mins?|hours?|hrs?|h|days?|weeks?|months?|years?|yuan|dollars?|"
    "cents?|euros?|rupees?|degrees?|radians?|rad|liters?|litres?|l|ml|mph|km/h|m/s|people|"
    "persons?|students?|ways|times|points?|apples?|boxes|books?|balls?|pieces?|items?|"
    "papers?|bins?|trees?|cars?|marbles?|cookies?|pages?|games?|rooms?|tickets?|coins?|"
    "steps?|moves?|numbers?|integers?|solutions?|values?|elements?|terms?|digits?|sides?")
_TRAILING_UNITS = re.compile(rf"(?<=[\d}}).])\s*(?:(?:{_UNIT_WORDS})(?:\^\{{?\d\}}?|\^\d)?\s*)+$",
                             re.IGNORECASE)


def _drop_text_units(text: str, units: list[str]) -> str:
    """Drop \\text{word words} that follow math; keep it when the text is the answer."""

    def sub(m: re.Match) -> str:
        inner = m.group(1).strip()
        word = inner.strip("() ").lower()
        if word in ("and", "or", ",", ""):
            return f" {word} " if word else " "
        before = text[:m.start()].strip()
        if not before or not re.search(r"[\w}).]$", before):
            return m.group()  # nothing before: the text may be the answer itself
        if re.fullmatch(r"[A-Za-z][A-Za-z .()/'-]*", inner) or re.fullmatch(r"\(?[A-Z]\)?", inner):
            units.append(inner)
            return " "
        return m.group()

    return _TEXT_BLOCK.sub(sub, text)


_LABEL = re.compile(r"(?:(?<=^)|(?<=\s))[A-Z][a-z]+\s+\d+\s*:\s*"
                    r"|(?:(?<=^)|(?<=[,;])|(?<=\band))\s*[A-Za-z]{2,}(?:\s[A-Za-z]+)?\s*:\s*(?=[-+\d\\($])")


def strip_labels(text: str) -> str:
    """``Case 1: 3 and Case 2: 4`` -> ``3 and 4``; ``Minimum: 4, Maximum: 9`` -> ``4, 9``."""
    return _LABEL.sub(" ", text)


def _strip_qualifiers(text: str) -> str:
    if not re.search(r"[=<>\d]|\\(?:le|ge|in|frac)", text):
        return text  # a prose answer: keep every word
    cut = _QUALIFIER.search(text)
    if cut and re.search(r"=|\botherwise\b|\belse\b", cut.group()):
        return text  # a piecewise answer: the clause is part of it, not a qualifier
    head = _QUALIFIER.sub("", text)
    return head if head.strip() and head.strip() not in ("\\text{", ",") else text


_DMS = re.compile(r"(\d+(?:\.\d+)?)\s*\^\{\\circ\}\s*(\d+(?:\.\d+)?)\s*(?:'|\\prime|\^\{?\\prime\}?)")
_TRIG = re.compile(r"\\(?:sin|cos|tan|cot|sec|csc)(?![a-zA-Z])")
_DEGREE_VALUE = re.compile(r"(\d+(?:\.\d+)?|\{[^{}]*\})\s*\^\{\\circ\}")


def _degrees(text: str) -> str:
    """60°42' -> (60+42/60); inside trig functions 45° -> 45 pi/180; elsewhere drop the mark."""
    text = _DMS.sub(lambda m: f"({m.group(1)}+\\frac{{{m.group(2)}}}{{60}})", text)
    if _TRIG.search(text):
        return _DEGREE_VALUE.sub(lambda m: f"({m.group(1)}\\cdot\\frac{{\\pi}}{{180}})", text)
    return text.replace(DEGREE, " ")


# --- the entry point ---------------------------------------------------------------------

_MATH_DELIMS = re.compile(r"^\s*(?:\$\$|\$|\\\[|\\\()(.*?)(?:\$\$|\$|\\\]|\\\))\s*\.?\s*$", re.DOTALL)


def strip_delimiters(text: str) -> str:
    """``$x$`` / ``\\[x\\]`` / ``\\(x\\)`` -> ``x`` (repeatedly)."""
    while True:
        m = _MATH_DELIMS.match(text)
        if not m or not m.group(1).strip():
            return text.strip()
        text = m.group(1)


@lru_cache(maxsize=4096)
def normalize(text: str, pol: Policy) -> Normalized:
    """Normalise one extracted answer (see the module docstring for the policy).

    Cached: the result is shared, callers must not modify it.
    """
    if pol.repair_escapes:
        text = repair_escapes(text)
    latex = bool(re.search(r"\\[a-zA-Z{}]|\$|\^|_\{", text))
    text = plain_math(strip_delimiters(_unicode(text)))
    text = join_unit_words(_latex_cosmetics(text))
    text = _THIN_SPACES.sub("", _BANG.sub("", text))
    text = re.sub(r"(?<!\\)\\(?:[,;:!>](?![\d])|q?quad|\s|hspace\{[^{}]*\})|~", " ", text)
    note = Normalized(text="", latex=latex)
    if _DEGREE_FORMS.search(text):
        note.degrees = True
        text = _degrees(_DEGREE_FORMS.sub(lambda _: DEGREE, text))
    text = _CURRENCY.sub("", text)
    if _PERCENT_FORMS.search(text):
        note.percent = True
        text = _PERCENT_FORMS.sub(" ", text)
    if re.fullmatch(r"(?:\\text\{)?\s*(?:infinitely\s+many|infinite(?:ly)?(?:\s+many)?)"
                    r"(?:\s+\w+)?\s*\}?", text, re.IGNORECASE):
        text = "\\infty"
    text = ordinals_and_clocks(synonyms(text))
    if pol.qualifiers:
        text = strip_labels(text)
        text = _LEADING_WORDS.sub("", text)
        text = _strip_qualifiers(text)
    if pol.units:
        text = _drop_text_units(text, note.units)
        trailing = _TRAILING_UNITS.search(text)
        if trailing and trailing.start() > 0 and not re.search(
                r"[\^_]\s*(?:\{[^{}]*\}|\w+)\s*$", text[:trailing.start()]):  # c^2 m: m is a factor
            note.units.append(trailing.group().strip())
            text = text[:trailing.start()]
    text = _numbers(text, latex, pol.comma)
    if pol.mixed_numbers:  # plain-text mixed number: "1 1/4" is 5/4
        text = mixed_number(text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"(?<=[\d}])\s*\.\s*(?=[\])]\s*$)", "", text)  # "\sqrt{2}.]" -> "\sqrt{2}]"
    text = text.rstrip(" .;")
    note.text = text
    return note
