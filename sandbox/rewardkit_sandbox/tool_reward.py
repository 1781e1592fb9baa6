"""`sandbox:tool_use`: how cleanly a rollout used its Python tool.

The value is the share of the rollout's tool calls that ran and succeeded: a call that
timed out, ran out of memory, crashed, hit a sandbox failure or was refused for being past
the call budget is a failed call; so is one whose code raised, unless
``errors_fail: false`` (then a raised exception counts as a normal, informative call).
``budget`` caps the calls counted as useful: calls past it fail too. A rollout without
calls is *not applicable* (value None), or scores ``no_calls`` when that is set.

The calls come from the environment's exact record when the trainer passes it (TRL hands
reward functions the ``environments``; `rewardkit.trl` puts each one's record in
``metadata["tool_calls"]``), else from the trajectory: each tool message's first line is
the status tag `PythonEnvironment` writes (``[ok]``, ``[timeout]``, ...), and TRL's own
``{'error': ...}`` for a tool that raised counts as ``sandbox_error``.

Not scored: "copying the answer from tool output without reasoning". Copying a tool's
result into the answer is what a calculator is for, and the reasoning a copy would need
cannot be told apart from restating the result by any rule we could check; a judge
criterion is the right tool for that.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field

from rewardkit import RewardParams, Sample, Score, per_sample

STATUS_TAGS = ("ok", "error", "timeout", "memory_limit", "crashed", "sandbox_error", "budget")


class ToolUseParams(RewardParams):
    budget: int | None = Field(None, ge=0, description="calls counted as useful; later ones "
                               "fail (default: no limit beyond the environment's own)")
    errors_fail: bool = Field(True, description="a call whose code raised is a failed call")
    no_calls: float | None = Field(None, description="the value of a rollout without tool "
                                   "calls (default: not applicable)")


def tool_statuses(sample: Sample) -> list[str] | None:
    """Each tool call's status, from the environment's record or the trajectory; None when
    the sample has neither (a plain-text completion)."""
    record = sample.metadata.get("tool_calls")
    if record is not None:
        return [str(call.get("status", "unknown")) if isinstance(call, Mapping) else "unknown"
                for call in record]
    if isinstance(sample.completion, str):
        return None
    return [_status_of(m) for m in sample.completion if m.get("role") == "tool"]


def _status_of(message: Mapping[str, Any]) -> str:
    content = message.get("content")
    text = content if isinstance(content, str) else ""
    head = text.split("\n", 1)[0].strip()
    if head.startswith("[") and head.endswith("]") and head[1:-1] in STATUS_TAGS:
        return head[1:-1]
    if text.startswith("{'error':"):
        return "sandbox_error"  # TRL's message for a tool that raised
    return "unknown"


@per_sample(params=ToolUseParams)
def tool_use(sample: Sample, budget: int | None, errors_fail: bool,
             no_calls: float | None) -> Score:
    """Share of a rollout's Python tool calls that succeeded (failed and over-budget calls count against)."""
    statuses = tool_statuses(sample)
    if statuses is None:
        return Score.not_applicable("the completion is text: no tool calls to score")
    known = [s for s in statuses if s != "unknown"]
    info = {"calls": len(statuses), "statuses": {s: statuses.count(s) for s in sorted(set(statuses))}}
    if not statuses:
        if no_calls is None:
            return Score.not_applicable("the rollout made no tool calls", **info)
        return Score(no_calls, info=info)
    if not known:
        return Score.unverifiable("no tool result carries a status this reward knows "
                                  "(is the tool rewardkit's run_python?)", **info)
    good = {"ok", "error"} if not errors_fail else {"ok"}
    over = max(0, len(known) - budget) if budget is not None else 0
    succeeded = sum(s in good for s in known[:len(known) - over])
    return Score(succeeded / len(known), info={**info, "succeeded": succeeded,
                                               "over_budget": over})
