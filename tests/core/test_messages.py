"""Chat messages as TRL 1.16's `parse_response` hands them over, back to generated text."""

from rewardkit import Sample
from rewardkit.messages import message_text, reasoning_text

CALL = {"type": "function", "function": {"name": "add", "arguments": {"a": 2, "b": 2}}}
TOOL_TRAJECTORY = [
    {"role": "assistant", "content": "", "reasoning_content": "I should add", "tool_calls": [CALL]},
    {"role": "tool", "name": "add", "content": "4"},
    {"role": "assistant", "content": "<answer>4</answer>", "reasoning_content": "it said 4"},
]


def test_reasoning_content_goes_back_into_a_think_block():
    message = {"role": "assistant", "content": "<answer>4</answer>", "reasoning_content": "2+2"}
    assert message_text(message) == "<think>\n2+2\n</think>\n<answer>4</answer>"


def test_thinking_key_of_other_families_is_read_too():
    assert reasoning_text({"role": "assistant", "content": "x", "thinking": "hmm"}) == "hmm"


def test_no_reasoning_key_means_no_think_block_and_empty_means_an_empty_one():
    assert message_text({"role": "assistant", "content": "hi"}) == "hi"
    assert message_text({"role": "assistant", "content": "hi", "reasoning_content": ""}) == \
        "<think>\n\n</think>\nhi"


def test_tool_calls_are_rendered_as_tool_call_blocks_nested_or_flat():
    nested = message_text({"role": "assistant", "content": None, "tool_calls": [CALL]})
    flat = message_text({"role": "assistant", "tool_calls": [CALL["function"]]})
    expected = '<tool_call>\n{"name": "add", "arguments": {"a": 2, "b": 2}}\n</tool_call>'
    assert nested == flat == expected


def test_completion_text_joins_assistant_turns_and_skips_tool_results():
    text = Sample(TOOL_TRAJECTORY).completion_text
    assert text.count("<think>") == 2 and "<tool_call>" in text
    assert "\n4\n" not in text  # the tool's own reply is not the model's text
    assert text.endswith("<answer>4</answer>")


def test_final_text_is_the_last_assistant_turn():
    assert Sample(TOOL_TRAJECTORY).final_text == "<think>\nit said 4\n</think>\n<answer>4</answer>"
    assert Sample("plain").final_text == "plain"
