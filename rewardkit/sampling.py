"""Rejection sampling (best-of-N), the third phase of the R1 recipe (`rewardkit sample`).

For every prompt a generation backend draws `n` completions, a rubric scores them, and
the best one (``keep="best"``) or every one at or above `threshold` (``keep="all"``) is
written as an SFT-ready row: ``prompt``, ``completion``, the rubric ``total``, each
criterion's value and status, and the prompt's other columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Literal, Mapping, Sequence

from rewardkit.errors import ConfigError
from rewardkit.types import sample_from_mapping

Keep = Literal["best", "all"]


@dataclass
class SampleStats:
    """Counts over a rejection-sampling run."""

    prompts: int = 0
    candidates: int = 0
    kept: int = 0
    prompts_without_keeper: int = 0
    totals: list[float] = field(default_factory=list, repr=False)

    @property
    def mean_total(self) -> float | None:
        return sum(self.totals) / len(self.totals) if self.totals else None

    def to_dict(self) -> dict[str, Any]:
        return {"prompts": self.prompts, "candidates": self.candidates, "kept": self.kept,
                "prompts_without_keeper": self.prompts_without_keeper,
                "mean_candidate_total": self.mean_total}


def _selected(totals: Sequence[float | None], keep: Keep, threshold: float | None) -> list[int]:
    scored = [(t, i) for i, t in enumerate(totals) if t is not None]
    if threshold is not None:
        scored = [(t, i) for t, i in scored if t >= threshold]
    if keep == "all":
        return [i for _, i in sorted(scored, key=lambda p: (-p[0], p[1]))]
    return [max(scored, key=lambda p: (p[0], -p[1]))[1]] if scored else []


def best_of_n(rubric: Any, generator: Any, rows: Iterable[Mapping[str, Any]], *, n: int,
              sampling: Mapping[str, Any] | None = None, keep: Keep = "best",
              threshold: float | None = None, batch_size: int = 16,
              stats: SampleStats | None = None) -> Iterator[dict[str, Any]]:
    """Yield the kept rows; each input row needs a text ``prompt`` (``reference`` optional)."""
    if n < 1:
        raise ConfigError(f"n must be at least 1, got {n}")
    if keep not in ("best", "all"):
        raise ConfigError(f"keep must be 'best' or 'all', not {keep!r}")
    stats = stats if stats is not None else SampleStats()
    batch: list[Mapping[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == batch_size:
            yield from _run_batch(rubric, generator, batch, n, sampling or {}, keep, threshold,
                                  stats)
            batch = []
    if batch:
        yield from _run_batch(rubric, generator, batch, n, sampling or {}, keep, threshold, stats)


def _run_batch(rubric: Any, generator: Any, rows: list[Mapping[str, Any]], n: int,
               sampling: Mapping[str, Any], keep: Keep, threshold: float | None,
               stats: SampleStats) -> Iterator[dict[str, Any]]:
    prompts: list[Any] = []
    for row in rows:
        prompt = row.get("prompt")
        if not isinstance(prompt, str):
            raise ConfigError(f"every row needs a text 'prompt'; got {type(prompt).__name__} "
                              f"in row {stats.prompts + len(prompts) + 1}")
        prompts.append(prompt)
    outputs = generator.generate(prompts, n=n, **sampling)
    if len(outputs) != len(prompts) or any(len(o) != n for o in outputs):
        raise ConfigError(f"the generator returned {[len(o) for o in outputs]} completions "
                          f"for {len(prompts)} prompts; expected {n} each")
    samples = [sample_from_mapping({**row, "completion": text}, error=ConfigError)
               for row, texts in zip(rows, outputs) for text in texts]
    result = rubric.score(samples)
    for p, row in enumerate(rows):
        block = result.rows[p * n:(p + 1) * n]
        totals = [r.total for r in block]
        stats.prompts += 1
        stats.candidates += n
        stats.totals.extend(t for t in totals if t is not None)
        chosen = _selected(totals, keep, threshold)
        if not chosen:
            stats.prompts_without_keeper += 1
        for rank, i in enumerate(chosen):
            stats.kept += 1
            extra = {k: v for k, v in row.items() if k not in ("prompt", "completion")}
            yield {**extra, "prompt": row["prompt"], "completion": samples[p * n + i].completion,
                   "total": totals[i], "rank": rank, "candidates": n,
                   "scores": {name: {"value": s.value, "status": s.status.value}
                              for name, s in block[i].components.items()}}
