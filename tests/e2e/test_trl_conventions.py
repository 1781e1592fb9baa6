"""Issue 14.5: TRL 1.16's own GRPOTrainer, on the tiny model, with a chat template whose
response parser moves the think block into ``reasoning_content`` and tool calls into
``tool_calls``. The rubric (format as a gate, then correctness) must see the answer.

The tiny model is random, so its generation is scripted with ``sequence_bias`` (a
standard `transformers` generation option passed through ``GRPOConfig.generation_kwargs``):
after a given context, each next token of a target text gets a large bias. Everything
else (chat template, response parsing, the tool loop, reward calls) is TRL's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

trl = pytest.importorskip("trl")
pytest.importorskip("datasets")

from rewardkit import Rubric, criterion  # noqa: E402
from rewardkit.trl import to_trl  # noqa: E402

pytestmark = pytest.mark.slow
QUESTION = "What is 2+2?"
TURN = "<|im_end|>\n<|im_start|>assistant\n"  # how the Qwen3 template opens a reply


def add(a: int, b: int) -> int:
    """Add two integers.

    Args:
        a: The first integer.
        b: The second integer.
    """
    return a + b


def scripted(tokenizer, after: str, text: str) -> dict[tuple[int, ...], float]:
    """A ``sequence_bias`` that makes the model write `text` (then EOS) after `after`."""
    context = tokenizer(after, add_special_tokens=False)["input_ids"][-40:]
    target = tokenizer(text, add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id]
    assert tokenizer.unk_token_id not in target, text
    return {tuple(context + target[:k + 1]): 100.0 for k in range(len(target))}


def train_one_step(bias, tools=None, response_template=False):
    """One GRPO step; returns (the completions the reward functions saw, the logged row)."""
    from datasets import Dataset
    from trl import GRPOConfig, GRPOTrainer
    from trl.chat_template_utils import add_response_schema

    from rewardkit.train.tiny import TinyModelConfig, build_model

    model, tokenizer = build_model(TinyModelConfig(max_position_embeddings=1024))
    template = Path(trl.__file__).parent / "chat_templates" / "qwen3.jinja"
    tokenizer.chat_template = template.read_text(encoding="utf-8")
    if response_template:
        add_response_schema(tokenizer)  # what a tokenizer that ships a response template has
    bias = bias(tokenizer)
    rubric = Rubric([criterion("format", weight=0.2, gate=True),
                     criterion("tests.e2e.toy_rewards:exact", name="exact", weight=1.0)])
    funcs, weights = to_trl(rubric)
    seen = []

    def spy(prompts, completions, **kwargs):
        seen.extend(completions)
        return [0.0] * len(completions)

    data = Dataset.from_list([{"prompt": [{"role": "user", "content": QUESTION}],
                               "solution": "4"}] * 2)  # TRL's column name for the reference
    args = GRPOConfig(output_dir=None, max_steps=1, per_device_train_batch_size=2,
                      num_generations=2, max_completion_length=200, logging_steps=1,
                      save_strategy="no", report_to=[], use_cpu=True,
                      generation_kwargs={"sequence_bias": bias},
                      reward_weights=[*weights, 0.0])
    trainer = GRPOTrainer(model=model, processing_class=tokenizer, reward_funcs=[*funcs, spy],
                          args=args, train_dataset=data, tools=tools)
    try:
        trainer.train()
    finally:
        rubric.close()
    return seen, trainer.state.log_history[0]


def test_reasoning_content_from_a_response_template_passes_the_format_gate(tmp_path,
                                                                            monkeypatch):
    monkeypatch.chdir(tmp_path)
    seen, logged = train_one_step(
        lambda tok: scripted(tok, QUESTION + TURN, "<think>2 and 2 make 4</think>\n"
                                                   "<answer>4</answer>"),
        response_template=True)
    assert seen[0] == [{"role": "assistant", "reasoning_content": "2 and 2 make 4",
                        "content": "<answer>4</answer>"}]
    assert logged["rewards/format/mean"] == 1.0  # not "missing <think> block"
    assert logged["rewardkit/gated"] == 0.0
    assert logged["rewards/exact/mean"] == 1.0 and logged["reward"] == pytest.approx(1.2)


def test_a_tool_calling_completion_passes_the_format_gate_on_its_final_turn(tmp_path,
                                                                           monkeypatch):
    monkeypatch.chdir(tmp_path)
    call = '<think>use the tool</think>\n<tool_call>\n{"name": "add", "arguments": ' \
           '{"a": 2, "b": 2}}\n</tool_call>'
    seen, logged = train_one_step(
        lambda tok: {**scripted(tok, QUESTION + TURN, call),
                     **scripted(tok, "</tool_response>" + TURN,
                                "<think>the tool said 4</think>\n<answer>4</answer>")},
        tools=[add])
    roles = [m["role"] for m in seen[0]]
    assert roles == ["assistant", "tool", "assistant"]
    assert seen[0][0]["tool_calls"][0]["function"]["name"] == "add"
    assert seen[0][2]["reasoning_content"] == "the tool said 4"
    assert logged["tools/call_frequency"] == 1.0
    assert logged["rewards/format/mean"] == 1.0 and logged["rewardkit/gated"] == 0.0
    assert logged["rewards/exact/mean"] == 1.0
