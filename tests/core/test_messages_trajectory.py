"""prose_text and final_answer_text: what a reward reads from a tool-calling trajectory."""

from rewardkit.messages import final_answer_text, prose_text

CALL = {"type": "function", "function": {"name": "run_python", "arguments": {"code": "1+1"}}}
TURNS = [
    {"role": "assistant", "content": "Let me compute.", "reasoning_content": "use the tool",
     "tool_calls": [CALL]},
    {"role": "tool", "name": "run_python", "content": "[ok]\n2\n"},
    {"role": "assistant", "content": "<answer>2</answer>"},
]


def test_prose_keeps_reasoning_and_content_of_assistant_turns_only():
    assert prose_text(TURNS) == "<think>\nuse the tool\n</think>\nLet me compute.\n<answer>2</answer>"


def test_the_final_answer_text_is_the_last_assistant_turn():
    assert final_answer_text(TURNS) == "<answer>2</answer>"


def test_a_trajectory_ending_in_a_tool_call_has_no_final_answer_text():
    assert final_answer_text(TURNS[:1]) == "<think>\nuse the tool\n</think>\nLet me compute."
    assert final_answer_text([{"role": "assistant", "content": "", "tool_calls": [CALL]}]) == ""


def test_text_completions_pass_through():
    assert prose_text("plain") == final_answer_text("plain") == "plain"
