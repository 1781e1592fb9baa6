"""The `environment:` block of a train config: tools the model calls during GRPO.

``factory: python`` is the sandbox's Python tool (`rewardkit_sandbox.tool`, from the
rewardkit-sandbox distribution; this module imports it only by name), its `params` the
tool's limits (``timeout``, ``memory_mb``, ``max_output_chars``, ``max_calls``,
``sessions``, ``wait``, ``reward``). Any other ``package.module:callable`` works the same
way: called with `params`, it returns TRL's ``environment_factory``.

The model's tokenizer needs a chat template with tool calls TRL can parse (``model.tiny.chat:
true`` for the tiny model). For the cold start, each demonstration gets the tools' JSON
schemas (a ``tools`` column), so SFT renders the same prompt GRPO will.
"""

from __future__ import annotations

import inspect
import json
from typing import Any

from rewardkit.dotted import ImportPathError, import_object
from rewardkit.errors import ConfigError
from rewardkit.train.config import EnvironmentConfig

ALIASES = {"python": "rewardkit_sandbox.tool:python_environment"}
_NOT_TOOLS = ("reset", "get_reward")


def build_factory(config: EnvironmentConfig) -> Any:
    """The environment factory named by `config`, called with its params."""
    target = ALIASES.get(config.factory, config.factory)
    if ":" not in target:
        raise ConfigError(f"environment.factory: {config.factory!r} is neither "
                          f"{' nor '.join(map(repr, ALIASES))} nor 'package.module:callable'")
    try:
        maker = import_object(target, "environment.factory")
    except ImportPathError as exc:
        hint = " (pip install rewardkit-sandbox)" if config.factory in ALIASES else ""
        raise ConfigError(f"{exc}{hint}") from None
    try:
        return maker(**config.params)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"environment.params: {exc}") from None


def tools_of(factory: Any) -> list[Any]:
    """The tools TRL will expose: the public methods of one environment instance."""
    environment = factory()
    return [getattr(environment, name)
            for name, _ in inspect.getmembers(type(environment), predicate=inspect.isfunction)
            if name not in _NOT_TOOLS and not name.startswith("_")]


def tool_schemas(factory: Any) -> str:
    """The tools' JSON schemas as one JSON string (the cold start's ``tools`` column)."""
    from transformers.utils import get_json_schema

    return json.dumps([get_json_schema(tool) for tool in tools_of(factory)])


def close(factory: Any) -> None:
    """Release what the factory holds (containers), when it can."""
    closer = getattr(factory, "close", None)
    if callable(closer):
        closer()
