"""The plugin host: finds plugins through entry points and asks them to register things.

Plugins are found in the ``rewardkit`` entry-point group, lazily (on the first look-up,
never at ``import rewardkit``). Environment variables, read when the host loads:

  REWARDKIT_LOAD_PLUGINS     comma-separated allow-list (plugin or distribution names);
                             set but empty loads no third-party plugin
  REWARDKIT_DISABLE_PLUGINS  comma-separated deny-list, applied before import
  REWARDKIT_STRICT_PLUGINS   "1": a broken plugin raises instead of being reported

A broken plugin never takes the host down: it is reported once, with the remedy, and
listed as failed by ``rewardkit plugins --failed``.

Names are first-party first: installing a plugin never breaks a rubric that worked. A
short name (``format``) that a first-party plugin (one shipped with rewardkit, see
``FIRST_PARTY``) and third-party plugins all register means the first-party reward, with
a warning naming the others' qualified names (``acme:format``). A third-party plugin
whose entry-point *name* is a first-party plugin's is not loaded (reported as failed).
Only between third-party plugins is a short name ambiguous.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import sys
import traceback
from dataclasses import dataclass, field
from importlib import import_module, metadata
from typing import Any, Callable, Iterable

import pluggy
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from rewardkit import hookspecs
from rewardkit._version import __version__
from rewardkit.errors import PluginError
from rewardkit.reward import Reward, describe

GROUP = "rewardkit"
# core modules registered like third-party plugins
BUILTIN_PLUGINS: tuple[str, ...] = ("rewardkit.generators.builtin",)
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
REGISTRY_HOOKS = ("register_rewards", "register_generators")
# distributions shipped with rewardkit: their names win over third-party plugins' names
FIRST_PARTY = frozenset({GROUP, "rewardkit-sandbox", "rewardkit-code", "rewardkit-format",
                         "rewardkit-judge", "rewardkit-language", "rewardkit-math",
                         "rewardkit-prm", "rewardkit-shaping"})

log = logging.getLogger("rewardkit.plugins")


@dataclass
class PluginRecord:
    """What the host knows about one plugin, loaded or not."""

    name: str
    module: str
    distribution: str | None = None
    version: str | None = None
    status: str = "pending"  # loaded | failed | disabled
    error: str | None = None
    remedy: str | None = None
    traceback: str | None = None
    builtin: bool = False
    warning: str | None = None
    provides: dict[str, list[str]] = field(default_factory=dict)

    @property
    def first_party(self) -> bool:
        """Shipped with rewardkit (its names win over a third-party plugin's)."""
        return self.builtin or canonicalize_name(self.distribution or "") in FIRST_PARTY

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "first_party": self.first_party}


@dataclass(frozen=True)
class Registration:
    """One factory a plugin registered under a hook ("rewards" or "generators")."""

    kind: str
    plugin: str
    name: str
    factory: Callable[..., Any]
    doc: str

    @property
    def qualified(self) -> str:
        return f"{self.plugin}:{self.name}"


def _env_list(name: str) -> list[str] | None:
    raw = os.environ.get(name)
    if raw is None:
        return None
    return [canonicalize_name(x) for x in raw.split(",") if x.strip()]


def _matches(record: PluginRecord, names: Iterable[str]) -> bool:
    wanted = set(names)
    return canonicalize_name(record.name) in wanted or (
        record.distribution is not None and canonicalize_name(record.distribution) in wanted
    )


def _requirement_mismatch(dist: metadata.Distribution) -> str | None:
    """The rewardkit requirement of `dist` if it excludes the running version."""
    for line in dist.requires or []:
        try:
            req = Requirement(line)
        except InvalidRequirement:
            continue
        if canonicalize_name(req.name) != GROUP:
            continue
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        if not req.specifier.contains(__version__, prereleases=True):
            return str(req)
    return None


class PluginHost:
    """Loads plugins once and keeps what each registered."""

    def __init__(self, group: str = GROUP, builtins: Iterable[str] = BUILTIN_PLUGINS,
                 strict: bool | None = None) -> None:
        self.group = group
        self.builtins = tuple(builtins)
        self.strict = os.environ.get("REWARDKIT_STRICT_PLUGINS") == "1" if strict is None else strict
        self.pm = pluggy.PluginManager(GROUP)
        self.pm.add_hookspecs(hookspecs)
        self.tracing = bool(os.environ.get("REWARDKIT_TRACE_PLUGINS"))
        if self.tracing:
            self.pm.trace.root.setwriter(_trace_writer)
            self.pm.enable_tracing()  # every hook call, its arguments and result, on stderr
        self.records: dict[str, PluginRecord] = {}
        self.registrations: list[Registration] = []
        self._loaded = False

    # -- loading -------------------------------------------------------------------------

    def load(self) -> "PluginHost":
        """Import and register every allowed plugin (idempotent)."""
        if self._loaded:
            return self
        self._loaded = True
        for module in self.builtins:
            record = PluginRecord(name=module.rsplit(".", 1)[-1], module=module, builtin=True,
                                  distribution=GROUP, version=__version__)
            self._load_one(record, functools.partial(import_module, module))
        for record, loader in self._discover():
            self._load_one(record, loader)
        for hook in REGISTRY_HOOKS:
            self._call_registry_hook(hook)
        return self

    def _discover(self) -> list[tuple[PluginRecord, Callable[[], Any]]]:
        allow = _env_list("REWARDKIT_LOAD_PLUGINS")
        deny = _env_list("REWARDKIT_DISABLE_PLUGINS") or []
        found: list[tuple[PluginRecord, Callable[[], Any], metadata.Distribution | None]] = []
        for ep in metadata.entry_points(group=self.group):
            dist = getattr(ep, "dist", None)
            record = PluginRecord(name=ep.name, module=ep.value,
                                  distribution=dist.name if dist else None,
                                  version=dist.version if dist else None)
            if (allow is not None and not _matches(record, allow)) or _matches(record, deny):
                record.status = "disabled"
                self.records.setdefault(record.name, record)
                continue
            found.append((record, ep.load, dist))
        by_name: dict[str, list[PluginRecord]] = {}
        for record, _, _ in found:
            by_name.setdefault(record.name, []).append(record)
        result = []
        for record, loader, dist in found:
            twins = by_name[record.name]
            if len(twins) > 1 and not record.first_party and any(t.first_party for t in twins):
                taken = record.name
                record.name = f"{taken} ({record.distribution})"  # listed beside the winner
                self._fail(record, f"plugin name '{taken}' belongs to the first-party plugin, "
                           "which keeps it", f"rename the entry point in "
                           f"'{record.distribution}' (pyproject.toml), or uninstall it")
                continue
            if len(twins) > 1 and not any(t.first_party for t in twins):
                owners = " and ".join(f"'{r.distribution}'" for r in twins)
                self._fail(record, f"plugin name '{record.name}' is provided by {owners}",
                           "uninstall one of them, or disable one with "
                           "REWARDKIT_DISABLE_PLUGINS=<distribution name>")
                continue
            mismatch = _requirement_mismatch(dist) if dist else None
            if mismatch:
                self._fail(record, f"requires {mismatch}, but rewardkit {__version__} is running",
                           f"upgrade '{record.distribution}' or install a matching rewardkit")
                continue
            result.append((record, loader))
        return result

    def _load_one(self, record: PluginRecord, loader: Callable[[], Any]) -> None:
        self.records[record.name] = record
        try:
            plugin = loader()
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - one broken plugin never takes the host down
            self._fail(record, f'Error importing plugin "{record.name}": '
                       f"{type(exc).__name__}: {exc}", self._remedy(record), exc)
            return
        try:
            self.pm.register(plugin, name=record.name)
        except Exception as exc:  # noqa: BLE001 - bad hookimpl signature, same module twice, ...
            self._fail(record, f"invalid hook implementation: {exc}", self._remedy(record), exc)
            return
        callers = self.pm.get_hookcallers(plugin) or []
        unknown = [hc.name for hc in callers if not hc.has_spec()]
        if unknown:
            self.pm.unregister(plugin)
            known = ", ".join(sorted(n for n in dir(hookspecs) if n.startswith("register_")))
            self._fail(record, f"implements unknown hook(s) {', '.join(unknown)} "
                       f"(known hooks: {known})", self._remedy(record))
            return
        record.status = "loaded"
        if not callers:
            record.warning = (f"plugin '{record.name}' ({record.module}) has no @hookimpl "
                              "function, so it provides nothing: decorate its register_rewards "
                              "(or other hook) with `@rewardkit.hookimpl`")
            log.warning("rewardkit: %s.", record.warning)

    def _call_registry_hook(self, hook: str) -> None:
        kind = hook.removeprefix("register_")
        for impl in getattr(self.pm.hook, hook).get_hookimpls():
            record = self.records[impl.plugin_name]
            if record.status != "loaded":
                continue
            added: list[Registration] = []

            def register(name: str, factory: Callable[..., Any], *, doc: str | None = None,
                         _record: PluginRecord = record, _added: list = added) -> None:
                self._check_registration(kind, _record, name, factory, _added)
                _added.append(Registration(kind, _record.name, name, factory,
                                           doc if doc is not None else describe(factory)))

            try:
                self._call_one(hook, impl.plugin_name, register=register)
            except Exception as exc:  # noqa: BLE001 - one broken plugin never takes the host down
                self._fail(record, f"{hook} failed: {type(exc).__name__}: {exc}",
                           self._remedy(record), exc)
                self.registrations = [r for r in self.registrations if r.plugin != record.name]
                record.provides.clear()
                self.pm.unregister(name=record.name)
                continue
            self.registrations.extend(added)
            record.provides[kind] = [r.name for r in added]

    def _call_one(self, hook: str, plugin_name: str, **kwargs: Any) -> None:
        """Call one plugin's implementation of `hook` through pluggy, by keyword (so
        tracing and monitoring see the call, and a hook may gain arguments)."""
        plugin = self.pm.get_plugin(plugin_name)
        if self.tracing:
            _trace_writer(f"calling {hook} of plugin {plugin_name!r}\n")
        others = [p for p in self.pm.get_plugins() if p is not plugin]
        self.pm.subset_hook_caller(hook, remove_plugins=others)(**kwargs)

    @staticmethod
    def _check_registration(kind: str, record: PluginRecord, name: Any, factory: Any,
                            added: list[Registration]) -> None:
        if not isinstance(name, str) or not NAME_RE.match(name):
            raise TypeError(f"{kind[:-1]} name {name!r} must be lower-case letters, digits, "
                            "'_' or '-'")
        if isinstance(factory, Reward) or not callable(factory):
            raise TypeError(f"'{name}' was registered with {factory!r}, which is not a factory: "
                            "register the class or the per_sample function, not an instance")
        if any(r.name == name for r in added):
            raise ValueError(f"'{name}' was registered twice")

    @staticmethod
    def _remedy(record: PluginRecord) -> str:
        fix = f"disable it with REWARDKIT_DISABLE_PLUGINS={record.name}"
        if record.distribution and not record.builtin:
            fix += f" or `pip uninstall {record.distribution}`"
        return fix

    def _fail(self, record: PluginRecord, error: str, remedy: str,
              exc: BaseException | None = None) -> None:
        record.status, record.error, record.remedy = "failed", error, remedy
        if exc is not None:
            record.traceback = "".join(traceback.format_exception(exc))
        self.records[record.name] = record
        if self.strict:
            raise PluginError(f"{error}; {remedy}") from exc
        log.warning("rewardkit: plugin %r failed: %s. To silence this, %s.", record.name, error,
                    remedy)

    # -- queries -------------------------------------------------------------------------

    def plugins(self) -> list[PluginRecord]:
        self.load()
        return sorted(self.records.values(), key=lambda r: (not r.builtin, r.name))

    def registered(self, kind: str) -> list[Registration]:
        self.load()
        return [r for r in self.registrations if r.kind == kind]

    def add_commands(self, app: Any) -> None:
        """Let every loaded plugin add its CLI subcommands to `app`."""
        self.load()
        for impl in self.pm.hook.register_commands.get_hookimpls():
            try:
                self._call_one("register_commands", impl.plugin_name, app=app)
            except Exception as exc:  # noqa: BLE001 - one broken plugin never takes the host down
                self._fail(self.records[impl.plugin_name],
                           f"register_commands failed: {type(exc).__name__}: {exc}",
                           self._remedy(self.records[impl.plugin_name]), exc)


def _trace_writer(text: str) -> None:
    sys.stderr.write(f"rewardkit plugins: {text}")


_host: PluginHost | None = None


def get_host() -> PluginHost:
    """The process-wide plugin host, loaded on first use."""
    global _host
    if _host is None:
        _host = PluginHost()
    return _host.load()


def reset_host() -> None:
    """Forget loaded plugins (tests; after installing a plugin at run time)."""
    global _host
    _host = None
