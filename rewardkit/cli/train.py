"""`rewardkit train CONFIG.yaml`: a GRPO job (optional SFT cold start) from one YAML file."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from rewardkit.cli.output import ExecutorKind, executor_option


def summary_table(result: Any) -> Any:
    """First-fifth vs last-fifth mean reward, total and per component."""
    from rewardkit.cli.output import number, table

    steps = result.rows[-1]["step"] if result.rows else 0
    weights = dict(zip(result.criteria, result.weights))
    rows = []
    for key, s in result.summary().items():
        name = key.removeprefix("rewards/")
        if key == "reward":
            rows.append(["total", "", s["first"], s["last"], number(s["rise"], sign=True)])
        else:
            rows.append([name, f"{weights.get(name, 1.0):g}", s["first"], s["last"],
                         number(s["rise"], sign=True)])
    return table(["reward", "weight", "first fifth", "last fifth", "change"], rows,
                 f"GRPO: {steps} steps, {len(result.rows)} logged, {result.seconds:.1f} s")


def counts_table(result: Any) -> Any:
    """Non-ok outcomes per criterion (mean count per scoring batch), when there were any."""
    from rewardkit.cli.output import table

    counts = {k: v for k, v in result.status_counts().items() if v}
    if not counts:
        return None
    return table(["metric", "mean per batch"], [[k, f"{v:.2f}"] for k, v in counts.items()],
                 "reward problems during training")


def print_health(health: dict[str, Any] | None) -> None:
    """The health verdict: every alert on its own line, and the stop reason."""
    from rewardkit.cli.output import console, styled

    if health is None:
        return
    if health.get("stopped_by"):
        console.print(styled(("training stopped by the health policy: ", "bold red"),
                             health["stopped_by"]))
    if not health["alerts"]:
        console.print(styled(("reward health: no alert", "green")))
    for alert in health["alerts"]:
        console.print(styled(("health alert: ", "bold red"), alert["line"]))


def _quiet_libraries() -> None:
    """Hide deprecation chatter and download-style bars from transformers, trl and torch."""
    import warnings

    warnings.filterwarnings("ignore", category=FutureWarning, module=r"(transformers|trl)\b")
    warnings.filterwarnings("ignore", message=".*pin_memory.*")
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()


def register(app: typer.Typer) -> None:
    @app.command("train")
    def train(
        config: Path = typer.Argument(..., help="Train YAML: model, dataset, rubric, trl, "
                                      "optional cold_start."),
        set_: Optional[list[str]] = typer.Option(None, "--set", help="Override a key, e.g. "
                                                  "--set trl.max_steps=50 (repeatable)."),
        output_dir: Optional[Path] = typer.Option(None, "--output-dir", "-o", help="Where "
                                                  "checkpoints, metrics.jsonl and the plot "
                                                  "go (default: the config's output_dir)."),
        executor: Optional[ExecutorKind] = executor_option(
            "Where CPU-bound rewards run: local or ray (same as --set executor=...)."),
        check: bool = typer.Option(False, "--check", help="Validate the config, rubric and "
                                   "data, then exit without loading a model."),
        as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    ) -> None:
        """Train a model with GRPO on a rubric (TRL's GRPOTrainer)."""
        from rich.text import Text

        from rewardkit.cli.output import console, err_console, fail, print_json
        from rewardkit.errors import RewardkitError
        from rewardkit.train.config import load_config

        try:
            overrides = [*(set_ or []), *([f"executor={executor.value}"] if executor else [])]
            loaded = load_config(config, overrides)
            if check:
                from rewardkit.train.runner import prepare

                plan = prepare(loaded, output_dir)
                console.print(f"config ok: rubric {plan.rubric!r}, {len(plan.prompts)} prompts"
                              + (f", {len(plan.demos)} demonstrations" if plan.demos else ""))
                return
            from rewardkit.train.runner import train as run

            _quiet_libraries()
            result = run(loaded, output_dir, progress=not as_json,
                         on_phase=lambda msg: err_console.print(Text(msg, style="dim")),
                         on_alert=lambda alert: err_console.print(
                             Text.assemble(("health alert: ", "bold yellow"), alert.line())))
        except (RewardkitError, LookupError) as exc:
            fail(str(exc))
        except ImportError as exc:
            fail(f"{exc}; install the training extra: pip install 'rewardkit[train]'")
        if as_json:
            print_json(result.to_dict())
            return
        console.print(summary_table(result))
        problems = counts_table(result)
        if problems is not None:
            console.print(problems)
        print_health(result.health)
        console.print(f"metrics: {result.output_dir / 'metrics.jsonl'}")
        if result.plot:
            console.print(f"plot:    {result.plot}")
        if result.health_plot:
            console.print(f"health:  {result.health_plot}")
        if result.model_dir:
            console.print(f"model:   {result.model_dir}")
