"""Health monitor settings: the ``health:`` block of a train config, or keyword arguments.

Thresholds apply to the values logged at each logging step (TRL's mean over the step's
batches); a condition must hold for `patience` consecutive logs before it alerts.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

AlertKind = Literal["errors", "unverifiable", "not_applicable", "no_signal", "length",
                    "disagreement", "canary"]


class CanaryFile(BaseModel):
    """A bench case file of known hacks (`expected: false`) and known-good samples."""

    model_config = ConfigDict(extra="forbid")

    path: str
    criterion: str | None = Field(None, description="the criterion a canary must pass or fail "
                                  "(default: the rubric total); a row's own 'criterion' wins")


class HealthConfig(BaseModel):
    """What the monitor watches, when it alerts, and what stops training."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    canaries: list[CanaryFile] = Field(default_factory=list)
    canary_every: int = Field(10, ge=1, description="steps between canary checks")
    canary_threshold: float = Field(0.5, description="a canary passes at this value or above")
    patience: int = Field(2, ge=1, description="consecutive logs a condition must hold")
    baseline_logs: int = Field(3, ge=1, description="first logs that define 'normal'")
    error_rate: float = Field(0.2, gt=0, le=1, description="error + timeout share that alerts")
    unverifiable_rate: float = Field(0.5, gt=0, le=1)
    not_applicable_rise: float = Field(0.5, gt=0, le=1, description="rise over the baseline")
    flat_groups: float = Field(0.95, gt=0, le=1, description="zero-variance group share that "
                               "alerts when every completion also got the same total")
    length_drift: float = Field(0.5, gt=0, description="relative growth of the mean length "
                                "(0.5: 50 % longer than at the start)")
    length_corr: float = Field(0.5, gt=0, le=1, description="reward-length correlation")
    disagreement_rise: float = Field(0.3, gt=0, le=1, description="rise of the rule-judge "
                                     "disagreement rate over the baseline")
    stop_on: list[AlertKind] = Field(default_factory=list, description="alert kinds that stop "
                                     "training (e.g. [errors, canary])")
