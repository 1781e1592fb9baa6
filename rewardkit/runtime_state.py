"""Runtime state: what an object builds for its own process and never pickles.

The rule for everything that travels to a worker process or a Ray node (rewards,
generation backends, rubrics): it pickles as its class plus its configuration (a
reward's ``params``, a backend's ``config``, and what ``__init__`` derived from them).
What it builds to do the work (a client, a pool, a loaded model, a cache of replies,
a lock, counters) is *runtime state*: declare each such attribute with `runtime`. It is
then

* built on first use, once per object per process (concurrent first uses build it
  once);
* left out when the object is pickled (pickle, cloudpickle) or copied, so the copy
  builds its own on first use;
* an ordinary attribute after that: assign it to inject one (a test's fake client),
  delete it (or `drop_runtime`) to have it built again.

Classes get the rule by deriving from `RuntimeState`; `rewardkit.Reward` and the
generators' `BaseGenerator` already do. No hand-written ``__getstate__`` is needed.

>>> import copy, threading
>>> class Client(RuntimeState):
...     def __init__(self, url):
...         self.url = url
...     @runtime
...     def lock(self):
...         return threading.Lock()
>>> client = Client("http://127.0.0.1:8000")
>>> with client.lock:  # built here
...     clone = copy.copy(client)  # what pickle.dumps also leaves out
>>> sorted(vars(clone)), clone.lock.locked()
(['url'], False)
"""

from __future__ import annotations

import threading
import weakref
from typing import Any, Callable, Generic, TypeVar, overload

T = TypeVar("T")


class runtime(Generic[T]):  # noqa: N801 - a decorator, named like functools.cached_property
    """Declare runtime state: ``@runtime def client(self): return make_client(...)``.

    The method builds the value; it runs on first access and its result is stored on the
    instance under the method's name. The attribute is never pickled (see the module
    docstring).
    """

    def __init__(self, build: Callable[[Any], T]) -> None:
        self.build = build
        self.name: str = build.__name__
        self.__doc__ = build.__doc__
        self._lock = threading.RLock()

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> "runtime[T]": ...

    @overload
    def __get__(self, obj: object, owner: type | None = None) -> T: ...

    def __get__(self, obj: object | None, owner: type | None = None) -> Any:
        if obj is None:
            return self
        # Only reached while the instance has no value yet: once built, the instance's
        # own attribute shadows this (non-data) descriptor.
        state = obj.__dict__
        with self._lock:
            if self.name not in state:
                state[self.name] = self.build(obj)
            return state[self.name]

    def __reduce__(self) -> tuple[Any, ...]:
        # A class pickled by value (cloudpickle, for a class defined in a script) carries
        # its descriptors: the lock stays behind.
        return (runtime, (self.build,), {"name": self.name})

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.name = state["name"]


def runtime_names(cls: type) -> frozenset[str]:
    """The names `cls` declares as runtime state (its own and its bases', unless a
    subclass redefines the name as something else)."""
    names = _names.get(cls)
    if names is None:
        found: dict[str, bool] = {}
        for klass in cls.__mro__:
            for name, value in vars(klass).items():
                found.setdefault(name, isinstance(value, runtime))
        names = _names[cls] = frozenset(name for name, declared in found.items() if declared)
    return names


_names: "weakref.WeakKeyDictionary[type, frozenset[str]]" = weakref.WeakKeyDictionary()


def drop_runtime(obj: object, name: str) -> Any:
    """Forget `obj`'s runtime attribute `name`; returns what it held (None if not built)."""
    return obj.__dict__.pop(name, None)


class RuntimeState:
    """Pickles (and copies) without the attributes its class declares with `runtime`."""

    def __getstate__(self) -> dict[str, Any]:
        dropped = runtime_names(type(self))
        return {k: v for k, v in self.__dict__.items() if k not in dropped}
