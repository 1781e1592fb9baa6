"""`rewardkit sample`: best-of-N rejection sampling into an SFT-ready JSONL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

import typer


def _options(pairs: list[str], flag: str) -> dict[str, Any]:
    from rewardkit.files import parse_assignment

    return dict(parse_assignment(pair, flag, "device=cpu") for pair in pairs)


def register(app: typer.Typer) -> None:
    @app.command("sample")
    def sample(
        rubric: Path = typer.Option(..., "--rubric", "-r", help="Rubric YAML file."),
        input: Path = typer.Option(..., "--input", "-i", help="Prompts: JSONL, JSON, Parquet "
                                   "or CSV with a text prompt column (and a reference)."),
        output: Path = typer.Option(..., "--output", "-o", help="JSONL to write: prompt, "
                                    "completion, total and per-criterion scores."),
        generator: str = typer.Option("hf", "--generator", "-g", help="Generation backend "
                                      "(hf, openai, or package.module:factory)."),
        model: Optional[str] = typer.Option(None, "--model", "-m", help="The backend's "
                                            "model (a path or id)."),
        gen: Optional[list[str]] = typer.Option(None, "--gen", help="Backend option key=value "
                                                "(repeatable), e.g. --gen device=cpu."),
        n: int = typer.Option(8, "--n", "-n", min=1, help="Completions per prompt."),
        temperature: float = typer.Option(1.0, "--temperature", min=0.0),
        max_tokens: int = typer.Option(256, "--max-tokens", min=1),
        seed: Optional[int] = typer.Option(0, "--seed", help="Sampling seed."),
        keep: str = typer.Option("best", "--keep", help="'best': the best completion per "
                                 "prompt; 'all': every one at or above --threshold."),
        threshold: Optional[float] = typer.Option(None, "--threshold", help="Minimum rubric "
                                                  "total a kept completion needs."),
        prompt_column: str = typer.Option("prompt", "--prompt-column"),
        reference_column: str = typer.Option("reference", "--reference-column"),
        limit: Optional[int] = typer.Option(None, "--limit", min=1, help="First N prompts only."),
        batch_size: int = typer.Option(16, "--batch-size", min=1, help="Prompts per round."),
        overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing output."),
        as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    ) -> None:
        """Best-of-N rejection sampling: generate, score with a rubric, keep the best."""
        from rewardkit.cli.output import (
            console,
            err_console,
            fail,
            missing_extra,
            print_json,
            progress,
        )
        from rewardkit.errors import RewardkitError

        if keep not in ("best", "all"):
            fail(f"--keep must be 'best' or 'all', not '{keep}'")
        if keep == "all" and threshold is None:
            fail("--keep all needs --threshold (which completions are good enough?)")
        if output.exists() and not overwrite:
            fail(f"{output} exists; pass --overwrite to replace it")
        try:
            from rewardkit.generators import build_generator
            from rewardkit.rubric import Rubric
            from rewardkit.sampling import SampleStats, best_of_n
            from rewardkit.train.config import Columns, DatasetConfig
            from rewardkit.train.data import load_prompts

            loaded = Rubric.from_yaml(rubric)
            columns = Columns(prompt=prompt_column, reference=reference_column)
            data = DatasetConfig(path=str(input), columns=columns, limit=limit,
                                 chat_template="never")
            rows = load_prompts(data, "--input")
            config = _options(gen or [], "--gen")
            if model is not None:
                config["model"] = model
            backend = build_generator(generator, config)
            sampling = {"temperature": temperature, "max_tokens": max_tokens, "seed": seed}
            stats = SampleStats()
            output.parent.mkdir(parents=True, exist_ok=True)
            with loaded, progress(enabled=not as_json) as bar, output.open("w") as handle:
                task = bar.add_task(f"sampling {n} per prompt", total=len(rows))
                done = 0
                for row in best_of_n(loaded, backend, rows, n=n, sampling=sampling,
                                     keep=keep,  # type: ignore[arg-type] # checked above
                                     threshold=threshold, batch_size=batch_size, stats=stats):
                    handle.write(json.dumps(row, default=str) + "\n")
                    bar.update(task, completed=stats.prompts)
                    done = stats.prompts
                bar.update(task, completed=max(done, stats.prompts))
        except (RewardkitError, LookupError) as exc:
            fail(str(exc))
        except ModuleNotFoundError as exc:
            missing_extra(exc, "sample")
        summary = {**stats.to_dict(), "output": str(output)}
        if as_json:
            print_json(summary)
            return
        from rewardkit.cli.output import table

        console.print(table(["prompts", "candidates", "kept", "prompts with none kept",
                             "mean candidate total"],
                            [[stats.prompts, stats.candidates, stats.kept,
                              stats.prompts_without_keeper, stats.mean_total]],
                            "rejection sampling"))
        err_console.print(f"wrote {stats.kept} rows to {output}")
