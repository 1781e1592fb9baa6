"""Tool-call records of TRL environments: into samples, and into the trainer's log.

TRL hands reward functions the rollouts' ``environments``. An environment that keeps a
``tool_calls`` list (each call an object with ``to_dict()`` or a mapping, with at least a
``status`` and optionally a ``latency`` in seconds; rewardkit's `PythonEnvironment` does)
gets its record copied into ``Sample.metadata["tool_calls"]`` and summarised in the log:

* ``tools/calls``: calls per rollout; ``tools/<status>``: calls per rollout that ended
  with that status (``error``, ``timeout``, ``memory_limit``, ``budget``, ...);
* ``tools/success_rate``: the share of calls with status ``ok``;
* ``tools/latency_ms``: the mean round trip of the calls that ran.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def records(environments: Sequence[Any] | None) -> list[list[dict[str, Any]]] | None:
    """Each environment's calls as plain dicts; None when none of them records calls."""
    if not environments or not any(hasattr(e, "tool_calls") for e in environments):
        return None
    return [[_plain(call) for call in getattr(e, "tool_calls", None) or []]
            for e in environments]


def _plain(call: Any) -> dict[str, Any]:
    if hasattr(call, "to_dict"):
        return dict(call.to_dict())
    return dict(call) if isinstance(call, Mapping) else {"status": "unknown"}


def metrics(per_rollout: list[list[dict[str, Any]]]) -> dict[str, float]:
    """The ``tools/*`` numbers for one batch of rollouts (see the module docstring)."""
    rollouts = max(1, len(per_rollout))
    calls = [call for rollout in per_rollout for call in rollout]
    out = {"tools/calls": len(calls) / rollouts}
    for status in sorted({str(c.get("status")) for c in calls} - {"ok"}):
        out[f"tools/{status}"] = sum(str(c.get("status")) == status for c in calls) / rollouts
    if calls:
        out["tools/success_rate"] = sum(c.get("status") == "ok" for c in calls) / len(calls)
        timed = [float(c["latency"]) for c in calls if c.get("latency")]
        if timed:
            out["tools/latency_ms"] = 1000 * sum(timed) / len(timed)
    return out
