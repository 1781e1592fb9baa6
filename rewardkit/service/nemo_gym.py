"""NeMo-Gym's resources-server verify protocol (``POST /verify``).

A NeMo-Gym agent posts the task row it ran, plus the model's Responses-API reply::

    {"responses_create_params": {"input": [{"role": "user", "content": "What is 2+2?"}]},
     "response": {"output": [{"type": "reasoning", "summary": [{"text": "..."}]},
                             {"type": "message", "role": "assistant",
                              "content": [{"type": "output_text", "text": "4"}]}]},
     "expected_answer": "4", ...task fields...}

and reads back the same body plus ``reward`` (a number) and, for several objectives,
``reward_components`` (one number per objective).

* The prompt is ``responses_create_params.input`` (text or messages); the completion is
  the output items as chat messages: ``message`` text, ``reasoning`` in
  ``reasoning_content`` (so ``format`` sees the think block), ``function_call`` as tool
  calls and ``function_call_output`` as tool messages.
* The reference is the first task field among ``expected_answer``, ``ground_truth``,
  ``answer``, ``reference``, ``label`` and ``solution``; the other task fields are metadata.
* ``reward`` is the rubric total and ``reward_components`` each criterion's value; a
  ``None`` is sent as ``0.0`` (NeMo-Gym needs numbers) and flagged under ``rewardkit``
  (``total``, ``gated``, ``statuses``), which NeMo-Gym passes through.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from rewardkit.types import Sample

REFERENCE_FIELDS = ("expected_answer", "ground_truth", "answer", "reference", "label",
                    "solution")


class VerifyRequest(BaseModel):
    """``POST /verify``: the task row (extra fields kept) and the model's response."""

    model_config = ConfigDict(extra="allow")

    responses_create_params: dict[str, Any] = Field(default_factory=dict)
    response: dict[str, Any]


def _text(parts: Any) -> str:
    if isinstance(parts, str):
        return parts
    if isinstance(parts, list):
        return "".join(str(p.get("text", "")) for p in parts if isinstance(p, dict))
    return ""


def _prompt(params: dict[str, Any]) -> Any:
    given = params.get("input", "")
    if isinstance(given, str):
        return given
    return [{"role": m.get("role", "user"), "content": _text(m.get("content", ""))}
            for m in given if isinstance(m, dict) and m.get("type", "message") == "message"]


def completion_messages(output: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Responses-API output items as chat messages (see the module docstring)."""
    messages: list[dict[str, Any]] = []
    reasoning: list[str] = []
    calls: list[dict[str, Any]] = []

    def flush(content: str = "") -> None:
        nonlocal reasoning, calls
        if not (content or reasoning or calls):
            return
        message: dict[str, Any] = {"role": "assistant", "content": content}
        if reasoning:
            message["reasoning_content"] = "\n".join(reasoning)
        if calls:
            message["tool_calls"] = calls
        messages.append(message)
        reasoning, calls = [], []

    for item in output:
        kind = item.get("type")
        if kind == "reasoning":
            reasoning.append(_text(item.get("summary")) or _text(item.get("content")))
        elif kind == "function_call":
            arguments = item.get("arguments", "{}")
            try:
                arguments = json.loads(arguments) if isinstance(arguments, str) else arguments
            except json.JSONDecodeError:
                pass  # kept as the text the model wrote
            calls.append({"type": "function",
                          "function": {"name": item.get("name"), "arguments": arguments}})
        elif kind == "function_call_output":
            flush()
            messages.append({"role": "tool", "content": _text(item.get("output"))})
        elif kind == "message" and item.get("role", "assistant") == "assistant":
            flush(_text(item.get("content")))
    flush()
    return messages


def to_sample(body: VerifyRequest) -> Sample:
    task = dict(body.model_extra or {})
    field = next((name for name in REFERENCE_FIELDS if name in task), None)
    reference = task.pop(field) if field else None
    output = body.response.get("output") or []
    return Sample(completion_messages(output), _prompt(body.responses_create_params),
                  reference, task)


def verify_payload(body: VerifyRequest, row: Any) -> dict[str, Any]:
    """The request echoed back with ``reward``, ``reward_components`` and ``rewardkit``."""
    components = {name: 0.0 if s.value is None else s.value for name, s in row.components.items()}
    return {**body.model_dump(), "reward": 0.0 if row.total is None else row.total,
            "reward_components": components,
            "rewardkit": {"total": row.total, "gated": row.gated,
                          "statuses": {n: s.status.value for n, s in row.components.items()}}}


def register(app: Any, score: Callable[[list[Sample]], Awaitable[Any]], reply: Any,
             dependencies: list[Any]) -> None:
    """Add ``POST /verify`` to `app`; `score` runs admitted samples through the rubric."""

    @app.post("/verify", dependencies=dependencies)
    async def verify(body: VerifyRequest) -> Any:
        """NeMo-Gym's resources-server verify: the body back with reward(s)."""
        result = await score([to_sample(body)])
        return reply(verify_payload(body, result.rows[0]))
