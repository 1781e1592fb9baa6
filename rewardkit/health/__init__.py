"""Reward health: catch broken verifiers and reward hacking while training.

* `HealthCallback` (a TRL `TrainerCallback`; needs transformers): logs ``health/...``
  metrics per logging step, scores canaries every K steps, raises one-line alerts and can
  stop training. Built into `rewardkit train` (the ``health:`` block of a train config).
* ``rewardkit health RUN_DIR``: the same table, alerts and panel from a finished run.

Modules: `stats` (per-batch numbers), `observer` (fed by `rewardkit.trl`), `canaries`,
`alerts` (rules), `series` (log entries to points), `callback`, `report` (tables),
`panel` (PNG), `offline` (reading run directories), `config`.
"""

from __future__ import annotations

from typing import Any

from rewardkit.health.alerts import Alert, Monitor
from rewardkit.health.config import HealthConfig

__all__ = ["Alert", "HealthCallback", "HealthConfig", "Monitor", "RewardHealthWarning"]


def __getattr__(name: str) -> Any:  # the callback imports transformers: only on demand
    if name in ("HealthCallback", "RewardHealthWarning"):
        from rewardkit.health import callback

        return getattr(callback, name)
    raise AttributeError(f"module 'rewardkit.health' has no attribute {name!r}")
