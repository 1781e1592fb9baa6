"""Small rewards for the training tests (importable as ``tests.e2e.toy_rewards:NAME``)."""

from __future__ import annotations

import time

from rewardkit import Sample, Score, extract, per_sample


@per_sample
def tagged(sample: Sample) -> float:
    """1.0 when the completion is exactly <think>…</think><answer>…</answer>."""
    text = sample.completion_text.strip()
    return float(text.startswith("<think>") and text.endswith("</answer>")
                 and extract.answer_tag(text) is not None and "</think><answer>" in text)


@per_sample
def exact(sample: Sample) -> Score:
    """1.0 when the <answer> tag holds the reference exactly."""
    found = extract.answer_tag(sample.completion_text)
    return Score(float(found is not None and found.strip() == str(sample.reference)),
                 info={"answer": found})


@per_sample
def explode(sample: Sample) -> float:
    """Raises on every completion of odd length; 1.0 otherwise."""
    if len(sample.completion_text) % 2:
        raise RuntimeError("odd lengths break this reward")
    return 1.0


@per_sample(cpu_bound=True)
def hang(sample: Sample) -> float:
    """Spins past any deadline on completions that contain a 9; 0.5 otherwise."""
    if "9" in sample.completion_text:
        while True:
            time.sleep(0.01)
    return 0.5
