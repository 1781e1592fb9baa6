"""From text to counted words: mask what is not natural language, then split by script.

Masked (counts for neither side): fenced and inline code that looks like code, LaTeX math
(except the prose inside ``\\text{…}`` and letters of non-Latin, non-Greek scripts, which
cannot be math), URLs and e-mail addresses, numbers, identifiers with digits or
underscores, bare formulas (``n = 3``, ``f(x)``) and markup tags. A CJK character is one
word; elsewhere a word is a run of letters of one script (``l'homme``, ``well-known``: one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rewardkit.extract import fence_spans, inline_code_spans, math_spans

_RANGES = {
    "Han": "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff",
    "Kana": "\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9d",
    "Latin": "A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0300-\u036f"
             "\u1e00-\u1eff",
    "Greek": "\u0370-\u0373\u0376-\u037d\u0386-\u03ff\u1f00-\u1fff",
    "Cyrillic": "\u0400-\u052f",
    "Hebrew": "\u0591-\u05f2",
    "Arabic": "\u0620-\u065f\u066e-\u06d3\u06d5-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc",
    "Devanagari": "\u0900-\u0963\u0966-\u097f",
    "Bengali": "\u0980-\u09ff", "Gurmukhi": "\u0a00-\u0a7f", "Gujarati": "\u0a80-\u0aff",
    "Tamil": "\u0b80-\u0bff", "Telugu": "\u0c00-\u0c7f", "Kannada": "\u0c80-\u0cff",
    "Malayalam": "\u0d00-\u0d7f", "Thai": "\u0e00-\u0e7f",
    "Hangul": "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af",
}
_PER_CHARACTER = ("Han", "Kana")  # scripts without spaces between words


def _word_pattern() -> re.Pattern[str]:
    parts = []
    for script, chars in _RANGES.items():
        if script in _PER_CHARACTER:
            parts.append(f"(?P<{script}>[{chars}])")
        else:
            parts.append(f"(?P<{script}>[{chars}]+(?:['\u2019\\-][{chars}]+)*)")
    parts.append(r"(?P<Other>[^\W\d_]+)")
    return re.compile("|".join(parts))


_WORD = _word_pattern()
_NOT_MATH_LETTER = re.compile(  # letters that are prose even inside math
    "[" + "".join(chars for script, chars in _RANGES.items()
                  if script not in ("Latin", "Greek")) + "]+")
_MATH_TEXT = re.compile(r"\\(?:text|textbf|textit|textrm|textsf|mbox)\s*\{([^{}]*)\}")
_URL = re.compile(r"\b(?:https?|ftp)://\S+|\bwww\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)
_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]{0,200})?/?>")
_FORMULA = re.compile(
    r"(?<![\w'])[A-Za-z0-9().]{1,6}(?:(?:\s*[=+*/^<>\u2264\u2265\u2260\u00d7\u00f7\u00b7\u2212]"
    r"\s*|\s+-\s+)[A-Za-z0-9().]{1,6})+(?![\w'])"
    r"|\b[A-Za-z]\([^()\s]{1,12}\)",
)
_NUMBER_OR_IDENTIFIER = re.compile(r"\b\w*[\d_]\w*\b", re.ASCII)
_SYMBOLS = re.compile(r"[=(){}\[\];<>+*/\\|&^%$#@_~]")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")  # zero-width, soft hyphen
_SENTENCE_END = re.compile(r"[.!?\u2026]+(?=\s|$)|[\u3002\uff01\uff1f\uff1b;\n]+")


@dataclass(frozen=True)
class Word:
    """A counted word: its text, its script and the sentence it belongs to."""

    text: str
    script: str
    sentence: int


def looks_like_prose(text: str, min_words: int = 6, max_symbols_per_word: float = 0.1) -> bool:
    """Whether quoted 'code' is really prose (many words, few code symbols)."""
    words = len(_WORD.findall(text))
    return words >= min_words and len(_SYMBOLS.findall(text)) <= max_symbols_per_word * words


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "


def _keep_prose_in_math(chars: list[str], text: str, start: int, end: int) -> None:
    """Blank the math span but keep \\text{} content and letters that cannot be math."""
    span = text[start:end]
    keep = [m.span(1) for m in _MATH_TEXT.finditer(span)]
    keep += [m.span() for m in _NOT_MATH_LETTER.finditer(span)]
    _blank(chars, start, end)
    for a, b in keep:
        chars[start + a:start + b] = span[a:b]


def mask(text: str, keep_prose_code: bool = True) -> str:
    """`text` with everything that is not natural language blanked (newlines kept).

    Invisible characters (zero-width spaces and joiners, soft hyphens) are dropped first, so
    they can neither split a word in two nor hide one.
    """
    text = _INVISIBLE.sub("", text)
    chars = list(text)
    code = sorted(fence_spans(text) + inline_code_spans(text))
    for start, end in code:
        if not (keep_prose_code and looks_like_prose(text[start:end])):
            _blank(chars, start, end)
        else:  # prose in backticks or a fence still counts: only the markers go
            for m in re.finditer(r"`+|~{3,}", text[start:end]):
                _blank(chars, start + m.start(), start + m.end())
    for start, end in math_spans(text):
        _keep_prose_in_math(chars, text, start, end)
    masked = "".join(chars)
    for pattern in (_URL, _TAG, _FORMULA, _NUMBER_OR_IDENTIFIER):
        masked = pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), masked)
    return masked


def words(masked: str) -> list[Word]:
    """The words of already-masked text, each with its script and sentence index."""
    found: list[Word] = []
    for sentence, part in enumerate(_SENTENCE_END.split(masked)):
        for m in _WORD.finditer(part):
            found.append(Word(m.group(), m.lastgroup or "Other", sentence))
    return found
