"""`executor:` settings: which executor runs process and per-node rewards, and how."""

from __future__ import annotations

from typing import Any, Literal, Mapping, Union

from pydantic import BaseModel, ConfigDict, Field

from rewardkit.errors import ConfigError


class ExecutorConfig(BaseModel):
    """`executor:` in a rubric file: ``local`` (default) or ``ray`` with its settings."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["local", "ray"] = "local"
    address: str | None = Field(None, description="Ray cluster address (None: start or join "
                                "a local one)")
    num_cpus: float = Field(1.0, gt=0, description="CPUs each Ray task requests, unless the "
                            "criterion's `resources` says otherwise")
    max_in_flight: int | None = Field(None, ge=1, description="back-pressure: most Ray tasks "
                                      "outstanding at once (default: twice the actors)")
    chunk_size: int | None = Field(None, ge=1, description="samples per Ray task (default: "
                                   "enough for about four tasks per actor, at most 64)")
    actors: int | None = Field(None, ge=1, description="scoring actors per resource shape "
                               "(default: the rubric's `workers`, else as many as the free "
                               "cluster resources hold)")
    startup_timeout: float = Field(120.0, gt=0, description="seconds to wait for the first "
                                   "scoring actor to be scheduled before giving up")
    node_concurrency: int = Field(32, ge=1, description="samples scored at once on each node "
                                  "by an I/O-bound reward run per node (map_per_node)")


EXECUTOR_KINDS = ("local", "ray")  # = ExecutorConfig.kind's choices = the CLI's ExecutorKind


def check_executor_kind(kind: str | None, what: str = "--executor") -> str | None:
    """`kind` when it names an executor (or is None); else a `ConfigError` naming `what`."""
    if kind is not None and kind not in EXECUTOR_KINDS:
        raise ConfigError(f"{what} must be {' or '.join(repr(k) for k in EXECUTOR_KINDS)}, "
                          f"not '{kind}'")
    return kind


ExecutorSpec = Union[Literal["local", "ray"], ExecutorConfig, Mapping[str, Any], None]


def executor_config(spec: ExecutorSpec) -> ExecutorConfig:
    """The `ExecutorConfig` a spec (``"ray"``, a mapping, a config or None) stands for."""
    if spec is None:
        return ExecutorConfig()
    if isinstance(spec, ExecutorConfig):
        return spec
    if isinstance(spec, str):
        return ExecutorConfig(kind=spec)
    return ExecutorConfig.model_validate(dict(spec))
