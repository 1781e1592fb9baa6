"""RunPolicy: a reward's run traits as one value, read in one place and acted on by the
engine; wrappers forward it."""

from __future__ import annotations

import pytest

from rewardkit import (DEFAULT_TIMEOUT, Isolation, Reward, RunPolicy, Sample, Score, Status,
                       policy_of, run)
from rewardkit.bench.cases import Case
from rewardkit.bench.runner import run_reward, timed
from rewardkit.bench.specs import RewardSpec
from rewardkit.engine import Engine
from tests.core.rewards_for_tests import (AsyncReward, PerNode, length, misbehave, sleepy)


class Traits(Reward):
    name = "traits"
    timeout = 3.0
    memory_limit_mb = 256
    cacheable = False
    version = "7"

    def score_one(self, sample):
        return 1.0


def test_each_declared_trait_lands_in_the_policy():
    policy = policy_of(Traits())
    assert policy == RunPolicy(Isolation.THREADS, timeout=3.0, memory_mb=256, cacheable=False,
                               version="7")
    assert policy.cache_identity is None  # not cacheable: never cached


@pytest.mark.parametrize("reward, isolation", [
    (length(), Isolation.INLINE), (sleepy(), Isolation.INLINE),
    (misbehave(), Isolation.PROCESS), (AsyncReward(), Isolation.ASYNC),
    (PerNode(), Isolation.PER_NODE)])
def test_isolation_follows_the_declared_traits(reward, isolation):
    assert policy_of(reward).isolation is isolation


def test_a_duck_typed_reward_gets_a_policy_too():
    class Plain:
        name = "plain"
        cpu_bound = True

        def score(self, samples):
            return [1.0 for _ in samples]

    assert policy_of(Plain()).isolation is Isolation.PROCESS
    assert policy_of(Plain()).fingerprint is None  # no fingerprint(): never cached


def test_a_criterion_timeout_overrides_the_reward_s_own():
    policy = policy_of(Traits()).with_timeout(9.0)
    assert policy.timeout == 9.0 and policy.memory_mb == 256


def test_run_policy_must_return_a_run_policy():
    class Broken(Reward):
        def run_policy(self):
            return "process"

    with pytest.raises(TypeError, match="must return a RunPolicy"):
        policy_of(Broken())


class Recorder:
    """An executor that records which of its entry points the engine used."""

    def __init__(self):
        self.calls = []

    def map(self, reward, samples, timeout, resources=None, *, memory_mb=None):
        self.calls.append(("map", timeout, memory_mb))
        return [Score(1.0) for _ in samples]

    def map_per_node(self, reward, samples, timeout, *, concurrency=32):
        self.calls.append(("map_per_node", timeout, None))
        return [Score(2.0) for _ in samples]

    def parallelism(self, memory_mb=None):
        return 3

    def close(self):
        self.calls.append(("close", None, None))


def test_the_bench_timing_wrapper_forwards_per_node():
    wrapped = timed(PerNode())
    assert policy_of(wrapped).isolation is Isolation.PER_NODE
    executor = Recorder()
    scores = Engine(executor=executor).run(wrapped, [Sample("a"), Sample("b")])
    assert [s.value for s in scores] == [2.0, 2.0]
    assert executor.calls == [("map_per_node", None, None)]


def test_bench_runs_a_per_node_reward_on_the_executor_not_the_driver():
    executor = Recorder()
    cases = [Case(str(i), Sample(c), True, line=i + 1) for i, c in enumerate("ab")]
    result = run_reward(RewardSpec("n", "tests.core.rewards_for_tests:PerNode"), cases,
                        executor=executor)  # type: ignore[arg-type]
    assert [r.value for r in result.results] == [2.0, 2.0]
    assert {call[0] for call in executor.calls} == {"map_per_node"}  # warm-up included


def test_the_bench_timing_wrapper_forwards_memory_and_is_never_cached():
    reward = misbehave()
    reward.memory_limit_mb = 300
    policy = policy_of(timed(reward))
    assert (policy.isolation, policy.memory_mb, policy.cacheable) == (
        Isolation.PROCESS, 300, False)


def test_process_rewards_get_the_default_timeout_and_their_memory_limit():
    reward = misbehave()
    reward.memory_limit_mb = 300
    executor = Recorder()
    Engine(executor=executor).run(reward, [Sample("a")])
    assert executor.calls == [("map", DEFAULT_TIMEOUT, 300)]


def test_warm_up_feeds_every_worker_once_and_skips_in_process_rewards():
    executor = Recorder()
    engine = Engine(executor=executor)
    engine.warm_up(misbehave(), Sample(""))
    engine.warm_up(length(), Sample(""))  # in-process: nothing to start
    assert [c[0] for c in executor.calls] == ["map"]


def test_run_scores_with_a_shared_engine():
    assert [s.value for s in run(length(), [Sample("ab"), Sample("abc")])] == [2.0, 3.0]


def test_a_sync_reward_without_a_timeout_is_bounded_by_the_default(monkeypatch):
    import rewardkit.inprocess as inprocess

    monkeypatch.setattr(inprocess, "DEFAULT_TIMEOUT", 0.3)
    scores = Engine().run(sleepy(), [Sample("a"), Sample("sleep")])
    assert [s.status for s in scores] == [Status.TIMEOUT, Status.TIMEOUT]
    assert "default for a reward without a timeout" in scores[0].info["reason"]
