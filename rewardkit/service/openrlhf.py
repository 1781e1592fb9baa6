"""OpenRLHF's remote reward model protocol (``--remote_rm_url http://host:port/get_reward``).

OpenRLHF posts ``{"query": [prompt + response, ...], "prompts": [...], "labels": [...]}``
(older versions send ``query`` only) and reads ``rewards`` (the RL reward), ``scores``
(used for dynamic filtering) and ``extra_logs`` (each key a list of numbers, one per
sample, averaged into its logs).

* The completion is the query minus its prompt prefix. When the query does not start
  with the prompt (a tokenizer round trip changed it), the text after the prompt's first
  occurrence is used; when the prompt does not occur at all, the whole query is scored and
  ``prompt_not_prefix`` is 1 for that sample.
* OpenRLHF needs a number for every sample, so a ``None`` total (no weighted criterion
  produced a value) is sent as ``0.0`` and flagged in ``extra_logs["total_missing"]``;
  ``extra_logs["<criterion>_failed"]`` is 1 where that criterion erred or timed out.
  The exact values and statuses are in the extra top-level keys ``totals`` (``null``
  kept) and ``statuses``, which OpenRLHF ignores.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from rewardkit.types import Sample, Status

FAILED = (Status.ERROR, Status.TIMEOUT)


class RewardRequest(BaseModel):
    """``POST /get_reward``; unknown keys (added by newer OpenRLHF versions) are ignored."""

    model_config = ConfigDict(extra="ignore")

    query: list[str]
    prompts: list[str] | None = None
    labels: list[Any] | None = None

    @model_validator(mode="after")
    def _same_lengths(self) -> "RewardRequest":
        for key in ("prompts", "labels"):
            values = getattr(self, key)
            if values is not None and len(values) != len(self.query):
                raise ValueError(f"'{key}' has {len(values)} entries but 'query' has "
                                 f"{len(self.query)}; send one per query")
        return self


def split_query(query: str, prompt: str) -> tuple[str, bool]:
    """``(completion, prompt_found)``: the query with its prompt prefix removed."""
    if query.startswith(prompt):
        return query[len(prompt):], True
    at = query.find(prompt)
    if prompt and at >= 0:
        return query[at + len(prompt):], True
    return query, False


def to_samples(request: RewardRequest) -> tuple[list[Sample], list[bool]]:
    """Samples for the rubric, plus whether each query started with (or held) its prompt."""
    samples, found = [], []
    for i, query in enumerate(request.query):
        prompt = request.prompts[i] if request.prompts is not None else ""
        completion, ok = split_query(query, prompt)
        reference = request.labels[i] if request.labels is not None else None
        samples.append(Sample(completion, prompt, reference))
        found.append(ok)
    return samples, found


def reward_payload(result: Any, prompt_found: list[bool]) -> dict[str, Any]:
    """The ``/get_reward`` response for a `RubricResult`."""
    totals = result.totals
    rewards = [0.0 if t is None else t for t in totals]
    extra_logs: dict[str, list[float]] = {}
    statuses: dict[str, list[str]] = {}
    for name in result.criteria:
        scores = result.component(name)
        extra_logs[name] = [0.0 if s.value is None else s.value for s in scores]
        extra_logs[f"{name}_failed"] = [float(s.status in FAILED) for s in scores]
        statuses[name] = [s.status.value for s in scores]
    extra_logs["total_missing"] = [float(t is None) for t in totals]
    extra_logs["prompt_not_prefix"] = [float(not ok) for ok in prompt_found]
    return {"rewards": rewards, "scores": list(rewards), "extra_logs": extra_logs,
            "totals": totals, "statuses": statuses}
