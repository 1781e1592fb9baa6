"""Registers the core generation backends, ``hf`` and ``openai``, as a builtin plugin.

Kept light: the backends' modules (and torch, transformers, httpx) load only when a
factory is called.
"""

from __future__ import annotations

from typing import Any

from rewardkit.hookspecs import hookimpl


def hf(**config: Any) -> Any:
    """A transformers causal LM (local path or hub id): batched, seeded sampling on CPU/GPU."""
    from rewardkit.generators.hf import HFGenerator

    return HFGenerator(**config)


def openai(**config: Any) -> Any:
    """An OpenAI-compatible chat/completions endpoint: async, rate-limited, with retries."""
    from rewardkit.generators.openai import OpenAIGenerator

    return OpenAIGenerator(**config)


@hookimpl
def register_generators(register):
    register("hf", hf)
    register("openai", openai)
