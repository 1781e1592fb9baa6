"""Building Python programs: a harness's import header before the solution, and the
call-based driver around it."""

from __future__ import annotations

import re

from rewardkit_code.formats import judges

_FUTURE = re.compile(r"^from\s+__future__\s+import[^\n]*\n?", re.MULTILINE)


def with_header(header: str, code: str) -> str:
    """`header` + `code`, the code's `from __future__` imports moved first (they must be)."""
    futures = "".join(m.group(0).rstrip("\n") + "\n" for m in _FUTURE.finditer(code))
    return futures + header + _FUTURE.sub("", code)


def call_program(harness: str, function: str, source: str) -> str:
    """The driver program that calls `function` of `source` with each test's arguments."""
    return (f"RK_HARNESS = {harness!r}\nRK_FUNCTION = {function!r}\nRK_CODE = {source!r}\n"
            + judges.source("call_driver"))
