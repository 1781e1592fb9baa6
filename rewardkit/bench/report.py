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
    """Horizontal bars: accuracy per category (boolean cases), one bar per reward."""
    plt = _pyplot()
    summaries = [run.summary() for run in runs]
    categories = sorted({c for s in summaries for c in s["per_category"]}, reverse=True)
    height = 0.8 / len(summaries)
    fig, ax = plt.subplots(figsize=(7, 1.5 + 0.25 * len(categories) * len(summaries)))
    for k, summary in enumerate(summaries):
        values = [summary["per_category"].get(c, {}).get("accuracy") or 0.0 for c in categories]
        ax.barh([i + (len(summaries) - 1 - k) * height for i in range(len(categories))], values,
                height, label=summary["reward"])
    ax.set_yticks([i + 0.4 - height / 2 for i in range(len(categories))], categories)
    ax.set_xlim(0, 1)
    ax.set_xlabel("accuracy (boolean cases)")
    ax.margins(y=0.01)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize="small",
              title="Accuracy per category", frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)


def plot_latency(runs: Sequence[RewardRun], path: Path) -> None:
    """Histogram of per-case latency (ms), one series per reward; log bins for long tails."""
    plt = _pyplot()
    series = [(run.spec.label, [r.latency_s * 1e3 for r in run.results
                                if r.latency_s is not None and r.latency_s > 0])
              for run in runs]
    every = [v for _, values in series for v in values]
    fig, ax = plt.subplots(figsize=(7, 4))
    bins: Any = 30
    if every and max(every) / min(every) > 100:
        import numpy

        bins = numpy.geomspace(min(every), max(every), 40)
        ax.set_xscale("log")
    for label, values in series:
        if values:
            ax.hist(values, bins=bins, alpha=0.6, label=label)
    ax.set_xlabel("latency per case (ms)")
    ax.set_ylabel("cases")
    ax.set_title("Latency")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize="small")
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
