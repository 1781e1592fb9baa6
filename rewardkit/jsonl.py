"""Reading input rows from JSON lines without losing any: a bad line becomes an error row."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from rewardkit.errors import InputError
from rewardkit.types import Sample, sample_from_mapping


@dataclass(frozen=True)
class Row:
    """One non-blank input line: parsed data, or the reason it could not be read."""

    line: int
    digest: str
    data: dict[str, Any] | None = None
    error: str | None = None


def line_digest(raw: str | bytes) -> str:
    data = raw if isinstance(raw, bytes) else raw.encode()
    return hashlib.sha256(data.rstrip(b"\r\n")).hexdigest()[:16]


def _lines(path: str | Path) -> Iterator[tuple[int, bytes]]:
    """``(line number, raw bytes)`` for every line of `path` (lines end at ``\n``)."""
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    with handle:
        yield from enumerate(handle, start=1)


def _decode(raw: bytes, number: int) -> tuple[str | None, str | None]:
    """``(text, None)``, or ``(None, why)`` for a line that is not UTF-8."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, (f"line {number}: not valid UTF-8: byte 0x{raw[exc.start]:02x} at column "
                      f"{exc.start + 1}; re-encode the file as UTF-8")
    if number == 1:
        text = text.removeprefix("\ufeff")  # a byte-order mark some editors write
    return text, None


def is_blank(raw: bytes) -> bool:
    return not raw.strip()


def read_rows(path: str | Path, blank_lines: list[int] | None = None) -> Iterator[Row]:
    """Yield a `Row` per non-blank line of a JSONL file (1-based line numbers).

    A line that is not UTF-8, not JSON or not an object becomes a `Row` with an `error`
    naming the line; the lines after it are read as usual. Blank lines (nothing but
    whitespace) are not rows: their numbers go to `blank_lines` when it is given.
    """
    for number, raw in _lines(path):
        if is_blank(raw):
            if blank_lines is not None:
                blank_lines.append(number)
            continue
        digest = line_digest(raw)
        text, problem = _decode(raw, number)
        if problem is not None:
            yield Row(number, digest, error=problem)
            continue
        assert text is not None  # _decode gives text or a problem
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Row(number, digest, error=f"line {number}: invalid JSON: {exc.msg} "
                                            f"at column {exc.colno}")
            continue
        if not isinstance(data, dict):
            yield Row(number, digest, error=f"line {number}: expected a JSON object, got "
                                            f"{type(data).__name__}")
            continue
        yield Row(number, digest, data=data)


def row_to_sample(data: dict[str, Any], line: int) -> Sample:
    """The sample of one input line (`sample_from_mapping`); `InputError` names the line."""
    return sample_from_mapping(data, f"line {line}")


def count_rows(path: str | Path) -> int:
    """How many rows `read_rows` yields (non-blank lines)."""
    return sum(1 for _, raw in _lines(path) if not is_blank(raw))
