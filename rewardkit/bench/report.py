"""Bench reports: a Markdown file and two PNG plots (matplotlib, imported only here).

``write_report(runs, directory, cases_path)`` writes

  report.md          summary table, per-category table, status counts, every mistake
  per_category.png   accuracy per category, one bar per reward
  latency.png        histogram of per-case latency, one series per reward
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Sequence

from rewardkit.bench.runner import RewardRun

SUMMARY_COLUMNS = ("reward", "n", "accuracy", "precision", "recall", "f1", "tp", "fp", "tn",
                   "fn", "mae", "cases_per_s", "p50 ms", "p95 ms", "p99 ms", "peak MB")


def fmt(value: Any) -> str:
    """A metric for a table cell: ratios to 3 decimals, None as a dash."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def summary_row(summary: dict[str, Any]) -> list[str]:
    """One reward's summary as the cells of `SUMMARY_COLUMNS`."""
    lat = summary["latency_ms"]
    values = [summary["reward"], summary["n"], summary["accuracy"], summary["precision"],
              summary["recall"], summary["f1"], summary["tp"], summary["fp"], summary["tn"],
              summary["fn"], summary["mae"], summary["cases_per_s"], lat["p50"], lat["p95"],
              lat["p99"]]
    return [fmt(v) for v in values] + [f"{summary['peak_memory_mb']:.1f}"]


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    escape = [[str(c).replace("|", "\\|") for c in row] for row in rows]
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(row) + " |" for row in escape)]


def markdown(runs: Sequence[RewardRun], cases_path: str = "") -> str:
    """The whole report as Markdown."""
    summaries = [run.summary() for run in runs]
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = ["# rewardkit bench report", "",
             f"Cases: `{cases_path}` ({summaries[0]['n']} cases), threshold "
             f"{runs[0].threshold:g}, generated {stamp}.", "",
             "## Summary", "", *_table(SUMMARY_COLUMNS, [summary_row(s) for s in summaries]), "",
             "## Status counts", "",
             "A score without a value counts as not rewarded (see `rewardkit.bench.metrics`).",
             ""]
    statuses = list(summaries[0]["status_counts"])
    lines += _table(["reward", *statuses],
                    [[s["reward"], *(str(s["status_counts"][k]) for k in statuses)]
                     for s in summaries])
    categories = sorted({c for s in summaries for c in s["per_category"]})
    lines += ["", "## Accuracy per category", "", "![per-category accuracy](per_category.png)"]
    if len(categories) > 1:
        lines.append("")
        rows = [[c, str(summaries[0]["per_category"].get(c, {}).get("n", 0)),
                 *(fmt(s["per_category"].get(c, {}).get("accuracy")) for s in summaries)]
                for c in categories]
        lines += _table(["category", "n", *(s["reward"] for s in summaries)], rows)
    lines += ["", "## Latency", "", "![latency histogram](latency.png)", ""]
    for run in runs:
        wrong = [r for r in run.results if r.correct(run.threshold) is False]
        lines += ["", f"## Mistakes: {run.spec.label} ({len(wrong)})", ""]
        if wrong:
            lines += _table(["id", "category", "expected", "value", "status", "reason"],
                            [[r.id, r.category, fmt(r.expected), fmt(r.value), r.status,
                              str(r.info.get("reason", "") or "")[:120]] for r in wrong])
    return "\n".join(lines) + "\n"


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_per_category(runs: Sequence[RewardRun], path: Path) -> None:
    """Grouped bars: accuracy per category, one bar per reward."""
    plt = _pyplot()
    summaries = [run.summary() for run in runs]
    categories = sorted({c for s in summaries for c in s["per_category"]})
    width = 0.8 / len(summaries)
    fig, ax = plt.subplots(figsize=(max(6.0, 0.6 * len(categories) * len(summaries) + 2), 4))
    for k, summary in enumerate(summaries):
        values = [summary["per_category"].get(c, {}).get("accuracy") or 0.0 for c in categories]
        ax.bar([i + k * width for i in range(len(categories))], values, width,
               label=summary["reward"])
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(categories))], categories,
                  rotation=30, ha="right")
    ax.set_ylim(0, 1.25)  # headroom for the legend
    ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.set_ylabel("accuracy")
    ax.set_title("Accuracy per category")
    ax.legend(loc="upper center", ncol=2, fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_latency(runs: Sequence[RewardRun], path: Path) -> None:
    """Histogram of per-case latency (ms), one series per reward."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    for run in runs:
        values = [r.latency_s * 1e3 for r in run.results if r.latency_s is not None]
        if values:
            ax.hist(values, bins=30, alpha=0.6, label=run.spec.label)
    ax.set_xlabel("latency per case (ms)")
    ax.set_ylabel("cases")
    ax.set_title("Latency")
    if ax.get_legend_handles_labels()[0]:
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_report(runs: Sequence[RewardRun], directory: str | Path,
                 cases_path: str = "") -> list[Path]:
    """Write report.md and the two plots into `directory` (created); returns the paths."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "report.md", out / "per_category.png", out / "latency.png"]
    paths[0].write_text(markdown(runs, cases_path), encoding="utf-8")
    plot_per_category(runs, paths[1])
    plot_latency(runs, paths[2])
    return paths
