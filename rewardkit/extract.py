"""The one place that pulls answers and code out of completions.

Every reward that needs "the answer" uses these functions, so a fix here fixes them all.

>>> boxed(r"so \\boxed{\\frac{1}{2}} and finally \\boxed{x^{2}}")
'x^{2}'
>>> final_answer(r"... The final answer is $42$.")
'42'
>>> code_blocks("```py\\nprint(1)\\n```")[0].language
'python'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

__all__ = [
    "Extraction", "CodeBlock", "answer", "answer_tag", "tag_blocks", "boxed", "boxed_all",
    "final_answer", "last_math", "last_number", "code_blocks", "last_code_block",
    "fence_spans", "normalize_language", "METHODS",
]


@dataclass(frozen=True)
class Extraction:
    """An extracted answer and the method that found it."""

    text: str
    method: str


@dataclass(frozen=True)
class CodeBlock:
    """A fenced code block: its normalised language ('' when unlabelled) and its code."""

    language: str
    code: str
    start: int
    end: int


_LANGUAGE_ALIASES = {
    "py": "python", "python3": "python", "py3": "python", "python": "python",
    "c++": "cpp", "cpp": "cpp", "cc": "cpp", "cxx": "cpp", "hpp": "cpp",
    "js": "javascript", "javascript": "javascript", "ts": "typescript",
    "sh": "bash", "shell": "bash", "bash": "bash", "rs": "rust", "rust": "rust",
}

_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)\n(?P<code>.*?)"
    r"^(?P=indent)(?P=fence)[ \t]*$",
    re.DOTALL | re.MULTILINE,
)


def normalize_language(info: str) -> str:
    """'Python3 title=x.py' -> 'python'; unknown names are lower-cased as they are."""
    word = info.strip().split(maxsplit=1)[0].lower() if info.strip() else ""
    word = word.lstrip("{.").rstrip("}")
    return _LANGUAGE_ALIASES.get(word, word)


def code_blocks(text: str, language: str | None = None) -> list[CodeBlock]:
    """Closed fenced code blocks in order; only those in `language` when given."""
    wanted = normalize_language(language) if language else None
    blocks = []
    for m in _FENCE.finditer(text):
        block = CodeBlock(normalize_language(m["info"]), m["code"], m.start(), m.end())
        if wanted is None or block.language == wanted:
            blocks.append(block)
    return blocks


def last_code_block(text: str, language: str | None = None,
                    allow_unlabelled: bool = True) -> str | None:
    """The last code block in `language` (or, if none, the last unlabelled one)."""
    blocks = code_blocks(text)
    if language:
        wanted = normalize_language(language)
        for lang in (wanted, "") if allow_unlabelled else (wanted,):
            chosen = [b for b in blocks if b.language == lang]
            if chosen:
                return chosen[-1].code
        return None
    return blocks[-1].code if blocks else None


def fence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every fenced code block, closed or left open at the end."""
    spans = [(m.start(), m.end()) for m in _FENCE.finditer(text)]
    covered_to = spans[-1][1] if spans else 0
    tail = re.search(r"^[ \t]*(`{3,}|~{3,})", text[covered_to:], re.MULTILINE)
    if tail:  # an unclosed fence swallows the rest of the text
        spans.append((covered_to + tail.start(), len(text)))
    return spans


def tag_blocks(text: str, tag: str) -> list[str]:
    """Contents of every complete ``<tag>…</tag>`` block (exact lower-case tag names)."""
    t = re.escape(tag)
    return re.findall(rf"<{t}>(.*?)</{t}>", text, re.DOTALL)


def answer_tag(text: str, tag: str = "answer") -> str | None:
    """Stripped content of the last complete ``<answer>…</answer>`` block."""
    blocks = tag_blocks(text, tag)
    return blocks[-1].strip() if blocks else None


_BOX = re.compile(r"\\(?:boxed|fbox)\s*(\{)?")


def _braced(text: str, open_at: int) -> str | None:
    """Content of the brace group opening at `open_at`, honouring nesting and escapes."""
    depth, i = 0, open_at
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return text[open_at + 1:i]
        i += 1
    return None


def boxed_all(text: str) -> list[str]:
    """Contents of every ``\\boxed{}`` / ``\\fbox{}`` (nested braces kept; unclosed skipped)."""
    found = []
    for m in _BOX.finditer(text):
        if m.group(1):
            content = _braced(text, m.start(1))
            if content is not None:
                found.append(content.strip())
        else:  # \boxed 5 : the TeX short form takes one token
            token = re.match(r"[^\s$\\{}]+", text[m.end():])
            if token and m.group(0).endswith(" "):
                found.append(token.group(0))
    return found


def boxed(text: str) -> str | None:
    """Content of the last ``\\boxed{}`` or ``\\fbox{}``."""
    found = boxed_all(text)
    return found[-1] if found else None


_FINAL = re.compile(
    r"(?:final\s+answer|the\s+answer)\s*(?:is|:|=)\s*:?\s*(?P<ans>.+?)"
    r"(?=\s*(?:\n|$|(?<![0-9\\])\.(?:\s|$)))",
    re.IGNORECASE,
)


def _strip_math(text: str) -> str:
    text = text.strip().rstrip(".").strip()
    for left, right in (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]")):
        if text.startswith(left) and text.endswith(right) and len(text) > len(left) + len(right):
            return text[len(left):-len(right)].strip()
    return text


def final_answer(text: str) -> str | None:
    """What follows the last "the final answer is" / "Final Answer:" / "the answer is"."""
    matches = list(_FINAL.finditer(text))
    if not matches:
        return None
    ans = matches[-1]["ans"]
    inner = boxed(ans)
    return inner if inner is not None else (_strip_math(ans) or None)


_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$|\\\[(.+?)\\\]|\\\((.+?)\\\)", re.DOTALL)
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?(?:/\d+)?|-?\.\d+")


def last_math(text: str) -> str | None:
    """The last inline or display math span (``$…$``, ``$$…$$``, ``\\(…\\)``, ``\\[…\\]``)."""
    spans = [next(g for g in m.groups() if g is not None) for m in _MATH.finditer(text)]
    return spans[-1].strip() if spans else None


def last_number(text: str) -> str | None:
    """The last number written in the text (``-3``, ``1,000``, ``2.5``, ``3/4``)."""
    numbers = _NUMBER.findall(text)
    return numbers[-1] if numbers else None


METHODS = {
    "answer_tag": answer_tag,
    "boxed": boxed,
    "final_answer": final_answer,
    "last_math": last_math,
    "last_number": last_number,
}
DEFAULT_ORDER = ("answer_tag", "boxed", "final_answer")


def answer(text: str, order: Iterable[str] = DEFAULT_ORDER) -> Extraction | None:
    """The answer found by the first method of `order` that finds one.

    Within an ``<answer>`` block a ``\\boxed{}`` wins. Methods: answer_tag, boxed,
    final_answer, last_math, last_number; add the last two to fall back to the last
    expression.
    """
    for method in order:
        try:
            fn = METHODS[method]
        except KeyError:
            raise ValueError(f"unknown extraction method '{method}' "
                             f"(known: {', '.join(METHODS)})") from None
        found = fn(text)
        if found is None or not found.strip():
            continue
        if method == "answer_tag":
            inner = boxed(found)
            found = inner if inner is not None else found
        return Extraction(found.strip(), method)
    return None
