"""The scoring engine: runs one reward over a batch, within budget, and never loses a row.

How a reward runs depends on what it declares:

* ``cpu_bound = True``: on the executor (`rewardkit.executors`): by default killable local
  worker processes (`rewardkit.workers`) with a wall-clock deadline per sample; a worker
  that overruns is killed and replaced.
* ``per_node = True`` (an I/O-bound reward with a per-process pool, such as the code
  sandbox) on a multi-node executor: one long-lived copy per node, each scoring its share
  with the rules below.
* ``async def score``: samples run concurrently on an event loop (at most `concurrency`
  at once), each under ``asyncio.wait_for``.
* plain sync, no timeout: the whole batch in one call, in this thread (no overhead).
* plain sync with a timeout: samples run on daemon threads; an overrunning sample is
  scored `timeout` and its thread abandoned (threads cannot be killed: declare
  ``cpu_bound = True`` for rewards that may spin).

A reward that raises on a batch is retried sample by sample, so one bad sample gets an
`error` score and the others keep theirs.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
import time
from typing import Any, Coroutine, Mapping, Sequence

from rewardkit.cache import ScoreCache, reward_identity, sample_key
from rewardkit.executors import (Executor, ExecutorSpec, LocalExecutor, executor_config,
                                 make_executor)
from rewardkit.types import Sample, Score
from rewardkit.workers import WorkerPool, call_score, error_score


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


def is_async(reward: Any) -> bool:
    return inspect.iscoroutinefunction(getattr(reward, "score", None))


class Engine:
    """Runs rewards over batches; owns the worker pools and the cache."""

    def __init__(self, workers: int | None = None, concurrency: int = 32,
                 cache: ScoreCache | None = None, executor: ExecutorSpec | Executor = None) -> None:
        self.workers = workers
        self.concurrency = max(1, concurrency)
        self.cache = cache
        self._executor_spec = executor
        self._executor: Executor | None = None

    @property
    def executor(self) -> Executor:
        """Where CPU-bound rewards run; built on first use."""
        if self._executor is None:
            spec = self._executor_spec
            self._executor = spec if hasattr(spec, "map") else make_executor(spec, self.workers)
        return self._executor

    def _distributed(self) -> bool:
        """Whether the executor spreads I/O-bound work over nodes (Ray), not just this one."""
        spec = self._executor_spec
        if hasattr(spec, "map"):
            return hasattr(spec, "map_per_node")
        return executor_config(spec).kind != "local" and hasattr(self.executor, "map_per_node")

    def pool(self, memory_limit_mb: int | None = None) -> WorkerPool:
        """The local worker pool (for the local executor)."""
        executor = self.executor
        if not isinstance(executor, LocalExecutor):
            raise TypeError("pool() is only available with the local executor")
        return executor.pool(memory_limit_mb)

    def run(self, reward: Any, samples: Sequence[Sample], timeout: float | None = None,
            resources: Mapping[str, float] | None = None) -> list[Score]:
        """One Score per sample, in order, whatever the reward does.

        `resources` (e.g. ``{"num_cpus": 2}``) is passed to the executor for CPU-bound
        rewards; the local executor ignores it.
        """
        samples = list(samples)
        identity = reward_identity(reward) if self.cache is not None else None
        if identity is None:
            return self._execute(reward, samples, timeout, resources)
        keys = [sample_key(identity, s) for s in samples]
        results = [self.cache.get(k) for k in keys]
        todo = [i for i, r in enumerate(results) if r is None]
        fresh = self._execute(reward, [samples[i] for i in todo], timeout, resources) if todo else []
        for i, score in zip(todo, fresh):
            results[i] = score
        self.cache.put_many([(keys[i], s) for i, s in zip(todo, fresh)])
        return results  # type: ignore[return-value]

    def _execute(self, reward: Any, samples: list[Sample], timeout: float | None,
                 resources: Mapping[str, float] | None = None) -> list[Score]:
        if not samples:
            return []
        if getattr(reward, "cpu_bound", False):
            return self.executor.map(reward, samples, timeout, resources)
        if getattr(reward, "per_node", False) and self._distributed():
            return self.executor.map_per_node(reward, samples, timeout)  # type: ignore[attr-defined]
        if is_async(reward):
            return run_coroutine(self._run_async(reward, samples, timeout))
        if timeout is None:
            return self._run_direct(reward, samples)
        return self._run_threads(reward, samples, timeout)

    @staticmethod
    def _run_direct(reward: Any, samples: list[Sample]) -> list[Score]:
        try:
            return call_score(reward, samples)
        except Exception as exc:
            if len(samples) == 1:
                return [error_score(exc)]
        return [Engine._run_direct(reward, [s])[0] for s in samples]

    async def _run_async(self, reward: Any, samples: list[Sample],
                         timeout: float | None) -> list[Score]:
        gate = asyncio.Semaphore(self.concurrency)

        async def one(sample: Sample) -> Score:
            async with gate:
                try:
                    result = await asyncio.wait_for(reward.score([sample]), timeout)
                    return call_score(_Fixed(result), [sample])[0]
                except asyncio.TimeoutError:
                    return Score.timeout(timeout or 0.0)
                except Exception as exc:
                    return error_score(exc)

        return list(await asyncio.gather(*(one(s) for s in samples)))

    def _run_threads(self, reward: Any, samples: list[Sample], timeout: float) -> list[Score]:
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
                except Exception as exc:
                    score = error_score(exc)
                with cond:
                    overran = started.pop(index, None) is None
                    settle(index, score)
                if overran:  # a replacement thread took this one's place
                    return

        def spawn(count: int) -> None:
            for _ in range(count):
                threading.Thread(target=work, daemon=True, name="rewardkit-reward").start()

        spawn(min(self.concurrency, len(samples)))
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

    def close(self) -> None:
        if self._executor is not None and self._executor is not self._executor_spec:
            self._executor.close()
        self._executor = None


class _Fixed:
    """Wraps an already computed result so `call_score` validates it."""

    def __init__(self, result: Any) -> None:
        self.result = result

    def score(self, samples: Any) -> Any:
        return self.result
