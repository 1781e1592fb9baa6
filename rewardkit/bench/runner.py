"""Runs rewards over bench cases through the scoring engine, timing every case.

Each reward runs the way the engine would run it in training: ``cpu_bound`` rewards in
killable worker processes (``--workers``), async rewards concurrently, plain sync
rewards one case at a time on a watchdog thread. Every case has a wall-clock budget
(``--timeout``, else the reward's own ``timeout``, else `DEFAULT_TIMEOUT`).

What is measured:

* latency: the wall time of the reward's ``score`` call for one case, taken where the
  reward runs (inside the worker for ``cpu_bound`` rewards, so process hand-off is not
  included); a case that timed out counts at its budget (a lower bound);
* throughput: cases / wall time of all scoring calls, hand-off and worker start included,
  reward construction (model loading, ...) excluded;
* peak memory: `rewardkit.bench.memory.PeakMemory` over construction and scoring.

Before timing, each worker process (or this process) scores the first case once and the
result is dropped (``warmup=False`` / ``--no-warmup`` keeps it in): one-time costs such as
importing sympy or loading a model do not end up in the per-case latency.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace
from typing import Any, Callable, Sequence

from rewardkit.bench.cases import Case
from rewardkit.bench.memory import PeakMemory
from rewardkit.bench.metrics import CaseResult, accuracy_metrics, latency_ms, mistakes, per_category
from rewardkit.bench.specs import RewardSpec
from rewardkit.engine import Engine
from rewardkit.executors import Executor, ExecutorSpec, is_executor
from rewardkit.executors.config import check_executor_kind
from rewardkit.errors import ConfigError, RewardkitError
from rewardkit.inprocess import Computed, call_score, error_score
from rewardkit.policy import RunPolicy, is_async, policy_of
from rewardkit.types import Sample, Score, Status

DEFAULT_TIMEOUT = 30.0
LATENCY_KEY = "bench_latency_s"
Progress = Callable[[int], None]


class BenchError(RewardkitError):
    """A bench run cannot start: unknown reward, bad parameters, a factory that raised."""


def _stamp(score: Score, seconds: float) -> Score:
    return Score(score.value, score.status, {**score.info, LATENCY_KEY: seconds})


class TimedReward:
    """Wraps a reward: one ``score`` call per sample, its wall time stamped into `info`.

    It runs the way the wrapped reward would: it forwards the reward's `RunPolicy`
    (process, per node, async, ...), never cached (timings are what it measures).
    """

    def __init__(self, reward: Any) -> None:
        self.reward = reward
        self.name = getattr(reward, "name", "reward")
        self._policy = replace(policy_of(reward), cacheable=False)

    def run_policy(self) -> RunPolicy:
        return self._policy

    def score(self, samples: Sequence[Sample]) -> list[Score]:
        scores = []
        for sample in samples:
            start = time.perf_counter()
            try:
                score = call_score(self.reward, [sample])[0]
            except Exception as exc:  # noqa: BLE001 - a reward's failure is this case's error
                score = error_score(exc)
            scores.append(_stamp(score, time.perf_counter() - start))
        return scores


class TimedAsyncReward(TimedReward):
    """`TimedReward` for rewards whose ``score`` is ``async def``."""

    async def score(self, samples: Sequence[Sample]) -> list[Score]:  # type: ignore[override]
        scores = []
        for sample in samples:
            start = time.perf_counter()
            try:
                result = await self.reward.score([sample])
                score = call_score(Computed(result, self.name), [sample])[0]
            except Exception as exc:  # noqa: BLE001 - a reward's failure is this case's error
                score = error_score(exc)
            scores.append(_stamp(score, time.perf_counter() - start))
        return scores


def timed(reward: Any) -> TimedReward:
    return TimedAsyncReward(reward) if is_async(reward) else TimedReward(reward)


@dataclass
class RewardRun:
    """One reward's results over a case file."""

    spec: RewardSpec
    results: list[CaseResult]
    wall_s: float
    peak_memory_mb: float
    threshold: float
    timeout: float

    def summary(self) -> dict[str, Any]:
        """Every metric as a JSON-ready dict (the object `--json` prints)."""
        accuracy = accuracy_metrics(self.results, self.threshold)
        return {
            "reward": self.spec.label, "name": self.spec.name, "params": dict(self.spec.params),
            **accuracy,
            "cases_per_s": round(len(self.results) / self.wall_s, 3) if self.wall_s else None,
            "wall_s": round(self.wall_s, 4), "latency_ms": latency_ms(self.results),
            "peak_memory_mb": self.peak_memory_mb, "threshold": self.threshold,
            "timeout_s": self.timeout,
            "per_category": per_category(self.results, self.threshold),
            **mistakes(self.results, self.threshold),
        }


def _param_groups(spec: RewardSpec, cases: Sequence[Case]) -> dict[str, list[int]]:
    """Case indices grouped by their effective parameters (JSON-encoded as the key)."""
    groups: dict[str, list[int]] = {}
    for index, case in enumerate(cases):
        params = {**spec.params, **case.params}
        groups.setdefault(json.dumps(params, sort_keys=True, default=str), []).append(index)
    return groups


def build(spec: RewardSpec, params: dict[str, Any], where: str = "") -> Any:
    """Build the reward for `spec` with `params`; every failure becomes a `BenchError`."""
    from rewardkit.registry import build_reward

    try:
        return build_reward(spec.name, params)
    except (RewardkitError, LookupError) as exc:
        raise BenchError(f"{exc}{where}") from None
    except Exception as exc:  # noqa: BLE001 - any factory failure becomes a BenchError
        raise BenchError(f"reward '{spec.name}' could not be built with {params}: "
                         f"{type(exc).__name__}: {exc}{where}") from None


def _result(case: Case, score: Score, timeout: float) -> CaseResult:
    info = dict(score.info)
    latency = info.pop(LATENCY_KEY, None)
    if latency is None and score.status is Status.TIMEOUT:
        latency = timeout
    return CaseResult(case.id, case.category, case.expected, score.value, score.status.value,
                      latency, info, case.sample.completion_text, case.sample.reference)


def run_reward(spec: RewardSpec, cases: Sequence[Case], *, workers: int | None = None,
               concurrency: int = 32, timeout: float | None = None, threshold: float = 0.5,
               chunk: int = 64, warmup: bool = True, executor: ExecutorSpec | Executor = None,
               progress: Progress | None = None) -> RewardRun:
    """Score every case with one reward spec and measure it (see the module docstring)."""
    groups = _param_groups(spec, cases)
    scores: list[Score | None] = [None] * len(cases)
    wall = 0.0
    with PeakMemory() as memory:
        built = []
        for key, indices in groups.items():
            where = (f" (parameters from case {cases[indices[0]].id!r}, line "
                     f"{cases[indices[0]].line})" if cases[indices[0]].params else "")
            built.append((build(spec, json.loads(key), where), indices))
        budget = timeout or policy_of(built[0][0]).timeout or DEFAULT_TIMEOUT
        engine = Engine(workers=workers, concurrency=concurrency if is_async(built[0][0]) else 1,
                        executor=executor)
        try:
            for reward, indices in built:
                wrapped = timed(reward)
                if warmup:
                    engine.warm_up(wrapped, cases[indices[0]].sample, in_process=True,
                                   timeout=budget)
                for start in range(0, len(indices), chunk):
                    part = indices[start:start + chunk]
                    began = time.perf_counter()
                    out = engine.run(wrapped, [cases[i].sample for i in part], budget)
                    wall += time.perf_counter() - began
                    for i, score in zip(part, out):
                        scores[i] = score
                    if progress is not None:
                        progress(len(part))
        finally:
            engine.close()
    results = [_result(case, score or Score.error("no result"), budget)
               for case, score in zip(cases, scores)]
    return RewardRun(spec, results, wall, memory.peak_mb, threshold, budget)


def run_bench(specs: Sequence[RewardSpec], cases: Sequence[Case],
              **options: Any) -> list[RewardRun]:
    """`run_reward` for each spec in turn, after checking every spec builds."""
    for spec in specs:  # fail fast: a typo in the last reward should not cost a full run
        build(spec, dict(spec.params))
    if not is_executor(options.get("executor")):
        check_executor_kind(options.get("executor"))
    if options.get("timeout") is not None and options["timeout"] <= 0:
        raise ConfigError(f"--timeout must be positive, got {options['timeout']}")
    return [run_reward(spec, cases, **options) for spec in specs]
