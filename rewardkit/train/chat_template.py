"""A compact tool-calling chat template for the tiny model, parsed by TRL's Qwen3 parser.

ChatML turns (``<|im_start|>role ... <|im_end|>``) and Qwen3's tool-call syntax::

    <|im_start|>assistant
    <tool_call>
    {"name": "run_python", "arguments": {"code": "print(2 ** 64)"}}
    </tool_call><|im_end|>
    <|im_start|>user
    <tool_response>
    [ok]
    18446744073709551616
    </tool_response><|im_end|>

so the response template TRL ships for Qwen3 (``trl.chat_template_utils.qwen3_template``)
parses completions into ``content`` / ``reasoning_content`` / ``tool_calls``. Unlike
Qwen3's template, the tool list is one short line (``tools: run_python(code)``) instead of
a JSON schema and instructions: the tiny model's prompt stays a few dozen tokens. Assistant
turns are wrapped in ``{% generation %}`` so SFT can train on them only
(``assistant_only_loss: true``).
"""

from __future__ import annotations

from typing import Any

END = "<|im_end|>"
MARKERS = ("<|im_start|>", END, "<tool_call>", "</tool_call>", "<tool_response>",
           "</tool_response>")

TEMPLATE = """\
{%- if tools or messages[0].role == 'system' %}
    {{- '<|im_start|>system\\n' }}
    {%- if messages[0].role == 'system' %}
        {{- messages[0].content + ('\\n' if tools else '') }}
    {%- endif %}
    {%- if tools %}
        {{- 'tools: ' }}
        {%- for tool in tools %}
            {%- set f = tool.function or tool %}
            {{- f.name + '(' + ((f.parameters.properties or {}) | list | join(', ')) + ')' }}
            {{- ', ' if not loop.last else '' }}
        {%- endfor %}
    {%- endif %}
    {{- '<|im_end|>\\n' }}
{%- endif %}
{%- for message in messages %}
    {%- if message.role == 'user' %}
        {{- '<|im_start|>user\\n' + message.content + '<|im_end|>\\n' }}
    {%- elif message.role == 'assistant' %}
        {{- '<|im_start|>assistant\\n' }}
        {%- generation %}
            {%- if message.reasoning_content is string %}
                {{- '<think>\\n' + message.reasoning_content + '\\n</think>\\n\\n' }}
            {%- endif %}
            {{- message.content or '' }}
            {%- for call in message.tool_calls or [] %}
                {%- set f = call.function or call %}
                {{- '\\n' if loop.first and message.content else '' }}
                {{- '<tool_call>\\n{"name": "' + f.name + '", "arguments": ' }}
                {{- f.arguments if f.arguments is string else f.arguments | tojson }}
                {{- '}\\n</tool_call>' }}
            {%- endfor %}
            {{- '<|im_end|>' }}
        {%- endgeneration %}
        {{- '\\n' }}
    {%- elif message.role == 'tool' %}
        {%- if loop.first or messages[loop.index0 - 1].role != 'tool' %}
            {{- '<|im_start|>user' }}
        {%- endif %}
        {{- '\\n<tool_response>\\n' + message.content + '\\n</tool_response>' }}
        {%- if loop.last or messages[loop.index0 + 1].role != 'tool' %}
            {{- '<|im_end|>\\n' }}
        {%- endif %}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\\n' }}
{%- endif %}
"""


def install(tokenizer: Any) -> Any:
    """Give `tokenizer` the template and TRL's Qwen3 response template (or legacy schema)."""
    from trl.chat_template_utils import (
        _SUPPORTS_RESPONSE_TEMPLATE,
        qwen3_schema,
        qwen3_template,
    )

    tokenizer.chat_template = TEMPLATE
    if _SUPPORTS_RESPONSE_TEMPLATE:
        tokenizer.response_template = qwen3_template
    else:
        tokenizer.response_schema = qwen3_schema
    return tokenizer
