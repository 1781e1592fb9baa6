"""Names to factories: how ``"math"``, ``"shaping:overlong"`` or ``"pkg.mod:fn"`` become rewards.

* ``plugin:name`` always works;
* a short ``name`` works while exactly one plugin provides it, or while exactly one
  first-party plugin does (it wins, with a warning naming the others: installing a
  plugin never breaks a rubric that worked);
* ``package.module:function`` (or ``package.module.function``) imports a plain function
  (lifted with `per_sample`), a `Reward` subclass or a factory, without packaging it as a
  plugin; a TRL reward function (``def f(completions, **kwargs)``, ``trl.rewards.*``) is
  adapted by `rewardkit.trl_functions`.
"""

from __future__ import annotations

import inspect
import logging
from typing import Any

from rewardkit.dotted import ImportPathError, import_module, import_object
from rewardkit.errors import AmbiguousRewardError, ConfigError, RewardNotFoundError
from rewardkit.plugins import PluginHost, Registration, get_host
from rewardkit.reward import Reward, RewardFactory, per_sample
from rewardkit.validation import did_you_mean

log = logging.getLogger("rewardkit.plugins")
_warned: set[tuple[str, str]] = set()


def _import_object(path: str) -> Any:
    try:
        return import_object(path, "reward")
    except ImportPathError as exc:
        raise RewardNotFoundError(str(exc)) from exc.__cause__



def _as_factory(obj: Any, path: str) -> Any:
    if isinstance(obj, RewardFactory) or (inspect.isclass(obj) and issubclass(obj, Reward)):
        return obj
    if not inspect.isclass(obj):
        from rewardkit.trl_functions import adapt

        adapted = adapt(obj, path)  # a TRL reward function, or a get_* factory of one
        if adapted is not None:
            return adapted
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
    first = [e for e in owners if host.records[e.plugin].first_party]
    if len(first) == 1:
        _warn_shadowed(kind, first[0], [e for e in owners if e is not first[0]])
        return first[0]
    if owners:
        choices = " or ".join(f"'{e.qualified}'" for e in owners)
        raise AmbiguousRewardError(
            f"{kind[:-1]} '{name}' is provided by several plugins "
            f"({', '.join(e.plugin for e in owners)}): use {choices}"
        )
    known = sorted({e.name for e in entries} | {e.qualified for e in entries})
    raise RewardNotFoundError(
        f"no {kind[:-1]} named '{name}'{did_you_mean(name, known, 3)} Run `rewardkit {kind}` "
        "to list what is installed."
    )


def _warn_shadowed(kind: str, chosen: Registration, others: list[Registration]) -> None:
    """Say once per name that a first-party registration took precedence."""
    if (kind, chosen.name) in _warned:
        return
    _warned.add((kind, chosen.name))
    log.warning("rewardkit: %s '%s' means the first-party '%s'; %s also register(s) it: "
                "write %s to use theirs", kind[:-1], chosen.name, chosen.qualified,
                ", ".join(f"'{e.plugin}'" for e in others),
                " or ".join(f"'{e.qualified}'" for e in others))


def resolve_reward(name: str, host: PluginHost | None = None) -> Any:
    """The factory registered under `name` (see the module docstring for the forms)."""
    host = host or get_host()
    try:
        entry = _lookup("rewards", name, host)
    except RewardNotFoundError:
        path = _dotted(name) if ":" not in name else None
        if path is None:
            raise
        return _as_factory(_import_object(path), name)
    if entry is not None:
        return entry.factory
    return _as_factory(_import_object(name), name)


def _dotted(name: str) -> str | None:
    """``pkg.mod.fn`` as ``pkg.mod:fn`` when ``pkg.mod`` imports; else None."""
    module, _, attr = name.rpartition(".")
    if not module or not attr:
        return None
    try:
        import_module(module)
    except ImportError:
        return None
    return f"{module}:{attr}"



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
