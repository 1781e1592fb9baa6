"""The `math` reward: 1.0 when the completion's final answer equals the reference.

>>> from rewardkit import Sample
>>> reward = MathReward()                                         # doctest: +SKIP
>>> reward.score([Sample(r"so \\boxed{\\frac{1}{2}}", reference="0.5")])[0].value  # doctest: +SKIP
1.0

Safety: parsing and comparison always run in a killable process. The reward is
``cpu_bound``, so the engine scores it in rewardkit's worker processes; called directly,
``score`` goes through `rewardkit.run` (shared workers with a wall-clock and memory
limit), so an exponent tower or a giant factorial costs at most `timeout` seconds and
leaves no process behind. Inside a worker the work happens in place.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import Field

from rewardkit import (Reward, RewardParams, Sample, Score, close_workers, in_worker, run,
                       runtime)
from rewardkit.messages import final_answer_text

AnswerFrom = Literal["auto", "whole", "boxed", "answer_tag", "final_answer", "last_math"]


class MathParams(RewardParams):
    """Parameters of `math`; every normalisation policy is a flag with a safe default."""

    answer_from: AnswerFrom = Field("auto", description=(
        "where the answer is: auto (answer tag, last \\boxed run, 'final answer is', then the "
        "fallback), whole (the completion is the answer), or one method only"))
    fallback: bool = Field(True, description="auto: fall back to the last math span / number")
    hedging: Literal["reject", "last"] = Field("reject", description=(
        "several different \\boxed answers: reject (0.0) or take the last"))
    comma: Literal["auto", "thousands", "decimal", "list"] = Field("auto", description=(
        "auto: 1,000 is a thousand, a lone 2,74 in plain text is 2.74, '32, 349' is a list"))
    percent: Literal["either", "strict"] = Field("either", description=(
        "either: 28% matches 28 and 0.28; strict: the % must agree"))
    degrees: Literal["either", "strict"] = Field("either", description=(
        "either: 45° matches 45 and pi/4; strict: only 45°"))
    units: bool = Field(True, description="drop \\text{} unit words and trailing unit words")
    qualifiers: bool = Field(True, description="drop trailing 'for all ...' / 'where ...' clauses")
    repair_escapes: bool = Field(True, description="repair TAB+'ext' -> \\text and \\\\frac -> \\frac")
    case_sensitive: bool = Field(False, description="treat X and x as different symbols")
    mixed_numbers: bool = Field(True, description="2\\frac{1}{2} is 5/2 (not 2 * 1/2)")
    plus_minus: bool = Field(True, description="1 \\pm 2 is the set {-1, 3}")
    ordered_lists: bool = Field(False, description="comma lists must match in order")
    rename_symbols: bool = Field(False, description=(
        "accept an answer written in other symbols (t^2-4t+4 for s^2-4s+4; f(z)=z for f(x)=x)"))
    rounding: Literal["none", "gold", "answer"] = Field("gold", description=(
        "gold: a decimal gold is compared at its own precision (100/3 and 33.33 match 33.3); "
        "answer: also accept a decimal answer that is the exact gold rounded (0.67 for 2/3); "
        "none: decimals must be exactly equal"))
    imaginary_unit: bool = Field(True, description="the letter i is the imaginary unit")
    rel_tol: float = Field(1e-30, gt=0, lt=1e-2, description=(
        "relative tolerance of numeric comparisons (done at 50 significant digits)"))
    timeout: float = Field(5.0, gt=0, description="seconds per sample before the work is killed")
    memory_mb: int = Field(2048, ge=256, description=(
        "address-space limit of the worker process scoring it"))
    max_answer_chars: int = Field(2000, ge=10, description=(
        "a longer answer scores 0.0 (a longer reference is unverifiable)"))
    workers: int = Field(1, ge=1, le=64, description="worker processes for direct calls")
    verifier_backend: str | None = Field(None, description=(
        "a rewardkit generator (openai, hf, ...) that decides the samples the rules leave "
        "unverifiable; a rule verdict always wins"))
    verifier_config: dict[str, Any] = Field(default_factory=dict, description=(
        "the verifier backend's config (base_url, model, ...)"))
    verifier_max_tokens: int = Field(32, ge=1, le=4096, description="verifier reply length")


class MathReward(Reward):
    """Math answer equivalence: extract, normalise, parse, compare (exact, symbolic, numeric)."""

    name = "math"
    Params = MathParams
    cpu_bound = True
    version = "1"

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.timeout = self.params.timeout
        self.memory_limit_mb = self.params.memory_mb

    @runtime
    def verifier(self) -> Any:
        """The model-verifier tier (`verifier_backend`), built on first use; None without one."""
        if not self.params.verifier_backend:
            return None
        from rewardkit_math.model_tier import ModelTier

        return ModelTier(self.params.verifier_backend, self.params.verifier_config,
                         self.params.verifier_max_tokens)

    @runtime
    def _rules(self) -> MathReward:
        return MathReward(**{**self.params.model_dump(), "verifier_backend": None})

    def score(self, samples: Sequence[Sample]) -> list[Score]:
        samples = list(samples)
        if in_worker():
            scores = [self.score_one(s) for s in samples]
        else:
            scores = run(self._rules_only(), samples, workers=self.params.workers)
        return self.verifier.review(samples, scores) if self.verifier else scores

    def prepare(self) -> None:
        """Import sympy and build the LaTeX parser (once per worker, outside any sample's
        budget: seconds on a loaded machine). The pair needs the full parser, not only
        the fast one."""
        self.score_one(Sample(r"\binom{4}{2} + \sin(x)", reference=r"\sum_{k=1}^{3} k"))

    def score_one(self, sample: Sample) -> Score:
        from rewardkit_math.pipeline import run
        from rewardkit_math.policy import policy_from

        result = run(sample.reference, final_answer_text(sample.completion),
                     policy_from(self.params))  # a trajectory's last assistant turn
        return Score(result["value"], result["status"], result["info"])

    def _rules_only(self) -> MathReward:
        """This reward without its verifier tier: what the worker processes run (the tier
        runs in the caller, outside the per-sample time limit)."""
        return self if self.verifier is None else self._rules

    def close(self) -> None:
        """Stop the worker processes direct calls used (`rewardkit.close_workers`; they
        also stop at interpreter exit)."""
        close_workers()
