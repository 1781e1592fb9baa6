"""Shaping rewards: soft overlong punishment, n-gram repetition penalty, cosine length.

The whole plugin is this module: three per-sample functions and one hook that registers
them. Copy it to start your own.
"""

from __future__ import annotations

import math
import re
from typing import Literal

from pydantic import Field, model_validator

from rewardkit import CriterionName, RewardParams, Sample, Score, hookimpl, per_sample

Unit = Literal["tokens", "words", "chars"]
_WORD = re.compile(r"\S+")


def completion_length(sample: Sample, unit: Unit) -> int:
    """Length of the completion in tokens (from `completion_ids`), words or characters."""
    if unit == "tokens":
        ids = sample.metadata.get("completion_ids")
        if ids is None:
            raise ValueError(
                "unit='tokens' needs the sample's 'completion_ids' (TRL passes them); "
                "use unit='words' or 'chars' when scoring text"
            )
        return len(ids)
    text = sample.completion_text
    return len(text) if unit == "chars" else len(_WORD.findall(text))


class OverlongParams(RewardParams):
    max_length: int = Field(4096, gt=0)
    buffer: int = Field(1024, gt=0)
    unit: Unit = "tokens"

    @model_validator(mode="after")
    def _buffer_fits(self) -> "OverlongParams":
        if self.buffer > self.max_length:
            raise ValueError(f"buffer ({self.buffer}) must not exceed max_length "
                             f"({self.max_length})")
        return self


@per_sample(params=OverlongParams)
def overlong(sample: Sample, max_length: int, buffer: int, unit: Unit) -> float:
    """Soft overlong punishment (DAPO): 0 up to max_length - buffer, then down to -1."""
    length = completion_length(sample, unit)
    if length <= max_length - buffer:
        return 0.0
    if length > max_length:
        return -1.0
    return (max_length - buffer - length) / buffer


class RepetitionParams(RewardParams):
    ngram_size: int = Field(3, ge=1)
    max_penalty: float = Field(-1.0, le=0, description="the penalty when every n-gram repeats")


@per_sample(params=RepetitionParams)
def repetition(sample: Sample, ngram_size: int, max_penalty: float) -> Score:
    """N-gram repetition penalty: max_penalty × the share of repeated word n-grams."""
    words = sample.completion_text.lower().split()
    ngrams = [tuple(words[i:i + ngram_size]) for i in range(len(words) - ngram_size + 1)]
    if not ngrams:
        return Score(0.0, info={"ngrams": 0})
    repeated = 1.0 - len(set(ngrams)) / len(ngrams)
    return Score(repeated * max_penalty if repeated else 0.0, info={"ngrams": len(ngrams), "repeated": repeated})


@per_sample
def cosine(sample: Sample, correctness: CriterionName = "math", max_length: int = 1000,
           unit: Unit = "words", min_value_correct: float = 0.5,
           max_value_correct: float = 1.0, min_value_wrong: float = -1.0,
           max_value_wrong: float = -0.5, threshold: float = 0.5) -> Score:
    """Cosine-scaled length reward: short correct answers earn most, long wrong ones lose least.

    Reads correctness from the earlier rubric criterion named by `correctness`.
    """
    if correctness not in sample.scores:
        raise ValueError(
            f"cosine reads correctness from criterion '{correctness}', which is not listed "
            f"before it in the rubric (earlier criteria: {', '.join(sample.scores) or 'none'})"
        )
    verdict = sample.scores[correctness]
    if verdict.value is None:
        return Score.not_applicable(f"criterion '{correctness}' has no value "
                                    f"({verdict.status.value})")
    correct = verdict.value >= threshold
    length = completion_length(sample, unit)
    progress = min(length / max_length, 1.0)
    if correct:
        low, high = min_value_correct, max_value_correct
    else:  # swapped: a longer wrong answer is punished less
        low, high = max_value_wrong, min_value_wrong
    value = low + 0.5 * (high - low) * (1.0 + math.cos(progress * math.pi))
    return Score(value, info={"correct": correct, "length": length})


@hookimpl
def register_rewards(register):
    register("overlong", overlong)
    register("repetition", repetition)
    register("cosine", cosine)
