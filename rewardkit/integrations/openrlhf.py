"""OpenRLHF's custom reward function file, scored in OpenRLHF's own process (no server).

    --remote_rm_url /path/to/rewardkit/integrations/openrlhf.py --label_key answer
    REWARDKIT_RUBRIC=/path/to/rubric.yaml   # in the Ray job's runtime environment

``reward_func(queries, prompts, labels)`` returns what OpenRLHF reads from such a file:
``rewards`` (the rubric totals), ``scores`` (the same, for dynamic filtering) and
``extra_logs`` (per criterion its value and ``<criterion>_failed``, plus
``total_missing`` and ``prompt_not_prefix``), as tensors when torch is importable. The
queries are split from their prompts exactly as by the ``/get_reward`` endpoint
(`rewardkit.service.openrlhf`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rewardkit.integrations.rubric import score
from rewardkit.service.openrlhf import RewardRequest, reward_payload, to_samples


def reward_func(queries: Sequence[str], prompts: Sequence[str] | None = None,
                labels: Sequence[Any] | None = None, rubric: str | None = None,
                **kwargs: Any) -> dict[str, Any]:
    """OpenRLHF's reward function signature."""
    request = RewardRequest(query=list(queries), prompts=None if prompts is None else
                            list(prompts), labels=None if labels is None else list(labels))
    samples, found = to_samples(request)
    payload = reward_payload(score(samples, rubric), found)
    out = {"rewards": payload["rewards"], "scores": payload["scores"],
           "extra_logs": payload["extra_logs"]}
    return _tensors(out)


def _tensors(out: dict[str, Any]) -> dict[str, Any]:
    try:
        import torch
    except ImportError:
        return out
    return {"rewards": torch.tensor(out["rewards"], dtype=torch.float32),
            "scores": torch.tensor(out["scores"], dtype=torch.float32),
            "extra_logs": {k: torch.tensor(v, dtype=torch.float32)
                           for k, v in out["extra_logs"].items()}}
