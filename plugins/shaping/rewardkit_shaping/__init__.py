"""Shaping rewards: soft overlong punishment, n-gram repetition penalty, cosine length.

The whole plugin is this module: three per-sample functions and one hook that registers
them. Copy it to start your own.
"""

from __future__ import annotations

import math
import re
from typing import Literal

from rewardkit import Sample, Score, hookimpl, per_sample

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


@per_sample
def overlong(sample: Sample, max_length: int = 4096, buffer: int = 1024,
             unit: Unit = "tokens") -> float:
    """Soft overlong punishment (DAPO): 0 up to max_length - buffer, then down to -1."""
    if not 0 < buffer <= max_length:
        raise ValueError(f"need 0 < buffer <= max_length, got buffer={buffer}, "
                         f"max_length={max_length}")
    length = completion_length(sample, unit)
    if length <= max_length - buffer:
        return 0.0
    if length > max_length:
        return -1.0
    return (max_length - buffer - length) / buffer


@per_sample
def repetition(sample: Sample, ngram_size: int = 3, max_penalty: float = -1.0) -> Score:
    """N-gram repetition penalty: max_penalty × the share of repeated word n-grams."""
    if max_penalty > 0:
        raise ValueError(f"max_penalty must be <= 0, got {max_penalty}")
    words = sample.completion_text.lower().split()
    ngrams = [tuple(words[i:i + ngram_size]) for i in range(len(words) - ngram_size + 1)]
    if not ngrams:
        return Score(0.0, info={"ngrams": 0})
    repeated = 1.0 - len(set(ngrams)) / len(ngrams)
    return Score(repeated * max_penalty, info={"ngrams": len(ngrams), "repeated": repeated})


@per_sample
def cosine(sample: Sample, correctness: str = "math", max_length: int = 1000,
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
