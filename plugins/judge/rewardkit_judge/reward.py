"""The `judge` reward: an LLM grades each completion through a generation backend.

Modes come from the template: ``pointwise`` (a score on the template's scale),
``reference`` (the same, against ``sample.reference``) and ``pairwise`` (the completion
against a baseline answer in ``sample.reference``, judged in both orders; a disagreement
between the orders is a tie). Every value is normalised to [0, 1].

Outcomes that are not a verdict never become the lowest score: a backend failure is an
`error` score, a missing, repeated or off-scale verdict is `unverifiable`, both with
``None``. An empty answer scores 0 without asking the judge, and so does (by default,
``on_injection: zero``) an answer that addresses the grader (see `injection`). With
temperature 0 the judge's replies are cached by (template, backend and model, prompt,
sampling).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections import Counter
from typing import Any, Literal, Mapping, Sequence

from pydantic import Field

from rewardkit import (Reward, RewardParams, Sample, Score, build_generator, is_missing,
                       runtime)
from rewardkit.messages import final_answer_text
from rewardkit_judge import templates
from rewardkit_judge.injection import find_injection
from rewardkit_judge.verdict import parse_choice, parse_scale

PAIR_OUTCOME = {("A", "first"): "win", ("B", "first"): "loss",
                ("A", "second"): "loss", ("B", "second"): "win"}
VALUE = {"win": 1.0, "loss": 0.0, "tie": 0.5}


class JudgeParams(RewardParams):
    template: str = Field("pointwise", description="name or name@version")
    template_file: str | None = Field(None, description="YAML/JSON file of user templates")
    criteria: str | None = Field(None, description="overrides the template's criteria")
    backend: str = Field("openai", description="generator name or package.module:factory")
    backend_config: dict[str, Any] = Field(default_factory=dict)
    temperature: float = Field(0.0, ge=0.0)
    max_tokens: int = Field(1024, ge=1)
    reference_key: str | None = Field(None, description="key of sample.reference to use "
                                      "when it is a mapping")
    max_answer_chars: int = Field(20000, ge=100, description="longer answers are cut")
    cache: bool = Field(True, description="cache replies when temperature is 0")
    cache_size: int = Field(100_000, ge=1)
    on_injection: Literal["zero", "flag", "none"] = Field(
        "zero", description="an answer that addresses the grader (an instruction to the "
        "judge, a fake verdict or system line, a claim to be the grader): zero = 0.0 "
        "without asking the judge; flag = judge it, the cues in info; none = no check")


class _BackendFailure(Exception):
    pass


class JudgeReward(Reward):
    """LLM-as-judge (pointwise, reference-based or pairwise) through a generation backend."""

    name = "judge"
    Params = JudgeParams
    version = "1"

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        p = self.params
        self.template = templates.resolve(p.template, p.template_file)
        self.cacheable = p.temperature == 0  # the engine's score cache, too
        _ = self.backend  # built now, so a bad backend name or config fails here

    @runtime
    def backend(self) -> Any:
        """The generation backend (runtime state: rebuilt from the params after pickling)."""
        return build_generator(self.params.backend, self.params.backend_config)

    @runtime
    def counts(self) -> Counter[str]:
        """Outcomes counted in this process (statuses, cache hits, injections, conflicts)."""
        return Counter()

    @runtime
    def _replies(self) -> dict[str, str]:
        return {}

    def fingerprint(self) -> str:
        return json.dumps([super().fingerprint(), self.template.digest()])

    # -- scoring -------------------------------------------------------------------------

    async def score(self, samples: Sequence[Sample]) -> list[Score]:
        return list(await asyncio.gather(*(self._score_one(s) for s in samples)))

    async def _score_one(self, sample: Sample) -> Score:
        try:
            score = await self._judge(sample)
        except _BackendFailure as exc:
            score = Score.error(f"judge backend failed: {exc}", backend=self.params.backend)
        self.counts[score.status.value] += 1
        return score

    async def _judge(self, sample: Sample) -> Score:
        answer = final_answer_text(sample.completion)  # a trajectory's last assistant turn
        if not answer.strip():
            return Score(0.0, info={"reason": "empty answer; the judge was not asked"})
        info: dict[str, Any] = {"template": self.template.id}
        if self.params.on_injection != "none":
            cues = find_injection(answer)
            if cues:
                self.counts["injection"] += 1
                info["injection"] = cues
                if self.params.on_injection == "zero":
                    return Score(0.0, info={**info, "reason": (
                        "the answer addresses the grader (" + "; ".join(
                            f"{c['cue']}: {c['text']!r}" for c in cues) + "); the judge was "
                        "not asked (on_injection: zero)")})
        answer, cut = self._clip(answer)
        info["truncated_chars"] = cut
        mode = self.template.mode
        reference = None
        if mode in ("reference", "pairwise"):
            reference = self._reference(sample)
            if reference is None:
                return Score.not_applicable(self._missing_reference(sample), **info)
        if mode == "pairwise" and reference is not None:
            return await self._pairwise(sample.prompt_text, answer, reference, info)
        prompt, key = self.template.render(sample.prompt_text, {"candidate": answer},
                                           reference, self.params.criteria)
        reply, cached = await self._ask(prompt)
        verdict = parse_scale(reply, key, *self.template.scale)
        self.counts["verdict_conflicts"] += bool(verdict.info.get("conflict"))
        return Score(verdict.value, verdict.status, {**info, **verdict.info, "cached": cached})

    async def _pairwise(self, question: str, answer: str, baseline: str,
                        info: dict[str, Any]) -> Score:
        orders = (("first", {"candidate_a": answer, "candidate_b": baseline}),
                  ("second", {"candidate_a": baseline, "candidate_b": answer}))
        rendered = [self.template.render(question, answers, None, self.params.criteria)
                    for _, answers in orders]
        replies = await asyncio.gather(*(self._ask(prompt) for prompt, _ in rendered))
        outcomes = []
        for (position, _), (_, key), (reply, _) in zip(orders, rendered, replies):
            choice = parse_choice(reply, key)
            if isinstance(choice, Score):
                self.counts["verdict_conflicts"] += bool(choice.info.get("conflict"))
                details = {k: v for k, v in choice.info.items() if k != "reason"}
                return Score.unverifiable(f"{choice.info['reason']} (the answer shown "
                                          f"{position})", **details, **info)
            outcomes.append("tie" if choice == "TIE" else PAIR_OUTCOME[(choice, position)])
        consistent = outcomes[0] == outcomes[1]
        value = VALUE[outcomes[0]] if consistent else VALUE["tie"]
        return Score(value, info={**info, "outcomes": outcomes, "position_bias": not consistent,
                                  "cached": all(c for _, c in replies)})

    def _clip(self, answer: str) -> tuple[str, int]:
        limit = self.params.max_answer_chars
        if len(answer) <= limit:
            return answer, 0
        cut = len(answer) - limit
        return answer[:limit] + f"\n[... {cut} more characters not shown ...]", cut

    def _reference(self, sample: Sample) -> str | None:
        ref = sample.reference
        key = self.params.reference_key
        if key is not None:
            ref = ref.get(key) if isinstance(ref, Mapping) else None
        if is_missing(ref) or isinstance(ref, Mapping):
            return None
        return str(ref)

    def _missing_reference(self, sample: Sample) -> str:
        what = "a baseline answer" if self.template.mode == "pairwise" else "a reference answer"
        if isinstance(sample.reference, Mapping) and self.params.reference_key is None:
            return (f"the {self.template.mode} judge needs {what}, but sample.reference is a "
                    f"mapping (keys: {', '.join(map(str, sample.reference))}); set reference_key")
        return f"the {self.template.mode} judge needs {what} in sample.reference"

    # -- the backend, with a cache for deterministic judgements --------------------------

    def _cache_key(self, prompt: str, sampling: dict[str, Any]) -> str:
        backend = getattr(self.backend, "fingerprint", None)
        identity = backend() if callable(backend) else \
            json.dumps([self.params.backend, self.params.backend_config], sort_keys=True)
        payload = json.dumps([self.template.id, self.template.digest(), identity, prompt,
                              sampling], sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()

    async def _ask(self, prompt: str) -> tuple[str, bool]:
        sampling = {"temperature": self.params.temperature, "max_tokens": self.params.max_tokens}
        use_cache = self.params.cache and self.params.temperature == 0
        key = self._cache_key(prompt, sampling) if use_cache else ""
        if use_cache and key in self._replies:
            self.counts["cache_hits"] += 1
            return self._replies[key], True
        backend = self.backend
        try:
            if callable(getattr(backend, "agenerate", None)):
                texts = await backend.agenerate([prompt], n=1, **sampling)
            else:
                texts = await asyncio.to_thread(backend.generate, [prompt], 1, **sampling)
            reply = str(texts[0][0])
        except Exception as exc:  # any backend failure: an error score, never a low score
            raise _BackendFailure(f"{type(exc).__name__}: {exc}") from exc
        if use_cache:
            if len(self._replies) >= self.params.cache_size:
                self._replies.pop(next(iter(self._replies)))
            self._replies[key] = reply
        return reply, False
