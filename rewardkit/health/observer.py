"""The per-batch side of the monitor: fed by `rewardkit.trl`'s batch scorer.

`BatchObserver.attach(funcs)` hooks into the scorer behind `to_trl` reward functions.
For each scored batch it computes `stats.batch_stats`, adds the drift of completion length
and the trend of each status rate against the first batches, runs the canaries every K
steps, and hands every number to TRL's ``log_metric`` as ``health/<key>``: TRL averages
them per logging step and reports them with its own metrics (TensorBoard, W&B, ...).
Reasons (``info["reason"]`` of scores that are not ok) are kept for the alerts.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Sequence

from rewardkit.errors import ConfigError
from rewardkit.health.canaries import CanaryResult, CanaryWatch
from rewardkit.health.stats import COUNTED, batch_stats, groups_by_prompt

PREFIX = "health/"


def scorer_of(funcs: Sequence[Any]) -> Any:
    """The batch scorer shared by `to_trl`'s reward functions."""
    scorers = {id(getattr(f, "scorer", None)): getattr(f, "scorer", None) for f in funcs}
    scorers.pop(id(None), None)
    if len(scorers) != 1:
        raise ConfigError("the health monitor needs the reward functions of one "
                          "rewardkit.trl.to_trl(...) call (got "
                          f"{', '.join(repr(f) for f in funcs) or 'none'})")
    return next(iter(scorers.values()))


def judge_pairs(rubric: Any) -> list[tuple[str, str]]:
    """(rule, judge) criterion pairs: every judge criterion against every other one."""
    def is_judge(crit: Any) -> bool:
        reward = crit.reward
        return "judge" in str(getattr(reward, "name", "")) or \
            type(reward).__module__.startswith("rewardkit_judge")

    judges = [c.name for c in rubric.criteria if is_judge(c)]
    rules = [c.name for c in rubric.criteria if not is_judge(c)]
    return [(r, j) for j in judges for r in rules]


class BatchObserver:
    """Turns each scored batch into ``health/...`` metrics (see the module docstring)."""

    def __init__(self, rubric: Any, *, group_size: int | None = None,
                 canaries: CanaryWatch | None = None, canary_every: int = 10,
                 baseline_batches: int = 3) -> None:
        self.rubric = rubric
        self.group_size = group_size
        self.canaries = canaries
        self.canary_every = canary_every
        self.baseline_batches = baseline_batches
        self.pairs = judge_pairs(rubric)
        self.reasons: Counter[tuple[str, str, str]] = Counter()
        self.recent: Counter[tuple[str, str, str]] = Counter()
        self.canary_problems: list[CanaryResult] = []
        self.canary_step: int | None = None
        self.pending: dict[str, list[float]] = {}
        self._baseline: list[dict[str, float]] = []
        self._last_canary: int | None = None

    def attach(self, funcs: Sequence[Any]) -> "BatchObserver":
        scorer = scorer_of(funcs)
        if self not in scorer.observers:
            scorer.observers.append(self)
        return self

    def __call__(self, scorer: Any, samples: Sequence[Any], rows: Sequence[Any],
                 columns: dict[str, Any]) -> None:
        names = list(scorer.weights)
        scores = {n: [row.components[n] for row in rows] for n in names}
        values = {n: scorer.column(rows, n) for n in names}
        lengths = [_length(s) for s in samples]
        groups = groups_by_prompt([s.prompt_text for s in samples], self.group_size)
        metrics = batch_stats(scores, values, scorer.weights, lengths, groups, self.pairs)
        self._add_trends(metrics, names)
        self._keep_reasons(scores)
        step = getattr(columns.get("trainer_state"), "global_step", 0)
        metrics.update(self._maybe_check_canaries(step))
        log = columns.get("log_metric") or self._hold
        for key, value in metrics.items():
            log(PREFIX + key, value)

    def _hold(self, name: str, value: float) -> None:
        """Without TRL's log_metric, the callback adds these at the next log."""
        self.pending.setdefault(name, []).append(value)

    def drain_pending(self) -> dict[str, float]:
        out = {k: sum(v) / len(v) for k, v in self.pending.items()}
        self.pending.clear()
        return out

    def _add_trends(self, metrics: dict[str, float], names: list[str]) -> None:
        tracked = {k: v for k, v in metrics.items()
                   if k == "length/mean" or k.endswith("_rate") or k.startswith("disagree/")}
        if len(self._baseline) < self.baseline_batches:
            self._baseline.append(tracked)
        base: dict[str, list[float]] = {}
        for batch in self._baseline:
            for key, value in batch.items():
                base.setdefault(key, []).append(value)
        for key, value in tracked.items():
            if key not in base:
                continue
            ref = sum(base[key]) / len(base[key])
            if key == "length/mean":
                if ref > 0:
                    metrics["length/drift"] = value / ref - 1.0
            else:
                metrics[key.removesuffix("_rate") + "_trend" if key.endswith("_rate")
                        else key + "/trend"] = value - ref

    def _keep_reasons(self, scores: dict[str, list[Any]]) -> None:
        for name, column in scores.items():
            for score in column:
                if score.status in COUNTED:
                    reason = str(score.info.get("reason") or "").strip()
                    key = (name, score.status.value, reason[:200])
                    self.reasons[key] += 1
                    self.recent[key] += 1

    def top_reason(self, criterion: str, status: str) -> str:
        """The most frequent reason for `criterion`'s `status` scores since the last log
        (else over the whole run)."""
        for counts in (self.recent, self.reasons):
            found = [(count, reason) for (name, st, reason), count in counts.items()
                     if name == criterion and st == status and reason]
            if found:
                return max(found)[1]
        return ""

    def end_window(self) -> None:
        """Called at each log: later reasons count as recent."""
        self.recent.clear()

    def _maybe_check_canaries(self, step: int) -> dict[str, float]:
        if self.canaries is None:
            return {}
        if self._last_canary is not None and step - self._last_canary < self.canary_every:
            return {}
        self._last_canary = step
        self.canary_problems = self.canaries.check()
        self.canary_step = step
        hacks = sum(p.problem == "hack_passes" for p in self.canary_problems)
        return {"canary/hacks_passing": float(hacks),
                "canary/good_failing": float(len(self.canary_problems) - hacks),
                "canary/checked": float(len(self.canaries.canaries))}

    def reasons_dict(self) -> dict[str, str]:
        """``{"criterion/status": most frequent reason}`` for the health summary file."""
        keys = {(name, status) for name, status, _ in self.reasons}
        return {f"{n}/{s}": self.top_reason(n, s) for n, s in sorted(keys)
                if self.top_reason(n, s)}


def _length(sample: Any) -> float:
    """Completion length in tokens when TRL gave the ids, else in characters."""
    ids = sample.metadata.get("completion_ids")
    return float(len(ids)) if ids is not None else float(len(sample.completion_text))

