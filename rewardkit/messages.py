"""Chat messages back to the text the model generated: reasoning, content and tool calls.

TRL (1.16) decodes a conversational completion with ``parse_response`` whenever the
tokenizer has a response template or schema (set up automatically when ``tools`` are
used). The parser moves the think block out of the text: it arrives in
``reasoning_content`` (``thinking`` in some families), tool calls in ``tool_calls``, and
``content`` holds only what came after them. A reward that reads text would then find no
``<think>`` block. `message_text` puts the parts back where the chat templates write them:

>>> message_text({"role": "assistant", "content": "<answer>4</answer>",
...               "reasoning_content": "2+2"})
'<think>\\n2+2\\n</think>\\n<answer>4</answer>'
>>> message_text({"role": "assistant", "content": "",
...               "tool_calls": [{"type": "function",
...                               "function": {"name": "add", "arguments": {"a": 2}}}]})
'<tool_call>\\n{"name": "add", "arguments": {"a": 2}}\\n</tool_call>'

A reasoning of ``None`` (or no key) means the model wrote no think block; an empty string
means it wrote an empty one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

Message = Mapping[str, Any]

REASONING_KEYS = ("reasoning_content", "thinking", "reasoning")
THINK_TAG = "think"
TOOL_CALL_TAG = "tool_call"


def content_text(message: Message) -> str:
    """A message's ``content`` as text (the text parts of multimodal content)."""
    content = message.get("content")
    if content is None:
        return ""
    if isinstance(content, list):
        return "".join(str(p.get("text", "")) for p in content if isinstance(p, Mapping))
    return str(content)


def reasoning_text(message: Message) -> str | None:
    """The reasoning a response parser took out of the text, or None when there is none."""
    for key in REASONING_KEYS:
        value = message.get(key)
        if isinstance(value, str):
            return value
    return None


def _tool_call_json(call: Any) -> str:
    if isinstance(call, Mapping) and isinstance(call.get("function"), Mapping):
        call = call["function"]
    if isinstance(call, Mapping):
        call = {"name": call.get("name"), "arguments": call.get("arguments", {})}
    return json.dumps(call, ensure_ascii=False, default=str)


def tool_calls_text(message: Message) -> str:
    """Each of a message's tool calls as ``<tool_call>{"name", "arguments"}</tool_call>``."""
    calls = message.get("tool_calls") or []
    return "\n".join(f"<{TOOL_CALL_TAG}>\n{_tool_call_json(c)}\n</{TOOL_CALL_TAG}>"
                     for c in calls)


def message_text(message: Message) -> str:
    """One message as generated text: ``<think>`` reasoning, content, then tool calls."""
    parts = []
    reasoning = reasoning_text(message)
    if reasoning is not None:
        parts.append(f"<{THINK_TAG}>\n{reasoning.strip()}\n</{THINK_TAG}>")
    content = content_text(message)
    if content:
        parts.append(content)
    calls = tool_calls_text(message)
    if calls:
        parts.append(calls)
    return "\n".join(parts)


def assistant_turns(messages: Sequence[Message]) -> list[Message]:
    """The assistant messages (every message when none names a role)."""
    turns = [m for m in messages if m.get("role", "assistant") == "assistant"]
    return turns or list(messages)


def joined_text(messages: Sequence[Message]) -> str:
    """Messages as text, one after another (each through `message_text`)."""
    return "\n".join(message_text(m) for m in messages)


def prose_text(completion: str | Sequence[Message]) -> str:
    """What the model wrote in words: each assistant turn's reasoning and content, without
    its tool calls (code and JSON are not prose); text completions are returned as is."""
    if isinstance(completion, str):
        return completion
    return joined_text([{**m, "tool_calls": None} for m in assistant_turns(completion)])


def final_answer_text(completion: str | Sequence[Message]) -> str:
    """Where a final answer can be: the last assistant turn's reasoning and content.

    Its tool calls are left out: a trajectory that ends with a tool call (cut off, or out
    of turns) has no final answer, and the code it sent is not one.
    """
    if isinstance(completion, str):
        return completion
    turns = assistant_turns(completion)
    return message_text({**turns[-1], "tool_calls": None}) if turns else ""
