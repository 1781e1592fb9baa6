"""Text-generation backends for model-based rewards (LLM judges, PRM rollouts).

Backends are registered through the ``register_generators`` hook; the core ships ``hf``
(transformers) and ``openai`` (any OpenAI-compatible server). Build one by name::

    from rewardkit.generators import build_generator
    backend = build_generator("openai", {"base_url": "http://127.0.0.1:8000/v1", "model": "m"})
    backend.generate(["Say hi"], n=2, temperature=0.7)  # -> [["hi", "hello"]]

Importing this package imports no torch, transformers or httpx.
"""

from rewardkit.generators.base import (
    BaseGenerator,
    GenerationError,
    GenerationStats,
    Generator,
    Sampling,
    build_generator,
    cut_at_stop,
)

__all__ = ["BaseGenerator", "GenerationError", "GenerationStats", "Generator", "Sampling",
           "build_generator", "cut_at_stop"]
