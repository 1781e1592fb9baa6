"""Rubrics: rewards composed with weights and gates, in Python or YAML.

>>> from rewardkit import Rubric, criterion, per_sample, Sample
>>> @per_sample
... def nonempty(sample):
...     return bool(sample.completion_text.strip())
>>> rubric = Rubric([criterion(nonempty, name="nonempty", weight=2.0)])
>>> rubric.score([Sample("hi"), Sample("")]).totals
[2.0, 0.0]

Semantics, in criterion order:

* the total is the weighted sum of the components that have a value (weight 0: logged
  metric only); when no weighted component has one, the total is ``None``;
* a gate that fails (no value, or a value below `gate_threshold`) zeroes the total;
* a criterion sees the scores of the criteria listed before it in ``sample.scores``;
* a component that errs or times out follows its `on_error` policy: ``none`` keeps
  ``None``, a number stands in for the value (the status stays, and is counted),
  ``raise`` raises `RewardError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from rewardkit.cache import ScoreCache
from rewardkit.criterion_refs import check_order
from rewardkit.engine import Engine
from rewardkit.errors import ConfigError, RewardError
from rewardkit.executors import ExecutorSpec
from rewardkit.files import load_yaml
from rewardkit.policy import policy_of
from rewardkit.rubric_results import CriterionStats, RubricResult, RubricRow, summarize
from rewardkit.rubric_schema import CriterionConfig, CriterionOptions, OnError, RubricConfig
from rewardkit.runtime_state import RuntimeState, drop_runtime, runtime
from rewardkit.types import Sample, Score, ScoresView, Status, sample_from_mapping
from rewardkit.validation import validate_config

__all__ = ["Criterion", "CriterionConfig", "CriterionOptions", "CriterionStats", "Rubric",
           "RubricConfig", "RubricResult", "RubricRow", "as_sample", "criterion",
           "summarize"]

@dataclass
class Criterion:
    """A built criterion: a reward instance plus how it counts."""

    name: str
    reward: Any
    weight: float = 1.0
    gate: bool = False
    gate_threshold: float = 0.5
    on_error: OnError = "none"
    timeout: float | None = None
    resources: Mapping[str, float] | None = None

    def __post_init__(self) -> None:
        options = validate_config(CriterionOptions, {
            "weight": self.weight, "gate": self.gate, "gate_threshold": self.gate_threshold,
            "on_error": self.on_error, "timeout": self.timeout,
            "resources": None if self.resources is None else dict(self.resources)},
            f"criterion '{self.name}'")
        for key, value in options:
            setattr(self, key, value)
        if self.timeout is None:
            self.timeout = policy_of(self.reward).timeout


def criterion(reward: Any, *, name: str | None = None, weight: float = 1.0, gate: bool = False,
              gate_threshold: float = 0.5, on_error: OnError = "none",
              timeout: float | None = None, resources: Mapping[str, float] | None = None,
              params: Mapping[str, Any] | None = None, **more_params: Any) -> Criterion:
    """Build a criterion from a reward name, a factory, or a reward instance.

    ``criterion("math", weight=1.0, answer_from="auto")``: extra keywords are the reward's
    parameters.
    """
    all_params = {**(params or {}), **more_params}
    if isinstance(reward, str):
        from rewardkit.registry import build_reward

        built = build_reward(reward, all_params)
        default_name: str | None = reward.rsplit(":", 1)[-1]
    elif callable(getattr(reward, "score", None)) and not isinstance(reward, type):
        if all_params:
            raise ConfigError(f"criterion '{name}': params given for an already built reward")
        built, default_name = reward, getattr(reward, "name", None)
    elif callable(reward):
        from rewardkit.trl_functions import adapt

        label = getattr(reward, "__name__", None) or type(reward).__name__
        factory = reward if isinstance(reward, type) else adapt(reward, label) or reward
        built = factory(**all_params)  # a TRL reward function is adapted, with statuses
        default_name = getattr(reward, "name", None) or getattr(reward, "__name__", None)
    else:
        raise ConfigError(f"criterion reward must be a name, a factory or a reward, not {reward!r}")
    final_name = name or default_name
    if not final_name:
        raise ConfigError("criterion needs a name: pass name=...")
    return Criterion(final_name, built, weight, gate, gate_threshold, on_error, timeout,
                     resources)


def as_sample(item: Sample | Mapping[str, Any]) -> Sample:
    """`item` itself, or the sample of a mapping (`sample_from_mapping`; `ConfigError`)."""
    if isinstance(item, Sample):
        return item
    return sample_from_mapping(item, error=ConfigError)


class Rubric(RuntimeState):
    """Criteria scored in order; see the module docstring for the semantics."""

    def __init__(self, criteria: Sequence[Criterion], *, workers: int | None = None,
                 concurrency: int = 32, cache: bool | str | Path | None = False,
                 executor: ExecutorSpec = "local") -> None:
        if not criteria:
            raise ConfigError("a rubric needs at least one criterion")
        names = [c.name for c in criteria]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ConfigError(f"criterion names must be unique; repeated: {', '.join(dupes)} "
                              "(give each a distinct 'name')")
        check_order(criteria)
        self.criteria = list(criteria)
        self.workers, self.concurrency, self.cache_setting = workers, concurrency, cache
        self.executor: ExecutorSpec = executor

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "rubric") -> "Rubric":
        config = validate_config(RubricConfig, data, source)
        criteria = []
        for i, c in enumerate(config.criteria):
            try:
                criteria.append(criterion(c.reward, name=c.name, weight=c.weight, gate=c.gate,
                                          gate_threshold=c.gate_threshold, on_error=c.on_error,
                                          timeout=c.timeout, resources=c.resources,
                                          params=c.params))
            except (ConfigError, LookupError) as exc:
                raise type(exc)(f"{source}: criteria.{i} ({c.name or c.reward}): {exc}") from None
        try:
            return cls(criteria, workers=config.workers, concurrency=config.concurrency,
                       cache=config.cache, executor=config.executor)
        except ConfigError as exc:
            raise ConfigError(f"{source}: {exc}") from None

    @classmethod
    def from_yaml(cls, path: str | Path) -> "Rubric":
        data = load_yaml(path, "rubric file")
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: a rubric file is a mapping with a 'criteria' list")
        return cls.from_dict(data, source=str(path))

    def configure(self, *, workers: int | None = None, executor: str | None = None) -> None:
        """Apply command-line overrides (``--workers``, ``--executor local|ray``).

        ``--executor ray`` on a rubric that already configures Ray keeps its settings
        (address, resources, ...). Call before the first `score`.
        """
        from rewardkit.executors.config import check_executor_kind, executor_config

        check_executor_kind(executor, "executor")
        if workers:
            self.workers = workers
        if executor and executor_config(self.executor).kind != executor:
            self.executor = executor  # type: ignore[assignment] # checked above

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.criteria]

    @runtime
    def engine(self) -> Engine:
        """The engine (worker processes, cache): runtime state, one per process."""
        setting = self.cache_setting
        cache = None if not setting else ScoreCache(None if setting is True else setting)
        return Engine(self.workers, self.concurrency, cache, self.executor)

    def warm_up(self, sample: Sample | None = None) -> None:
        """Build the engine and start every process criterion's workers (see
        `Engine.warm_up`), so the first real batch and concurrent callers find them up."""
        probe = sample or Sample("")
        for crit in self.criteria:
            self.engine.warm_up(crit.reward, probe, resources=crit.resources)

    def score(self, samples: Sequence[Sample | Mapping[str, Any]],
              on_criterion: Callable[[str], None] | None = None) -> RubricResult:
        """Score every sample with every criterion, in criterion order."""
        components: list[dict[str, Score]] = [{} for _ in samples]
        inputs = [as_sample(s).with_scores(ScoresView(c)) for s, c in zip(samples, components)]
        for crit in self.criteria:
            scores = self.engine.run(crit.reward, inputs, crit.timeout, crit.resources)
            name, failed = crit.name, (Status.ERROR, Status.TIMEOUT)
            for i, score in enumerate(scores):
                if score.status in failed:
                    score = self._apply_policy(crit, score, i)
                components[i][name] = score
            if on_criterion:
                on_criterion(crit.name)
        return RubricResult([self._combine(c) for c in components], self.names)

    @staticmethod
    def _apply_policy(crit: Criterion, score: Score, index: int) -> Score:
        if crit.on_error == "raise":
            raise RewardError(f"criterion '{crit.name}' failed on sample {index} "
                              f"({score.status.value}): {score.info.get('reason', '')}")
        if crit.on_error == "none":
            return score
        return Score(float(crit.on_error), score.status, {**score.info, "substituted": True})

    def _combine(self, components: dict[str, Score]) -> RubricRow:
        total, counted, gated = 0.0, False, False
        for crit in self.criteria:
            value = components[crit.name].value
            if crit.gate and (value is None or value < crit.gate_threshold):
                gated = True
            if value is not None and crit.weight:
                total += crit.weight * value
                counted = True
        if gated:
            return RubricRow(0.0, components, gated=True)
        return RubricRow(total if counted else None, components)

    def close(self) -> None:
        engine = drop_runtime(self, "engine")
        if engine is not None:
            engine.close()
            if engine.cache is not None:
                engine.cache.close()

    def __enter__(self) -> "Rubric":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        parts = ", ".join(f"{c.name}×{c.weight:g}{' gate' if c.gate else ''}" for c in self.criteria)
        return f"Rubric({parts})"
