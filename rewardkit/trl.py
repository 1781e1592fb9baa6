"""A rubric as TRL `GRPOTrainer` reward functions.

>>> from rewardkit import Rubric, criterion, per_sample
>>> @per_sample
... def short(sample):
...     return len(sample.completion_text) < 5
>>> funcs, weights = to_trl(Rubric([criterion(short, name="short", weight=0.5)]))
>>> funcs[0].__name__, weights
('short', [0.5])
>>> funcs[0](prompts=["p", "p"], completions=["ok", "far too long"])
[1.0, 0.0]

How the rubric's semantics map onto TRL, which sums ``weight × value`` per completion and
masks ``None`` (NaN):

* one function per criterion, named after it, so TRL logs ``rewards/<name>/mean``;
  `weights` are the criterion weights (weight 0: logged, not rewarded);
* the rubric is scored **once per batch**: the first function TRL calls scores every
  criterion (criteria read earlier criteria's scores); the others return their column of
  that result (the batch is recognised by the identity of TRL's ``completions`` list);
* ``None`` stays ``None``; a completion no weighted criterion can score is ``None`` in every
  function, weight-0 ones included, so TRL masks it instead of rewarding it 0;
* **gates**: when a gate fails, every weighted function returns 0.0 for that completion, so
  TRL's weighted sum equals the rubric total (0). ``rewards/<name>/mean`` therefore shows
  gated values, and the number of gated completions is logged as ``rewardkit/gated``;
* per batch, each criterion's non-``ok`` counts go to TRL's ``log_metric`` as
  ``rewardkit/<name>/<status>`` (error, timeout, unverifiable, not_applicable), and the
  extracted answer (``info["answer"]`` or ``info["extracted"]``) to ``log_extra`` as the
  column ``<name>/answer``;
* observers in ``funcs[0].scorer.observers`` (such as `rewardkit.health`) are called with
  every scored batch: ``observer(scorer, samples, rows, trl_kwargs)``.

``to_trl(rubric, mode="total")`` returns a single function named ``reward`` that returns
the rubric total instead.
"""

from __future__ import annotations

from typing import Any, Callable, Literal, NamedTuple, Sequence

from rewardkit.errors import ConfigError
from rewardkit.types import Sample, Score, Status

_TRL_KWARGS = ("trainer_state", "log_extra", "log_metric", "environments")
_ANSWER_KEYS = ("answer", "extracted", "extracted_answer")
_COUNTED = (Status.ERROR, Status.TIMEOUT, Status.UNVERIFIABLE, Status.NOT_APPLICABLE)


class TRLRewards(NamedTuple):
    """What `to_trl` returns: ``reward_funcs`` and the matching ``reward_weights``."""

    funcs: list[Callable[..., list[float | None]]]
    weights: list[float]


def build_samples(prompts: Sequence[Any], completions: Sequence[Any],
                  completion_ids: Sequence[Any] | None, columns: dict[str, Any]) -> list[Sample]:
    """Samples from TRL's reward-function arguments (other dataset columns go to metadata)."""
    data = {k: v for k, v in columns.items() if k not in _TRL_KWARGS and k != "reference"}
    references = columns.get("reference")
    samples = []
    for i, (prompt, completion) in enumerate(zip(prompts, completions, strict=True)):
        metadata = {k: v[i] for k, v in data.items() if isinstance(v, (list, tuple))}
        if completion_ids is not None:
            metadata["completion_ids"] = completion_ids[i]
        reference = references[i] if references is not None else None
        samples.append(Sample(completion, prompt, reference, metadata))
    return samples


class BatchScorer:
    """Scores a rubric once per TRL batch and hands each criterion its column."""

    def __init__(self, rubric: Any) -> None:
        self.rubric = rubric
        self.weights = {c.name: c.weight for c in rubric.criteria}
        self._batch: tuple[Any, Any] | None = None
        self._rows: list[Any] = []
        self.observers: list[Callable[..., None]] = []  # e.g. the health monitor

    def rows(self, prompts: Sequence[Any], completions: Sequence[Any],
             completion_ids: Sequence[Any] | None, columns: dict[str, Any]) -> list[Any]:
        if self._batch is not None and self._batch[0] is completions and self._batch[1] is prompts:
            return self._rows
        samples = build_samples(prompts, completions, completion_ids, columns)
        rows = self.rubric.score(samples).rows
        self._batch, self._rows = (completions, prompts), rows
        self._report(rows, columns.get("log_metric"), columns.get("log_extra"))
        for observe in self.observers:
            observe(self, samples, rows, columns)
        return rows

    def _report(self, rows: list[Any], log_metric: Any, log_extra: Any) -> None:
        for name in self.weights:
            scores: list[Score] = [row.components[name] for row in rows]
            if log_metric is not None:
                for status in _COUNTED:
                    count = sum(s.status is status for s in scores)
                    log_metric(f"rewardkit/{name}/{status.value}", float(count))
            if log_extra is not None:
                log_extra(f"{name}/answer", [_answer(s) for s in scores])
        if log_metric is not None:
            log_metric("rewardkit/gated", float(sum(row.gated for row in rows)))

    def column(self, rows: list[Any], name: str) -> list[float | None]:
        weighted = self.weights[name] != 0
        values: list[float | None] = []
        for row in rows:
            if row.total is None:
                values.append(None)
            elif row.gated and weighted:
                values.append(0.0)
            else:
                values.append(row.components[name].value)
        return values

    def __getstate__(self) -> dict[str, Any]:
        return {"rubric": self.rubric, "weights": self.weights, "_batch": None, "_rows": [],
                "observers": []}


def _answer(score: Score) -> Any:
    for key in _ANSWER_KEYS:
        if score.info.get(key) is not None:
            return str(score.info[key])
    return None


class CriterionReward:
    """A TRL reward function returning one criterion's values (see the module docstring)."""

    def __init__(self, scorer: BatchScorer, name: str) -> None:
        self.scorer = scorer
        self.__name__ = name

    def __call__(self, prompts: Sequence[Any], completions: Sequence[Any],
                 completion_ids: Sequence[Any] | None = None, **columns: Any) -> list[float | None]:
        rows = self.scorer.rows(prompts, completions, completion_ids, columns)
        return self.scorer.column(rows, self.__name__)

    def __repr__(self) -> str:
        return f"<rewardkit TRL reward {self.__name__!r}>"


class TotalReward:
    """A single TRL reward function returning the rubric total."""

    __name__ = "reward"

    def __init__(self, scorer: BatchScorer) -> None:
        self.scorer = scorer

    def __call__(self, prompts: Sequence[Any], completions: Sequence[Any],
                 completion_ids: Sequence[Any] | None = None, **columns: Any) -> list[float | None]:
        return [row.total for row in self.scorer.rows(prompts, completions, completion_ids,
                                                      columns)]

    def __repr__(self) -> str:
        return "<rewardkit TRL reward 'reward' (rubric total)>"


def to_trl(rubric: Any, mode: Literal["criteria", "total"] = "criteria") -> TRLRewards:
    """TRL reward functions and weights for `rubric` (a `Rubric`, or a rubric YAML path).

    ``funcs, weights = to_trl(rubric)`` then
    ``GRPOTrainer(reward_funcs=funcs, args=GRPOConfig(reward_weights=weights, ...))``.
    """
    if isinstance(rubric, str) or hasattr(rubric, "__fspath__"):
        from rewardkit.rubric import Rubric

        rubric = Rubric.from_yaml(rubric)
    if not hasattr(rubric, "criteria") or not callable(getattr(rubric, "score", None)):
        raise ConfigError(f"to_trl needs a Rubric or a rubric YAML path, not {rubric!r}")
    scorer = BatchScorer(rubric)
    if mode == "total":
        return TRLRewards([TotalReward(scorer)], [1.0])
    if mode != "criteria":
        raise ConfigError(f"to_trl mode must be 'criteria' or 'total', not {mode!r}")
    return TRLRewards([CriterionReward(scorer, c.name) for c in rubric.criteria],
                      [float(c.weight) for c in rubric.criteria])
