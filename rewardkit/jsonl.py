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
    """One non-blank input line: parsed data, or the reason it could not be parsed."""

    line: int
    digest: str
    data: dict[str, Any] | None = None
    error: str | None = None


def line_digest(raw: str) -> str:
    return hashlib.sha256(raw.rstrip("\r\n").encode()).hexdigest()[:16]


def read_rows(path: str | Path) -> Iterator[Row]:
    """Yield a `Row` per non-blank line of a JSONL file (1-based line numbers)."""
    try:
        handle = open(path, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            digest = line_digest(raw)
            try:
                data = json.loads(raw)
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
    try:
        with open(path, encoding="utf-8") as handle:
            return sum(1 for raw in handle if raw.strip())
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
