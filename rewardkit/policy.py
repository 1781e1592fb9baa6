"""How a reward asks to be run: one frozen `RunPolicy` per reward.

A reward declares its traits as class (or instance) attributes, the way `Reward`
documents them:

  ``cpu_bound = True``     run in killable worker processes (`Isolation.PROCESS`)
  ``per_node = True``      an I/O-bound reward with a per-process pool (the code sandbox):
                           one long-lived copy per node on a multi-node executor
  ``async def score``      samples run concurrently on an event loop (`Isolation.ASYNC`)
  ``timeout``              seconds per sample (None: the default of its isolation, below)
  ``memory_limit_mb``      address-space limit of its worker processes
  ``cacheable = False``    never cached (sampling judges)
  ``version``              bump to invalidate cached scores
  ``fingerprint()``        the cache identity of the reward and its parameters

`policy_of` is the one place these traits are read; the scoring engine
(`rewardkit.engine`) is the one place a policy is acted on. A wrapper (bench's timing
wrapper, say) forwards its inner reward's policy by defining ``run_policy()``.

Default timeouts, when neither the criterion nor the reward sets one
(`DEFAULT_TIMEOUT`, 60 s per sample, for every isolation):

* process, async, threads and per-node rewards: 60 s per sample;
* plain sync rewards (inline, called once per batch for speed): the batch call gets
  60 s per sample of the batch; when it overruns, every row of that batch is `timeout`.
"""

from __future__ import annotations

import enum
import inspect
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import (Any, Awaitable, Callable, Optional, Protocol, Sequence, Union,
                    runtime_checkable)

from rewardkit.types import Sample, Score

DEFAULT_TIMEOUT = 60.0  # seconds per sample when neither the criterion nor the reward says


class Isolation(str, enum.Enum):
    """Where and how a reward's samples run."""

    INLINE = "inline"  # sync, whole batch in one call, in this process
    THREADS = "threads"  # sync, one sample per call on daemon threads (per-sample deadline)
    ASYNC = "async"  # ``async def score``: samples concurrently on an event loop
    PROCESS = "process"  # killable worker processes (``cpu_bound``)
    PER_NODE = "per_node"  # one long-lived copy per node on a multi-node executor

    def __str__(self) -> str:
        return self.value


@runtime_checkable
class RewardLike(Protocol):
    """What the engine needs of a reward: a name and a batched ``score`` (sync or async)."""

    name: str

    def score(self, samples: Sequence[Sample]) -> Union[list[Score], Awaitable[list[Score]]]:
        ...


@dataclass(frozen=True)
class RunPolicy:
    """A reward's run traits as one value (see the module docstring)."""

    isolation: Isolation = Isolation.INLINE
    timeout: float | None = None  # declared seconds per sample (None: DEFAULT_TIMEOUT applies)
    memory_mb: int | None = None  # worker address-space limit (process isolation)
    cacheable: bool = True
    version: str = "1"
    identity: Optional[Callable[[], str]] = field(default=None, compare=False, repr=False)
    """Computes the cache identity (the reward's ``fingerprint``); None: never cached."""

    def with_timeout(self, timeout: float | None) -> "RunPolicy":
        """This policy with a criterion's timeout (None keeps the reward's own)."""
        if timeout is None or timeout == self.timeout:
            return self
        return replace(self, timeout=timeout)

    @property
    def in_process(self) -> bool:
        """Whether the samples run in the calling process (not in workers or on nodes)."""
        return self.isolation in (Isolation.INLINE, Isolation.THREADS, Isolation.ASYNC)

    @cached_property
    def fingerprint(self) -> str | None:
        """The reward's cache identity (computed on first use), None when it has none."""
        return self.identity() if self.identity is not None else None

    @property
    def cache_identity(self) -> str | None:
        """What the score cache keys on, or None when this reward is never cached."""
        return self.fingerprint if self.cacheable else None


def is_async(reward: Any) -> bool:
    """Whether `reward.score` is ``async def``."""
    return inspect.iscoroutinefunction(getattr(reward, "score", None))


def policy_of(reward: Any) -> RunPolicy:
    """The reward's `RunPolicy`: its own ``run_policy()``, else read from its traits."""
    declared = getattr(reward, "run_policy", None)
    if callable(declared):
        policy = declared()
        if not isinstance(policy, RunPolicy):
            raise TypeError(f"{type(reward).__name__}.run_policy() must return a RunPolicy, "
                            f"not {type(policy).__name__}")
        return policy
    return traits_policy(reward)


def traits_policy(reward: Any) -> RunPolicy:
    """A `RunPolicy` from the declared traits of `reward` (the attributes listed above)."""
    if getattr(reward, "cpu_bound", False):
        isolation = Isolation.PROCESS
    elif getattr(reward, "per_node", False):
        isolation = Isolation.PER_NODE
    elif is_async(reward):
        isolation = Isolation.ASYNC
    else:
        isolation = Isolation.THREADS if getattr(reward, "timeout", None) else Isolation.INLINE
    fingerprint = getattr(reward, "fingerprint", None)
    return RunPolicy(
        isolation=isolation,
        timeout=getattr(reward, "timeout", None),
        memory_mb=getattr(reward, "memory_limit_mb", None),
        cacheable=bool(getattr(reward, "cacheable", True)),
        version=str(getattr(reward, "version", "1")),
        identity=fingerprint if callable(fingerprint) else None,
    )
