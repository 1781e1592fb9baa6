"""The health panel PNG: four small plots over the logging steps, alerts marked.

Top left: failing-status rates per criterion (error + timeout, unverifiable). Top right:
each criterion's share of the advantage signal (or its mean, from a plain TRL log).
Bottom left: mean completion length and the reward-length correlation. Bottom right:
zero-variance groups, failing canaries and rule-judge disagreement. A dashed line marks
the step each alert started from.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any, Sequence

from rewardkit.health.alerts import Alert, criteria_of


def _series(steps: Sequence[int], points: Sequence[dict[str, float]], key: str
            ) -> tuple[list[int], list[float]]:
    pairs = [(s, p[key]) for s, p in zip(steps, points) if key in p]
    return [s for s, _ in pairs], [v for _, v in pairs]


def _plot(ax: Any, steps: Sequence[int], points: Sequence[dict[str, float]], key: str,
          label: str, **style: Any) -> bool:
    xs, ys = _series(steps, points, key)
    if xs:
        ax.plot(xs, ys, label=label, marker="o" if len(xs) < 3 else None, **style)
    return bool(xs)


def plot_health(steps: Sequence[int], points: Sequence[dict[str, float]],
                alerts: Sequence[Alert], path: str | Path, title: str = "reward health") -> Path:
    """Write the panel for a run's health points to `path`; returns the path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    names = sorted({n for p in points for n in criteria_of(p)})
    fig, axes = plt.subplots(2, 2, figsize=(11, 7), dpi=100, sharex=True)
    status, signal, length, groups = axes.flat
    for name in names:
        _plot(status, steps, points, f"{name}/error_rate", f"{name} error")
        _plot(status, steps, points, f"{name}/timeout_rate", f"{name} timeout", linestyle=":")
        _plot(status, steps, points, f"{name}/unverifiable_rate", f"{name} unverifiable",
              linestyle="--")
        if not _plot(signal, steps, points, f"{name}/share", name):
            _plot(signal, steps, points, f"{name}/mean", f"{name} (mean)")
    status.set_title("failing statuses (share of samples)")
    status.set_ylim(-0.05, 1.05)
    signal.set_title("share of the advantage signal")
    _plot(length, steps, points, "length/mean", "mean length", color="black")
    length.set_title("completion length")
    twin = length.twinx()
    _plot(twin, steps, points, "length_corr", "reward-length corr.", color="tab:red")
    twin.set_ylim(-1.05, 1.05)
    twin.set_ylabel("reward-length correlation", color="tab:red")
    _plot(groups, steps, points, "zero_std_groups", "zero-variance groups")
    for key in sorted({k for p in points for k in p if k.startswith("disagree/")
                       and not k.endswith("/trend")}):
        _plot(groups, steps, points, key, key.replace("disagree/", "disagree "))
    canary = groups.twinx()
    _plot(canary, steps, points, "canary/hacks_passing", "hack canaries passing",
          color="tab:red", drawstyle="steps-post")
    _plot(canary, steps, points, "canary/good_failing", "good canaries failing",
          color="tab:purple", drawstyle="steps-post")
    canary.set_ylabel("failing canaries")
    groups.set_title("groups without signal, canaries, disagreement")
    groups.set_ylim(-0.05, 1.05)
    for ax in axes.flat:
        ax.grid(alpha=0.3)
        for alert in alerts:
            ax.axvline(alert.since, color="tab:red", linestyle="--", alpha=0.6)
        handles, _ = ax.get_legend_handles_labels()
        if handles:
            ax.legend(fontsize=7, loc="upper left")
    for i, alert in enumerate(alerts):
        status.annotate(alert.kind, (alert.since, 1.0), xytext=(3, -12 - 10 * i),
                        textcoords="offset points", color="tab:red", fontsize=8)
    for ax in (twin, canary):
        handles, _ = ax.get_legend_handles_labels()
        if handles:
            ax.legend(fontsize=7, loc="lower right")
    for ax in axes[1]:
        ax.set_xlabel("step")
    lines = [textwrap.shorten(a.line(), 160, placeholder=" ...") for a in alerts[:4]]
    fig.suptitle(title + ("\n" + "\n".join(lines) if lines else ": no alert"), fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
