"""Where process and per-node rewards run: local worker processes (default) or Ray.

An executor maps one reward over a batch with a per-sample wall-clock deadline and returns
one Score per sample, in order; `timeout`, `error` and the other statuses mean the same on
every executor. `map` runs a process reward (``cpu_bound``) in killable workers;
`map_per_node` runs a per-node reward (one long-lived copy per node, in-process there);
`parallelism` says how many workers one `map` call feeds at once (for warm-up).
"""

from __future__ import annotations

from typing import Any, Mapping, Protocol, Sequence, runtime_checkable

from rewardkit.executors.config import ExecutorConfig, ExecutorSpec, executor_config
from rewardkit.inprocess import run_in_process
from rewardkit.types import Sample, Score
from rewardkit.workers import WorkerPool


@runtime_checkable
class Executor(Protocol):
    """What the engine needs of an executor."""

    def map(self, reward: Any, samples: Sequence[Sample], timeout: float | None,
            resources: Mapping[str, float] | None = None, *,
            memory_mb: int | None = None) -> list[Score]:
        """Score each sample in a killable worker under `timeout`; in input order."""
        ...

    def map_per_node(self, reward: Any, samples: Sequence[Sample], timeout: float | None, *,
                     concurrency: int = 32) -> list[Score]:
        """Score in-process on one long-lived copy of `reward` per node; in input order.

        `concurrency` caps the samples in flight where the executor has no setting of its
        own (Ray's is ``node_concurrency``)."""
        ...

    def parallelism(self, memory_mb: int | None = None) -> int:
        """How many workers one `map` call feeds at once."""
        ...

    def close(self) -> None:
        ...


__all__ = ["Executor", "ExecutorConfig", "ExecutorSpec", "LocalExecutor", "executor_config",
           "is_executor", "make_executor"]


def is_executor(value: Any) -> bool:
    """Whether `value` is a built executor (not a spec such as ``"ray"`` or a mapping)."""
    return isinstance(value, Executor)


class LocalExecutor:
    """Killable worker processes on this machine, one pool per memory limit."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers
        self._pools: dict[int | None, WorkerPool] = {}

    def pool(self, memory_limit_mb: int | None = None) -> WorkerPool:
        if memory_limit_mb not in self._pools:
            self._pools[memory_limit_mb] = WorkerPool(self.workers, memory_limit_mb)
        return self._pools[memory_limit_mb]

    def map(self, reward: Any, samples: Sequence[Sample], timeout: float | None,
            resources: Mapping[str, float] | None = None, *,
            memory_mb: int | None = None) -> list[Score]:
        return self.pool(memory_mb).map(reward, samples, timeout)

    def map_per_node(self, reward: Any, samples: Sequence[Sample], timeout: float | None, *,
                     concurrency: int = 32) -> list[Score]:
        """One node: this process is the reward's one long-lived copy."""
        return run_in_process(reward, list(samples), timeout, concurrency)

    def parallelism(self, memory_mb: int | None = None) -> int:
        return self.pool(memory_mb).size

    def close(self) -> None:
        for pool in self._pools.values():
            pool.close()
        self._pools.clear()


def make_executor(spec: ExecutorSpec, workers: int | None = None) -> Executor:
    """Build the executor a rubric or command line asks for (Ray is imported only here)."""
    config = executor_config(spec)
    if config.kind == "local":
        return LocalExecutor(workers)
    from rewardkit.executors.ray import RayExecutor  # optional extra: rewardkit[ray]

    return RayExecutor(config, workers)
