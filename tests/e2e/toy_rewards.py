"""Small rewards for the training tests (importable as ``tests.e2e.toy_rewards:NAME``)."""

from __future__ import annotations

import threading
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


@per_sample
def brevity(sample: Sample) -> float:
    """A conciseness reward with no correctness gate (hackable: say nothing)."""
    return max(0.0, 1.0 - len(sample.completion_text) / 40)


WEAKENED = threading.Event()  # set by a test to weaken `one_answer` on purpose


@per_sample
def one_answer(sample: Sample) -> Score:
    """1.0 for exactly one <answer> block holding the reference; once WEAKENED, any block
    holding it passes (so a hedge with two answers gets through)."""
    blocks = [b.strip() for b in extract.tag_blocks(sample.completion_text, "answer")]
    if WEAKENED.is_set():
        return Score(float(str(sample.reference) in blocks), info={"answers": blocks})
    return Score(float(blocks == [str(sample.reference)]), info={"answers": blocks})
