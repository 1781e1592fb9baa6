"""The `format` reward: does the completion follow the tag schema (think, then answer)?"""

from __future__ import annotations

from rewardkit import hookimpl
from rewardkit_format.reward import FormatParams, FormatReward

__all__ = ["FormatParams", "FormatReward"]


@hookimpl
def register_rewards(register):
    register("format", FormatReward)
