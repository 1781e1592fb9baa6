"""verl's custom reward function, scored in verl's own process (no server).

In the verl config::

    custom_reward_function.path=/path/to/rewardkit/integrations/verl.py
    custom_reward_function.name=compute_score     # or compute_score_batch with
                                                  # reward_model.reward_manager=batch
    +custom_reward_function.reward_kwargs.rubric=/path/to/rubric.yaml  # or REWARDKIT_RUBRIC

Each sample gets the same dict as from `rewardkit.service.verl` (the client of a running
`rewardkit serve`): ``score`` (the rubric total, ``0.0`` when it is ``None``, flagged by
``total_missing``), ``gated``, and per criterion its value and ``<criterion>_failed``.
``ground_truth`` is the reference (a missing one is never compared as text),
``data_source`` and ``extra_info`` the metadata, ``extra_info["prompt"]`` the prompt.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rewardkit.integrations.rubric import score
from rewardkit.service.verl import to_result, to_sample


def compute_score(data_source: Any, solution_str: str, ground_truth: Any,
                  extra_info: Any = None, rubric: str | None = None,
                  **kwargs: Any) -> dict[str, float]:
    """verl's per-sample signature."""
    return compute_score_batch([data_source], [solution_str], [ground_truth], [extra_info],
                               rubric=rubric)[0]


def compute_score_batch(data_sources: Sequence[Any], solution_strs: Sequence[str],
                        ground_truths: Sequence[Any], extra_infos: Sequence[Any] | None = None,
                        rubric: str | None = None, **kwargs: Any) -> list[dict[str, float]]:
    """verl's batched signature (``reward_manager=batch``): one rubric call per batch."""
    extra_infos = list(extra_infos) if extra_infos is not None else [None] * len(solution_strs)
    samples = [to_sample(*row) for row in zip(data_sources, solution_strs, ground_truths,
                                              extra_infos)]
    result = score(samples, rubric)
    return [to_result(row.to_dict(), result.criteria) for row in result.rows]
