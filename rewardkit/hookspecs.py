"""The hooks a rewardkit plugin can implement.

A plugin is a module with functions marked ``@rewardkit.hookimpl`` and exposed through a
``[project.entry-points.rewardkit]`` entry point. Hooks receive a ``register`` callback so
the host knows which plugin registered what. Registration must be cheap: hand over
factories, import nothing heavy, do no I/O.
"""

from __future__ import annotations

from typing import Any, Callable, Protocol

import pluggy

hookspec = pluggy.HookspecMarker("rewardkit")
hookimpl = pluggy.HookimplMarker("rewardkit")


class RegisterFactory(Protocol):
    def __call__(self, name: str, factory: Callable[..., Any], *, doc: str | None = None) -> None:
        ...


@hookspec
def register_rewards(register: RegisterFactory) -> None:
    """Register reward factories: ``register("name", factory)``.

    `factory(**params)` must return an object with `name` and a batched
    `score(samples) -> list[Score]` (sync or async): a `Reward` subclass, or a function
    lifted with `per_sample`. The reward is addressed as ``plugin:name`` or ``name``.
    Returns nothing.
    """


@hookspec
def register_generators(register: RegisterFactory) -> None:
    """Register text-generation backend factories used by model-based rewards.

    ``register("name", factory)`` where `factory(**config)` returns a backend with
    ``generate(prompts, n=..., **sampling) -> list[list[str]]``. Returns nothing.
    """


@hookspec
def register_commands(app: Any) -> None:
    """Add subcommands to the `rewardkit` command line.

    `app` is the root ``typer.Typer``; add a command or a sub-app to it. Called only when
    the command line is asked for a command the core does not have. Returns nothing.
    """
