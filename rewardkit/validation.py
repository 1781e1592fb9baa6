"""Pydantic validation errors as one sentence a user can act on.

Every configuration rewardkit reads (rubric YAML, reward parameters, generator options,
train and health configs, bench reward files, judge templates, serve options, HTTP
request bodies) words its problems the same way::

    rubric.yaml: unknown key 'criteria.0.gaet'; did you mean 'gate'? (accepted: ...)
    reward 'math': parameter 'mode': Input should be 'strict' or 'loose' (got 'lax')

that is ``WHERE: PROBLEM; PROBLEM``, each problem naming the key (or parameter) by its
dotted path.

>>> from pydantic import BaseModel, ConfigDict
>>> class Limits(BaseModel):
...     model_config = ConfigDict(extra="forbid")
...     max_length: int = 10
>>> validate_config(Limits, {"max_lenght": 3}, "reward 'overlong'")
Traceback (most recent call last):
rewardkit.errors.ConfigError: reward 'overlong': unknown key 'max_lenght'; did you mean \
'max_length'? (accepted: max_length)
"""

from __future__ import annotations

import difflib
import inspect
import typing
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from rewardkit.errors import ConfigError

if TYPE_CHECKING:
    from pydantic import BaseModel

Model = TypeVar("Model", bound="BaseModel")

LISTED_AT_MOST = 20  # a longer list of accepted keys is left out (the hint still names one)
SHOWN_CHARS = 60  # how much of a rejected value a message repeats


def did_you_mean(word: str, choices: Sequence[str], n: int = 1) -> str:
    """``; did you mean 'a' or 'b'?`` for up to `n` close matches of `word`, or ``""``."""
    close = difflib.get_close_matches(word, choices, n=n, cutoff=0.6)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def unknown_key(path: str, accepted: Sequence[str] | None, noun: str = "key") -> str:
    """``unknown key 'path'; did you mean 'x'? (accepted: ...)``, the hint and list only
    where `accepted` (the names allowed beside the last part of `path`) is known."""
    text = f"unknown {noun} '{path}'"
    if accepted is None:
        return text
    text += did_you_mean(path.rpartition(".")[2], accepted)
    if len(accepted) <= LISTED_AT_MOST:
        text += f" (accepted: {', '.join(accepted) or 'none'})"
    return text


def problems(errors: Sequence[Mapping[str, Any]], model: type[BaseModel] | None = None,
             noun: str = "key") -> list[str]:
    """One sentence per pydantic error (``exc.errors()``), keys named by dotted path;
    `model` (the validated model) lets an unknown key get a suggestion and the list of
    keys accepted there."""
    out = []
    for err in errors:
        loc = tuple(err.get("loc", ()))
        path = ".".join(str(p) for p in loc)
        if err.get("type") == "extra_forbidden":
            accepted = _fields_at(model, loc[:-1]) if model is not None else None
            out.append(unknown_key(path, accepted, noun))
            continue
        text = f"{noun} '{path}': {err.get('msg')}" if path else str(err.get("msg"))
        if err.get("type") != "missing" and "input" in err:
            shown = repr(err["input"])
            if len(shown) > SHOWN_CHARS:
                shown = shown[:SHOWN_CHARS - 3] + "..."
            text += f" (got {shown})"
        out.append(text)
    return out


def validation_message(exc: Any, where: str, model: type[BaseModel] | None = None,
                       noun: str = "key") -> str:
    """``where: problem; problem`` for a pydantic `ValidationError` (or anything with
    the same ``errors()``, such as FastAPI's request validation error)."""
    return f"{where}: " + "; ".join(problems(exc.errors(), model, noun))


def validate_config(model: type[Model], data: Any, where: str, *, noun: str = "key",
             error: type[Exception] = ConfigError) -> Model:
    """``model.model_validate(data)``; a failure raises `error` with `validation_message`."""
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise error(validation_message(exc, where, model, noun)) from None


def _fields_at(model: type[BaseModel], loc: Sequence[Any]) -> list[str] | None:
    """The keys `model` accepts at `loc` (a location inside it), when that is a model."""
    for part in loc:
        if isinstance(part, int) or part == model.__name__:
            continue  # a list index, or pydantic's tag for the union member it tried
        field = model.model_fields.get(part)
        inner = _model_in(field.annotation) if field is not None else None
        if inner is None:
            return None
        model = inner
    return [f.alias or name for name, f in model.model_fields.items()]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model an annotation holds (``Model``, ``list[Model]``, ``Model | None``)."""
    from pydantic import BaseModel

    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
