"""Code in Markdown: fenced code blocks and inline code spans, found as CommonMark finds them.

Internal: rewards import these from the public `rewardkit.extract`, which re-exports them
(math extraction there skips whatever lies in code).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

__all__ = ["CodeBlock", "code_blocks", "fence_spans", "in_spans", "inline_code_spans",
           "last_code_block", "normalize_language"]


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


def in_spans(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether `pos` lies in one of `spans` (sorted, non-overlapping)."""
    k = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return k >= 0 and spans[k][0] <= pos < spans[k][1]


def inline_code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every inline code span outside fenced blocks.

    A run of n backticks opens a span that the next run of exactly n backticks closes
    (CommonMark); a run that is never closed is plain text.
    """
    fences = fence_spans(text)
    runs = [m for m in re.finditer(r"`+", text) if not in_spans(m.start(), fences)]
    by_length: dict[int, list[int]] = {}
    for index, run in enumerate(runs):
        by_length.setdefault(len(run.group()), []).append(index)
    spans, i = [], 0
    while i < len(runs):
        same = by_length[len(runs[i].group())]
        k = bisect.bisect_right(same, i)
        if k == len(same):
            i += 1
            continue
        spans.append((runs[i].start(), runs[same[k]].end()))
        i = same[k] + 1
    return spans
