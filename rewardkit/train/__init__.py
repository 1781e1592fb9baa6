"""`rewardkit train`: a GRPO job (optional SFT cold start, then TRL's GRPOTrainer) from YAML.

>>> from rewardkit.train import load_config, train          # doctest: +SKIP
>>> result = train(load_config("examples/train-toy.yaml"))  # doctest: +SKIP
>>> result.summary()["reward"]                              # doctest: +SKIP

Importing this package imports no torch, transformers or trl; `train` does.
"""

from __future__ import annotations

from typing import Any

from rewardkit.train.config import TrainConfig, load_config

__all__ = ["TrainConfig", "load_config", "train"]


def train(config: TrainConfig, *args: Any, **kwargs: Any) -> Any:
    """Run a training job; see `rewardkit.train.runner.train`."""
    from rewardkit.train.runner import train as run

    return run(config, *args, **kwargs)
