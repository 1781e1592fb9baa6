"""The `rewardkit train` configuration: one YAML file, checked before any model loads.

Top-level keys: `model`, `dataset`, `rubric`, `trl`, and optionally `cold_start`, `seed`,
`output_dir`, `reward_mode`, `health` (see `rewardkit.health.config`), `environment` (tools
the model calls during GRPO). The `trl:` block (and `cold_start.trl:`) is passed to TRL's
`GRPOConfig` (`SFTConfig`) as is, so TRL's own validation speaks; unknown keys are
reported with their full path (``unknown key 'trl.learning_rat'; did you mean ...``).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from rewardkit.errors import ConfigError
from rewardkit.files import load_yaml, parse_assignment
from rewardkit.health.config import HealthConfig
from rewardkit.validation import unknown_key, validate_config
from rewardkit.train.tiny import TinyModelConfig


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ModelConfig(_Strict):
    """`name`: ``tiny`` (built offline) or a Hugging Face model id / local path."""

    name: str = "tiny"
    tiny: TinyModelConfig = Field(default_factory=TinyModelConfig)
    dtype: Literal["auto", "float32", "bfloat16", "float16"] = "auto"
    trust_remote_code: bool = False


class Columns(_Strict):
    """Which dataset columns hold the prompt, the reference and (cold start) the completion.

    `reference`: ``auto`` (default) takes the first of ``reference``, ``solution`` (TRL's
    rewards), ``answer``, ``ground_truth`` the data has; a column name takes that column;
    ``null`` reads no reference.
    """

    prompt: str = "prompt"
    reference: str | None = "auto"
    completion: str = "completion"


class DatasetConfig(_Strict):
    """A local file (`path`: .jsonl/.json/.parquet/.csv) or a `datasets` name."""

    path: str | None = None
    name: str | None = None
    subset: str | None = None
    split: str = "train"
    columns: Columns = Field(default_factory=Columns)
    chat_template: Literal["auto", "always", "never"] = "auto"
    system_prompt: str | None = None
    limit: int | None = Field(None, ge=1)

    @model_validator(mode="after")
    def _one_source(self) -> "DatasetConfig":
        if (self.path is None) == (self.name is None):
            raise ValueError("give exactly one of 'path' (a local JSONL/JSON/Parquet/CSV file) "
                             "or 'name' (a datasets name or directory)")
        return self


class ColdStartConfig(DatasetConfig):
    """Supervised fine-tuning on demonstrations before GRPO; `trl` goes to `SFTConfig`."""

    trl: dict[str, Any] = Field(default_factory=dict)


class EnvironmentConfig(_Strict):
    """Tools for the model during GRPO: a TRL ``environment_factory`` (see
    `rewardkit.train.environment`); `params` go to the factory."""

    factory: str = Field("python", description="'python' (the sandbox's Python tool) or "
                         "'package.module:callable' returning an environment factory")
    params: dict[str, Any] = Field(default_factory=dict)


class TrainConfig(_Strict):
    model: ModelConfig = Field(default_factory=ModelConfig)
    dataset: DatasetConfig
    rubric: Union[str, dict[str, Any]]
    reward_mode: Literal["criteria", "total"] = "criteria"
    cold_start: ColdStartConfig | None = None
    environment: EnvironmentConfig | None = None
    trl: dict[str, Any] = Field(default_factory=dict)
    seed: int = 0
    output_dir: str = "runs/train"
    executor: Literal["local", "ray"] | None = Field(
        None, description="where the rubric's CPU-bound rewards run (default: the rubric's)")
    workers: int | None = Field(None, ge=1, description="worker processes for CPU-bound "
                                "rewards (default: the rubric's)")
    health: HealthConfig = Field(default_factory=HealthConfig,
                                 description="the reward-health monitor (rewardkit.health)")


def set_key(data: dict[str, Any], assignment: str) -> None:
    """Apply one ``--set a.b.c=value`` (value parsed as YAML) to `data` in place."""
    key, value = parse_assignment(assignment, "--set", "trl.max_steps=50")
    parts = key.split(".")
    node = data
    for i, part in enumerate(parts[:-1]):
        child = node.get(part)
        if child is None:
            child = node[part] = {}
        if not isinstance(child, dict):
            raise ConfigError(f"--set {key}: '{'.'.join(parts[:i + 1])}' is not a mapping")
        node = child
    node[parts[-1]] = value


def check_keys(config_cls: type, data: dict[str, Any], where: str) -> None:
    """Fail, naming the key, when `data` has a key `config_cls` does not accept."""
    fields = [f.name for f in dataclasses.fields(config_cls) if f.init]
    for key in data:
        if key not in fields:
            raise ConfigError(f"TRL's {config_cls.__name__}: "
                              f"{unknown_key(f'{where}.{key}', fields)}")


def build_trl_config(config_cls: type, data: dict[str, Any], where: str) -> Any:
    """``config_cls(**data)``; TRL's validation errors are re-raised naming `where`."""
    check_keys(config_cls, data, where)
    try:
        return config_cls(**data)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{where}: TRL rejected the settings: {exc}") from None


def load_config(path: str | Path | None = None, overrides: list[str] | None = None,
                data: dict[str, Any] | None = None) -> TrainConfig:
    """Read a YAML file (or `data`), apply ``--set`` overrides and validate the structure."""
    if data is None:
        if path is None:
            raise ConfigError("load_config needs a path or data")
        data = load_yaml(path, "train config")
    if not isinstance(data, dict):
        raise ConfigError(f"{path or 'config'}: a train config is a mapping with model, "
                          "dataset, rubric and trl keys")
    data = yaml.safe_load(yaml.safe_dump(data))  # a deep copy
    for assignment in overrides or []:
        set_key(data, assignment)
    base = Path(path).parent if path is not None else Path(".")
    config = validate_config(TrainConfig, data, str(path or "config"))
    return _resolve_paths(config, base)


def _resolve_paths(config: TrainConfig, base: Path) -> TrainConfig:
    """Relative data and rubric paths are read relative to the config file, when they exist there."""

    def resolve(value: str | None) -> str | None:
        if value is None or Path(value).is_absolute() or Path(value).exists():
            return value
        candidate = base / value
        return str(candidate) if candidate.exists() else value

    config.dataset.path = resolve(config.dataset.path)
    if config.cold_start is not None:
        config.cold_start.path = resolve(config.cold_start.path)
    if isinstance(config.rubric, str):
        config.rubric = resolve(config.rubric) or config.rubric
    for canary in config.health.canaries:
        canary.path = resolve(canary.path) or canary.path
    return config
