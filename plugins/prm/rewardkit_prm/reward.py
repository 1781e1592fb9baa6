"""The `prm` reward: step values by Monte Carlo rollouts (Math-Shepherd / OmegaPRM style).

For each step prefix of a solution, K continuations are sampled through a generation
backend (every prefix of every sample in one batched call), each continuation's final
answer is graded by a registered verifier (``math`` by default), and the step's value is
the fraction of correct continuations (``soft``) or whether any is correct (``hard``).
The last step needs no rollouts: its value is the grade of the whole solution. The
solution's reward is the min, last, mean or product of its step values.

``search: binary`` finds the first wrong step by binary search instead (about
log2(steps) evaluated prefixes); unevaluated steps get inferred values (1 before the
first error, 0 from it on). A backend failure gives every affected sample an `error`
score; grades of ``None`` are excluded, never counted as wrong.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal, Sequence

from pydantic import Field, model_validator

from rewardkit import (ConfigError, Reward, RewardParams, Sample, Score, build_generator,
                       build_reward, close_workers, run, runtime)
from rewardkit_prm.estimate import CORRECT, FirstErrorSearch, aggregate, step_value
from rewardkit_prm.steps import merge_steps, split_steps


class PRMParams(RewardParams):
    verifier: str = Field("math", description="reward that grades a finished solution")
    verifier_params: dict[str, Any] = Field(default_factory=dict)
    verifier_timeout: float | None = Field(10.0, gt=0, description="seconds per grade")
    verifier_workers: int | None = Field(None, ge=1)
    backend: str = Field("hf", description="generator name or package.module:factory")
    backend_config: dict[str, Any] = Field(default_factory=dict)
    rollouts: int = Field(8, ge=1, description="continuations per step prefix (K)")
    temperature: float = Field(0.7, gt=0.0)
    top_p: float = Field(1.0, gt=0.0, le=1.0)
    max_tokens: int = Field(512, ge=1, description="new tokens per continuation")
    seed: int | None = 0
    value: Literal["soft", "hard"] = "soft"
    aggregate: Literal["min", "last", "mean", "product"] = "min"
    search: Literal["all", "binary"] = "all"
    split: Literal["auto", "double_newline", "newline", "step_k", "regex"] = "auto"
    pattern: str | None = Field(None, description="separator regex for split='regex'")
    max_steps: int = Field(32, ge=1, description="more steps are merged into this many")
    max_rollouts: int | None = Field(None, ge=1, description="continuations per sample")
    rollout_template: str = Field("{prompt}{prefix}", description="what the backend continues")

    @model_validator(mode="after")
    def _check(self) -> "PRMParams":
        if self.split == "regex":
            if not self.pattern:
                raise ValueError("split='regex' needs 'pattern' (a regex matching separators)")
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(f"pattern {self.pattern!r} is not a valid regex: {exc}") from None
        try:
            self.rollout_template.format(prompt="", prefix="")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"rollout_template may use only {{prompt}} and {{prefix}} "
                             f"(problem: {exc!r})") from None
        if "{prefix}" not in self.rollout_template:
            raise ValueError("rollout_template must contain {prefix}")
        return self


@dataclass
class _Plan:
    """One sample's work: its steps, rollouts per prefix, grades so far."""

    sample: Sample
    text: str
    spans: list[tuple[int, int]]
    k: int
    merged: bool
    grades: dict[int, list[float | None]] = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)
    final: float | None = None
    search: FirstErrorSearch | None = None
    failure: Score | None = None


class PRMReward(Reward):
    """Process reward by Monte Carlo rollouts: per-step values, then min/last/mean/product."""

    name = "prm"
    Params = PRMParams
    version = "1"

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        p = self.params
        self.cacheable = p.seed is not None
        try:
            _ = self.verifier  # built now, so a bad verifier fails here
        except LookupError as exc:
            raise ConfigError(f"reward 'prm' cannot build its verifier '{p.verifier}': {exc} "
                              "Set 'verifier' to a registered reward or package.module:function "
                              "(the default, 'math', comes with rewardkit-math).") from exc
        _ = self.backend  # and a bad backend

    @runtime
    def backend(self) -> Any:
        """The rollout backend (runtime state: rebuilt from the params after pickling)."""
        return build_generator(self.params.backend, self.params.backend_config)

    @runtime
    def verifier(self) -> Any:
        """The reward grading finished solutions (runtime state, like `backend`)."""
        return build_reward(self.params.verifier, self.params.verifier_params)

    @runtime
    def counts(self) -> Counter[str]:
        """Score statuses counted in this process."""
        return Counter()

    def close(self) -> None:
        """Stop the verifier's worker processes (`rewardkit.close_workers`)."""
        close_workers()

    # -- scoring -------------------------------------------------------------------------

    def score(self, samples: Sequence[Sample]) -> list[Score]:
        plans: list[_Plan | None] = [self._plan(s) for s in samples]
        live = [p for p in plans if p is not None]
        finals = self._grade([_with_completion(p.sample, p.text) for p in live])
        for plan, (grade, status) in zip(live, finals):
            plan.final = None if grade is None else float(grade >= CORRECT)
            plan.statuses[status] += 1
        if self.params.search == "all":
            self._evaluate(live, lambda p: range(len(p.spans) - 1))
        else:
            self._binary_search(live)
        scores = [self._result(p) if p is not None else
                  Score.not_applicable("empty completion: no steps to score") for p in plans]
        self.counts.update(s.status.value for s in scores)
        return scores

    def _plan(self, sample: Sample) -> _Plan | None:
        text = sample.completion_text
        if not text.strip():
            return None
        p = self.params
        spans = split_steps(text, p.split, p.pattern)
        merged = len(spans) > p.max_steps
        spans = merge_steps(spans, p.max_steps)
        k = p.rollouts
        if p.max_rollouts is not None:
            prefixes = self._prefixes_needed(len(spans))
            if prefixes > p.max_rollouts:
                spans, merged = merge_steps(spans, p.max_rollouts + 1), True
                prefixes = self._prefixes_needed(len(spans))
            k = max(1, min(k, p.max_rollouts // max(1, prefixes)))
        return _Plan(sample, text, spans, k, merged)

    def _prefixes_needed(self, steps: int) -> int:
        if self.params.search == "all":
            return steps - 1
        return math.ceil(math.log2(steps)) if steps > 1 else 0

    def _evaluate(self, plans: list[_Plan], steps_of: Any) -> None:
        """Roll out and grade the given step prefixes of every plan, in one batch per K."""
        jobs = [(p, j) for p in plans if p.failure is None for j in steps_of(p)]
        by_k: dict[int, list[tuple[_Plan, int]]] = {}
        for job in jobs:
            by_k.setdefault(job[0].k, []).append(job)
        rollouts: list[tuple[_Plan, int, str]] = []
        for k, group in by_k.items():
            prompts = [self.params.rollout_template.format(
                prompt=p.sample.prompt_text, prefix=p.text[:p.spans[j][1]]) for p, j in group]
            try:
                texts = self.backend.generate(prompts, n=k, **self._sampling())
                if len(texts) != len(prompts) or any(len(t) != k for t in texts):
                    raise ValueError(f"asked for {k} texts for each of {len(prompts)} prompts, "
                                     f"got {[len(t) for t in texts]}")
            except Exception as exc:  # noqa: BLE001 - the backend is down: these samples get no value
                for plan, _ in group:
                    plan.failure = Score.error(f"rollout backend failed: "
                                               f"{type(exc).__name__}: {exc}")
                continue
            for (plan, j), continuations in zip(group, texts):
                prefix = plan.text[:plan.spans[j][1]]
                rollouts.extend((plan, j, prefix + c) for c in continuations)
        grades = self._grade([_with_completion(p.sample, t) for p, _, t in rollouts])
        for (plan, j, _), (grade, status) in zip(rollouts, grades):
            plan.grades.setdefault(j, []).append(grade)
            plan.statuses[status] += 1

    def _binary_search(self, plans: list[_Plan]) -> None:
        for plan in plans:
            if plan.final is None:
                plan.failure = Score.unverifiable("the verifier could not grade the solution "
                                                  "itself, so the search has no end point")
            else:
                plan.search = FirstErrorSearch(len(plan.spans), plan.final)
        while True:
            active = [p for p in plans if p.failure is None and p.search and not p.search.done]
            if not active:
                return
            targets = {id(p): p.search.next_step() for p in active if p.search}
            self._evaluate(active, lambda p, at=targets: [at[id(p)]])
            for plan in active:
                if plan.failure is not None:
                    continue
                step = targets[id(plan)]
                value = step_value(plan.grades.get(step, []), self.params.value)
                if value is None:
                    plan.failure = Score.unverifiable(
                        f"no rollout from step {step + 1} could be graded")
                elif plan.search is not None:
                    plan.search.record(step, value)

    def _sampling(self) -> dict[str, Any]:
        p = self.params
        return {"temperature": p.temperature, "top_p": p.top_p, "max_tokens": p.max_tokens,
                "seed": p.seed}

    def _grade(self, samples: list[Sample]) -> list[tuple[float | None, str]]:
        if not samples:
            return []
        scores = run(self.verifier, samples, timeout=self.params.verifier_timeout,
                     workers=self.params.verifier_workers)
        return [(s.value if s.ok else None, s.status.value) for s in scores]

    # -- the result ----------------------------------------------------------------------

    def _result(self, plan: _Plan) -> Score:
        p = self.params
        last = len(plan.spans) - 1
        if plan.search is not None:
            values = plan.search.values()
        else:
            values = [(plan.final if j == last else step_value(plan.grades.get(j, []), p.value),
                       False) for j in range(len(plan.spans))]
        steps = []
        for j, ((start, end), (value, inferred)) in enumerate(zip(plan.spans, values)):
            grades = [g for g in plan.grades.get(j, []) if g is not None]
            steps.append({"span": [start, end], "value": value, "inferred": inferred,
                          "rollouts": len(plan.grades.get(j, [])), "graded": len(grades),
                          "correct": sum(g >= CORRECT for g in grades)})
        first_error = next((j for j, (v, _) in enumerate(values) if v == 0.0), None)
        info = {"steps": steps, "aggregate": p.aggregate, "search": p.search,
                "rollouts": sum(s["rollouts"] for s in steps), "rollouts_per_step": plan.k,
                "merged_steps": plan.merged, "first_error": first_error,
                "grade_statuses": dict(plan.statuses)}
        if plan.failure is not None:
            return Score(None, plan.failure.status, {**plan.failure.info, **info})
        reward = aggregate([v for v, _ in values], p.aggregate)
        if reward is None:
            return Score.unverifiable("no step could be graded (verifier statuses: "
                                      f"{dict(plan.statuses)})", **info)
        return Score(reward, info=info)


def _with_completion(sample: Sample, text: str) -> Sample:
    """`sample` with another completion (its token ids, if TRL passed them, dropped)."""
    metadata = {k: v for k, v in sample.metadata.items() if k != "completion_ids"}
    return Sample(text, sample.prompt, sample.reference, metadata)
