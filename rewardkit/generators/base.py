"""The generation-backend contract shared by model-based rewards (judge, PRM).

A backend turns prompts into sampled continuations::

    backend.generate(prompts, n=1, **sampling) -> list[list[str]]   # n texts per prompt
    await backend.agenerate(prompts, n=1, **sampling)               # the same, async

Sampling keys every backend understands (`Sampling`): ``temperature`` (0 = greedy),
``top_p``, ``top_k``, ``max_tokens``, ``seed`` and ``stop``. A backend raises
`GenerationError` when it cannot produce the texts; callers turn that into a
``None`` score with a status, never into the lowest score.

>>> class Echo(BaseGenerator):
...     name = "echo"
...     def generate(self, prompts, n=1, **sampling):
...         self.sampling(sampling)
...         return [[p.upper()] * n for p in prompts]
>>> Echo().generate(["hi"], n=2)
[['HI', 'HI']]
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any, Mapping, Protocol, Sequence, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from rewardkit.errors import ConfigError, RewardkitError
from rewardkit.runtime_state import RuntimeState, runtime
from rewardkit.validation import did_you_mean, validate_config


class GenerationError(RewardkitError):
    """A backend could not produce the requested texts (server error, bad reply, ...)."""


@runtime_checkable
class Generator(Protocol):
    """What `register_generators` factories return."""

    def generate(self, prompts: Sequence[str], n: int = 1, **sampling: Any) -> list[list[str]]:
        ...

    async def agenerate(self, prompts: Sequence[str], n: int = 1,
                        **sampling: Any) -> list[list[str]]:
        ...


class Sampling(BaseModel):
    """Sampling parameters common to every backend; unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    temperature: float = Field(1.0, ge=0.0, description="0 means greedy decoding")
    top_p: float = Field(1.0, gt=0.0, le=1.0)
    top_k: int | None = Field(None, ge=1, description="not every hosted API accepts it")
    max_tokens: int = Field(256, ge=1, description="new tokens per continuation")
    seed: int | None = None
    stop: list[str] | None = Field(None, description="cut each text before the first match")


class GeneratorConfig(BaseModel):
    """The config of a backend that needs nothing but default sampling parameters."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sampling: dict[str, Any] = Field(default_factory=dict, description="default sampling")


@dataclass
class GenerationStats:
    """Counters a backend keeps: calls, texts returned, new tokens, retries, failures."""

    requests: int = 0
    texts: int = 0
    tokens: int = 0
    retries: int = 0
    failures: int = 0

    def to_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


class BaseGenerator(RuntimeState):
    """Base class for backends: config validation, sampling defaults, sync/async bridging.

    Subclasses set `name` and `Config` (a pydantic model; its optional ``sampling`` field
    holds default sampling parameters) and implement `generate` or `agenerate`; the other
    is derived. A backend pickles as its class plus its config: runtime state (a loaded
    model, clients, locks, `stats`) is declared with `rewardkit.runtime`, built on first
    use and never pickled (see `rewardkit.runtime_state`).
    """

    name: str = "generator"
    Config: type[BaseModel] = GeneratorConfig

    def __init__(self, **config: Any) -> None:
        self.config: Any = validate_config(self.Config, dict(config), f"generator '{self.name}'")

    @runtime
    def stats(self) -> GenerationStats:
        """What this backend did in this process."""
        return GenerationStats()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = {k for c in cls.__mro__ if c is not BaseGenerator for k in vars(c)}
        if not {"generate", "agenerate"} & own:
            raise TypeError(f"{cls.__name__} must implement generate() or agenerate()")

    def sampling(self, overrides: Mapping[str, Any]) -> Sampling:
        """The config's default sampling updated with `overrides`, validated."""
        defaults = getattr(self.config, "sampling", None) or {}
        return validate_config(Sampling, {**dict(defaults), **dict(overrides)},
                               f"generator '{self.name}' sampling")

    def generate(self, prompts: Sequence[str], n: int = 1, **sampling: Any) -> list[list[str]]:
        from rewardkit.inprocess import run_coroutine

        return run_coroutine(self.agenerate(prompts, n, **sampling))

    async def agenerate(self, prompts: Sequence[str], n: int = 1,
                        **sampling: Any) -> list[list[str]]:
        return await asyncio.to_thread(self.generate, list(prompts), n, **sampling)

    def fingerprint(self) -> str:
        """Identity of the backend and its config (secrets are never in the config)."""
        return json.dumps([self.name, self.config.model_dump(mode="json")], sort_keys=True)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.fingerprint()}>"


def check_n(prompts: Sequence[str], n: int) -> list[str]:
    """Validate the common arguments of `generate`; returns the prompts as a list."""
    if isinstance(prompts, str):
        raise TypeError("generate() takes a list of prompts, not one string: wrap it in [...]")
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    return [str(p) for p in prompts]


def cut_at_stop(text: str, stop: Sequence[str] | None) -> str:
    """`text` up to (not including) the earliest stop string."""
    if not stop:
        return text
    cuts = [i for i in (text.find(s) for s in stop if s) if i >= 0]
    return text[:min(cuts)] if cuts else text


def build_generator(name: str, config: Mapping[str, Any] | None = None) -> Any:
    """A backend from a registered name (``hf``, ``openai``) or ``package.module:factory``.

    The import-path form lets tests and experiments use a backend without packaging it.
    """
    from rewardkit.errors import AmbiguousRewardError, RewardNotFoundError
    from rewardkit.registry import resolve_generator

    try:
        factory = resolve_generator(name)
    except AmbiguousRewardError:
        raise
    except RewardNotFoundError:
        known = _registered()
        raise RewardNotFoundError(f"no generator named '{name}'{did_you_mean(name, known, 2)} "
                                  f"(registered: "
                                  f"{', '.join(known) or 'none'}); or give "
                                  "package.module:factory") from None
    backend = factory(**dict(config or {}))
    if not callable(getattr(backend, "generate", None)):
        raise ConfigError(f"generator '{name}' returned {type(backend).__name__}, which has no "
                          "generate(prompts, n, **sampling) method")
    return backend


def _registered() -> list[str]:
    from rewardkit.plugins import get_host

    return sorted({r.name for r in get_host().registered("generators")})

