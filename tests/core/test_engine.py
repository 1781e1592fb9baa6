"""The scoring engine: timeouts, crashes and errors never lose a row."""

import time

import psutil
import pytest

from rewardkit import Sample, Status
from rewardkit.engine import Engine
from tests.core.rewards_for_tests import (AsyncReward, InFlight, SlowToLoad, WrongLength, length,
                                         misbehave, sleepy)


def statuses(scores):
    return [s.status for s in scores]


@pytest.fixture
def engine():
    e = Engine(workers=2)
    yield e
    e.close()


def descendants():
    return psutil.Process().children(recursive=True)


def eventually(condition, within=10.0):
    """Poll `condition` until it holds or `within` seconds pass; returns its last value."""
    deadline = time.monotonic() + within
    while not (result := condition()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return result


def test_cpu_bound_spinning_reward_is_cut_off_and_the_worker_replaced(engine):
    scores = engine.run(misbehave(), [Sample("ab"), Sample("spin"), Sample("abc")], timeout=1.0)
    assert statuses(scores) == [Status.OK, Status.TIMEOUT, Status.OK]
    assert [scores[0].value, scores[2].value] == [2.0, 3.0]
    assert engine.pool().replaced == 1
    again = engine.run(misbehave(), [Sample("abcd")], timeout=1.0)  # the pool still works
    assert again[0].value == 4.0


def test_big_integer_arithmetic_is_interrupted(engine):
    scores = engine.run(misbehave(), [Sample("bigint")], timeout=0.5)
    assert scores[0].status is Status.TIMEOUT and "worker killed" in scores[0].info["reason"]
    assert engine.pool().replaced == 1  # killed mid-arithmetic, not left to finish


def test_raising_sample_gets_an_error_and_the_others_keep_their_scores(engine):
    scores = engine.run(misbehave(), [Sample("raise"), Sample("a")], timeout=5)
    assert statuses(scores) == [Status.ERROR, Status.OK]
    assert "ValueError: bad sample" in scores[0].info["reason"]


def test_a_worker_that_dies_is_reported_and_replaced(engine):
    scores = engine.run(misbehave(), [Sample("die"), Sample("ab")], timeout=5)
    assert statuses(scores) == [Status.ERROR, Status.OK]
    assert "exit code 7" in scores[0].info["reason"]


def test_processes_a_reward_started_die_with_its_worker(engine):
    scores = engine.run(misbehave(), [Sample("child")], timeout=1.0)
    assert scores[0].status is Status.TIMEOUT

    def no_sleeper():
        try:
            return not [p for p in descendants() if "sleep" in " ".join(p.cmdline())]
        except psutil.NoSuchProcess:  # one ended while we looked: look again
            return False

    assert eventually(no_sleeper)


def live_descendants():
    return {p.pid for p in descendants() if p.status() != psutil.STATUS_ZOMBIE}


def test_no_stray_process_after_close():
    warm = Engine(workers=1)  # starts multiprocessing's shared fork server first
    warm.run(misbehave(), [Sample("a")], timeout=5)
    warm.close()
    baseline = live_descendants()
    e = Engine(workers=2)
    e.run(misbehave(), [Sample("spin"), Sample("spin"), Sample("a")], timeout=0.5)
    assert len(live_descendants() - baseline) == 2  # the two live workers
    e.close()
    assert eventually(lambda: live_descendants() - baseline == set())


def test_memory_limit_turns_a_memory_bomb_into_an_error():
    reward = misbehave()
    reward.memory_limit_mb = 512
    e = Engine(workers=1)
    try:
        scores = e.run(reward, [Sample("memory"), Sample("ok")], timeout=10)
    finally:
        e.close()
    assert statuses(scores) == [Status.ERROR, Status.OK]
    assert "memory" in scores[0].info["reason"].lower()


def test_sync_reward_with_timeout_abandons_the_sleeping_sample(engine):
    scores = engine.run(sleepy(), [Sample("a"), Sample("sleep"), Sample("b")], timeout=0.5)
    assert statuses(scores) == [Status.OK, Status.TIMEOUT, Status.OK]


def test_async_reward_runs_each_sample_under_its_own_deadline(engine):
    scores = engine.run(AsyncReward(), [Sample("a"), Sample("sleep"), Sample("raise")], timeout=0.5)
    assert statuses(scores) == [Status.OK, Status.TIMEOUT, Status.ERROR]
    assert "async failure" in scores[2].info["reason"]


def test_async_reward_runs_inside_a_running_event_loop(engine):
    import asyncio

    async def main():
        return engine.run(AsyncReward(), [Sample("a")], timeout=1)

    assert asyncio.run(main())[0].value == 1.0


def test_async_samples_run_concurrently_up_to_the_cap():
    probe = InFlight()
    scores = Engine(concurrency=4).run(probe, [Sample("a")] * 12, timeout=5)
    assert statuses(scores) == [Status.OK] * 12
    assert probe.most == 4  # all at once up to the cap, never more


def test_async_samples_that_all_hang_each_get_a_timeout(engine):
    scores = engine.run(AsyncReward(), [Sample("sleep")] * 20, timeout=0.5)
    assert statuses(scores) == [Status.TIMEOUT] * 20


def test_wrong_number_of_scores_is_an_error_for_every_sample(engine):
    scores = engine.run(WrongLength(), [Sample("a"), Sample("b")])
    assert statuses(scores) == [Status.ERROR, Status.ERROR]
    assert "returned 2 scores for 1 samples" in scores[0].info["reason"]


def test_in_process_batch_is_called_once_when_nothing_fails(engine):
    reward = length()
    calls = []
    score = reward.score
    reward.score = lambda samples: calls.append(len(samples)) or score(samples)
    scores = engine.run(reward, [Sample("a"), Sample("ab")])
    assert [s.value for s in scores] == [1.0, 2.0]
    assert calls == [2]  # one call for the whole batch


def test_empty_batch_returns_nothing(engine):
    assert engine.run(misbehave(), [], timeout=1) == []


def test_loading_a_reward_in_a_fresh_worker_does_not_eat_the_sample_budget(engine):
    scores = engine.run(SlowToLoad(), [Sample("a"), Sample("b")], timeout=1.0)
    assert statuses(scores) == [Status.OK, Status.OK]


def test_a_replacement_worker_loads_before_its_sample_clock_starts(engine):
    scores = engine.run(SlowToLoad(), [Sample("a")], timeout=1.0)
    assert scores[0].ok
    spin = engine.run(misbehave(), [Sample("spin"), Sample("ab")], timeout=1.0)
    assert statuses(spin) == [Status.TIMEOUT, Status.OK]
