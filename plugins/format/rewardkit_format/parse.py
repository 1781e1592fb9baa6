"""Find the schema's tag blocks in a completion, and everything wrong with how they are written.

Only the tags named in the schema are looked at; other tags are plain text. Tags inside
fenced code blocks or inline code spans do not count (they are quoted, not structure).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rewardkit.extract import fence_spans, inline_code_spans

MASK = "\x00"  # stands in for quoted code: not a tag, not whitespace
_TAG = re.compile(r"<(?P<pre>\s*)(?P<slash>/?)(?P<mid>\s*)(?P<name>[A-Za-z][\w.:-]*)"
                  r"(?P<rest>[^<>]*)>")


@dataclass(frozen=True)
class Block:
    """A complete ``<tag>content</tag>`` block: the tag, its content and where it lies."""

    tag: str
    content: str
    start: int
    end: int


@dataclass
class Parsed:
    """The blocks found and the problems seen while finding them."""

    blocks: list[Block] = field(default_factory=list)
    malformed: list[str] = field(default_factory=list)  # tag-like tokens the policy rejects
    misplaced: list[str] = field(default_factory=list)  # nested, stray or mismatched tags
    unclosed: str | None = None  # the tag left open at the end (a truncated completion)
    outside: str = ""  # the non-whitespace text outside every block


def mask_code(text: str) -> str:
    """`text` with fenced and inline code replaced by `MASK` characters (same length)."""
    chars = list(text)
    for start, end in fence_spans(text) + inline_code_spans(text):
        chars[start:end] = MASK * (end - start)
    return "".join(chars)


def _describe(token: re.Match[str]) -> str:
    shown = token.group()
    return shown if len(shown) <= 40 else shown[:37] + "...>"


def _canonical(token: re.Match[str], tags: dict[str, str], case_sensitive: bool,
               allow_attributes: bool) -> tuple[str | None, str | None]:
    """(schema tag, None) for an accepted tag token, (None, why) for a rejected one."""
    tag = tags.get(token["name"].lower())
    if tag is None:
        return None, None
    closing = bool(token["slash"])
    rest = token["rest"]
    if token["pre"] or token["mid"]:
        return None, "whitespace inside the tag"
    if token["name"] != tag and case_sensitive:
        return None, f"tag names are case-sensitive (write <{'/' if closing else ''}{tag}>)"
    if rest.rstrip().endswith("/"):
        return None, "self-closing tags do not delimit a block"
    if rest.strip():
        if closing or not rest[0].isspace():
            return None, "stray characters in the tag"
        if not allow_attributes:
            return None, "attributes are not allowed"
    elif rest:
        return None, "whitespace inside the tag"
    return tag, None


def parse(text: str, tags: list[str], *, case_sensitive: bool = True,
          allow_attributes: bool = False) -> Parsed:
    """Split `text` into the schema's blocks and report every problem in how they are written."""
    masked = mask_code(text)
    by_key = {t.lower(): t for t in tags}
    result = Parsed()
    open_tag: tuple[str, int, int] | None = None  # (tag, token start, content start)
    for token in _TAG.finditer(masked):
        tag, why = _canonical(token, by_key, case_sensitive, allow_attributes)
        if why:
            result.malformed.append(f"{_describe(token)} at char {token.start()}: {why}")
            continue
        if tag is None:
            continue
        if not token["slash"]:
            if open_tag:
                result.misplaced.append(
                    f"<{tag}> at char {token.start()} opens inside <{open_tag[0]}>")
            else:
                open_tag = (tag, token.start(), token.end())
        elif open_tag is None:
            result.misplaced.append(f"</{tag}> at char {token.start()} closes nothing")
        elif open_tag[0] != tag:
            result.misplaced.append(
                f"</{tag}> at char {token.start()} closes <{open_tag[0]}>")
        else:
            result.blocks.append(Block(tag, text[open_tag[2]:token.start()],
                                       open_tag[1], token.end()))
            open_tag = None
    if open_tag:
        result.unclosed = open_tag[0]
    cursor, outside = 0, []
    for block in result.blocks:
        outside.append(masked[cursor:block.start])
        cursor = block.end
    if open_tag is None:
        outside.append(masked[cursor:])
    result.outside = "".join(outside).strip()
    return result
