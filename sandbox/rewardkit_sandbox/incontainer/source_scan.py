"""Scanning C-family source text (C, C++, Java, JavaScript, Go, Rust): brace matching
that skips comments, string and character literals, JavaScript/Go backtick strings and
Rust lifetimes.

Standard library only: the runner imports it by module name inside the container and the
host imports it as ``rewardkit_sandbox.incontainer.source_scan``.
"""

from __future__ import annotations

import re

_CHAR_LITERAL = re.compile(r"'(\\.|[^'\\\n])'")


def matching_brace(code: str, open_at: int) -> int:
    """Index of the `}` closing the `{` at `open_at`, or -1 (none, or the text ends
    inside a comment)."""
    depth, i, n = 0, open_at, len(code)
    while i < n:
        c = code[i]
        if code.startswith("//", i):
            i = code.find("\n", i)
            if i < 0:
                return -1
        elif code.startswith("/*", i):
            i = code.find("*/", i + 2)
            if i < 0:
                return -1
            i += 1
        elif c in "\"'`":
            i = string_end(code, i)
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def string_end(code: str, start: int) -> int:
    """Index of the quote closing the literal opened at `start` (a quoted literal ends at
    its line's end when unterminated; a backtick one may span lines), or `start` itself
    when the tick there is a Rust lifetime or generic, not a character literal."""
    quote = code[start]
    if quote == "'" and not _CHAR_LITERAL.match(code, start):
        return start
    i = start + 1
    while i < len(code):
        if code[i] == "\\":
            i += 2
            continue
        if code[i] == quote or (code[i] == "\n" and quote != "`"):
            return i
        i += 1
    return len(code)
