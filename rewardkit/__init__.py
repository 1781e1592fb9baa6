"""rewardkit: rewards and verifiers for RL post-training of LLMs.

The public API:

  Sample, Score, Status        what a reward reads and what it returns
  is_missing                   whether a dataset value means "no value" (None, NaN, "nan", ...)
  Reward, RewardParams         base classes for a reward and its parameters
  runtime, RuntimeState        runtime state (clients, pools, caches): built lazily, never
                               pickled (a reward pickles as its class plus params)
  per_sample                   lift ``fn(sample, **params)`` into a reward factory
  CriterionName                a parameter naming an earlier criterion whose score it reads
  hookimpl                     mark a plugin's hook implementations
  build_reward, resolve_reward reward names (``math``, ``plugin:name``, ``pkg.mod:fn``) to rewards
  build_generator              a text-generation backend (``hf``, ``openai``) for model-based rewards
  Rubric, criterion            weighted, gated compositions of rewards
  to_trl                       a rubric as TRL GRPOTrainer reward functions and weights
  run, close_workers           score a reward over samples the way its RunPolicy asks;
                               stop the worker processes `run` keeps
  RunPolicy, Isolation         how a reward runs (in process, threads, async, processes, per node)
  policy_of, RewardLike        a reward's RunPolicy; the protocol every reward satisfies
  in_worker                    whether this process is a rewardkit worker process
  extract                      answer / code extraction shared by every reward (a public
                               module: ``from rewardkit.extract import boxed``)
  messages                     chat messages back to generated text (reasoning_content,
                               tool calls), as TRL's parse_response hands them over
  load_yaml                    read a YAML file with errors that name the file and line
  validate_config              a pydantic model from user data; errors worded like every
                               rewardkit config error (``WHERE: unknown key 'a.b'; ...``)
  rewardkit.terminal           consoles and helpers for commands that plugins add

Plugins import only these names, `rewardkit.extract`, `rewardkit.messages` and
`rewardkit.terminal`
(tests/core/test_public_api.py checks it); every other module is internal.

Importing rewardkit loads no plugin and no heavy library (sympy, torch, docker, ...).
"""

from __future__ import annotations

from typing import Any

from rewardkit import extract, messages
from rewardkit._version import __version__
from rewardkit.criterion_refs import CriterionName
from rewardkit.errors import (
    AmbiguousRewardError,
    ConfigError,
    PluginError,
    RewardError,
    RewardkitError,
    RewardNotFoundError,
    RewardParamsError,
)
from rewardkit.hookspecs import hookimpl
from rewardkit.policy import DEFAULT_TIMEOUT, Isolation, RewardLike, RunPolicy, policy_of
from rewardkit.reward import Reward, RewardParams, per_sample, to_score
from rewardkit.runtime_state import RuntimeState, runtime
from rewardkit.types import Sample, Score, Status, is_missing

_LAZY = {
    "Rubric": "rewardkit.rubric",
    "Criterion": "rewardkit.rubric",
    "criterion": "rewardkit.rubric",
    "RubricResult": "rewardkit.rubric",
    "build_reward": "rewardkit.registry",
    "resolve_reward": "rewardkit.registry",
    "resolve_generator": "rewardkit.registry",
    "build_generator": "rewardkit.generators.base",
    "load_yaml": "rewardkit.files",
    "validate_config": "rewardkit.validation",
    "to_trl": "rewardkit.trl",
    "run": "rewardkit.engine",
    "close_workers": "rewardkit.engine",
    "Engine": "rewardkit.engine",
    "in_worker": "rewardkit.workers",
}

__all__ = [
    "__version__", "extract", "messages", "hookimpl", "CriterionName", "per_sample", "to_score",
    "Sample", "Score", "Status", "is_missing", "Reward", "RewardParams", "runtime", "RuntimeState",
    "RunPolicy", "Isolation", "RewardLike", "policy_of", "DEFAULT_TIMEOUT",
    "RewardkitError", "ConfigError", "RewardParamsError", "RewardNotFoundError",
    "AmbiguousRewardError", "PluginError", "RewardError", *_LAZY,
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'rewardkit' has no attribute '{name}'")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
