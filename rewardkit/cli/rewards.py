"""`rewardkit rewards [NAME]`: every registered reward, or one reward's parameters."""

from __future__ import annotations

import inspect
import re
from typing import Any, Optional

import typer


def params_model(factory: Any) -> Any:
    """The pydantic model of a reward factory's parameters, or None when it declares none.

    A `Reward` subclass has `Params`; a `per_sample` factory `params_model`; a plain factory
    function may carry either, as a class or as a lazy ``"module:Class"`` path.
    """
    model = getattr(factory, "params_model", None) or getattr(factory, "Params", None)
    if isinstance(model, str):
        from rewardkit.dotted import import_object

        model = import_object(model, "parameter model")
    return model if inspect.isclass(model) and hasattr(model, "model_fields") else None


def _type_name(annotation: Any) -> str:
    if inspect.isclass(annotation) and not getattr(annotation, "__args__", None):
        return annotation.__name__
    return str(annotation).replace("typing.", "").replace("NoneType", "None")


def _documented(name: str, *owners: Any) -> str:
    """The line documenting `name` in a docstring ("name   text" or "name: text")."""
    for owner in owners:
        for line in (inspect.getdoc(owner) or "").splitlines():
            found = re.match(rf"\s*`?{re.escape(name)}`?\s*(?::|\s{{2,}})\s*(\S.*)", line)
            if found:
                return found.group(1).strip()
    return ""


def describe_params(factory: Any) -> list[dict[str, str]]:
    """One row per parameter: name, type, default (or "required") and a one-line doc (the
    field's description, else its line in the Params or factory docstring)."""
    model = params_model(factory)
    rows = []
    for name, field in (model.model_fields.items() if model else []):
        if field.is_required():
            default = "required"
        elif field.default_factory is not None:
            default = repr(field.default_factory())
        else:
            default = repr(field.default)
        doc = (field.description or "").strip().splitlines()
        rows.append({"name": name, "type": _type_name(field.annotation), "default": default,
                     "doc": doc[0] if doc else _documented(name, model, factory)})
    return rows


def _show_one(name: str, as_json: bool) -> None:
    from rewardkit.cli.output import console, fail, print_json, table
    from rewardkit.errors import RewardkitError
    from rewardkit.reward import describe
    from rewardkit.registry import resolve_reward

    try:
        factory = resolve_reward(name)
        rows = describe_params(factory)
    except (RewardkitError, LookupError, ImportError) as exc:
        fail(str(exc))
    if as_json:
        print_json({"name": name, "doc": describe(factory), "params": rows})
        return
    console.print(f"{name}: {describe(factory)}", soft_wrap=True)
    if not rows:
        console.print("no parameters")
        return
    console.print(table(["parameter", "type", "default", "description"],
                        [[row["name"], row["type"], row["default"], row["doc"]] for row in rows]))


def register(app: typer.Typer) -> None:
    @app.command("rewards")
    def rewards(
        name: Optional[str] = typer.Argument(None, help="A reward (name, plugin:name or "
                                             "module:function): print its parameters."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """List the rewards installed plugins provide (use `plugin:name` when ambiguous)."""
        if name is not None:
            _show_one(name, as_json)
            return
        from rewardkit.cli.output import console, print_json
        from rewardkit.plugins import get_host

        host = get_host()
        entries = host.registered("rewards")
        counts: dict[str, int] = {}
        for e in entries:
            counts[e.name] = counts.get(e.name, 0) + 1
        rows: list[dict[str, Any]] = [{"name": e.name, "qualified": e.qualified, "plugin": e.plugin,
                 "version": host.records[e.plugin].version, "ambiguous": counts[e.name] > 1,
                 "doc": e.doc} for e in sorted(entries, key=lambda e: e.qualified)]
        if as_json:
            print_json(rows)
            return
        from rewardkit.cli.output import table

        listed = [[row["qualified"] if row["ambiguous"] else row["name"], row["plugin"],
                   row["version"] or "", row["doc"]] for row in rows]
        console.print(table(["reward", "plugin", "version", "description"], listed)
                      if rows else "no rewards installed: `pip install` a plugin")
