"""What the service reads and writes: request models and the native response payload.

A native request is ``{"samples": [{"completion", "prompt"?, "reference"?, "metadata"?}]}``
(prompt and completion are text or chat messages). The response has one result per
sample, in order, plus a batch summary::

    {"criteria": ["math", "format"],
     "results": [{"total": 1.0, "gated": false,
                  "components": {"math": {"value": 1.0, "status": "ok", "info": {...}}, ...}}],
     "summary": {"math": {"n": 1, "mean": 1.0, "std": 0.0, "ok": 1, "error": 0, ...},
                 "total": {...}}}

A ``total`` of ``null`` means no weighted criterion produced a value (every one erred,
timed out or did not apply): it never means 0.
"""

from __future__ import annotations

import json
import math
from typing import Any, Union

from pydantic import BaseModel, ConfigDict, Field

from rewardkit.types import Sample

Text = Union[str, list[dict[str, Any]]]


class SampleIn(BaseModel):
    """One sample to score; dataset columns go under `metadata`."""

    model_config = ConfigDict(extra="forbid")

    completion: Text
    prompt: Text = ""
    reference: Any = None
    metadata: dict[str, Any] = Field(default_factory=dict)

    def to_sample(self) -> Sample:
        return Sample(self.completion, self.prompt, self.reference, self.metadata)


class ScoreRequest(BaseModel):
    """``POST /v1/score``: a batch of samples."""

    model_config = ConfigDict(extra="forbid")

    samples: list[SampleIn]


def score_payload(result: Any) -> dict[str, Any]:
    """The native response for a `RubricResult`."""
    return {"criteria": list(result.criteria),
            "results": [row.to_dict() for row in result.rows],
            "summary": {name: stats.to_dict() for name, stats in result.summary.items()}}


def to_json(payload: Any) -> bytes:
    """JSON bytes for a payload; values JSON cannot hold become strings or null."""
    try:
        return json.dumps(payload, default=str, allow_nan=False).encode()
    except ValueError:  # an infinite float somewhere (in an info dict, most likely)
        return json.dumps(_finite(payload), default=str).encode()


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value
