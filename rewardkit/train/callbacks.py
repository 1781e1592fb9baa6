"""Trainer callbacks: `metrics.jsonl` (one object per logging step) and a progress bar."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Sequence

from transformers import TrainerCallback


def metrics_row(step: int, logs: dict[str, Any], criteria: Sequence[str]) -> dict[str, Any] | None:
    """`step`, `reward` (mean total) and `rewards/<criterion>`, then every other number TRL logged.

    None for log entries without a reward (the end-of-training summary, evaluation).
    """
    if "reward" not in logs:
        return None
    row: dict[str, Any] = {"step": step, "reward": _number(logs["reward"])}
    for name in criteria:
        row[f"rewards/{name}"] = _number(logs.get(f"rewards/{name}/mean"))
    for key, value in logs.items():
        if key not in row and isinstance(value, (int, float)):
            row[key] = _number(value)
    return row


def _number(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else value


class MetricsWriter(TrainerCallback):
    """Appends one JSON object per logging step to `path` (main process only)."""

    def __init__(self, path: Path, criteria: Sequence[str]) -> None:
        self.path = Path(path)
        self.criteria = list(criteria)
        self.rows: list[dict[str, Any]] = []

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if state.is_world_process_zero:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text("")

    def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None,
               **kwargs: Any) -> None:
        row = metrics_row(state.global_step, logs or {}, self.criteria)
        if row is None or not state.is_world_process_zero:
            return
        self.rows.append(row)
        with self.path.open("a") as handle:
            handle.write(json.dumps(row) + "\n")


class ProgressBar(TrainerCallback):
    """A rich progress bar over the training steps, showing the latest mean reward."""

    def __init__(self, description: str, enabled: bool = True) -> None:
        self.description = description
        self.enabled = enabled
        self._progress: Any = None
        self._task: Any = None

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if not (self.enabled and state.is_world_process_zero):
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(TextColumn("{task.description}", style="bold", markup=False),
                                  BarColumn(),
                                  MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
                                  TextColumn("{task.fields[status]}", markup=False),
                                  console=Console(stderr=True), refresh_per_second=2)
        self._progress.start()
        self._task = self._progress.add_task(self.description, total=state.max_steps, status="")

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self._progress is not None:
            self._progress.update(self._task, completed=state.global_step)

    def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None,
               **kwargs: Any) -> None:
        if self._progress is None or not logs:
            return
        for key in ("reward", "loss"):
            if key in logs:
                self._progress.update(self._task, status=f"{key} {float(logs[key]):.3f}")
                break

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self._progress is not None:
            self._progress.update(self._task, completed=state.global_step)
            self._progress.stop()
            self._progress = None
