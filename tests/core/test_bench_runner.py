"""The bench runner: warm-up, async rewards, timing wrapper, parameter groups."""

from __future__ import annotations

import asyncio
import pickle

import pytest

from rewardkit import Reward, Sample, Score
from rewardkit.bench.cases import Case
from rewardkit.bench.runner import BenchError, TimedReward, run_bench, run_reward, timed
from rewardkit.bench.specs import RewardSpec

HERE = __name__


class Counting(Reward):
    """Rewards everything; `info["calls"]` says how many calls this instance has seen."""

    def __init__(self, **params):
        super().__init__(**params)
        self.calls = 0

    def score_one(self, sample):
        self.calls += 1
        return Score(1.0, info={"calls": self.calls})


class AsyncJudge(Reward):
    """An async reward: 'yes' 1.0, 'boom' raises, anything else 0.0."""

    async def score(self, samples):
        await asyncio.sleep(0)
        if samples[0].completion_text == "boom":
            raise RuntimeError("endpoint down")
        return [float(s.completion_text == "yes") for s in samples]


def make_cases(*completions, expected=True):
    return [Case(str(i), Sample(c), expected, line=i + 1) for i, c in enumerate(completions)]


def test_warm_up_keeps_the_first_call_out_of_the_results():
    cases = make_cases("a", "b")
    warm = run_reward(RewardSpec("c", f"{HERE}:Counting"), cases)
    cold = run_reward(RewardSpec("c", f"{HERE}:Counting"), cases, warmup=False)
    assert [r.info["calls"] for r in warm.results] == [2, 3]
    assert [r.info["calls"] for r in cold.results] == [1, 2]


def test_async_reward_runs_with_latency_and_errors_counted():
    run = run_reward(RewardSpec("j", f"{HERE}:AsyncJudge"), make_cases("yes", "no", "boom"))
    summary = run.summary()
    assert (summary["tp"], summary["fn"]) == (1, 2)
    assert summary["status_counts"]["error"] == 1
    assert "endpoint down" in run.results[2].info["reason"]
    assert all(r.latency_s is not None for r in run.results)
    assert isinstance(timed(AsyncJudge()), TimedReward)


def test_timed_reward_pickles_and_stamps_latency():
    wrapped = pickle.loads(pickle.dumps(TimedReward(Counting())))
    (score,) = wrapped.score([Sample("x")])
    assert score.value == 1.0 and score.info["bench_latency_s"] >= 0


def flipper(sample, flip: bool = False):
    return 0.0 if flip else 1.0


def test_case_params_build_one_reward_per_distinct_setting():
    cases = [Case("a", Sample("x"), True), Case("b", Sample("x"), True, params={"flip": True}),
             Case("c", Sample("x"), True)]
    run = run_reward(RewardSpec("f", f"{HERE}:flipper"), cases)
    assert [r.value for r in run.results] == [1.0, 0.0, 1.0]
    spec_flipped = run_reward(RewardSpec("f", f"{HERE}:flipper", {"flip": True}), cases[:1])
    assert spec_flipped.results[0].value == 0.0


def test_bad_spec_fails_before_any_reward_runs():
    good = RewardSpec("c", f"{HERE}:Counting")
    with pytest.raises(BenchError, match="unknown parameter 'x'"):
        run_bench([good, RewardSpec("c2", f"{HERE}:Counting", {"x": 1})], make_cases("a"))


def test_factory_that_raises_becomes_a_bench_error():
    with pytest.raises(BenchError, match="could not be built"):
        run_bench([RewardSpec("b", f"{HERE}:broken_factory")], make_cases("a"))


class _Broken:
    def __call__(self, **params):
        raise RuntimeError("model file missing")


broken_factory = _Broken()
