"""GRPO with the sandbox's Python tool: calls run in the sandbox, results go back into the
conversation, rewards see the final answer (tiny model, Docker).

A random tiny model would never write a well-formed tool call, and teaching it one takes
minutes of SFT, so its decoding is scripted instead: a logits processor makes it write
the tool call ``6*7`` in its first turn and, once a tool response is in its context, the
answer the tool printed. Everything else is real: TRL's generation loop and response
parser, the environment, the sandbox, the rubric and the GRPO update.
"""

from __future__ import annotations

import json

import pytest

pytest.importorskip("trl")

from rewardkit.train import load_config, runner, train
from tests.e2e import tool_rewards
from tests.sandbox.conftest import docker_client, sandbox_image  # noqa: F401

pytestmark = pytest.mark.docker

def write(path, rows):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return str(path)


class Script:
    """A logits processor forcing a tool call, then (after a tool response) the answer."""

    def __init__(self, tokenizer, start):
        self.start = start
        def encode(text):
            return tokenizer(text, add_special_tokens=False)["input_ids"]

        self.call = encode('<tool_call>\n{"name": "run_python", "arguments": {"code": "6*7"}}'
                           '\n</tool_call><|im_end|>')
        self.answer = encode("<answer>42</answer><|im_end|>")
        self.response = tokenizer.convert_tokens_to_ids("<tool_response>")
        self.end = tokenizer.eos_token_id

    def __call__(self, input_ids, scores):
        import torch

        forced = torch.full_like(scores, float("-inf"))
        done = input_ids.shape[1] - self.start
        for row in range(input_ids.shape[0]):
            script = self.answer if (input_ids[row] == self.response).any() else self.call
            forced[row, script[done] if done < len(script) else self.end] = 0.0
        return forced


def scripted(load_model):
    def load(config):
        from transformers import LogitsProcessorList

        model, tokenizer = load_model(config)
        generate = model.generate

        def scripted_generate(*args, **kwargs):
            start = kwargs["input_ids"].shape[1]
            kwargs["logits_processor"] = LogitsProcessorList([Script(tokenizer, start)])
            return generate(*args, **kwargs)

        model.generate = scripted_generate
        return model, tokenizer

    return load


@pytest.fixture
def run(tmp_path, sandbox_image, monkeypatch):  # noqa: F811 - the imported fixture
    monkeypatch.setattr(runner, "load_model", scripted(runner.load_model))
    prompts = write(tmp_path / "train.jsonl", [{"prompt": "6*7", "reference": "42"}] * 8)
    config = {
        "seed": 0,
        "model": {"name": "tiny", "tiny": {"hidden_size": 32, "layers": 1, "heads": 2,
                                           "intermediate_size": 64, "chat": True}},
        "dataset": {"path": prompts},
        "environment": {"factory": "python", "params": {"timeout": 5, "max_calls": 1,
                                                        "sessions": 4}},
        "rubric": {"workers": 1, "criteria": [
            {"reward": "tests.e2e.tool_rewards:seen", "name": "seen", "weight": 1.0},
            {"reward": "math", "weight": 1.0, "params": {"answer_from": "answer_tag"}},
            {"reward": "tool_use", "weight": 0.0}]},
        "trl": {"max_steps": 2, "per_device_train_batch_size": 4, "num_generations": 2,
                "max_completion_length": 96, "max_tool_calling_iterations": 1,
                "learning_rate": 1e-5, "logging_steps": 1, "save_strategy": "no"},
    }
    tool_rewards.SEEN.clear()
    return train(load_config(data=config), tmp_path / "out", progress=False)


def test_tool_calls_run_in_the_sandbox_and_rewards_see_the_final_answer(run):
    samples = tool_rewards.SEEN
    assert len(samples) == 8  # 2 steps x 4 rollouts
    for sample in samples:
        turns = sample.completion
        calls = turns[0]["tool_calls"]
        assert calls[0]["function"] == {"name": "run_python", "arguments": {"code": "6*7"}}
        # the sandbox ran the code, and its output went back into the conversation
        assert turns[1] == {"role": "tool", "name": "run_python", "content": "[ok]\n42\n"}
        assert sample.metadata["tool_calls"][0]["status"] == "ok"
        # the rewards read the final turn
        assert sample.final_text == "<answer>42</answer>"
    rows = run.rows
    assert all(row["rewards/seen"] == 1.0 and row["rewards/math"] == 1.0 for row in rows)
    assert all(row["tools/calls"] == 1.0 and row["tools/success_rate"] == 1.0 for row in rows)
