"""`rewardkit score`: a rubric over a JSONL file, one output row per input row."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from rewardkit.cli.output import ExecutorKind, executor_option


def summary_table(stats: dict[str, Any], title: str) -> Any:
    """A rich table of per-criterion stats (mean, std, n and every status count)."""
    from rewardkit.cli.output import table

    statuses = ("ok", "error", "timeout", "unverifiable", "not_applicable")
    rows = [[name, s.mean, s.std, s.n,
             *("" if name == "total" else s.status_counts[k] for k in statuses)]
            for name, s in stats.items()]
    return table(["criterion", "mean", "std", "n", "ok", "errors", "timeouts", "unverifiable",
                  "not applicable"], rows, title)


def register(app: typer.Typer) -> None:
    @app.command("score")
    def score(
        rubric: Path = typer.Option(..., "--rubric", "-r", help="Rubric YAML file."),
        input: Path = typer.Option(..., "--input", "-i", help="JSONL with prompt, completion, "
                                   "reference; a 'metadata' object and other fields "
                                   "become metadata."),
        output: Path = typer.Option(..., "--output", "-o", help="JSONL to write, one row per "
                                    "input row."),
        workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1,
                                              help="Worker processes for CPU-bound rewards."),
        resume: bool = typer.Option(False, "--resume", help="Finish an interrupted run."),
        overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing output."),
        batch_size: int = typer.Option(256, "--batch-size", min=1, help="Rows per batch."),
        executor: Optional[ExecutorKind] = executor_option(),
        fail_on_error: bool = typer.Option(False, "--fail-on-error",
                                           help="Exit 1 if any row is malformed or any reward "
                                           "errs or times out."),
        as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    ) -> None:
        """Score every row of a JSONL file with a rubric."""
        from rewardkit.cli.output import (
            console,
            err_console,
            fail,
            print_json,
            progress,
            styled,
        )
        from rewardkit.errors import ConfigError, InputError, RewardError, RewardkitError
        from rewardkit.jsonl import count_rows
        from rewardkit.rubric import Rubric
        from rewardkit.score_file import saved_rows, score_file

        try:
            loaded = Rubric.from_yaml(rubric)
            total_rows = count_rows(input)
        except (RewardkitError, LookupError) as exc:
            fail(str(exc))
        try:
            loaded.configure(workers=workers, executor=executor and executor.value)
        except ConfigError as exc:
            fail(f"--{exc}")
        try:
            with loaded, progress(enabled=not as_json) as bar:
                task = bar.add_task(f"scoring {input.name}", total=total_rows)
                summary = score_file(loaded, input, output, resume=resume, overwrite=overwrite,
                                     batch_size=batch_size,
                                     on_rows=lambda n: bar.advance(task, n))
        except KeyboardInterrupt:
            fail(f"interrupted: {saved_rows(output)} of {total_rows} rows are saved in {output}; "
                 "run the same command with --resume to score the rest", code=130)
        except (InputError, ConfigError) as exc:
            fail(str(exc))
        except RewardError as exc:
            fail(f"{exc} (rows scored so far are in {output}; rerun with --resume)", code=1)
        if as_json:
            print_json({"output": str(output), **summary.to_dict()})
        else:
            done = f"{summary.scored} rows scored"
            if summary.resumed:
                done += f", {summary.resumed} kept from the interrupted run"
            console.print(summary_table(summary.stats, f"{done} → {output}"))
        if summary.blank_lines:
            shown = ", ".join(map(str, summary.blank_lines[:10]))
            more = ", ..." if len(summary.blank_lines) > 10 else ""
            err_console.print(f"skipped {len(summary.blank_lines)} blank line(s) (lines {shown}"
                              f"{more}): blank lines are not rows", highlight=False)
        for message in summary.malformed[:5]:
            err_console.print(styled(("malformed input:", "yellow"), f" {message}"))
        if len(summary.malformed) > 5:
            err_console.print(styled((f"... and {len(summary.malformed) - 5} more malformed "
                                      "rows", "yellow")))
        failures = len(summary.malformed) + sum(
            s.status_counts["error"] + s.status_counts["timeout"]
            for name, s in summary.stats.items() if name != "total")
        if fail_on_error and failures:
            fail(f"{failures} rows or components failed (see {output})", code=1)
