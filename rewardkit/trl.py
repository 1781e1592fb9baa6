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
* with TRL environments that record tool calls, each rollout's record goes to
  ``metadata["tool_calls"]`` and a summary to ``log_metric`` (`rewardkit.tool_calls`);
* per batch, each criterion's non-``ok`` counts go to TRL's ``log_metric`` as
  ``rewardkit/<name>/<status>`` (error, timeout, unverifiable, not_applicable), and the
  extracted answer (``info["answer"]`` or ``info["extracted"]``) to ``log_extra`` as the
  column ``<name>/answer``;
* observers in ``funcs[0].scorer.observers`` (such as `rewardkit.health`) are called with
  every scored batch: ``observer(scorer, samples, rows, trl_kwargs)``.

``to_trl(rubric, mode="total")`` returns a single function named ``reward`` that returns
the rubric total instead.

The sample's reference comes from the first dataset column TRL passes among
``reference``, ``solution`` (TRL's own rewards), ``answer`` and ``ground_truth``, or from
the column named by ``reference_column``. A batch in which every reference is missing
(no such column, or only None / NaN / "" / "nan" values) is logged once as a warning:
criteria that need a reference then score ``unverifiable`` or ``not_applicable``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from typing import Any, Literal, NamedTuple, cast

from rewardkit import tool_calls
from rewardkit.errors import ConfigError
from rewardkit.runtime_state import RuntimeState, runtime
from rewardkit.types import Sample, Score, Status

log = logging.getLogger("rewardkit")
REFERENCE_COLUMNS = ("reference", "solution", "answer", "ground_truth")

_TRL_KWARGS = ("trainer_state", "log_extra", "log_metric", "environments")
_ANSWER_KEYS = ("answer", "extracted", "extracted_answer")
_COUNTED = (Status.ERROR, Status.TIMEOUT, Status.UNVERIFIABLE, Status.NOT_APPLICABLE)


class TRLRewards(NamedTuple):
    """What `to_trl` returns: ``reward_funcs`` and the matching ``reward_weights``."""

    funcs: list[Callable[..., list[float | None]]]
    weights: list[float]


def reference_of(columns: dict[str, Any], column: str | None = None) -> tuple[str | None, Any]:
    """``(name, values)`` of the reference column among TRL's keyword arguments.

    `column` names it; None takes the first of `REFERENCE_COLUMNS` that is present.
    """
    if column is not None:
        if column not in columns:
            given = ", ".join(k for k in columns if k not in _TRL_KWARGS) or "none"
            raise ConfigError(f"to_trl(reference_column={column!r}): TRL passed no column "
                              f"{column!r} (dataset columns: {given}); name one of those")
        return column, columns[column]
    for name in REFERENCE_COLUMNS:
        if name in columns:
            return name, columns[name]
    return None, None


def build_samples(prompts: Sequence[Any], completions: Sequence[Any],
                  completion_ids: Sequence[Any] | None, columns: dict[str, Any],
                  reference_column: str | None = None) -> list[Sample]:
    """Samples from TRL's reward-function arguments (other dataset columns go to metadata)."""
    name, references = reference_of(columns, reference_column)
    data = {k: v for k, v in columns.items() if k not in _TRL_KWARGS and k != name}
    calls = tool_calls.records(columns.get("environments"))
    samples = []
    for i, (prompt, completion) in enumerate(zip(prompts, completions, strict=True)):
        metadata = {k: v[i] for k, v in data.items() if isinstance(v, (list, tuple))}
        if completion_ids is not None:
            metadata["completion_ids"] = completion_ids[i]
        if calls is not None:
            metadata["tool_calls"] = calls[i]
        reference = references[i] if references is not None else None
        samples.append(Sample(completion, prompt, reference, metadata))
    return samples


class BatchKey:
    """What identifies one TRL batch: the very lists TRL passed *and* their contents.

    TRL hands every reward function of a step the same lists, so identity finds the
    batch; contents guard it: a list reused with new contents, or the same lists with
    another reference column, is another batch.
    """

    def __init__(self, prompts: Sequence[Any], completions: Sequence[Any],
                 completion_ids: Sequence[Any] | None, columns: dict[str, Any]) -> None:
        data = {k: v for k, v in columns.items() if k not in _TRL_KWARGS}
        self.objects = (prompts, completions, completion_ids, *data.values())
        self.digest = json.dumps([prompts, completions, completion_ids, data], sort_keys=True,
                                 default=repr)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, BatchKey) and len(self.objects) == len(other.objects)
                and all(a is b for a, b in zip(self.objects, other.objects))
                and self.digest == other.digest)

    __hash__ = None  # type: ignore[assignment]


class BatchScorer(RuntimeState):
    """Scores a rubric once per TRL batch and hands each criterion its column."""

    def __init__(self, rubric: Any, reference_column: str | None = None) -> None:
        self.rubric = rubric
        self.reference_column = reference_column
        self.weights = {c.name: c.weight for c in rubric.criteria}
        self._warned = False

    # runtime state (never pickled): the last batch and who watches this process's batches
    @runtime
    def _key(self) -> BatchKey | None:
        return None

    @runtime
    def _rows(self) -> list[Any]:
        return []

    @runtime
    def observers(self) -> list[Callable[..., None]]:
        """Called with every scored batch (e.g. the health monitor)."""
        return []

    def rows(self, prompts: Sequence[Any], completions: Sequence[Any],
             completion_ids: Sequence[Any] | None, columns: dict[str, Any]) -> list[Any]:
        key = BatchKey(prompts, completions, completion_ids, columns)
        if key == self._key:
            return self._rows
        samples = build_samples(prompts, completions, completion_ids, columns,
                                self.reference_column)
        self._warn_if_unlabelled(samples, columns)
        rows = self.rubric.score(samples).rows
        self._key, self._rows = key, rows
        self._report(rows, columns.get("log_metric"), columns.get("log_extra"))
        calls = [s.metadata.get("tool_calls") for s in samples]
        if columns.get("log_metric") is not None and calls and None not in calls:
            for metric, value in tool_calls.metrics(cast(list, calls)).items():
                columns["log_metric"](metric, value)
        for observe in self.observers:
            observe(self, samples, rows, columns)
        return rows

    def _warn_if_unlabelled(self, samples: list[Sample], columns: dict[str, Any]) -> None:
        if self._warned or not samples or any(s.reference is not None for s in samples):
            return
        self._warned = True
        name, _ = reference_of(columns, self.reference_column)
        where = (f"column {name!r} holds only missing values (None, NaN, '', 'nan')" if name
                 else f"TRL passed none of the columns {', '.join(REFERENCE_COLUMNS)}")
        log.warning("rewardkit: every reference in this batch of %d is missing: %s. Criteria "
                    "that need one score unverifiable / not_applicable. Name the dataset's "
                    "column with to_trl(..., reference_column=...) or dataset.columns.reference "
                    "in the train config. (Warned once.)", len(samples), where)

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


def to_trl(rubric: Any, mode: Literal["criteria", "total"] = "criteria", *,
           reference_column: str | None = None) -> TRLRewards:
    """TRL reward functions and weights for `rubric` (a `Rubric`, or a rubric YAML path).

    ``funcs, weights = to_trl(rubric)`` then
    ``GRPOTrainer(reward_funcs=funcs, args=GRPOConfig(reward_weights=weights, ...))``.
    `reference_column` names the dataset column holding the reference (default: the first
    of ``reference``, ``solution``, ``answer``, ``ground_truth`` that TRL passes).
    """
    if isinstance(rubric, str) or hasattr(rubric, "__fspath__"):
        from rewardkit.rubric import Rubric

        rubric = Rubric.from_yaml(rubric)
    if not hasattr(rubric, "criteria") or not callable(getattr(rubric, "score", None)):
        raise ConfigError(f"to_trl needs a Rubric or a rubric YAML path, not {rubric!r}")
    scorer = BatchScorer(rubric, reference_column)
    if mode == "total":
        return TRLRewards([TotalReward(scorer)], [1.0])
    if mode != "criteria":
        raise ConfigError(f"to_trl mode must be 'criteria' or 'total', not {mode!r}")
    return TRLRewards([CriterionReward(scorer, c.name) for c in rubric.criteria],
                      [float(c.weight) for c in rubric.criteria])
