"""Per-batch health statistics from one scored GRPO batch (plain Python, no torch).

Input: each sample's component `Score`s, the per-criterion values TRL receives, the
completion lengths and the GRPO groups (lists of row indices sharing a prompt).
Output: a flat ``{metric: float}`` mapping whose keys become ``health/<key>``.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Mapping, Sequence

from rewardkit.types import Score, Status

COUNTED = (Status.ERROR, Status.TIMEOUT, Status.UNVERIFIABLE, Status.NOT_APPLICABLE)


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def std(values: Sequence[float]) -> float | None:
    centre = mean(values)
    if centre is None:
        return None
    return math.sqrt(sum((v - centre) ** 2 for v in values) / len(values))


def correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r; None with fewer than 3 pairs or when either side is constant."""
    if len(xs) < 3:
        return None
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)


def groups_by_prompt(prompts: Sequence[object], size: int | None = None) -> list[list[int]]:
    """Runs of consecutive equal prompts (GRPO's layout), cut into chunks of `size`."""
    groups: list[list[int]] = []
    for i, prompt in enumerate(prompts):
        same = groups and prompts[groups[-1][-1]] == prompt
        if same and (size is None or len(groups[-1]) < size):
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def weighted_totals(columns: Mapping[str, Sequence[float | None]], weights: Mapping[str, float]
                    ) -> tuple[dict[str, list[float]], list[float | None]]:
    """Each criterion's ``weight * value`` (None as 0) and TRL's total per row (the sum;
    None where every value is None, since TRL masks those rows)."""
    parts = {n: [weights[n] * (v or 0.0) for v in column] for n, column in columns.items()}
    totals: list[float | None] = [
        None if all(v is None for v in values) else sum(part)
        for values, part in zip(zip(*columns.values()), zip(*parts.values()))]
    return parts, totals


def advantage_shares(parts: Mapping[str, Sequence[float]], totals: Sequence[float | None],
                     groups: Sequence[Sequence[int]]) -> tuple[dict[str, float], float]:
    """Each criterion's share of the within-group variance of the total, and that variance.

    The total is TRL's: the weighted sum of the values that are not None. Its within-group
    variance splits exactly into ``sum_c cov_g(w_c * v_c, total)``; a criterion's share is
    its term over the whole. Rows where every value is None (TRL masks them) are left out.
    `parts` and `totals` come from `weighted_totals`.
    """
    terms = {name: 0.0 for name in parts}
    whole = 0.0
    for group in groups:
        rows = [i for i in group if totals[i] is not None]
        if len(rows) < 2:
            continue
        centre = sum(totals[i] for i in rows) / len(rows)
        deviation = {i: totals[i] - centre for i in rows}
        whole += sum(d * d for d in deviation.values())
        for name, values in parts.items():
            m = sum(values[i] for i in rows) / len(rows)
            terms[name] += sum((values[i] - m) * deviation[i] for i in rows)
    if whole <= 1e-12:
        return {name: 0.0 for name in parts}, 0.0
    return {name: term / whole for name, term in terms.items()}, whole


def zero_variance_share(totals: Sequence[float | None], groups: Sequence[Sequence[int]]) -> float:
    """Fraction of groups whose totals are all equal (no learning signal)."""
    flat = 0
    for group in groups:
        values = [totals[i] for i in group if totals[i] is not None]
        if len(values) < 2 or max(values) - min(values) <= 1e-9:
            flat += 1
    return flat / len(groups) if groups else 0.0


def disagreement(rule: Sequence[Score], judge: Sequence[Score],
                 threshold: float = 0.5) -> float | None:
    """Share of samples both scored where one passes (>= threshold) and the other not."""
    pairs = [(r.value >= threshold, j.value >= threshold) for r, j in zip(rule, judge)
             if r.value is not None and j.value is not None]
    return sum(a != b for a, b in pairs) / len(pairs) if pairs else None


def batch_stats(scores: Mapping[str, Sequence[Score]],
                columns: Mapping[str, Sequence[float | None]], weights: Mapping[str, float],
                lengths: Sequence[float], groups: Sequence[Sequence[int]],
                pairs: Sequence[tuple[str, str]] = ()) -> dict[str, float]:
    """Every per-batch metric (see the module docstring); keys have no ``health/`` prefix."""
    out: dict[str, float] = {}
    n = len(lengths)
    parts, totals = weighted_totals(columns, weights)
    shares, _ = advantage_shares(parts, totals, groups)
    for name, column in scores.items():
        values = [s.value for s in column if s.value is not None]
        put(out, f"{name}/mean", mean(values))
        put(out, f"{name}/std", std(values))
        put(out, f"{name}/share", shares.get(name))
        counts = Counter(s.status for s in column)
        for status in COUNTED:
            out[f"{name}/{status.value}_rate"] = counts[status] / n
        paired = [(lengths[i], s.value) for i, s in enumerate(column) if s.value is not None]
        put(out, f"{name}/length_corr", correlation(*zip(*paired)) if paired else None)
    scored = [(lengths[i], t) for i, t in enumerate(totals) if t is not None]
    put(out, "total/mean", mean([t for _, t in scored]))
    put(out, "total/std", std([t for _, t in scored]))
    put(out, "zero_std_groups", zero_variance_share(totals, groups))
    put(out, "length/mean", mean(list(lengths)))
    put(out, "length_corr", correlation(*zip(*scored)) if scored else None)
    for rule, judge in pairs:
        put(out, f"disagree/{rule}/{judge}", disagreement(scores[rule], scores[judge]))
    return out


def put(out: dict[str, float], key: str, value: float | None) -> None:
    """Set `key` unless `value` is None (TRL's logger averages only what was logged)."""
    if value is not None:
        out[key] = float(value)
