"""Names to factories: how ``"math"``, ``"shaping:overlong"`` or ``"pkg.mod:fn"`` become rewards.

* ``plugin:name`` always works;
* a short ``name`` works while exactly one plugin provides it;
* ``package.module:function`` imports a plain function (lifted with `per_sample`), a
  `Reward` subclass or a factory, without packaging it as a plugin.
"""

from __future__ import annotations

import difflib
import inspect
from typing import Any

from rewardkit.dotted import ImportPathError, import_object
from rewardkit.errors import AmbiguousRewardError, ConfigError, RewardNotFoundError
from rewardkit.plugins import PluginHost, Registration, get_host
from rewardkit.reward import Reward, RewardFactory, per_sample


def _import_object(path: str) -> Any:
    try:
        return import_object(path, "reward")
    except ImportPathError as exc:
        raise RewardNotFoundError(str(exc)) from exc.__cause__


def _as_factory(obj: Any, path: str) -> Any:
    if isinstance(obj, RewardFactory) or (inspect.isclass(obj) and issubclass(obj, Reward)):
        return obj
    if inspect.isfunction(obj):
        return per_sample(obj, name=path)
    if callable(obj):
        return obj
    raise ConfigError(f"'{path}' is a {type(obj).__name__}, not a function or reward factory")


def _lookup(kind: str, name: str, host: PluginHost) -> Registration | None:
    """The registration under `name`; None when `name` is ``a.b:c`` and ``a.b`` is no
    plugin (an import path); raises when it names nothing, or several plugins."""
    entries = host.registered(kind)
    plugin, sep, short = name.partition(":")
    if sep:
        owned = [e for e in entries if e.plugin == plugin]
        for entry in owned:
            if entry.name == short:
                return entry
        if owned or plugin in host.records:
            provides = ", ".join(e.name for e in owned) or "nothing"
            raise RewardNotFoundError(
                f"plugin '{plugin}' has no {kind[:-1]} '{short}' (it provides: {provides})"
            )
        return None  # not a plugin: an import path
    owners = [e for e in entries if e.name == name]
    if len(owners) == 1:
        return owners[0]
    if owners:
        choices = " or ".join(f"'{e.qualified}'" for e in owners)
        raise AmbiguousRewardError(
            f"{kind[:-1]} '{name}' is provided by several plugins "
            f"({', '.join(e.plugin for e in owners)}): use {choices}"
        )
    known = sorted({e.name for e in entries} | {e.qualified for e in entries})
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise RewardNotFoundError(
        f"no {kind[:-1]} named '{name}'{hint} Run `rewardkit {kind}` to list what is installed."
    )


def resolve_reward(name: str, host: PluginHost | None = None) -> Any:
    """The factory registered under `name` (see the module docstring for the forms)."""
    entry = _lookup("rewards", name, host or get_host())
    if entry is not None:
        return entry.factory
    return _as_factory(_import_object(name), name)


def build_reward(name: str, params: dict[str, Any] | None = None,
                 host: PluginHost | None = None) -> Any:
    """Resolve `name` and build the reward with `params` (validated by the factory)."""
    factory = resolve_reward(name, host)
    reward = factory(**(params or {}))
    if not callable(getattr(reward, "score", None)):
        raise ConfigError(
            f"the factory for reward '{name}' returned {type(reward).__name__}, which has no "
            "score(samples) method"
        )
    return reward


def resolve_generator(name: str, host: PluginHost | None = None) -> Any:
    """The generation-backend factory registered under `name`, or at import path `name`."""
    host = host or get_host()
    entry = _lookup("generators", name, host)
    if entry is not None:
        return entry.factory
    try:
        factory = import_object(name, "generator")
    except ImportPathError as exc:
        known = sorted({e.name for e in host.registered("generators")})
        raise ConfigError(f"no generator named '{name}' is registered, and it does not import "
                          f"as package.module:factory ({exc}). Registered: "
                          f"{', '.join(known) or 'none'}.") from exc.__cause__
    if not callable(factory):
        raise ConfigError(f"generator '{name}' is a {type(factory).__name__}, not a factory")
    return factory
