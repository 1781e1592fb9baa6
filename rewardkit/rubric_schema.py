"""What a rubric file and a criterion may say: the pydantic models, checked in one place.

`criterion()` in Python and a ``criteria:`` line in YAML are validated by the same
`CriterionOptions`, so both accept and reject exactly the same values.
"""

from __future__ import annotations

from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

from rewardkit.executors import ExecutorConfig

OnError = Union[Literal["raise", "none"], float]


class CriterionOptions(BaseModel):
    """How a criterion counts: checked the same way from YAML and from `criterion()`."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    weight: float = 1.0
    gate: bool = False
    gate_threshold: float = 0.5
    on_error: OnError = "none"
    timeout: float | None = Field(None, gt=0, description="seconds per sample")
    resources: dict[str, float] | None = Field(
        None, description="what each task of a CPU-bound reward requests from the executor, "
        "e.g. {num_cpus: 2} on Ray")


class CriterionConfig(CriterionOptions):
    """One rubric line, as written in YAML."""

    reward: str = Field(description="registered name, plugin:name, or package.module:function")
    name: str | None = Field(None, description="unique criterion name (default: the reward's)")
    params: dict[str, Any] = Field(default_factory=dict)


class RubricConfig(BaseModel):
    """A rubric file: criteria plus engine settings."""

    model_config = ConfigDict(extra="forbid")

    criteria: list[CriterionConfig] = Field(min_length=1)
    workers: int | None = Field(None, ge=1, description="worker processes for CPU-bound rewards")
    concurrency: int = Field(32, ge=1, description="concurrent samples for I/O-bound rewards")
    cache: Union[bool, str] = Field(False, description="true (in memory) or a SQLite path")
    executor: Union[Literal["local", "ray"], ExecutorConfig] = Field(
        "local", description="where CPU-bound rewards run")
