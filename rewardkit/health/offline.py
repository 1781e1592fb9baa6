"""`rewardkit health RUN_DIR`: the monitor replayed over a finished (or running) run's log.

A run directory holds ``metrics.jsonl`` (`rewardkit train`) or ``trainer_state.json``
(any TRL trainer; in the directory or in its latest ``checkpoint-N``). ``health.json``,
when the run had the callback, adds reasons and failing canary ids to the alerts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from rewardkit.errors import InputError
from rewardkit.health.alerts import Monitor
from rewardkit.health.config import HealthConfig
from rewardkit.health.series import to_point


@dataclass
class RunLog:
    """The GRPO log entries of a run, where they came from, and its health.json (if any)."""

    source: Path
    entries: list[dict[str, Any]]
    summary: dict[str, Any] = field(default_factory=dict)


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    text = path.read_text(encoding="utf-8")
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            raise InputError(f"{path}, line {number}: not valid JSON (a truncated log? the run "
                             "may have been killed while writing; delete that line to read "
                             "the rest)") from None
        if not isinstance(entry, dict):
            raise InputError(f"{path}, line {number}: expected a JSON object per line")
        entries.append(entry)
    return entries


def _read_state(path: Path) -> list[dict[str, Any]]:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno}; truncated?)"
                         ) from None
    history = state.get("log_history") if isinstance(state, dict) else None
    if not isinstance(history, list):
        raise InputError(f"{path}: no 'log_history' list (is this a trainer_state.json?)")
    return [h for h in history if isinstance(h, dict)]


def find_log(run_dir: str | Path) -> Path:
    """metrics.jsonl, else trainer_state.json, else the latest checkpoint's."""
    run = Path(run_dir)
    if run.is_file():
        return run
    if not run.is_dir():
        raise InputError(f"{run}: no such run directory")
    for name in ("metrics.jsonl", "trainer_state.json"):
        if (run / name).is_file():
            return run / name
    checkpoints = sorted(run.glob("checkpoint-*/trainer_state.json"),
                         key=lambda p: int(p.parent.name.rsplit("-", 1)[-1]) if
                         p.parent.name.rsplit("-", 1)[-1].isdigit() else -1)
    if checkpoints:
        return checkpoints[-1]
    raise InputError(f"{run}: no metrics.jsonl or trainer_state.json (give the output directory "
                     "of `rewardkit train` or of a TRL trainer)")


def load_run(run_dir: str | Path) -> RunLog:
    """Read and check a run's log: not empty, not truncated, and from a GRPO run."""
    path = find_log(run_dir)
    entries = _read_jsonl(path) if path.suffix == ".jsonl" else _read_state(path)
    if not entries:
        raise InputError(f"{path}: the log is empty (the run stopped before its first "
                         "logging step)")
    grpo = [e for e in entries if "reward" in e]
    if not grpo:
        keys = sorted({k for e in entries for k in e})[:8]
        raise InputError(f"{path}: not a GRPO run: no log entry has 'reward' (keys: "
                         f"{', '.join(keys)}); the health monitor reads GRPO logs")
    summary_path = path.parent / "health.json"
    summary: dict[str, Any] = {}
    if summary_path.is_file():
        try:
            summary = json.loads(summary_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            raise InputError(f"{summary_path}: not valid JSON (truncated?); move it away to "
                             "analyse the metrics alone") from None
    return RunLog(path, grpo, summary if isinstance(summary, dict) else {})


def analyse(run: RunLog, config: HealthConfig | None = None) -> Monitor:
    """Replay the alert rules over the run's log entries."""
    monitor = Monitor(config, SummaryContext(run.summary))
    for index, entry in enumerate(run.entries, start=1):
        step = entry.get("step", index)
        monitor.update(int(step) if isinstance(step, (int, float)) else index, to_point(entry))
    return monitor


class SummaryContext:
    """Reasons and failing canaries as the callback saved them in health.json."""

    def __init__(self, summary: dict[str, Any]) -> None:
        self.reasons = summary.get("reasons") or {}
        self.canary_problems = [_SavedCanary(c) for c in summary.get("canaries") or []
                                if isinstance(c, dict)]

    def top_reason(self, criterion: str, status: str) -> str:
        return str(self.reasons.get(f"{criterion}/{status}") or "")


class _SavedCanary:
    """A failing canary read back from health.json (the fields the alert rules use)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.problem = str(data.get("problem", ""))
        self.status = str(data.get("status", ""))
        self.reason = str(data.get("reason") or "")
        self.canary = SimpleNamespace(id=str(data.get("id", "?")),
                                      criterion=data.get("criterion"))
