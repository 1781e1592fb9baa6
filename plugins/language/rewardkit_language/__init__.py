"""The `language_purity` reward: the share of words in the target language (DeepSeek-R1)."""

from __future__ import annotations

from rewardkit import hookimpl
from rewardkit_language.reward import LanguageParams, LanguagePurity

__all__ = ["LanguageParams", "LanguagePurity"]


@hookimpl
def register_rewards(register):
    register("language_purity", LanguagePurity)
