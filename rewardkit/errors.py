"""Exceptions rewardkit raises. Every message says what was wrong and what to do."""

from __future__ import annotations


class RewardkitError(Exception):
    """Base class of every error rewardkit raises on purpose."""


class ConfigError(RewardkitError, ValueError):
    """A rubric, reward parameter or run configuration is invalid."""


class RewardParamsError(ConfigError):
    """A reward was given parameters it does not accept."""


class RewardNotFoundError(RewardkitError, LookupError):
    """No installed plugin provides the requested reward name."""


class AmbiguousRewardError(RewardkitError, LookupError):
    """A short reward name is provided by more than one plugin."""


class PluginError(RewardkitError):
    """A plugin failed to import, validate or register (raised in strict mode)."""


class RewardError(RewardkitError):
    """A reward raised while scoring and its criterion's policy is `on_error: raise`."""


class InputError(RewardkitError, ValueError):
    """An input file or row is malformed."""
