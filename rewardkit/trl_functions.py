"""TRL reward functions (``def f(completions, **kwargs) -> list[float]``) as rewardkit rewards.

A rubric can name a function written for TRL's `GRPOTrainer`, ``trl.rewards.*`` included,
by its import path (``trl.rewards:accuracy_reward`` or ``trl.rewards.accuracy_reward``).
It is recognised by its first parameter, one of ``prompts``, ``completions`` or
``completion_ids`` (TRL passes everything by keyword), and called once per batch the way
TRL calls it:

* ``prompts``, ``completions`` (as the samples hold them; functions from ``trl.rewards``,
  which read ``completion[0]["content"]``, get a text completion as one assistant
  message) and ``completion_ids`` when the samples carry them;
* the reference under ``reference``, ``solution``, ``answer`` and ``ground_truth``, and
  every metadata key as a column;
* a function that names a reference column is not called for a sample without one
  (missing label): that sample is ``unverifiable``.

What it returns becomes statuses: a number is ``ok``, ``None`` or NaN (what TRL masks) is
``not_applicable``, anything else (±inf, text, a list of the wrong length) is ``error``.
A function annotated ``-> Callable`` (TRL's ``get_*`` helpers) is a factory: it is called
with the criterion's params and the function it returns is adapted.
"""

from __future__ import annotations

import inspect
import json
import math
from collections.abc import Callable, Sequence
from typing import Any

from rewardkit.errors import ConfigError
from rewardkit.reward import Reward
from rewardkit.types import Sample, Score

TRL_ARGS = ("prompts", "completions", "completion_ids")
REFERENCE_ARGS = ("reference", "solution", "answer", "ground_truth")
CHAT_ONLY_MODULES = ("trl.rewards",)  # read completion[0]["content"]
BATCH_NAMES = ("samples", "texts", "responses", "outputs", "batch")


def _parameters(fn: Any) -> list[inspect.Parameter] | None:
    try:
        return list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return None


def is_trl_function(fn: Any) -> bool:
    """Whether `fn` is a TRL reward function: its first parameter is a TRL argument."""
    params = _parameters(fn)
    return bool(params) and params[0].name in TRL_ARGS  # type: ignore[index]


def returns_callable(fn: Any) -> bool:
    """Whether `fn` is annotated to return a callable (a ``get_*`` reward factory)."""
    try:
        annotation = inspect.signature(fn, eval_str=True).return_annotation
    except (TypeError, ValueError, NameError, SyntaxError):
        return False
    text = annotation if isinstance(annotation, str) else repr(annotation)
    return "Callable" in text


def batch_function_problem(fn: Any) -> str | None:
    """Why `fn` cannot be a per-sample reward although it looks like a batch function."""
    params = _parameters(fn)
    if not params:
        return None
    first = params[0]
    annotation = first.annotation
    text = annotation if isinstance(annotation, str) else repr(annotation)
    listy = text.lower().startswith(("list", "sequence", "typing.list", "typing.sequence"))
    if first.name in BATCH_NAMES or listy:
        return (f"its first parameter '{first.name}' looks like a batch, but rewardkit calls a "
                "plain function once per sample with one Sample. Write it as "
                "`def f(sample, **params)`, or as a TRL reward function whose first parameter "
                "is 'completions' (`def f(completions, **kwargs) -> list[float]`)")
    return None


def _chat(completion: Any) -> Any:
    return [{"role": "assistant", "content": completion}] if isinstance(completion, str) \
        else completion


class TRLFunctionReward(Reward):
    """A TRL reward function, called once per batch with TRL's keyword arguments."""

    def __init__(self, fn: Callable[..., Any], name: str | None = None) -> None:
        self.fn = fn
        self.name = name or getattr(fn, "__name__", None) or type(fn).__name__
        params = _parameters(fn) or []
        self._accepts_any = any(p.kind is p.VAR_KEYWORD for p in params)
        self._named = {p.name for p in params if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)}
        self._needs_reference = bool(self._named & set(REFERENCE_ARGS))
        module = getattr(fn, "__module__", None) or type(fn).__module__ or ""
        self._chat_only = module.startswith(CHAT_ONLY_MODULES)

    def score(self, samples: Sequence[Sample]) -> list[Score]:
        scores: list[Score | None] = [None] * len(samples)
        todo = list(range(len(samples)))
        if self._needs_reference:
            for i in [i for i in todo if samples[i].reference is None]:
                scores[i] = Score.unverifiable(f"'{self.name}' needs a reference and the sample "
                                               "has none (missing label)")
            todo = [i for i in todo if samples[i].reference is not None]
        if todo:
            values = self.fn(**self._arguments([samples[i] for i in todo]))
            for i, score in zip(todo, self._scores(values, len(todo))):
                scores[i] = score
        return scores  # type: ignore[return-value]

    def _arguments(self, samples: list[Sample]) -> dict[str, Any]:
        completions = [s.completion for s in samples]
        args: dict[str, Any] = {
            "prompts": [s.prompt for s in samples],
            "completions": [_chat(c) for c in completions] if self._chat_only else completions,
        }
        ids = [s.metadata.get("completion_ids") for s in samples]
        if all(i is not None for i in ids):
            args["completion_ids"] = ids
        references = [s.reference for s in samples]
        args.update({name: references for name in REFERENCE_ARGS})
        for key in dict.fromkeys(k for s in samples for k in s.metadata):
            if key != "completion_ids":
                args.setdefault(key, [s.metadata.get(key) for s in samples])
        if "completion_ids" in self._named and "completion_ids" not in args:
            raise ValueError(f"'{self.name}' needs completion_ids (token ids), which only a "
                             "trainer provides; give the samples a metadata 'completion_ids'")
        if self._accepts_any:
            return args
        return {k: v for k, v in args.items() if k in self._named}

    def _scores(self, values: Any, expected: int) -> list[Score]:
        if not isinstance(values, (list, tuple)) or len(values) != expected:
            got = f"{len(values)} values" if isinstance(values, (list, tuple)) else \
                type(values).__name__
            raise ValueError(f"TRL reward function '{self.name}' returned {got} for {expected} "
                             "completions; it must return one number (or None) per completion")
        return [self._score(v) for v in values]

    def _score(self, value: Any) -> Score:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return Score.not_applicable(f"'{self.name}' returned {value!r} (TRL masks it)")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            if hasattr(value, "item"):  # a numpy or torch scalar
                return self._score(value.item())
            return Score.error(f"'{self.name}' returned {type(value).__name__} {value!r}, not "
                               "a number")
        if not math.isfinite(value):
            return Score.error(f"'{self.name}' returned {value!r}, which is not a finite number")
        return Score(float(value))

    def fingerprint(self) -> str:
        fn = self.fn
        where = f"{getattr(fn, '__module__', '')}.{getattr(fn, '__qualname__', '')}"
        if not inspect.isfunction(fn):
            where = f"{type(fn).__module__}.{type(fn).__qualname__}"
        state = getattr(fn, "__dict__", {}) if not inspect.isfunction(fn) else {}
        return json.dumps([where, state], sort_keys=True, default=repr)


class TRLFunctionFactory:
    """Builds `TRLFunctionReward`s: from a TRL function (no params), or from a ``get_*``
    factory called with the criterion's params."""

    def __init__(self, obj: Any, path: str, factory: bool = False) -> None:
        self.obj, self.path, self.factory = obj, path, factory
        self.name = path.replace(":", ".").rsplit(".", 1)[-1]
        self.__doc__ = getattr(obj, "__doc__", None)

    def __call__(self, **params: Any) -> TRLFunctionReward:
        if self.factory:
            fn = self.obj(**params)
            if not is_trl_function(fn):
                raise ConfigError(f"'{self.path}' returned {fn!r}, which is not a TRL reward "
                                  "function (its first parameter must be 'completions', "
                                  "'prompts' or 'completion_ids')")
            return TRLFunctionReward(fn, getattr(fn, "__name__", None) or self.name)
        if params:
            raise ConfigError(f"'{self.path}' is a TRL reward function and takes no params "
                              f"(got {', '.join(params)}); TRL passes it dataset columns instead")
        return TRLFunctionReward(self.obj, self.name)


def adapt(obj: Any, path: str) -> TRLFunctionFactory | None:
    """A factory for `obj` when it is a TRL function or a ``get_*`` factory, else None.

    Raises `ConfigError` for a function that looks like a batch function but is not one
    TRL would call.
    """
    if is_trl_function(obj):
        return TRLFunctionFactory(obj, path)
    if inspect.isfunction(obj) and returns_callable(obj):
        return TRLFunctionFactory(obj, path, factory=True)
    if inspect.isfunction(obj):
        problem = batch_function_problem(obj)
        if problem:
            raise ConfigError(f"reward '{path}' cannot be used: {problem}")
    return None
