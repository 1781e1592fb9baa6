"""The Ray executor: CPU-bound rewards scored by actors spread over a Ray cluster.

Each actor holds a local `rewardkit.workers.WorkerPool` of one worker process, so a
per-sample deadline, a killed and replaced worker, and every status mean exactly what they
mean on the local executor: Ray only decides where the actors run. A batch is cut into
chunks (a few per actor, so per-task overhead stays small) and at most `max_in_flight`
chunks are outstanding at once (back-pressure); results come back in input order.

Ray is an optional extra (``pip install 'rewardkit[ray]'``) imported only when this
executor is built. With an `address` it joins that cluster; otherwise it reuses an
initialised Ray or starts a local instance (all CPUs, no dashboard, worker logs kept off
the driver).

>>> rubric = Rubric.from_dict({..., "executor": {"kind": "ray", "num_cpus": 1}})  # doctest: +SKIP
"""

from __future__ import annotations

import functools
import math
import os
import sys
import threading
from collections import deque
from typing import Any, Callable, Mapping, Sequence

from rewardkit.errors import ConfigError
from rewardkit.executors.config import ExecutorConfig
from rewardkit.inprocess import run_in_process
from rewardkit.types import Sample, Score
from rewardkit.workers import WorkerPool

CHUNKS_PER_ACTOR = 4
MAX_AUTO_CHUNK = 64
MAX_CHUNK_RETRIES = 3  # a chunk whose actor died is tried again, at most this many times
# (and at most once per actor: a lost node takes all of its actors with it)

ShapeKey = tuple[tuple[tuple[str, Any], ...], "int | None"]
PER_NODE: ShapeKey = (("per_node", "1"),), None  # the group of one NodeActor per node


def init_kwargs(config: ExecutorConfig) -> dict[str, Any]:
    """Arguments for ``ray.init``: join `address`, or start a quiet local instance."""
    if config.address:
        return {"address": config.address, "log_to_driver": False}
    return {"num_cpus": os.cpu_count() or 1, "include_dashboard": False, "log_to_driver": False}


def actor_options(config: ExecutorConfig, resources: Mapping[str, float] | None) -> dict[str, Any]:
    """Ray actor options for one resource shape.

    ``num_cpus`` (default: the executor's), ``num_gpus`` and ``memory`` map to Ray's own
    options; any other key is a custom resource (``{"sandbox": 1}``).
    """
    rest = dict(resources or {})
    options: dict[str, Any] = {"num_cpus": float(rest.pop("num_cpus", config.num_cpus))}
    for key in ("num_gpus", "memory"):
        if key in rest:
            options[key] = rest.pop(key)
    if rest:
        options["resources"] = {k: float(v) for k, v in rest.items()}
    return options


def chunk_bounds(n: int, actors: int, chunk_size: int | None = None) -> list[tuple[int, int]]:
    """``[start, stop)`` ranges covering ``range(n)``, about four chunks per actor."""
    size = chunk_size or min(MAX_AUTO_CHUNK, max(1, math.ceil(n / (actors * CHUNKS_PER_ACTOR))))
    return [(start, min(n, start + size)) for start in range(0, n, size)]


def wanted(options: Mapping[str, Any]) -> dict[str, float]:
    """The Ray resources (``CPU``, ``GPU``, ``memory``, custom) one actor takes."""
    need = {"CPU": options.get("num_cpus", 0), "GPU": options.get("num_gpus", 0),
            "memory": options.get("memory", 0), **options.get("resources", {})}
    return {k: float(v) for k, v in need.items() if v}


def fitting_count(options: Mapping[str, Any], free: Mapping[str, float]) -> int:
    """How many actors with `options` the `free` resources hold (at least 1)."""
    need = wanted(options)
    if not need:
        return max(1, int(free.get("CPU", 1)))
    return max(1, min(int(free.get(k, 0.0) // v) for k, v in need.items()))


def fits_some_node(options: Mapping[str, Any], nodes: Sequence[Mapping[str, Any]]) -> bool:
    """Whether one alive node's total resources can hold one actor with `options`."""
    need = wanted(options)
    for node in nodes:
        have = node.get("Resources", {})
        if node.get("Alive", True) and all(have.get(k, 0) >= v for k, v in need.items()):
            return True
    return False


class ScoringActor:
    """Lives in a Ray worker process: one local worker process scores its chunks."""

    def __init__(self, driver_path: Sequence[str], memory_limit_mb: int | None) -> None:
        # Rewards pickle by reference: make the driver's modules importable here (the
        # entries that exist on this node), and so in the worker process forked from us.
        sys.path.extend(p for p in driver_path if p not in sys.path and os.path.isdir(p))
        self.pool = WorkerPool(size=1, memory_limit_mb=memory_limit_mb)
        # Start the worker now (a fresh interpreter importing rewardkit), so its start-up
        # never counts against a deadline.
        self.pool.start()

    def ready(self) -> bool:
        return True

    def score(self, reward: Any, samples: list[Sample], timeout: float | None) -> list[Score]:
        return self.pool.map(reward, samples, timeout)

    def close(self) -> None:
        self.pool.close()


class NodeActor:
    """One per node: scores I/O-bound rewards in-process (`rewardkit.inprocess`), in one
    long-lived process, so a reward's process-wide resources (a sandbox pool) exist once
    per node."""

    def __init__(self, driver_path: Sequence[str], concurrency: int) -> None:
        sys.path.extend(p for p in driver_path if p not in sys.path and os.path.isdir(p))
        self.concurrency = concurrency

    def ready(self) -> bool:
        return True

    def score(self, reward: Any, samples: list[Sample], timeout: float | None) -> list[Score]:
        return run_in_process(reward, samples, timeout, self.concurrency)

    def close(self) -> None:
        pass


class _Group:
    """The actors of one resource shape; `starting` maps a slot to its actor's ready ref
    while that actor is not yet scheduled and constructed (it gets no chunks until then)."""

    def __init__(self, factories: Sequence[Callable[[], Any]], options: dict[str, Any]) -> None:
        self.factories = factories  # slot -> makes that slot's actor (again, after a loss)
        self.actors = [make() for make in factories]
        self.starting = {i: a.ready.remote() for i, a in enumerate(self.actors)}
        self.options = options

    def replace(self, slot: int) -> None:
        self.actors[slot] = self.factories[slot]()
        self.starting[slot] = self.actors[slot].ready.remote()


class RayExecutor:
    """Runs CPU-bound rewards on Ray actors; one Score per sample, in input order."""

    def __init__(self, config: ExecutorConfig | None = None, workers: int | None = None) -> None:
        # Ray's native crash handler turns a SIGTERM the host handles (uvicorn's graceful
        # shutdown, a trainer's) into an abort at ray.shutdown; leave signals to the host.
        # Read when Ray's native module loads, so set before the first `import ray`.
        os.environ.setdefault("RAY_DISABLE_FAILURE_SIGNAL_HANDLER", "1")
        try:
            import ray
        except ImportError:
            raise ConfigError("the ray executor needs Ray: pip install 'rewardkit[ray]' "
                              "(or use executor: local)") from None
        self.config = config or ExecutorConfig(kind="ray")
        self.workers = workers
        self._ray = ray
        self._started = False
        if not ray.is_initialized():
            try:
                ray.init(**init_kwargs(self.config))
            except (ConnectionError, RuntimeError, ValueError) as exc:
                where = self.config.address or "a local instance"
                raise ConfigError(f"could not start or join Ray at {where}: {exc} (check "
                                  "executor.address, or run `ray start --head`)") from None
            self._started = True
        self._remote_actor = ray.remote(ScoringActor)
        self._groups: dict[ShapeKey, _Group] = {}
        self._lock = threading.Lock()
        self.peak_in_flight = 0  # most chunk tasks outstanding at once (back-pressure check)

    # -- actors -------------------------------------------------------------------------

    def _group(self, options: dict[str, Any], memory_limit_mb: int | None) -> _Group:
        key: ShapeKey = (tuple(sorted((k, repr(v)) for k, v in options.items())), memory_limit_mb)
        if key in self._groups:
            return self._groups[key]
        ray = self._ray
        if not fits_some_node(options, ray.nodes()):
            raise ConfigError(f"no Ray node can hold a scoring actor requesting {options}; "
                              "lower the criterion's `resources` or executor.num_cpus, or add "
                              "a node that has them")
        freed: dict[str, float] = {}
        for other in [k for k in self._groups if k != PER_NODE]:  # idle shapes hold resources
            for k, v in self._release(other).items():
                freed[k] = freed.get(k, 0.0) + v
        count = self.config.actors or self.workers
        if count is None:
            free = dict(ray.available_resources())
            count = fitting_count(options, {k: free.get(k, 0.0) + freed.get(k, 0.0)
                                            for k in {*free, *freed}})
        actor = self._remote_actor.options(**options, scheduling_strategy="SPREAD")
        make = functools.partial(actor.remote, list(sys.path), memory_limit_mb)
        group = _Group([make] * count, options)
        self._wait_for_one(group)
        self._groups[key] = group
        return group

    def _wait_for_one(self, group: _Group) -> None:
        """Fail with a reason, not a hang, when no actor can be scheduled or start."""
        ray = self._ray
        from ray.exceptions import RayError

        wait = self.config.startup_timeout
        ready, _ = ray.wait(list(group.starting.values()), num_returns=1, timeout=wait)
        try:
            if ready:
                ray.get(ready[0])
                self._refresh(group)
                return
            free = ray.available_resources().get("CPU", 0.0)
            total = ray.cluster_resources().get("CPU", 0.0)
            reason = (f"no scoring actor could be scheduled within {wait:g} s: each requests "
                      f"{group.options} and the cluster has {free:g} of {total:g} CPUs free "
                      "(other actors or tasks hold the rest); free some, lower "
                      "executor.num_cpus or the criterion's resources, or raise "
                      "executor.startup_timeout for an autoscaling cluster")
        except RayError as exc:
            reason = f"the scoring actor failed to start: {_first_line(exc)}"
        for actor in group.actors:
            ray.kill(actor)
        raise ConfigError(reason)

    def _refresh(self, group: _Group) -> None:
        """Move actors that have started out of `group.starting`."""
        if group.starting:
            refs = list(group.starting.values())
            done = set(self._ray.wait(refs, num_returns=len(refs), timeout=0)[0])
            for slot, ref in list(group.starting.items()):
                if ref in done:
                    del group.starting[slot]

    def _release(self, key: ShapeKey) -> dict[str, float]:
        """Stop a group's actors (their workers first); returns the resources they held."""
        group = self._groups.pop(key)
        ray = self._ray
        self._refresh(group)
        started = [a for i, a in enumerate(group.actors) if i not in group.starting]
        if started:
            try:
                ray.wait([a.close.remote() for a in started], num_returns=len(started), timeout=5)
            except Exception:  # noqa: BLE001 - a dead actor needs no closing
                pass
        for actor in group.actors:
            ray.kill(actor)
        return {k: v * len(group.actors) for k, v in wanted(group.options).items()}

    def _node_group(self) -> _Group:
        """One `NodeActor` pinned to each alive node (no CPU request: the work is I/O)."""
        if PER_NODE not in self._groups:
            from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

            remote = self._ray.remote(NodeActor)
            makers = []
            for node in self._ray.nodes():
                if node.get("Alive", True):
                    pinned = NodeAffinitySchedulingStrategy(node["NodeID"], soft=False)
                    actor = remote.options(num_cpus=0, scheduling_strategy=pinned)
                    makers.append(functools.partial(actor.remote, list(sys.path),
                                                    self.config.node_concurrency))
            group = _Group(makers, {"num_cpus": 0})
            self._wait_for_one(group)
            self._groups[PER_NODE] = group
        return self._groups[PER_NODE]

    def parallelism(self, memory_mb: int | None = None) -> int:
        """The scoring actors one `map` call feeds (the configured or expected count)."""
        return self.config.actors or self.workers or os.cpu_count() or 1

    # -- scoring ------------------------------------------------------------------------

    def map_per_node(self, reward: Any, samples: Sequence[Sample], timeout: float | None, *,
                     concurrency: int = 32) -> list[Score]:
        """Score an I/O-bound reward on one long-lived actor per node; in input order.

        Each node actor scores in-process (async rewards concurrently, at most
        ``node_concurrency`` at once, per-sample
        timeouts, errors per sample), so statuses mean what they mean locally, and a
        reward's process-wide pool (the code reward's sandbox containers) is one per node.
        """
        samples = list(samples)
        if not samples:
            return []
        with self._lock:
            return self._dispatch(self._node_group(), reward, samples, timeout)

    def map(self, reward: Any, samples: Sequence[Sample], timeout: float | None,
            resources: Mapping[str, float] | None = None, *,
            memory_mb: int | None = None) -> list[Score]:
        """Score each sample on an actor under a per-sample deadline; in input order."""
        samples = list(samples)
        if not samples:
            return []
        options = actor_options(self.config, resources)
        with self._lock:
            group = self._group(options, memory_mb)
            return self._dispatch(group, reward, samples, timeout)

    def _dispatch(self, group: _Group, reward: Any, samples: list[Sample],
                  timeout: float | None) -> list[Score]:
        ray = self._ray
        from ray.exceptions import RayActorError, RayError

        actors = group.actors
        chunks = chunk_bounds(len(samples), len(actors), self.config.chunk_size)
        limit = self.config.max_in_flight or 2 * len(actors)
        per_actor = max(1, math.ceil(limit / len(actors)))
        reward_ref = ray.put(reward)
        results: list[Score | None] = [None] * len(samples)
        pending = deque((c, 0) for c in range(len(chunks)))  # (chunk, tries so far)
        load = [0] * len(actors)
        in_flight: dict[Any, tuple[int, int, int, Any]] = {}  # ref -> chunk, tries, slot, actor

        while pending or in_flight:
            self._refresh(group)
            usable = [i for i in range(len(actors)) if i not in group.starting]
            while pending and usable and len(in_flight) < limit:
                slot = min(usable, key=load.__getitem__)
                if load[slot] >= per_actor:
                    break
                chunk, tries = pending.popleft()
                start, stop = chunks[chunk]
                ref = actors[slot].score.remote(reward_ref, samples[start:stop], timeout)
                in_flight[ref] = (chunk, tries, slot, actors[slot])
                load[slot] += 1
                self.peak_in_flight = max(self.peak_in_flight, len(in_flight))
            waiting = list(in_flight) + list(group.starting.values())
            ready, _ = ray.wait(waiting, num_returns=1,
                                timeout=None if in_flight else self.config.startup_timeout)
            if not ready:  # nothing running and no replacement actor could start
                for chunk, _ in pending:
                    start, stop = chunks[chunk]
                    results[start:stop] = [Score.error(
                        "no Ray actor could be scheduled to score this sample within "
                        f"{self.config.startup_timeout:g} s")] * (stop - start)
                break
            for ref in ready:
                if ref not in in_flight:
                    continue  # an actor finished starting: usable on the next round
                chunk, tries, slot, actor = in_flight.pop(ref)
                load[slot] -= 1
                start, stop = chunks[chunk]
                try:
                    scores = ray.get(ref)
                except RayActorError as exc:
                    if actors[slot] is actor:  # replace it once, not once per lost chunk
                        group.replace(slot)
                    if tries < min(MAX_CHUNK_RETRIES, len(actors)):
                        pending.appendleft((chunk, tries + 1))
                        continue
                    lost = Score.error(f"the Ray actors scoring this sample died {tries + 1} "
                                       f"times: {_first_line(exc)}")
                    scores = [lost] * (stop - start)
                except RayError as exc:
                    scores = [Score.error(f"Ray failed to run the scoring task: "
                                          f"{_first_line(exc)}")] * (stop - start)
                results[start:stop] = scores
        return [s if s is not None else Score.error("no result") for s in results]

    def close(self) -> None:
        with self._lock:
            for key in list(self._groups):
                self._release(key)
            if self._started and self._ray.is_initialized():
                self._ray.shutdown()
            self._started = False


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
