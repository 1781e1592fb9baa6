"""Bench reports: a Markdown file and two PNG plots (matplotlib, imported only here).

``write_report(runs, directory, cases_path)`` writes

  report.md          summary table, per-category table, status counts, every mistake (the
                     completion shortened, the reference, what the verifier extracted,
                     the rule that decided and the reason)
  per_category.png   accuracy per category, one bar per reward, each bar labelled with
                     its value (a 0.0 bar is a visible sliver and "0.00")
  latency.png        histogram of per-case latency, one series per reward
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping, Sequence

from rewardkit.bench.metrics import CaseResult
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


def shorten(value: Any, limit: int = 80) -> str:
    """`value` on one line, at most `limit` characters: head … tail (answers are at the end)."""
    text = " ".join(str("" if value is None else value).split())
    if len(text) <= limit:
        return text
    tail = (limit - 3) * 2 // 3
    return f"{text[:limit - 3 - tail]} … {text[-tail:]}"


def verdict_parts(info: Mapping[str, Any]) -> tuple[str, str]:
    """(what the verifier extracted, the rule that decided) from a score's info."""
    extracted = next((info[k] for k in ("extracted", "verdict", "choice", "languages")
                      if info.get(k) is not None), "")
    rule = " → ".join(str(info[k]) for k in ("method", "rule") if info.get(k))
    if not rule and info.get("failed"):
        rule = "failed: " + ", ".join(map(str, info["failed"]))
    if not rule and info.get("injection"):
        rule = "injection: " + ", ".join(c.get("cue", "") for c in info["injection"])
    if not rule and info.get("conflict"):
        rule = "conflicting verdicts"
    return shorten(extracted, 40), rule


def mistake_row(r: CaseResult) -> list[str]:
    extracted, rule = verdict_parts(r.info)
    reason = str(r.info.get("reason", "") or "")
    if not reason and extracted:
        reason = f"extracted {extracted!r}, reference {shorten(r.reference, 40)!r}"
    return [r.id, r.category, fmt(r.expected), fmt(r.value), r.status, shorten(r.completion),
            shorten(r.reference, 40), extracted, rule, shorten(reason, 120)]


MISTAKE_COLUMNS = ("id", "category", "expected", "value", "status", "completion", "reference",
                   "extracted", "decided by", "reason")


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
            lines += _table(MISTAKE_COLUMNS, [mistake_row(r) for r in wrong])
    return "\n".join(lines) + "\n"


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


MIN_BAR = 0.006  # a 0.0 bar is drawn this wide, so it is seen (its label says 0.00)


def bar_values(summary: Mapping[str, Any], categories: Sequence[str]
               ) -> tuple[list[float], list[str]]:
    """Drawn bar widths and their labels: accuracy, "0.00" kept visible, "n/a" for none."""
    widths, labels = [], []
    for c in categories:
        accuracy = summary["per_category"].get(c, {}).get("accuracy")
        widths.append(0.0 if accuracy is None else max(accuracy, MIN_BAR))
        labels.append("n/a" if accuracy is None else f"{accuracy:.2f}")
    return widths, labels


def category_figure(runs: Sequence[RewardRun]) -> Any:
    """The per-category accuracy figure (matplotlib), every bar labelled with its value."""
    plt = _pyplot()
    summaries = [run.summary() for run in runs]
    categories = sorted({c for s in summaries for c in s["per_category"]}, reverse=True)
    height = 0.8 / len(summaries)
    fig, ax = plt.subplots(figsize=(7, 1.5 + 0.25 * len(categories) * len(summaries)))
    for k, summary in enumerate(summaries):
        widths, labels = bar_values(summary, categories)
        ys = [i + (len(summaries) - 1 - k) * height for i in range(len(categories))]
        bars = ax.barh(ys, widths, height, label=summary["reward"], edgecolor="black",
                       linewidth=0.4)
        ax.bar_label(bars, labels, padding=2, fontsize="x-small")
    ax.set_yticks([i + 0.4 - height / 2 for i in range(len(categories))], categories)
    ax.set_xlim(0, 1.12)
    ax.set_xlabel("accuracy (boolean cases)")
    ax.margins(y=0.01)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize="small",
              title="Accuracy per category", frameon=False)
    fig.tight_layout()
    return fig


def plot_per_category(runs: Sequence[RewardRun], path: Path) -> None:
    """Horizontal bars: accuracy per category (boolean cases), one bar per reward."""
    fig = category_figure(runs)
    fig.savefig(path, dpi=100, bbox_inches="tight")
    _pyplot().close(fig)


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
