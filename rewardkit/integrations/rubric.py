"""The rubric an in-process integration scores with: built once per process and path."""

from __future__ import annotations

import atexit
import os
import threading
from collections.abc import Sequence
from typing import Any

from rewardkit.errors import ConfigError

_rubrics: dict[str, Any] = {}
_locks: dict[str, threading.Lock] = {}
_lock = threading.Lock()


def _load(path: str | None) -> tuple[Any, threading.Lock]:
    path = path or os.environ.get("REWARDKIT_RUBRIC")
    if not path:
        raise ConfigError("no rubric: set REWARDKIT_RUBRIC=/path/to/rubric.yaml in the trainer's "
                          "environment (or pass rubric=... in the reward function's kwargs)")
    with _lock:
        if path not in _rubrics:
            from rewardkit.rubric import Rubric

            built = Rubric.from_yaml(path)
            atexit.register(built.close)
            _rubrics[path], _locks[path] = built, threading.Lock()
        return _rubrics[path], _locks[path]


def score(samples: Sequence[Any], path: str | None = None) -> Any:
    """Score `samples` (Samples or mappings) with the rubric at `path` (default: the env)."""
    rubric, lock = _load(path)
    with lock:  # one batch at a time through this process's workers
        return rubric.score(list(samples))
