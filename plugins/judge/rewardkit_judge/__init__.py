"""rewardkit-judge: LLM-as-judge rewards (pointwise, reference-based, pairwise).

>>> from rewardkit import build_reward
>>> judge = build_reward("judge", {"backend_config": {
...     "base_url": "http://127.0.0.1:8000/v1", "model": "Qwen/Qwen2.5-7B-Instruct"}})
... # doctest: +SKIP
"""

from __future__ import annotations

from rewardkit import hookimpl


def judge(**params):
    """LLM-as-judge through a generation backend: pointwise, reference or pairwise, in [0, 1]."""
    from rewardkit_judge.reward import JudgeReward

    return JudgeReward(**params)


judge.Params = "rewardkit_judge.reward:JudgeParams"  # type: ignore[attr-defined] # read by `rewardkit rewards judge`


@hookimpl
def register_rewards(register):
    register("judge", judge)
