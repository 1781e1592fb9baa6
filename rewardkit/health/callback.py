"""`HealthCallback`: the reward-health monitor as a TRL / transformers `TrainerCallback`.

In your own GRPO script::

    funcs, weights = to_trl(rubric)
    health = HealthCallback(funcs, canaries=["benchmarks/probes/format.jsonl"])
    trainer = GRPOTrainer(..., reward_funcs=funcs, callbacks=[health])

Per scored batch the `BatchObserver` logs ``health/...`` metrics through TRL's
``log_metric``; at each log the callback turns the step's values into a point, applies the
alert rules, warns (``RewardHealthWarning``), applies the stop policy and rewrites
``<output_dir>/health.json`` (alerts, reasons, failing canaries) for `rewardkit health`.
Without rewardkit reward functions it still watches TRL's own metrics (length, zero-std
groups, reward per function).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any, Callable, Sequence

from transformers import TrainerCallback

from rewardkit.health.alerts import Alert, Monitor, NoContext
from rewardkit.health.canaries import CanaryWatch, load_canaries
from rewardkit.health.config import CanaryFile, HealthConfig
from rewardkit.health.observer import BatchObserver, scorer_of
from rewardkit.health.series import to_point

SUMMARY = "health.json"


class RewardHealthWarning(UserWarning):
    """A health alert raised during training (one line: what, criterion, since, check)."""


def _warn(alert: Alert) -> None:
    warnings.warn(alert.line(), RewardHealthWarning, stacklevel=2)


class HealthCallback(TrainerCallback):
    """Watches reward health during GRPO training (see the module docstring)."""

    def __init__(self, reward_funcs: Sequence[Any] | None = None,
                 config: HealthConfig | dict[str, Any] | None = None, *,
                 canaries: Sequence[str | CanaryFile] = (),
                 on_alert: Callable[[Alert], None] | None = None,
                 output_dir: str | Path | None = None) -> None:
        if not isinstance(config, HealthConfig):
            config = HealthConfig.model_validate(config or {})
        extra = [c if isinstance(c, CanaryFile) else CanaryFile(path=str(c)) for c in canaries]
        self.config = config.model_copy(update={"canaries": [*config.canaries, *extra]})
        self.observer: BatchObserver | None = None
        if reward_funcs is not None:
            self.observer = build_observer(scorer_of(reward_funcs).rubric, self.config)
            self.observer.attach(reward_funcs)
        self.monitor = Monitor(self.config, self.observer or NoContext())
        self.on_alert = on_alert or _warn
        self.output_dir = Path(output_dir) if output_dir else None
        self.stopped_by: Alert | None = None

    @property
    def alerts(self) -> list[Alert]:
        return self.monitor.alerts

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self.observer is not None:
            self.observer.group_size = getattr(args, "num_generations", None)
        if self.output_dir is None:
            self.output_dir = Path(args.output_dir)

    def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None,
               **kwargs: Any) -> None:
        if not logs or "reward" not in logs:
            return
        if self.observer is not None:
            logs.update(self.observer.drain_pending())
        fired = self.monitor.update(state.global_step, to_point(logs))
        if self.observer is not None:
            self.observer.end_window()
        for alert in fired:
            if state.is_world_process_zero:
                self.on_alert(alert)
            if alert.kind in self.config.stop_on and self.stopped_by is None:
                self.stopped_by = alert
                control.should_training_stop = True
        if fired and state.is_world_process_zero:
            self.write_summary()

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if state.is_world_process_zero:
            self.write_summary()

    def summary(self) -> dict[str, Any]:
        """Alerts, the stop reason, the main reason per criterion/status, failing canaries."""
        observer = self.observer
        return {
            "alerts": [a.to_dict() for a in self.alerts],
            "stopped_by": self.stopped_by.line() if self.stopped_by else None,
            "reasons": observer.reasons_dict() if observer else {},
            "canaries": [{"id": p.canary.id, "problem": p.problem, "criterion":
                          p.canary.criterion, "value": p.value, "status": p.status,
                          "reason": p.reason, "step": observer.canary_step}
                         for p in (observer.canary_problems if observer else [])],
        }

    def plot(self, path: str | Path) -> Path | None:
        """Draw the health panel (None before the first log)."""
        if not self.monitor.points:
            return None
        from rewardkit.health.panel import plot_health

        return plot_health(self.monitor.steps, self.monitor.points, self.alerts, path)

    def write_summary(self) -> Path | None:
        if self.output_dir is None:
            return None
        self.output_dir.mkdir(parents=True, exist_ok=True)
        path = self.output_dir / SUMMARY
        path.write_text(json.dumps(self.summary(), indent=2) + "\n")
        return path


def build_observer(rubric: Any, config: HealthConfig) -> BatchObserver:
    """The observer for `rubric`, with `config`'s canaries loaded and checked."""
    canaries = [c for spec in config.canaries
                for c in load_canaries(spec.path, spec.criterion, rubric.names)]
    watch = CanaryWatch(rubric, canaries, config.canary_threshold) if canaries else None
    return BatchObserver(rubric, canaries=watch, canary_every=config.canary_every,
                         baseline_batches=config.baseline_logs)
