"""The reward contract: a factory builds an object with `name` and a batched `score`.

Two ways to write one:

* subclass `Reward`, declare a `Params` model and implement `score_one` (per sample) or
  `score` (a whole batch, sync or ``async def``);
* lift a plain function with `per_sample`:

>>> from rewardkit import Sample, per_sample
>>> @per_sample
... def short(sample, max_chars: int = 10):
...     return len(sample.completion_text) <= max_chars
>>> short(max_chars=5).score([Sample("hi"), Sample("too long")])[1].value
0.0
"""

from __future__ import annotations

import inspect
import json
import math
from typing import Any, Awaitable, Callable, Mapping, Sequence, Union

from pydantic import BaseModel, ConfigDict, create_model

from rewardkit.dotted import import_object
from rewardkit.errors import RewardParamsError
from rewardkit.policy import RunPolicy, traits_policy
from rewardkit.runtime_state import RuntimeState
from rewardkit.types import Sample, Score, Status
from rewardkit.validation import validate_config

ScoreLike = Union[Score, float, int, bool, None]


class RewardParams(BaseModel):
    """Base for reward parameter models: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def validate_params(reward: str, model: type[BaseModel], params: dict[str, Any]) -> BaseModel:
    """Validate `params` against `model`, raising an error that names the reward and key."""
    return validate_config(model, params, f"reward '{reward}'", noun="parameter",
                    error=RewardParamsError)


def non_finite_error(number: float, info: Mapping[str, Any] | None = None) -> Score:
    """The `error` a non-finite reward value (inf, -inf, NaN) becomes, with the reason."""
    return Score(None, Status.ERROR, {
        **(info or {}), "reason": f"the reward returned a non-finite value ({number}); a "
        "reward value must be a finite number, or None for 'no value'"})


def to_score(value: ScoreLike) -> Score:
    """Turn what a reward function returned into a `Score` (a non-finite number: `error`)."""
    if isinstance(value, Score):
        return value
    if value is None:
        return Score.not_applicable("the reward returned None")
    if isinstance(value, (bool, int, float)):
        number = float(value)
        return Score(number) if math.isfinite(number) else non_finite_error(number)
    hint = (" (one value per sample; a TRL reward function that returns a list takes "
            "'completions' as its first parameter)") if isinstance(value, (list, tuple)) else ""
    raise TypeError(
        f"a reward must return a Score, a number, a bool or None, not {type(value).__name__}"
        + hint
    )


class Reward(RuntimeState):
    """Base class for rewards.

    Class attributes a subclass may set (the run traits become one `RunPolicy`, see
    `rewardkit.policy`; `run_policy` returns it):
      name             the reward's name (the registry sets the registered one)
      Params           a `RewardParams` model; ``Reward(**params)`` validates against it
      cpu_bound        True: the engine runs it in killable worker processes
      per_node         True: one long-lived copy per node on a multi-node executor
      timeout          per-sample wall-clock budget in seconds (None: the default,
                       `rewardkit.policy.DEFAULT_TIMEOUT`)
      memory_limit_mb  address-space limit of its worker processes (None: no limit)
      cacheable        False: never cached (sampling judges)
      version          bump to invalidate cached scores when behaviour changes

    Pickling (worker processes, Ray): a reward pickles as its class plus its params (and
    what ``__init__`` derived from them). Runtime state (a client, a pool, a loaded model,
    a reply cache, a lock, counters) is declared with `rewardkit.runtime`: built lazily on
    first use, dropped on pickle, rebuilt in the process that unpickles it. See
    `rewardkit.runtime_state`; no hand-written ``__getstate__`` is needed.
    """

    name: str = "reward"
    Params: type[BaseModel] = RewardParams
    cpu_bound: bool = False
    per_node: bool = False
    timeout: float | None = None
    memory_limit_mb: int | None = None
    cacheable: bool = True
    version: str = "1"

    def __init__(self, **params: Any) -> None:
        self.params: Any = validate_params(self.name, self.Params, params)

    def score(self, samples: Sequence[Sample]) -> list[Score] | Awaitable[list[Score]]:
        """Score a batch. The default calls `score_one` for each sample."""
        return [to_score(self.score_one(sample)) for sample in samples]

    def score_one(self, sample: Sample) -> ScoreLike:
        raise NotImplementedError(
            f"{type(self).__name__} must implement score_one(sample) or score(samples)"
        )

    def prepare(self) -> None:
        """Load what scoring needs (heavy imports, models) ahead of the first sample.

        A worker process calls it once after receiving the reward, outside any sample's
        deadline (within `rewardkit.workers.LOAD_TIMEOUT`). The default does nothing.
        """

    def run_policy(self) -> RunPolicy:
        """How the engine runs this reward: its traits above, as one value."""
        return traits_policy(self)

    def fingerprint(self) -> str:
        """A stable identity of this reward and its parameters (used by the cache)."""
        cls = type(self)
        params = self.params.model_dump(mode="json") if isinstance(self.params, BaseModel) else {}
        return json.dumps(
            [f"{cls.__module__}.{cls.__qualname__}", self.version, params], sort_keys=True
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


def _resolve_function(module: str, qualname: str) -> Callable[..., Any]:
    obj = import_object(f"{module}:{qualname}", "reward function")
    return obj.fn if isinstance(obj, RewardFactory) else obj


def _params_model(fn: Callable[..., Any], name: str) -> type[BaseModel]:
    """A pydantic model of `fn`'s parameters after the first (the sample)."""
    fields: dict[str, Any] = {}
    try:
        signature = inspect.signature(fn, eval_str=True)  # resolve `from __future__` strings
    except (NameError, TypeError, SyntaxError):
        signature = inspect.signature(fn)
    params = list(signature.parameters.values())[1:]
    for p in params:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        annotation = Any if p.annotation is p.empty else p.annotation
        default = ... if p.default is p.empty else p.default
        fields[p.name] = (annotation, default)
    return create_model(f"{name}_params", __base__=RewardParams, **fields)


class FunctionReward(Reward):
    """A reward made from a per-sample function by `per_sample`."""

    def __init__(self, factory: "RewardFactory", **params: Any) -> None:
        self.factory = factory
        self.name = factory.name
        self.cpu_bound = factory.cpu_bound
        self.timeout = factory.timeout
        self.params = validate_params(factory.name, factory.params_model, params)
        self._kwargs = dict(self.params)

    def score(self, samples: Sequence[Sample]) -> list[Score]:
        fn, kwargs = self.factory.fn, self._kwargs  # hot loop: no per-sample indirection
        out = []
        for sample in samples:
            value = fn(sample, **kwargs)
            out.append(value if type(value) is Score else to_score(value))
        return out

    def score_one(self, sample: Sample) -> ScoreLike:
        return self.factory.fn(sample, **self._kwargs)

    def fingerprint(self) -> str:
        fn = self.factory.fn
        params = self.params.model_dump(mode="json")
        return json.dumps([f"{fn.__module__}.{fn.__qualname__}", params], sort_keys=True)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_function_reward, (self.factory, self.params.model_dump()))


def _rebuild_function_reward(factory: "RewardFactory", params: dict[str, Any]) -> FunctionReward:
    return FunctionReward(factory, **params)


class RewardFactory:
    """Builds `FunctionReward`s from a per-sample function; what `per_sample` returns.

    Calling it with parameters returns a reward. It pickles by the function's import
    path, so rewards built from module-level functions work in worker processes.
    """

    def __init__(
        self,
        fn: Callable[..., ScoreLike],
        *,
        name: str | None = None,
        params: type[BaseModel] | None = None,
        cpu_bound: bool = False,
        timeout: float | None = None,
    ) -> None:
        if not callable(fn):
            raise TypeError(f"per_sample needs a function, got {type(fn).__name__}")
        self.fn = fn
        self.name = name or fn.__name__
        self.explicit_params = params
        self.params_model = params or _params_model(fn, self.name)
        self.cpu_bound = cpu_bound
        self.timeout = timeout
        self.__doc__ = fn.__doc__
        self.__wrapped__ = fn

    def __call__(self, **params: Any) -> FunctionReward:
        return FunctionReward(self, **params)

    def __reduce__(self) -> tuple[Any, ...]:
        fn_ref = (self.fn.__module__, self.fn.__qualname__)
        options = (self.name, self.explicit_params, self.cpu_bound, self.timeout)
        return (_rebuild_factory, (fn_ref, options))

    def __repr__(self) -> str:
        return f"<reward factory {self.name!r} from {self.fn.__module__}.{self.fn.__qualname__}>"


def _rebuild_factory(fn_ref: tuple[str, str], options: tuple[Any, ...]) -> RewardFactory:
    name, params, cpu_bound, timeout = options
    return RewardFactory(
        _resolve_function(*fn_ref), name=name, params=params, cpu_bound=cpu_bound, timeout=timeout
    )


def per_sample(
    fn: Callable[..., ScoreLike] | None = None,
    *,
    name: str | None = None,
    params: type[BaseModel] | None = None,
    cpu_bound: bool = False,
    timeout: float | None = None,
) -> Any:
    """Lift ``fn(sample, **params) -> Score | float | bool | None`` into a reward factory.

    Use as ``@per_sample`` or ``@per_sample(cpu_bound=True, timeout=5)``. Parameters are
    validated against `params`, or against a model derived from `fn`'s keyword arguments.
    A returned ``None`` means *not applicable*, never 0.0.
    """

    def wrap(f: Callable[..., ScoreLike]) -> RewardFactory:
        return RewardFactory(f, name=name, params=params, cpu_bound=cpu_bound, timeout=timeout)

    return wrap(fn) if fn is not None else wrap


def describe(factory: Any) -> str:
    """The first line of a factory's documentation."""
    doc = inspect.getdoc(factory) or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""
