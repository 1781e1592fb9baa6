"""Module-level rewards the core tests use (importable, so they pickle into workers)."""

from __future__ import annotations

import asyncio
import os
import time

from rewardkit import Reward, RewardParams, Sample, Score, extract, per_sample


@per_sample
def length(sample: Sample, per_char: float = 1.0) -> float:
    """Completion length times `per_char`."""
    return len(sample.completion_text) * per_char


@per_sample
def contains(sample: Sample, word: str = "yes") -> bool:
    return word in sample.completion_text


def plain_function(sample):
    """A plain function used by dotted path."""
    return 0.25


@per_sample(cpu_bound=True)
def misbehave(sample: Sample) -> float:
    """Spins, raises, dies or answers depending on the completion."""
    text = sample.completion_text
    if text == "spin":
        while True:
            pass
    if text == "bigint":
        return float(len(str(7 ** (7 ** 9))))  # long C-level arithmetic
    if text == "raise":
        raise ValueError("bad sample")
    if text == "die":
        os._exit(7)
    if text == "child":  # a stray grandchild that must die with the worker
        import subprocess

        subprocess.Popen(["sleep", "600"])
        while True:
            time.sleep(1)
    if text == "memory":
        blob = bytearray(2 * 1024 ** 3)
        return float(len(blob))
    return float(len(text))


@per_sample
def sleepy(sample: Sample) -> float:
    if sample.completion_text == "sleep":
        time.sleep(600)
    return 1.0


class AsyncReward(Reward):
    name = "async_reward"

    async def score(self, samples):
        out = []
        for s in samples:
            if s.completion_text == "sleep":
                await asyncio.sleep(600)
            if s.completion_text == "raise":
                raise RuntimeError("async failure")
            out.append(Score(1.0))
        return out


class WrongLength(Reward):
    name = "wrong_length"

    def score(self, samples):
        return [Score(1.0)] * (len(samples) + 1)


class Counting(Reward):
    """Counts calls in a file so cache tests can see real work."""

    name = "counting"

    class Params(RewardParams):
        path: str

    def score_one(self, sample):
        with open(self.params.path, "a") as handle:
            handle.write("x")
        if sample.completion_text == "raise":
            raise ValueError("no")
        return Score(1.0)


@per_sample
def reads_previous(sample: Sample, source: str = "length") -> float | None:
    previous = sample.scores.get(source)
    return None if previous is None or previous.value is None else previous.value * 2


class SlowToLoad(Reward):
    """Takes 1.5 s to unpickle, like a reward whose module imports sympy or torch."""

    name = "slow_to_load"
    cpu_bound = True

    def __setstate__(self, state):
        time.sleep(1.5)
        self.__dict__.update(state)

    def score_one(self, sample):
        return 1.0


class InFlight(Reward):
    """Records the most samples it was scoring at once (in-process, async)."""

    name = "in_flight"

    def __init__(self):
        super().__init__()
        self.now = self.most = 0

    async def score(self, samples):
        self.now += 1
        self.most = max(self.most, self.now)
        await asyncio.sleep(0.2)
        self.now -= 1
        return [Score(1.0) for _ in samples]


@per_sample
def returns(sample: Sample) -> float:
    """Returns the completion as a number: 'inf', '-inf' and 'nan' are not finite."""
    return float(sample.completion_text)


@per_sample(cpu_bound=True)
def returns_in_worker(sample: Sample) -> float:
    """`returns`, scored in a worker process."""
    return float(sample.completion_text)


class ReturnsAsync(Reward):
    """`returns`, as an async reward that builds the Score itself."""

    name = "returns_async"

    async def score(self, samples):
        return [Score(float(s.completion_text)) for s in samples]


class PerNode(Reward):
    """An I/O-bound reward with a per-process pool (like the code sandbox)."""

    name = "per_node"
    per_node = True

    async def score(self, samples):
        return [Score(float(os.getpid())) for _ in samples]


@per_sample
def answer_matches(sample: Sample) -> Score:
    """1.0 when the <answer> tag holds the reference; n/a without a reference."""
    if sample.reference is None:
        return Score.not_applicable("no reference")
    found = extract.answer_tag(sample.completion_text)
    return Score(float(found is not None and found.strip() == str(sample.reference)),
                 info={"answer": found})
