"""Reading input rows from JSON lines without losing any: a bad line becomes an error row."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from rewardkit.errors import InputError
from rewardkit.types import Sample

SAMPLE_FIELDS = ("prompt", "completion", "reference")


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


def _check_text(value: Any, field: str, line: int) -> None:
    if isinstance(value, str):
        return
    if isinstance(value, list) and all(isinstance(m, dict) and "content" in m for m in value):
        return
    raise InputError(f"line {line}: '{field}' must be a string or a list of chat messages "
                     f"with 'role' and 'content', got {type(value).__name__}")


def row_to_sample(data: dict[str, Any], line: int) -> Sample:
    """`prompt`, `completion`, `reference` become the sample; other fields its metadata."""
    if "completion" not in data:
        raise InputError(f"line {line}: missing 'completion' (fields: {', '.join(sorted(data))})")
    _check_text(data["completion"], "completion", line)
    if "prompt" in data:
        _check_text(data["prompt"], "prompt", line)
    metadata = {k: v for k, v in data.items() if k not in SAMPLE_FIELDS}
    return Sample(completion=data["completion"], prompt=data.get("prompt", ""),
                  reference=data.get("reference"), metadata=metadata)


def count_rows(path: str | Path) -> int:
    """How many rows `read_rows` yields (non-blank lines)."""
    return sum(1 for _, raw in _lines(path) if not is_blank(raw))
