"""Module-level rewards the service and Ray tests use (importable, so they pickle)."""

from __future__ import annotations

import os
import time

from rewardkit import Reward, RewardParams, Sample, Score, per_sample


@per_sample
def matches(sample: Sample) -> Score:
    """1.0 when the completion (stripped) equals the reference; n/a without a reference."""
    if sample.reference is None:
        return Score.not_applicable("no reference")
    return Score(float(sample.completion_text.strip() == str(sample.reference)))


@per_sample
def pause(sample: Sample) -> float:
    """Sleeps ``metadata["sleep"]`` seconds (default 0), then scores 1.0."""
    time.sleep(float(sample.metadata.get("sleep", 0)))
    return 1.0


@per_sample(cpu_bound=True)
def slow_start(sample: Sample) -> float:
    """CPU-bound; an empty completion (what a warm-up scores) takes 1.5 s."""
    if not sample.completion_text:
        time.sleep(1.5)
    return float(len(sample.completion_text))


@per_sample
def pid(sample: Sample) -> float:
    """The id of the process that scored the sample."""
    return float(os.getpid())


class BatchLog(Reward):
    """Appends each batch's size to `path`, sleeps the batch's largest ``metadata["sleep"]``."""

    name = "batch_log"

    class Params(RewardParams):
        path: str

    def score(self, samples):
        with open(self.params.path, "a") as handle:
            handle.write(f"{len(samples)}\n")
        time.sleep(max(float(s.metadata.get("sleep", 0)) for s in samples))
        return [Score(1.0) for _ in samples]
