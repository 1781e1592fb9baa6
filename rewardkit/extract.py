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

import itertools
import re
from dataclasses import dataclass
from typing import Iterable

from rewardkit.markdown_code import (CodeBlock, code_blocks, fence_spans, in_spans,
                                     inline_code_spans, last_code_block, normalize_language)

__all__ = [
    "Extraction", "CodeBlock", "answer", "answer_tag", "tag_blocks", "boxed", "boxed_all",
    "after_thinking", "boxed_runs", "boxed_spans", "final_answer", "final_answer_span",
    "last_math", "last_number", "joined_math", "is_prose", "code_blocks", "last_code_block",
    "fence_spans", "inline_code_spans", "math_spans", "normalize_language", "METHODS",
]


@dataclass(frozen=True)
class Extraction:
    """An extracted answer and the method that found it."""

    text: str
    method: str


_MATH_OPEN = re.compile(r"\$\$|\\\[|\\\(|\\begin\{(?P<env>[A-Za-z]+\*?)\}|\$")
_INLINE_DOLLAR = re.compile(r"\$(?=[^\s$])(?:\\.|[^$\\\n])*?(?<=[^\s\\])\$(?![0-9$])")
_MATH_CLOSE = {"$$": "$$", "\\[": "\\]", "\\(": "\\)"}


def math_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every LaTeX math span outside code, in order.

    ``$$…$$``, ``\\[…\\]``, ``\\(…\\)``, ``\\begin{env}…\\end{env}`` and inline ``$…$``
    (on one line, not starting or ending with a space, not followed by a digit, so
    "$5 and $10" is not math). An opener that is never closed is plain text.
    """
    code = sorted(fence_spans(text) + inline_code_spans(text))
    spans: list[tuple[int, int]] = []
    unclosed: set[str] = set()  # closers known to be absent from here on: linear time
    cursor = 0
    for m in _MATH_OPEN.finditer(text):
        if m.start() < cursor or in_spans(m.start(), code) or (
                m.start() > 0 and text[m.start() - 1] == "\\"):
            continue
        opener = m.group()
        if opener == "$":
            inline = _INLINE_DOLLAR.match(text, m.start())
            if inline:
                spans.append(inline.span())
                cursor = inline.end()
            continue
        closer = _MATH_CLOSE.get(opener) or f"\\end{{{m['env']}}}"
        end = -1 if closer in unclosed else text.find(closer, m.end())
        if end < 0:
            unclosed.add(closer)
            continue
        spans.append((m.start(), end + len(closer)))
        cursor = end + len(closer)
    return spans


def after_thinking(text: str, tag: str = "think") -> str:
    """The text after the last closing ``</think>``; all of it when there is none.

    Drafts inside a reasoning block are not the answer: ``<think>... \\boxed{5}
    ...</think> so \\boxed{6}`` answers 6.
    """
    closing = f"</{tag}>"
    return text.rsplit(closing, 1)[1] if closing in text else text


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


def boxed_spans(text: str) -> list[tuple[str, int, int]]:
    """(content, start, end) of every ``\\boxed{}`` / ``\\fbox{}``."""
    found = []
    for m in _BOX.finditer(text):
        if m.group(1):
            content = _braced(text, m.start(1))
            if content is not None:
                found.append((content.strip(), m.start(), m.start(1) + len(content) + 2))
        else:  # \boxed 5 : the TeX short form takes one token
            token = re.match(r"[^\s$\\{}]+", text[m.end():])
            if token and m.group(0).endswith(" "):
                found.append((token.group(0), m.start(), m.end() + token.end()))
    return found


def boxed_all(text: str) -> list[str]:
    """Contents of every ``\\boxed{}`` / ``\\fbox{}`` (nested braces kept; unclosed skipped)."""
    return [content for content, _, _ in boxed_spans(text)]


# What may stand between two boxed answers that together form one answer: spaces, math
# delimiters, commas, semicolons, "and" (also as \text{... and}), \quad, and at most one
# short word or one "name =" (``\boxed{1} papers and \boxed{2}``, ``y_1 = \boxed{..} and
# y_2 = \boxed{..}``). "or" is not a joiner: boxes split by it are hedged alternatives.
_BOX_GAP = re.compile(
    r"(?:\s|\$|\\[\[\]()]|\\[,;:!]|\\q?quad|[,;&.]|\band\b|\\text\{[^{}]*\band\s*\})*"
    r"(?:(?!or\b)[A-Za-z]{1,12}|\\?[A-Za-z]+(?:_\{?\w+\}?)?\s*=)?"
    r"(?:\s|\$|\\[\[\]()]|\\[,;:!]|\\q?quad|[,;&]|\band\b|\\text\{[^{}]*\band\s*\})*"
)


def boxed_runs(text: str) -> list[list[str]]:
    """Boxed answers grouped into runs that read as one answer.

    Consecutive boxes join a run when only separators stand between them (see
    `_BOX_GAP`): ``\\boxed{1} and \\boxed{2}`` is one run ``["1", "2"]``;
    ``\\boxed{1} no no no \\boxed{2}`` is two runs.
    """
    runs: list[list[str]] = []
    last_end = None
    for content, start, end in boxed_spans(text):
        gap = text[last_end:start] if last_end is not None else None
        if gap is not None and runs and _BOX_GAP.fullmatch(gap):
            runs[-1].append(content)
        else:
            runs.append([content])
        last_end = end
    return runs


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


def final_answer_span(text: str) -> tuple[str, int, int] | None:
    """Like `final_answer`, with the (start, end) of the phrase that announced it."""
    matches = list(_FINAL.finditer(text))
    if not matches:
        return None
    found = final_answer(text)
    return (found, matches[-1].start(), matches[-1].end()) if found else None


def final_answer(text: str) -> str | None:
    """What follows the last "the final answer is" / "Final Answer:" / "the answer is"."""
    matches = list(_FINAL.finditer(text))
    if not matches:
        return None
    ans = matches[-1]["ans"]
    nested = final_answer(ans)  # "Final Answer: The final answer is $x$."
    if nested is not None:
        return nested
    inner = boxed(ans)
    return inner if inner is not None else (_strip_math(ans) or None)


_MATH = re.compile(  # an escaped \$ is a dollar sign, not a delimiter
    r"(?<!\\)\$\$(.+?)(?<!\\)\$\$|(?<!\\)\$(.+?)(?<!\\)\$|\\\[(.+?)\\\]|\\\((.+?)\\\)", re.DOTALL)
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?(?:/\d+)?|-?\.\d+")


def last_math(text: str) -> str | None:
    """The last inline or display math span (``$…$``, ``$$…$$``, ``\\(…\\)``, ``\\[…\\]``)."""
    spans = [next(g for g in m.groups() if g is not None) for m in _MATH.finditer(text)]
    return spans[-1].strip() if spans else None


_STANDALONE_NUMBER = re.compile(
    r"(?<![A-Za-z\d.])-?\d+(?:,\d{3})*(?:[.,]\d+)?(?:/\d+)?(?![A-Za-z]*\d)")


def last_number(text: str, standalone: bool = False) -> str | None:
    """The last number written in the text (``-3``, ``1,000``, ``2.5``, ``3/4``).

    ``standalone=True`` skips numbers glued inside a word (``AZYUK2A`` has none) but keeps
    one followed by a unit or a power (``5cm``, ``3^2``).
    """
    if not standalone:
        numbers = _NUMBER.findall(text)
        return numbers[-1] if numbers else None
    found = [m.group() for m in _STANDALONE_NUMBER.finditer(text)
             if not re.match(r"[A-Za-z]", text[m.end():m.end() + 1] or " ")
             or re.match(r"[a-zA-Z]{0,3}(?:²|\^|\b)", text[m.end():])]
    return found[-1] if found else None


_MATH_JOINER = re.compile(r"\s*(?:,|;|and|or|&)?\s*(?:and|or)?\s*")


def _math_inner(span: str) -> str:
    for left, right in (("$$", "$$"), ("$", "$"), ("\\[", "\\]"), ("\\(", "\\)")):
        if span.startswith(left) and span.endswith(right):
            return span[len(left):len(span) - len(right)].strip()
    return span  # \begin{env}...\end{env}


def joined_math(text: str) -> str | None:
    """The last run of math spans that only separators join, as one answer.

    ``$1$ and $2$`` -> ``1 and 2``; ``$1$, $2$`` -> ``1, 2``; None without math.
    """
    spans = math_spans(text)
    if not spans:
        return None
    run = [spans[-1]]
    for span in reversed(spans[:-1]):
        if not _MATH_JOINER.fullmatch(text[span[1]:run[0][0]]):
            break
        run.insert(0, span)
    out = _math_inner(text[run[0][0]:run[0][1]])
    for (_, end), (start, stop) in itertools.pairwise(run):
        joiner = re.sub(r"\s+", " ", text[end:start]).strip() or ","
        out += (", " if joiner in (",", ";") else f" {joiner} ") + _math_inner(text[start:stop])
    return out


_PROSE = re.compile(r"[A-Za-z]{2,}[,.;:!?']?\s+[A-Za-z]{2,}")


def is_prose(text: str) -> bool:
    """Two words in a row outside math and ``\\text{}``: a sentence, not an expression."""
    bare = re.sub(r"\\text\{[^{}]*\}|\\[A-Za-z]+", " ", text)
    if not _PROSE.search(bare):
        return False
    if "$" in bare or "\\" in text:
        for a, b in reversed(math_spans(bare)):
            bare = bare[:a] + " " + bare[b:]
    return bool(_PROSE.search(bare))


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
