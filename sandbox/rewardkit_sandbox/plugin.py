"""The rewardkit plugin: the `rewardkit sandbox` commands and the `tool_use` reward
(cheap to import: no docker SDK)."""

from __future__ import annotations

from typing import Any

from rewardkit import hookimpl


@hookimpl
def register_commands(app: Any) -> None:
    from rewardkit_sandbox.cli import sandbox_app

    app.add_typer(sandbox_app, name="sandbox")


@hookimpl
def register_rewards(register: Any) -> None:
    from rewardkit_sandbox.tool_reward import tool_use

    register("tool_use", tool_use)
