"""Score a JSONL file with a rubric: one output row per input row, in order, resumable.

Each output row holds the input's ``line`` number (and ``id`` when the input has one), a
digest of the input line, a digest of the rubric (``rubric``), ``status`` (``ok``, or
``error`` for a line that is not UTF-8, not JSON, or not a sample), the ``total``,
whether a gate zeroed it, and every component's value, status and info.

One output row per input row: every non-blank line is a row, a broken one included.
Blank lines (nothing but whitespace) are not rows; they are skipped, and counted with
their line numbers in the summary (``blank_lines``), so the ``line`` field of each output
row still points at its input line.

Rows are written batch by batch, so an interrupted run keeps what it finished and
``resume=True`` scores only the rest, after checking that the output belongs to the same
input (line digests) and was scored by the same rubric (rubric digest).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from rewardkit.errors import InputError
from rewardkit.jsonl import Row, read_rows, row_to_sample
from rewardkit.rubric import CriterionStats, Rubric, RubricRow
from rewardkit.rubric_results import add_row, new_stats
from rewardkit.types import Score


@dataclass
class FileSummary:
    """What a file run did: per-criterion stats plus row counts."""

    stats: dict[str, CriterionStats]
    scored: int = 0
    resumed: int = 0
    malformed: list[str] = field(default_factory=list)
    blank_lines: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"scored": self.scored, "resumed": self.resumed,
                "malformed": len(self.malformed), "malformed_lines": self.malformed[:20],
                "blank_lines_skipped": len(self.blank_lines),
                "blank_lines": self.blank_lines[:20],
                "criteria": {k: v.to_dict() for k, v in self.stats.items()}}


def rubric_digest(rubric: Rubric) -> str:
    """What the rows' scores depend on: every criterion's name, weighting and reward."""
    parts = []
    for c in rubric.criteria:
        fingerprint = getattr(c.reward, "fingerprint", None)
        reward = fingerprint() if callable(fingerprint) else \
            f"{type(c.reward).__module__}.{type(c.reward).__qualname__}"
        parts.append([c.name, c.weight, c.gate, c.gate_threshold, c.on_error, reward])
    payload = json.dumps(parts, sort_keys=True, default=repr)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _output_row(row: Row, result: RubricRow | None, error: str | None = None,
                rubric: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"line": row.line}
    if row.data is not None and "id" in row.data:
        out["id"] = row.data["id"]
    out["input_digest"] = row.digest
    out["rubric"] = rubric
    if result is None:
        out.update(status="error", error=error, total=None, components={})
    else:
        out.update(status="ok", **result.to_dict())
    return out


def _add(stats: dict[str, CriterionStats], out: dict[str, Any]) -> None:
    """Count one output row (a row that could not be read has no scores to count)."""
    if out.get("status") == "ok":
        components = {name: Score.from_dict(c) for name, c in out["components"].items()}
        add_row(stats, RubricRow(out.get("total"), components))


def _done_rows(output: Path) -> tuple[list[dict[str, Any]], int]:
    """Complete rows already in `output` and the byte offset where they end."""
    rows, offset = [], 0
    with open(output, "rb") as handle:
        for raw in handle:
            if not raw.endswith(b"\n"):
                break  # torn last line of an interrupted run
            try:
                rows.append(json.loads(raw))
            except json.JSONDecodeError:
                break
            offset += len(raw)
    return rows, offset


def _other_rubric(output: Path, previous: dict[str, Any], rubric: Rubric) -> str:
    where = f"line {previous.get('line')}"
    if previous.get("rubric") is None:
        return (f"{output} has no rubric digest ({where}: written by an older rewardkit), so "
                "resuming could mix rows scored by two rubrics; use --overwrite to rescore "
                "everything, or another --output")
    before = ", ".join(previous.get("components") or {}) or "unknown criteria"
    return (f"{output} was scored with another rubric (its {where} has criteria {before}; "
            f"this rubric has {', '.join(rubric.names)}, or the same names with other "
            "weights, gates or params): resuming would mix rows scored by both. Resume with "
            "the rubric it was written with, or use --overwrite to rescore everything, or "
            "another --output")


def saved_rows(output: str | Path) -> int:
    """How many complete rows `output` holds (what ``--resume`` would keep)."""
    try:
        return len(_done_rows(Path(output))[0])
    except OSError:
        return 0


def _batches(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def score_file(rubric: Rubric, input_path: str | Path, output_path: str | Path, *,
               resume: bool = False, overwrite: bool = False, batch_size: int = 256,
               on_rows: Callable[[int], None] | None = None) -> FileSummary:
    """Score every row of `input_path` into `output_path` (see the module docstring)."""
    output = Path(output_path)
    summary = FileSummary(new_stats(rubric.names))
    rows = read_rows(input_path, summary.blank_lines)
    digest = rubric_digest(rubric)
    done: list[dict[str, Any]] = []
    offset = 0
    if output.exists() and output.stat().st_size and not (resume or overwrite):
        raise InputError(f"{output} already exists: pass --resume to finish it or "
                         "--overwrite to replace it")
    if resume and output.exists():
        done, offset = _done_rows(output)
    for previous in done:
        row = next(rows, None)
        if row is None or previous.get("input_digest") != row.digest:
            where = f"line {row.line}" if row else "the end of the input"
            raise InputError(f"{output} does not match {input_path} at {where}: it was written "
                             "for other input; use another --output, or --overwrite")
        if previous.get("rubric") != digest:
            raise InputError(_other_rubric(output, previous, rubric))
        _add(summary.stats, previous)
        if previous.get("status") == "error":
            summary.malformed.append(previous.get("error", ""))
    summary.resumed = len(done)
    if on_rows and done:
        on_rows(len(done))
    output.parent.mkdir(parents=True, exist_ok=True)
    with open(output, "r+b" if done else "wb") as handle:
        handle.seek(offset)
        handle.truncate()
        for batch in _batches(rows, batch_size):
            outputs: list[dict[str, Any] | None] = [None] * len(batch)
            good: list[tuple[int, Any]] = []
            for i, row in enumerate(batch):
                if row.error is not None:
                    outputs[i] = _output_row(row, None, row.error, digest)
                    continue
                try:
                    good.append((i, row_to_sample(row.data or {}, row.line)))
                except InputError as exc:
                    outputs[i] = _output_row(row, None, str(exc), digest)
            if good:
                result = rubric.score([sample for _, sample in good])
                for (i, _), scored in zip(good, result.rows):
                    outputs[i] = _output_row(batch[i], scored, rubric=digest)
            lines = []
            for out in outputs:
                assert out is not None
                _add(summary.stats, out)
                if out["status"] == "error":
                    summary.malformed.append(out["error"])
                lines.append(json.dumps(out, ensure_ascii=False, default=repr) + "\n")
            handle.write("".join(lines).encode())
            handle.flush()
            os.fsync(handle.fileno())
            summary.scored += len(batch)
            if on_rows:
                on_rows(len(batch))
    return summary
