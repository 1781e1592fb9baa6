"""`rewardkit bench`: accuracy, speed and failure counts of rewards over labelled cases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

import typer

from rewardkit.cli.output import ExecutorKind, executor_option

REWARD_HELP = """Rewards to compare: NAME (math, shaping:overlong, pkg.module:fn),
NAME:key=value,key2=value2 for per-reward parameters, or a YAML file of
{reward, label, params} entries."""


def summary_table(summaries: list[dict[str, Any]], title: str) -> Any:
    """The rich table printed after a run: one row per metric, one column per reward."""
    from rewardkit.bench.report import fmt
    from rewardkit.cli.output import table

    def row(label: str, get: Any) -> list[str]:
        return [label, *(get(s) for s in summaries)]

    rows = [row(key, lambda s, key=key: fmt(s[key]))
            for key in ("n", "accuracy", "precision", "recall", "f1", "mae")]
    rows.append(row("tp / fp / tn / fn", lambda s: f"{s['tp']} / {s['fp']} / "
                                                   f"{s['tn']} / {s['fn']}"))
    rows.append(row("not ok", lambda s: ", ".join(
        f"{k} {v}" for k, v in s["status_counts"].items() if k != "ok" and v) or "–"))
    rows.append(row("cases / s", lambda s: fmt(s["cases_per_s"])))
    rows += [row(f"latency {q} (ms)", lambda s, q=q: fmt(s["latency_ms"][q]))
             for q in ("p50", "p95", "p99")]
    rows.append(row("peak memory (MB)", lambda s: f"{s['peak_memory_mb']:.1f}"))
    return table(["metric", *(s["reward"] for s in summaries)], rows, title)


def category_table(summaries: list[dict[str, Any]]) -> Any:
    """Accuracy (boolean cases) or MAE (numeric cases) per category, one column per reward."""
    from rewardkit.bench.report import fmt
    from rewardkit.cli.output import table

    rows = []
    for name in sorted({c for s in summaries for c in s["per_category"]}):
        cells = []
        for s in summaries:
            stats = s["per_category"].get(name, {})
            value = stats.get("accuracy")
            cells.append(fmt(value) if value is not None else f"mae {fmt(stats.get('mae'))}")
        rows.append([name, summaries[0]["per_category"].get(name, {}).get("n", 0), *cells])
    return table(["category", "n", *(s["reward"] for s in summaries)], rows, "per category")


def register(app: typer.Typer) -> None:
    @app.command("bench")
    def bench(
        rewards: list[str] = typer.Argument(..., metavar="REWARD", help=REWARD_HELP),
        cases: Path = typer.Option(..., "--cases", "-c", help="JSONL case file: id, completion, "
                                   "expected (bool or number), reference?, prompt?, category?, "
                                   "params?."),
        param: list[str] = typer.Option([], "--param", "-p", help="key=value given to every "
                                        "reward (YAML scalar); repeatable."),
        workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1,
                                              help="Worker processes for CPU-bound rewards "
                                              "(default: CPU count)."),
        executor: Optional[ExecutorKind] = executor_option(
            "Where CPU-bound rewards run: local (default) or ray."),
        threshold: float = typer.Option(0.5, "--threshold", help="A score >= this counts as "
                                        "rewarded."),
        timeout: Optional[float] = typer.Option(None, "--timeout", help="Seconds per case "
                                                "(default: the reward's own, else 30)."),
        concurrency: int = typer.Option(32, "--concurrency", min=1, help="Cases in flight at "
                                        "once for async rewards."),
        warmup: bool = typer.Option(True, "--warmup/--no-warmup", help="Score the first case "
                                    "once per worker before timing (keeps imports and model "
                                    "loading out of the latency)."),
        as_json: bool = typer.Option(False, "--json", help="Print a JSON list, one object per "
                                     "reward."),
        report: Optional[Path] = typer.Option(None, "--report", help="Directory for report.md, "
                                              "per_category.png and latency.png."),
        output: Optional[Path] = typer.Option(None, "--output", "-o", help="JSONL of per-case "
                                              "results (one row per case and reward)."),
    ) -> None:
        """Measure rewards against labelled cases: accuracy, P/R/F1, MAE, latency, memory.

        A score without a value (unverifiable, error, timeout, not applicable) counts as
        not rewarded and is listed in the status counts.

        Example: rewardkit bench math math:answer_from=whole --cases cases.jsonl --report out/
        """
        from rewardkit.bench.cases import load_cases
        from rewardkit.bench.runner import run_bench
        from rewardkit.bench.specs import parse_specs
        from rewardkit.cli.output import console, err_console, fail, print_json, progress
        from rewardkit.errors import RewardkitError

        try:
            specs = parse_specs(rewards, param)
            loaded = load_cases(cases)
            with progress(enabled=not as_json) as bar:
                task = bar.add_task("bench", total=len(loaded) * len(specs))
                runs = run_bench(specs, loaded, workers=workers, concurrency=concurrency,
                                 executor=executor and executor.value,
                                 timeout=timeout, threshold=threshold, warmup=warmup,
                                 progress=lambda n: bar.advance(task, n))
        except (RewardkitError, LookupError) as exc:
            fail(str(exc))
        summaries = [run.summary() for run in runs]
        try:
            if output is not None:
                rows = [{"reward": run.spec.label, **r.to_dict(threshold)}
                        for run in runs for r in run.results]
                output.write_text("".join(json.dumps(row, default=str) + "\n" for row in rows),
                                  encoding="utf-8")
            if report is not None:
                from rewardkit.bench.report import write_report
                from rewardkit.cli.output import needs_extras

                with needs_extras("bench --report"):
                    written = write_report(runs, report, str(cases))
                err_console.print(f"report: {', '.join(map(str, written))}", highlight=False)
        except OSError as exc:
            fail(f"cannot write results: {exc}")
        if as_json:
            print_json(summaries)
            return
        console.print(summary_table(summaries, f"{len(loaded)} cases from {cases}"))
        if len({c for s in summaries for c in s["per_category"]}) > 1:
            console.print(category_table(summaries))
