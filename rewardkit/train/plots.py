"""The reward-curve PNG: mean total reward and each component per logging step."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence


def plot_rewards(rows: Sequence[dict[str, Any]], criteria: Sequence[str], path: str | Path,
                 title: str = "GRPO reward") -> Path:
    """Write a PNG of `reward` and `rewards/<criterion>` against `step`; returns its path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    steps = [row["step"] for row in rows]
    fig, ax = plt.subplots(figsize=(7, 4), dpi=100)
    ax.plot(steps, [row.get("reward") for row in rows], label="total",  # type: ignore[arg-type]
            linewidth=2.5,
            color="black")
    for name in criteria:
        values = [row.get(f"rewards/{name}") for row in rows]
        ax.plot(steps, values, label=name, linewidth=1.5)  # type: ignore[arg-type]
    ax.set_xlabel("step")
    ax.set_ylabel("mean reward")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(loc="best")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
