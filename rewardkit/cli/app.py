"""Builds the typer app: core commands, plus plugin commands when one is asked for.

A core command lives in ``rewardkit/cli/<name>.py`` and exposes ``register(app)``; list
its module here. Plugin commands come from the ``register_commands`` hook, which runs
only when the first argument is not a core command (so ``rewardkit --help`` and core
commands import no plugin).
"""

from __future__ import annotations

import importlib

import typer

CORE_COMMANDS: tuple[str, ...] = ("plugins", "rewards", "score", "bench", "train", "serve", "sample",
                                  "health")

HELP = ("Rewards and verifiers for RL post-training of LLMs.\n\n"
        "Plugins may add more commands (for example `rewardkit sandbox`); "
        "`rewardkit plugins` lists what is installed.")


def build_app(args: list[str]) -> typer.Typer:
    app = typer.Typer(name="rewardkit", help=HELP, no_args_is_help=True,
                      add_completion=False, pretty_exceptions_enable=False)

    @app.callback(invoke_without_command=True)
    def _root(version: bool = typer.Option(False, "--version", help="Print the version.",
                                           is_eager=True)) -> None:
        if version:
            from rewardkit import __version__

            typer.echo(f"rewardkit {__version__}")
            raise typer.Exit()

    for name in CORE_COMMANDS:
        importlib.import_module(f"rewardkit.cli.{name}").register(app)
    first = next((a for a in args if not a.startswith("-")), None)
    if first is not None and first not in CORE_COMMANDS:
        from rewardkit.plugins import get_host

        get_host().add_commands(app)
    return app
