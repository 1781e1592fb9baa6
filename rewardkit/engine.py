"""How a reward runs: the one place a reward's `RunPolicy` is acted on.

`run(reward, samples)` (or an `Engine`, which keeps worker processes and the cache
between calls) scores one reward over a batch, within budget, and never loses a row.
Where the samples run follows the reward's policy (`rewardkit.policy.policy_of`):

* ``process`` (``cpu_bound = True``): on the executor (`rewardkit.executors`): by default
  killable local worker processes (`rewardkit.workers`) with a wall-clock deadline per
  sample; a worker that overruns is killed and replaced.
* ``per_node`` (an I/O-bound reward with a per-process pool, such as the code sandbox):
  on a multi-node executor one long-lived copy per node, each scoring its share with the
  in-process rules below; on the local executor, in this process.
* ``async`` (``async def score``): samples run concurrently on an event loop (at most
  `concurrency` at once), each under ``asyncio.wait_for``.
* ``inline`` (plain sync, no timeout): the whole batch in one call (no per-sample
  overhead), bounded by the default timeout (`rewardkit.policy`).
* ``threads`` (plain sync with a timeout): samples run on daemon threads; an overrunning
  sample is scored `timeout` and its thread abandoned (threads cannot be killed: declare
  ``cpu_bound = True`` for rewards that may spin).

The in-process strategies live in `rewardkit.inprocess`. A criterion's timeout overrides
the reward's own; without either, `rewardkit.policy.DEFAULT_TIMEOUT` applies.
"""

from __future__ import annotations

import atexit
from typing import Any, Mapping, Sequence

from rewardkit.cache import ScoreCache, sample_key
from rewardkit.executors import Executor, ExecutorSpec, make_executor
from rewardkit.inprocess import run_in_process
from rewardkit.policy import DEFAULT_TIMEOUT, Isolation, RunPolicy, is_async, policy_of
from rewardkit.types import Sample, Score

__all__ = ["Engine", "run", "close_workers", "is_async", "WARM_UP_TIMEOUT"]

WARM_UP_TIMEOUT = 120.0  # seconds a warm-up sample may take (imports, model loading)


class Engine:
    """Runs rewards over batches; owns the executor (worker processes) and the cache."""

    def __init__(self, workers: int | None = None, concurrency: int = 32,
                 cache: ScoreCache | None = None, executor: ExecutorSpec | Executor = None) -> None:
        self.workers = workers
        self.concurrency = max(1, concurrency)
        self.cache = cache
        self._executor_spec = executor
        self._executor: Executor | None = None

    @property
    def executor(self) -> Executor:
        """Where process and per-node rewards run; built on first use."""
        if self._executor is None:
            spec = self._executor_spec
            if isinstance(spec, Executor):
                self._executor = spec
            else:
                self._executor = make_executor(spec, self.workers)
        return self._executor

    def pool(self, memory_limit_mb: int | None = None) -> Any:
        """The local worker pool (for the local executor)."""
        from rewardkit.executors import LocalExecutor

        executor = self.executor
        if not isinstance(executor, LocalExecutor):
            raise TypeError("pool() is only available with the local executor")
        return executor.pool(memory_limit_mb)

    def run(self, reward: Any, samples: Sequence[Sample], timeout: float | None = None,
            resources: Mapping[str, float] | None = None) -> list[Score]:
        """One Score per sample, in order, whatever the reward does.

        `timeout` (a criterion's) overrides the reward's own. `resources` (e.g.
        ``{"num_cpus": 2}``) is passed to the executor for process rewards; the local
        executor ignores it.
        """
        samples = list(samples)
        policy = policy_of(reward).with_timeout(timeout)
        identity = policy.cache_identity if self.cache is not None else None
        if identity is None or self.cache is None:
            return self._execute(reward, samples, policy, resources)
        cache = self.cache
        keys = [sample_key(identity, s) for s in samples]
        results = [cache.get(k) for k in keys]
        todo = [i for i, r in enumerate(results) if r is None]
        fresh = self._execute(reward, [samples[i] for i in todo], policy, resources) if todo else []
        for i, score in zip(todo, fresh):
            results[i] = score
        cache.put_many([(keys[i], s) for i, s in zip(todo, fresh)])
        return results  # type: ignore[return-value]

    def _execute(self, reward: Any, samples: list[Sample], policy: RunPolicy,
                 resources: Mapping[str, float] | None = None) -> list[Score]:
        if not samples:
            return []
        if policy.isolation is Isolation.PROCESS:
            timeout = policy.timeout or DEFAULT_TIMEOUT
            return self.executor.map(reward, samples, timeout, resources,
                                     memory_mb=policy.memory_mb)
        if policy.isolation is Isolation.PER_NODE:
            return self.executor.map_per_node(reward, samples, policy.timeout,
                                              concurrency=self.concurrency)
        return run_in_process(reward, samples, policy.timeout, self.concurrency)

    def warm_up(self, reward: Any, sample: Sample, *, resources: Mapping[str, float] | None = None,
                in_process: bool = False, timeout: float = WARM_UP_TIMEOUT) -> None:
        """Score `sample` once per worker (process rewards) and drop the results.

        A cold worker imports its reward (sympy, a model, ...) on its first sample; on a
        loaded machine that alone can overrun a per-sample timeout. With `in_process`,
        in-process rewards are called once too (bench: one-time costs stay out of the
        latency); otherwise only process rewards are warmed (no judge call at start-up).
        """
        policy = policy_of(reward)
        if policy.isolation is Isolation.PROCESS:
            copies = self.executor.parallelism(policy.memory_mb)
        elif in_process:
            copies = 1
        else:
            return
        budget = max(timeout, policy.timeout or 0.0)
        self.run(reward, [sample] * copies, budget, resources)

    def close(self) -> None:
        if self._executor is not None and self._executor is not self._executor_spec:
            self._executor.close()
        self._executor = None


_DEFAULT_ENGINES: dict[int | None, Engine] = {}


def _default_engine(workers: int | None) -> Engine:
    if workers not in _DEFAULT_ENGINES:
        if not _DEFAULT_ENGINES:
            atexit.register(close_workers)
        _DEFAULT_ENGINES[workers] = Engine(workers)
    return _DEFAULT_ENGINES[workers]


def close_workers() -> None:
    """Stop the worker processes `run` keeps between calls (they restart on demand)."""
    for engine in _DEFAULT_ENGINES.values():
        engine.close()
    _DEFAULT_ENGINES.clear()


def run(reward: Any, samples: Sequence[Sample], *, timeout: float | None = None,
        resources: Mapping[str, float] | None = None, executor: ExecutorSpec | Executor = None,
        cache: ScoreCache | None = None, workers: int | None = None) -> list[Score]:
    """Score `samples` with `reward` the way its policy asks; one Score per sample.

    Without `executor` and `cache`, a process-wide engine (one per `workers` value) keeps
    the worker processes between calls and closes them at exit; otherwise a temporary
    engine is built and closed.

    >>> from rewardkit import Sample, per_sample, run
    >>> @per_sample
    ... def short(sample):
    ...     return len(sample.completion_text) < 5
    >>> [s.value for s in run(short(), [Sample("hi"), Sample("too long")])]
    [1.0, 0.0]
    """
    if executor is None and cache is None:
        return _default_engine(workers).run(reward, samples, timeout, resources)
    engine = Engine(workers, cache=cache, executor=executor)
    try:
        return engine.run(reward, samples, timeout, resources)
    finally:
        engine.close()
