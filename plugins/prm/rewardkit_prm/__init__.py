"""rewardkit-prm: process rewards by Monte Carlo rollouts.

>>> from rewardkit import build_reward
>>> prm = build_reward("prm", {"backend_config": {"model": "Qwen/Qwen2.5-0.5B"},
...                            "rollouts": 8, "aggregate": "min"})  # doctest: +SKIP
"""

from __future__ import annotations

from rewardkit import hookimpl


def prm(**params):
    """Step values by Monte Carlo rollouts graded by a verifier; min/last/mean/product."""
    from rewardkit_prm.reward import PRMReward

    return PRMReward(**params)


prm.Params = "rewardkit_prm.reward:PRMParams"  # type: ignore[attr-defined]  # read by `rewardkit rewards prm`


@hookimpl
def register_rewards(register):
    register("prm", prm)
