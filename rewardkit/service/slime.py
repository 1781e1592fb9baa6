"""slime's (and miles') remote reward model protocol (``--rm-type remote_rm``).

slime posts one sample per request, ``{"prompt", "response", "label"}`` to ``--rm-url``,
and takes the JSON reply as the sample's reward: a number, or a dict from which
``--reward-key`` picks one.

* ``POST /remote_rm`` answers the rubric total as a bare number; a ``None`` total (no
  weighted criterion produced a value) is sent as ``0.0``, since slime needs a number.
* ``POST /remote_rm/dict`` answers ``{"reward": <number>, "total": <number or null>,
  "gated": bool, "<criterion>": <value or null>, "statuses": {<criterion>: status}}``;
  run slime with ``--reward-key reward``.

``prompt`` is text or chat messages; ``label`` becomes the reference (a missing label is
never compared as text); extra keys (``metadata``) become metadata.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from rewardkit.types import Sample

Text = str | list[dict[str, Any]]


class RemoteRMRequest(BaseModel):
    """One slime sample; keys newer slime versions add are kept as metadata."""

    model_config = ConfigDict(extra="allow")

    prompt: Text = ""
    response: str
    label: Any = None
    metadata: dict[str, Any] = Field(default_factory=dict)

    def to_sample(self) -> Sample:
        extra = dict(self.model_extra or {})
        return Sample(self.response, self.prompt, self.label, {**self.metadata, **extra})


def reward(row: Any) -> float:
    return 0.0 if row.total is None else float(row.total)


def reward_dict(row: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"reward": reward(row), "total": row.total, "gated": row.gated}
    out.update({name: score.value for name, score in row.components.items()})
    out["statuses"] = {name: score.status.value for name, score in row.components.items()}
    return out


def register(app: Any, score: Callable[[list[Sample]], Awaitable[Any]], reply: Any,
             dependencies: list[Any]) -> None:
    """Add the slime endpoints to `app`; `score` runs admitted samples through the rubric."""

    @app.post("/remote_rm", dependencies=dependencies)
    async def remote_rm(body: RemoteRMRequest) -> Any:
        """slime's remote_rm: the reward as a number."""
        result = await score([body.to_sample()])
        return reply(reward(result.rows[0]))

    @app.post("/remote_rm/dict", dependencies=dependencies)
    async def remote_rm_dict(body: RemoteRMRequest) -> Any:
        """slime's remote_rm with ``--reward-key reward``: the reward and its parts."""
        result = await score([body.to_sample()])
        return reply(reward_dict(result.rows[0]))
