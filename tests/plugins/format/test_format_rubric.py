"""format as a rubric gate, next to language_purity, as the READMEs show."""

import pytest

from rewardkit import Rubric, Sample

pytest.importorskip("rewardkit_language")

RUBRIC = {"criteria": [
    {"reward": "format", "weight": 0.2, "gate": True},
    {"name": "format_partial", "reward": "format", "weight": 0, "params": {"mode": "partial"}},
    {"reward": "language_purity", "weight": 0.8, "params": {"target": "en"}},
]}


def test_format_gate_zeroes_a_badly_formatted_completion():
    good = Sample("<think>We add the two numbers carefully.</think>\n<answer>4</answer>")
    bad = Sample("<think>We add the two numbers carefully.</think>\n<answer>4</answer>\n"
                 "<answer>5</answer>")
    result = Rubric.from_dict(RUBRIC).score([good, bad])
    assert result.rows[0].total == pytest.approx(1.0)
    assert result.rows[1].total == 0.0
    assert result.rows[1].components["format_partial"].value == pytest.approx(5 / 7)
    assert result.rows[1].components["language_purity"].value == 1.0


# -- TRL 1.16 conventions: parse_response moves the think block into reasoning_content ----

def _parsed(content, reasoning, **more):
    return [{"role": "assistant", "content": content, "reasoning_content": reasoning, **more}]


def test_reasoning_content_counts_as_the_think_block():
    from rewardkit import Sample, build_reward

    score = build_reward("format").score([Sample(_parsed("<answer>4</answer>", "2+2=4"))])[0]
    assert score.value == 1.0, score.info
    assert score.info["reasoning_from"] == "reasoning_content"


def test_prefill_is_not_added_twice_when_the_parser_took_the_think_block():
    from rewardkit import Sample, build_reward

    reward = build_reward("format", {"prefill": "<think>\n"})
    assert reward.score([Sample(_parsed("<answer>4</answer>", "2+2=4"))])[0].value == 1.0
    assert reward.score([Sample("2+2=4</think>\n<answer>4</answer>")])[0].value == 1.0


def test_an_empty_parsed_think_block_still_fails_non_empty():
    from rewardkit import Sample, build_reward

    score = build_reward("format").score([Sample(_parsed("<answer>4</answer>", ""))])[0]
    assert score.value == 0.0 and "non_empty" in score.info["failed"]


def test_a_tool_calling_completion_is_judged_on_its_final_turn():
    from rewardkit import Rubric, Sample, criterion

    call = {"type": "function", "function": {"name": "add", "arguments": {"a": 2, "b": 2}}}
    trajectory = [
        {"role": "assistant", "content": "", "reasoning_content": "add them", "tool_calls": [call]},
        {"role": "tool", "name": "add", "content": "4"},
        {"role": "assistant", "content": "<answer>4</answer>", "reasoning_content": "it is 4"},
    ]
    rubric = Rubric([criterion("format", weight=0.2, gate=True),
                     criterion("math", weight=1.0)])
    with rubric:
        row = rubric.score([Sample(trajectory, reference="4")]).rows[0]
    assert not row.gated, row.components["format"].info
    assert row.total == 1.2
    assert row.components["format"].info["checked"] == "the last assistant turn"
