"""`rewardkit health RUN_DIR`: reward-health table, alerts and panel of a training run."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command("health")
    def health(
        run_dir: Path = typer.Argument(..., help="Output directory of `rewardkit train` "
                                       "(metrics.jsonl) or of any TRL GRPO run "
                                       "(trainer_state.json), or the log file itself."),
        panel: Optional[Path] = typer.Option(None, "--panel", help="Where the health panel "
                                             "PNG goes (default: RUN_DIR/health.png)."),
        no_panel: bool = typer.Option(False, "--no-panel", help="Do not draw the panel."),
        set_: Optional[list[str]] = typer.Option(None, "--set", help="Override a threshold, "
                                                  "e.g. --set error_rate=0.1 (repeatable)."),
        fail_on_alert: bool = typer.Option(False, "--fail-on-alert", help="Exit 1 when any "
                                           "alert fires (for CI)."),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    ) -> None:
        """Reward health of a GRPO run: per-criterion table, alerts, panel."""
        from rewardkit.cli.output import console, fail, needs_extras, print_json, styled
        from rewardkit.errors import RewardkitError
        from rewardkit.health.config import HealthConfig
        from rewardkit.health.offline import analyse, load_run
        from rewardkit.health.report import report, tables

        try:
            config = _config(HealthConfig, set_ or [])
            run = load_run(run_dir)
        except RewardkitError as exc:
            fail(str(exc))
        monitor = analyse(run, config)
        data = {"source": str(run.source), **report(monitor)}
        if not no_panel:
            from rewardkit.health.panel import plot_health

            target = panel or (run.source.parent / "health.png")
            title = f"reward health: {run.source.parent.name}"
            with needs_extras("health (the panel; or pass --no-panel)"):
                data["panel"] = str(plot_health(monitor.steps, monitor.points,
                                                monitor.alerts, target, title=title))
        if as_json:
            print_json(data)
        else:
            for table in tables(data):
                console.print(table)
            if not data["alerts"]:
                console.print(styled(("no alert", "green")))
            if "panel" in data:
                console.print(f"panel: {data['panel']}")
        if fail_on_alert and data["alerts"]:
            raise typer.Exit(1)


def _config(config_cls: Any, assignments: list[str]) -> Any:
    """A `HealthConfig` with ``--set key=value`` overrides, errors naming the key."""
    from rewardkit.train.config import set_key
    from rewardkit.validation import validate_config

    data: dict = {}
    for assignment in assignments:
        set_key(data, assignment)
    return validate_config(config_cls, data, "--set")
