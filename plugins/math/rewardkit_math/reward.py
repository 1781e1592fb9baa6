"""The `math` reward: 1.0 when the completion's final answer equals the reference.

>>> from rewardkit import Sample
>>> reward = MathReward()                                         # doctest: +SKIP
>>> reward.score([Sample(r"so \\boxed{\\frac{1}{2}}", reference="0.5")])[0].value  # doctest: +SKIP
1.0

Safety: parsing and comparison always run in a killable process. Inside a rewardkit
worker (the engine runs ``cpu_bound`` rewards there) the work happens in place; called
directly, the reward keeps its own small `WorkerPool` with a wall-clock and memory limit,
so an exponent tower or a giant factorial costs at most `timeout` seconds and leaves no
process behind.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import Field

from rewardkit import Reward, RewardParams, Sample, Score
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
    rename_symbols: bool = Field(True, description="f(x)=x matches f(z)=z (one renamed symbol)")
    rounding: bool = Field(True, description=(
        "accept a decimal that is the other side correctly rounded (gold 30.52 vs 1587/52)"))
    rel_tol: float = Field(1e-9, gt=0, lt=1e-2, description="relative tolerance, numeric step")
    timeout: float = Field(5.0, gt=0, description="seconds per sample before the work is killed")
    memory_mb: int = Field(2048, ge=256, description=(
        "address-space headroom of the worker above the caller's own size"))
    max_answer_chars: int = Field(2000, ge=10, description=(
        "a longer answer scores 0.0 (a longer reference is unverifiable)"))
    workers: int = Field(1, ge=1, le=64, description="worker processes for direct calls")


def _process_size_mb() -> int:
    """This process's virtual size in MB (0 where /proc is missing)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _in_worker() -> bool:
    return multiprocessing.current_process().name == "rewardkit-worker"


class MathReward(Reward):
    """Math answer equivalence: extract, normalise, parse, compare (exact, symbolic, numeric)."""

    name = "math"
    Params = MathParams
    cpu_bound = True
    version = "1"

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.timeout = self.params.timeout
        # workers fork from a server that imported the caller's main module (torch, say):
        # the address-space limit is headroom above that size, not an absolute number
        self.memory_limit_mb = _process_size_mb() + self.params.memory_mb
        self._pool: Any = None

    def score(self, samples: Sequence[Sample]) -> list[Score]:
        if _in_worker():
            return [self.score_one(s) for s in samples]
        return self._isolated(list(samples))

    def score_one(self, sample: Sample) -> Score:
        from rewardkit_math.verify import verify

        result = verify(sample.reference, final_answer_text(sample.completion), self.params)
        return Score(result["value"], result["status"], result["info"])

    def _isolated(self, samples: list[Sample]) -> list[Score]:
        from rewardkit.workers import WorkerPool

        if not samples:
            return []
        if self._pool is None:
            self._pool = WorkerPool(self.params.workers, self.memory_limit_mb)
            self._warm()
        before = self._pool.replaced
        scores = self._pool.map(self, samples, self.params.timeout)
        if self._pool.replaced != before:
            self._warm()  # a killed worker was replaced by a cold one: load sympy now
        return scores

    def _warm(self) -> None:
        """Import sympy and the parser in every worker outside any sample's time budget.

        The pool hands one sample to each idle worker, so `size` samples reach them all.
        """
        self._pool.map(self, [Sample("1", reference="1")] * self._pool.size, timeout=120)

    def close(self) -> None:
        """Stop this reward's worker processes (also done at interpreter exit)."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def __getstate__(self) -> dict:
        return {"params": self.params.model_dump()}

    def __setstate__(self, state: dict) -> None:
        self.__init__(**state["params"])
