"""rewardkit-math: the `math` reward (answer equivalence, built on sympy + latex2sympy2).

Registration imports nothing heavy: sympy and the LaTeX parser load in the worker process
on the first sample.
"""

from __future__ import annotations

from rewardkit import hookimpl
from rewardkit_math.api import is_equivalent, verify
from rewardkit_math.reward import MathParams, MathReward

__all__ = ["MathParams", "MathReward", "is_equivalent", "register_rewards", "verify"]


@hookimpl
def register_rewards(register):
    register("math", MathReward)
