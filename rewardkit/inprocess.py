"""Running a reward in the calling process: the in-process strategies of the engine.

This module sits low in the import graph (it needs only the reward contract), so the
engine, the worker processes and the Ray node actors all share it:

* `call_score`: call ``reward.score`` (sync or async) and check what came back: one
  `Score` per sample, a number turned into a Score, a non-finite value turned into an
  `error` with the reason;
* `run_in_process`: one Score per sample, in order, for the in-process isolations of a
  `RunPolicy` (inline, threads, async), whatever the reward does.

A reward that raises on a batch is retried sample by sample, so one bad sample gets an
`error` score and the others keep theirs.
"""

from __future__ import annotations

import asyncio
import inspect
import math
import threading
import time
import traceback
from typing import Any, Coroutine, Sequence

from rewardkit.policy import DEFAULT_TIMEOUT, is_async
from rewardkit.reward import non_finite_error, to_score
from rewardkit.types import Sample, Score, Status


def run_coroutine(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run `coro` to completion, also when this thread already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
            box["error"] = exc

    thread = threading.Thread(target=target, name="rewardkit-loop")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


async def _await(awaitable: Any) -> Any:
    return await awaitable


def call_score(reward: Any, samples: Sequence[Sample]) -> list[Score]:
    """Call ``reward.score`` (sync or async) and check it returned one Score per sample."""
    result = reward.score(list(samples))
    if inspect.isawaitable(result):
        result = run_coroutine(_await(result))
    scores = result if type(result) is list else list(result)
    for i, value in enumerate(scores):
        if type(value) is not Score:
            value = scores[i] = to_score(value)
        number = value.value
        if number is not None and not math.isfinite(number):
            scores[i] = non_finite_error(number, value.info)
    if len(scores) != len(samples):
        raise ValueError(
            f"reward '{getattr(reward, 'name', reward)}' returned {len(scores)} scores "
            f"for {len(samples)} samples"
        )
    return scores


def error_score(exc: BaseException) -> Score:
    """An `error` Score for an exception a reward raised, with its traceback's tail."""
    return Score.error(f"{type(exc).__name__}: {exc}",
                       traceback="".join(traceback.format_exception(exc))[-4000:])


class Computed:
    """An already computed result, so `call_score` validates it like any other."""

    def __init__(self, result: Any, name: str = "reward") -> None:
        self.result = result
        self.name = name

    def score(self, samples: Any) -> Any:
        return self.result


def run_in_process(reward: Any, samples: list[Sample], timeout: float | None,
                   concurrency: int = 32) -> list[Score]:
    """One Score per sample, in order, scored in this process (see `rewardkit.engine`).

    Async rewards run concurrently, each sample under `timeout`; sync rewards with a
    `timeout` run sample by sample on threads; without one, the whole batch in one call
    under the default bound (`rewardkit.policy.DEFAULT_TIMEOUT` per sample).
    """
    if not samples:
        return []
    if is_async(reward):
        return run_coroutine(run_async(reward, samples, timeout or DEFAULT_TIMEOUT,
                                       concurrency))
    if timeout is None:
        return run_watched(reward, samples, DEFAULT_TIMEOUT * len(samples))
    return run_threads(reward, samples, timeout, concurrency)


def run_direct(reward: Any, samples: list[Sample]) -> list[Score]:
    """The whole batch in one call, in this thread; on an exception, sample by sample."""
    try:
        return call_score(reward, samples)
    except Exception as exc:  # noqa: BLE001 - retried sample by sample
        if len(samples) == 1:
            return [error_score(exc)]
    return [run_direct(reward, [s])[0] for s in samples]


def run_watched(reward: Any, samples: list[Sample], deadline_s: float) -> list[Score]:
    """`run_direct` on a daemon thread, under one deadline for the whole batch call.

    The bound for a sync reward without a timeout: a batch call that never returns
    gives every row a `timeout` (its thread is abandoned) instead of a hang.
    """
    box: list[list[Score]] = []
    thread = threading.Thread(target=lambda: box.append(run_direct(reward, samples)),
                              daemon=True, name="rewardkit-reward")
    thread.start()
    thread.join(deadline_s)
    if box:
        return box[0]
    reason = (f"the batch call ran past {deadline_s:g} s ({DEFAULT_TIMEOUT:g} s per sample, "
              "the default for a reward without a timeout); its thread was abandoned. Give "
              "the criterion a `timeout` (or the reward cpu_bound = True) to bound each sample")
    return [Score(None, Status.TIMEOUT, {"reason": reason, "abandoned_thread": True})
            for _ in samples]


async def run_async(reward: Any, samples: list[Sample], timeout: float,
                    concurrency: int) -> list[Score]:
    """Each sample on the event loop under its own deadline, at most `concurrency` at once."""
    gate = asyncio.Semaphore(max(1, concurrency))
    name = getattr(reward, "name", "reward")

    async def one(sample: Sample) -> Score:
        async with gate:
            try:
                result = await asyncio.wait_for(reward.score([sample]), timeout)
                return call_score(Computed(result, name), [sample])[0]
            except asyncio.TimeoutError:
                return Score.timeout(timeout)
            except Exception as exc:  # noqa: BLE001 - a reward's failure is this sample's error
                return error_score(exc)

    return list(await asyncio.gather(*(one(s) for s in samples)))


def run_threads(reward: Any, samples: list[Sample], timeout: float,
                concurrency: int) -> list[Score]:
    """Samples on daemon threads, each under `timeout`; an overrun is abandoned.

    State: ``todo`` (indices not started, popped in order), ``started`` (index -> start
    time, while running), ``results``. A sample leaves ``started`` either when its thread
    finishes or when the watcher (this thread) times it out; in the second case a
    replacement thread takes its place and the overrunning thread exits when it returns.
    """
    results: list[Score | None] = [None] * len(samples)
    todo = list(range(len(samples) - 1, -1, -1))
    started: dict[int, float] = {}
    cond = threading.Condition()
    remaining = [len(samples)]

    def settle(index: int, score: Score) -> None:
        if results[index] is None:
            results[index] = score
            remaining[0] -= 1
            cond.notify_all()

    def work() -> None:
        while True:
            with cond:
                if not todo:
                    return
                index = todo.pop()
                started[index] = time.monotonic()
            try:
                score = call_score(reward, [samples[index]])[0]
            except Exception as exc:  # noqa: BLE001 - a reward's failure is this sample's error
                score = error_score(exc)
            with cond:
                overran = started.pop(index, None) is None
                settle(index, score)
            if overran:  # a replacement thread took this one's place
                return

    def spawn(count: int) -> None:
        for _ in range(count):
            threading.Thread(target=work, daemon=True, name="rewardkit-reward").start()

    spawn(min(max(1, concurrency), len(samples)))
    with cond:
        while remaining[0]:
            now = time.monotonic()
            for index in [i for i, t in started.items() if now - t >= timeout]:
                del started[index]
                settle(index, Score.timeout(timeout, abandoned_thread=True))
                spawn(1)
            next_due = min(started.values(), default=now) + timeout
            cond.wait(timeout=max(0.001, next_due - now) if started else 0.05)
    return results  # type: ignore[return-value]
