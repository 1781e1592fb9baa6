"""The shared retry policy (rewardkit.retry) with a fake clock and a recording sleep."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from rewardkit.retry import GaveUp, Retriable, RetryPolicy, retry_after_seconds

pytest.importorskip("tenacity")


class FakeTime:
    """A clock that only moves when slept on; records every sleep."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


@pytest.fixture
def fake():
    return FakeTime()


def policy(fake, **rules):
    return RetryPolicy(clock=fake.clock, sleep=fake.sleep, asleep=fake.asleep, **rules)


def script(*outcomes):
    """A function that raises or returns the next outcome on each call; counts calls."""
    calls = []

    def fn():
        outcome = outcomes[len(calls)]
        calls.append(outcome)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    return fn, calls


def test_retry_after_reads_seconds_and_http_dates():
    now = 1_445_412_480.0  # Wed, 21 Oct 2015 07:28:00 GMT
    assert retry_after_seconds("2.5") == 2.5 and retry_after_seconds("-3") == 0.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:30 GMT", now=lambda: now) == 30.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:30 -0000", now=lambda: now) == 30.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:27:00 GMT", now=lambda: now) == 0.0
    for bad in ("soon", "", None, "nan"):
        assert retry_after_seconds(bad) is None


def test_a_reply_carries_its_retry_after_header():
    failure = Retriable.from_reply("HTTP 429", {"retry-after": "7"})
    assert (str(failure), failure.retry_after) == ("HTTP 429", 7.0)
    assert Retriable.from_reply("HTTP 503", {}).retry_after is None


def test_retriable_statuses_are_408_429_and_5xx_only():
    rules = RetryPolicy()
    assert all(rules.retries_status(s) for s in (408, 429, 500, 502, 503, 504, 599))
    assert not any(rules.retries_status(s) for s in (200, 301, 400, 401, 404, 409, 422))


def test_the_wait_is_the_capped_retry_after_or_a_jittered_capped_backoff():
    rules = RetryPolicy(backoff=1.0, max_backoff=5.0, max_retry_after=20.0)
    assert rules.wait(0, Retriable("x", retry_after=3.0)) == 3.0
    assert rules.wait(0, Retriable("x", retry_after=3600.0)) == 20.0
    for retry, full in [(0, 1.0), (1, 2.0), (2, 4.0), (3, 5.0), (9, 5.0)]:
        assert full / 2 <= rules.wait(retry, Retriable("x")) <= full


def test_a_failure_then_success_sleeps_the_server_wait_then_returns(fake):
    fn, calls = script(Retriable("HTTP 503", retry_after=2.0), Retriable("HTTP 429", 1.0), "ok")
    seen = []
    assert policy(fake).call(fn, on_retry=lambda f, w: seen.append((str(f), w))) == "ok"
    assert len(calls) == 3 and fake.slept == [2.0, 1.0]
    assert seen == [("HTTP 503", 2.0), ("HTTP 429", 1.0)]


def test_a_failure_that_is_not_retriable_propagates_at_once(fake):
    fn, calls = script(ValueError("HTTP 400: bad request"), "never")
    with pytest.raises(ValueError, match="HTTP 400"):
        policy(fake).call(fn)
    assert len(calls) == 1 and fake.slept == []


def test_running_out_of_attempts_gives_up_with_the_last_failure(fake):
    fn, calls = script(*[Retriable(f"HTTP 500 #{i}", retry_after=0.0) for i in range(3)])
    with pytest.raises(GaveUp, match="gave up after 3 attempts; last: HTTP 500 #2") as info:
        policy(fake, retries=2).call(fn)
    assert (info.value.attempts, info.value.wait, len(calls)) == (3, None, 3)
    assert isinstance(info.value.last, Retriable)


def test_a_wait_that_would_pass_the_deadline_is_not_slept(fake):
    fn, calls = script(Retriable("HTTP 503", retry_after=1.0), Retriable("HTTP 429", 60.0), "ok")
    with pytest.raises(GaveUp, match="60.00 s wait would pass the deadline; last: HTTP 429") \
            as info:
        policy(fake).call(fn, deadline=fake.now + 10)
    assert (info.value.attempts, info.value.wait) == (2, 60.0)
    assert len(calls) == 2 and fake.slept == [1.0]


def test_the_async_call_follows_the_same_rules(fake):
    outcomes = iter([Retriable("connection failed"), Retriable("HTTP 503", 0.5), "done"])

    async def fn():
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    rules = policy(fake, backoff=0.2)
    assert asyncio.run(rules.acall(fn)) == "done"
    assert 0.1 <= fake.slept[0] <= 0.2 and fake.slept[1] == 0.5

    async def refused():
        raise KeyError("not retriable")

    with pytest.raises(KeyError):
        asyncio.run(rules.acall(refused))
    assert len(fake.slept) == 2


def test_no_retries_means_one_attempt(fake):
    fn, calls = script(Retriable("HTTP 502"), "never")
    with pytest.raises(GaveUp, match="gave up after 1 attempts"):
        dataclasses.replace(policy(fake), retries=0).call(fn)
    assert len(calls) == 1 and fake.slept == []
