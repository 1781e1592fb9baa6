"""The rewardkit plugin: adds the `rewardkit sandbox` command group (cheap to import)."""

from __future__ import annotations

from typing import Any

from rewardkit import hookimpl


@hookimpl
def register_commands(app: Any) -> None:
    from rewardkit_sandbox.cli import sandbox_app

    app.add_typer(sandbox_app, name="sandbox")
