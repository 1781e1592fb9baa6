"""The format reward: what passes, which rule fails for what, and the policy options."""

import pickle

import pytest
from rewardkit_format import FormatReward

from rewardkit import RewardParamsError, Sample, build_reward

GOOD = "<think>\nThe sum is 2 + 2 = 4.\n</think>\n<answer>4</answer>"


def score(completion, **params):
    return FormatReward(**params).score([Sample(completion)])[0]


def failed(completion, **params):
    return score(completion, **params).info["failed"]


def test_default_schema_passes():
    result = score(GOOD)
    assert result.value == 1.0
    assert result.info["failed"] == [] and "reason" not in result.info


def test_surrounding_whitespace_is_allowed():
    assert score("\n\n  " + GOOD + "\n\n").value == 1.0


def test_chat_message_completion_passes():
    messages = [{"role": "assistant", "content": GOOD}]
    assert FormatReward().score([Sample(messages)])[0].value == 1.0


def test_chat_completion_ignores_non_assistant_turns():
    messages = [{"role": "tool", "content": "<answer>9</answer>"},
                {"role": "assistant", "content": GOOD}]
    assert FormatReward().score([Sample(messages)])[0].value == 1.0


def test_empty_completion_fails_with_reasons():
    result = score("")
    assert result.value == 0.0
    assert {"present", "once", "non_empty"} <= set(result.info["failed"])
    assert "missing <think>, <answer> block" in result.info["reason"]


def test_second_answer_fails_once_rule():
    assert failed(GOOD + "\n<answer>5</answer>") == ["once", "order"]


def test_answer_before_think_fails_order_only():
    completion = "<answer>4</answer>\n<think>\nreasoning\n</think>"
    result = score(completion)
    assert result.info["failed"] == ["order"]
    assert "blocks must be <think> then <answer>" in result.info["reason"]


def test_unordered_policy_accepts_answer_first():
    assert score("<answer>4</answer><think>why</think>", ordered=False).value == 1.0


def test_nested_answer_is_a_misplaced_tag():
    result = score("<think>so <answer>3</answer></think>\n<answer>4</answer>")
    assert "well_formed" in result.info["failed"]
    assert "opens inside <think>" in result.info["reason"]


def test_unclosed_answer_fails_complete():
    result = score("<think>a</think><answer>4")
    assert "complete" in result.info["failed"]
    assert "<answer> is never closed" in result.info["reason"]


def test_truncated_metadata_flag_fails_complete():
    sample = Sample(GOOD, metadata={"truncated": True})
    result = FormatReward().score([sample])[0]
    assert result.value == 0.0 and result.info["failed"] == ["complete"]


def test_truncated_key_none_ignores_metadata():
    sample = Sample(GOOD, metadata={"truncated": True})
    assert FormatReward(truncated_key=None).score([sample])[0].value == 1.0


def test_whitespace_only_answer_fails_non_empty():
    assert failed("<think>a</think><answer> \n </answer>") == ["non_empty"]


def test_non_empty_can_be_switched_off():
    assert score("<think>a</think><answer></answer>", non_empty=False).value == 1.0


def test_text_outside_tags_fails_and_is_quoted():
    result = score("Sure! " + GOOD)
    assert result.info["failed"] == ["outside_text"]
    assert "'Sure!'" in result.info["reason"]


def test_outside_text_can_be_allowed():
    assert score("Sure! " + GOOD + " Bye.", outside_text="allow").value == 1.0


def test_tags_inside_a_fence_in_the_thinking_do_not_count():
    completion = "<think>\nFormat:\n```\n<answer>x</answer>\n```\n</think>\n<answer>4</answer>"
    assert score(completion).value == 1.0


def test_tags_inside_inline_code_do_not_count():
    completion = "<think>I reply with `<answer>` tags.</think><answer>4</answer>"
    assert score(completion).value == 1.0


def test_fenced_schema_alone_is_missing_blocks():
    result = score("```\n" + GOOD + "\n```")
    assert "present" in result.info["failed"] and "outside_text" in result.info["failed"]


def test_odd_casing_is_malformed_by_default():
    result = score("<THINK>a</THINK><answer>4</answer>")
    assert "well_formed" in result.info["failed"]
    assert "case-sensitive" in result.info["reason"]


def test_case_insensitive_policy_accepts_odd_casing():
    assert score("<THINK>a</Think><Answer>4</ANSWER>", case_sensitive=False).value == 1.0


def test_attributes_are_rejected_by_default():
    result = score('<think>a</think><answer type="final">4</answer>')
    assert result.info["failed"][0] == "well_formed"
    assert "attributes are not allowed" in result.info["reason"]


def test_attribute_policy_allow_opens_the_block():
    assert score('<think>a</think><answer type="x">4</answer>', attributes="allow").value == 1.0


def test_attributes_on_closing_tag_stay_malformed_when_allowed():
    result = score('<think>a</think><answer>4</answer x>', attributes="allow")
    assert "well_formed" in result.info["failed"]


@pytest.mark.parametrize("tag", ["< answer>", "<answer >", "<answer/>", "</ answer>"])
def test_whitespace_and_self_closing_tags_are_malformed(tag):
    assert "well_formed" in failed(f"<think>a</think>{tag}4</answer>")


def test_other_tags_are_plain_text():
    completion = "<think>use <b>bold</b> and <br></think><answer>4 <i>ok</i></answer>"
    assert score(completion).value == 1.0


def test_prefill_completes_a_think_opened_by_the_template():
    assert score("reasoning\n</think>\n<answer>4</answer>", prefill="<think>\n").value == 1.0


def test_without_prefill_a_bare_closing_think_is_stray():
    result = score("reasoning\n</think>\n<answer>4</answer>")
    assert "closes nothing" in result.info["reason"]


def test_custom_three_tag_schema():
    completion = "<plan>p</plan><work>w</work><result>r</result>"
    assert score(completion, tags=["plan", "work", "result"]).value == 1.0
    assert score(GOOD, tags=["plan", "work", "result"]).value == 0.0


def test_partial_credit_is_the_fraction_of_rules_held():
    result = score("<think>a</think><answer> </answer>", mode="partial")
    assert result.value == pytest.approx(6 / 7)
    assert result.info["rules"]["non_empty"] is False


def test_partial_credit_counts_only_enabled_rules():
    result = score("<think>a</think><answer> </answer>", mode="partial", ordered=False,
                   outside_text="allow")
    assert result.value == pytest.approx(4 / 5)


@pytest.mark.parametrize("tags, message", [
    ([], "at least one tag"),
    (["<answer>"], "not a tag name"),
    (["answer", "Answer"], "more than once"),
])
def test_bad_tag_lists_are_rejected_with_a_fix(tags, message):
    with pytest.raises(RewardParamsError, match=message):
        FormatReward(tags=tags)


def test_unknown_parameter_is_named():
    with pytest.raises(RewardParamsError, match="unknown parameter 'tag'.*did you mean 'tags'"):
        FormatReward(tag=["answer"])


def test_bad_mode_is_rejected():
    with pytest.raises(RewardParamsError, match="mode"):
        FormatReward(mode="lenient")


def test_reward_pickles_with_its_params():
    reward = pickle.loads(pickle.dumps(FormatReward(mode="partial", tags=["a", "b"])))
    assert reward.params.mode == "partial" and reward.params.tags == ("a", "b")
    assert reward.score([Sample("<a>x</a><b>y</b>")])[0].value == 1.0


def test_registered_through_the_entry_point():
    assert build_reward("format:format").score([Sample(GOOD)])[0].value == 1.0
    assert build_reward("format", {"mode": "partial"}).params.mode == "partial"


def test_hostile_input_gets_a_score():
    hostile = "<think>" * 20000 + "`" * 3001 + "</answer>" * 20000 + "```\n" * 5000
    result = score(hostile)
    assert result.value == 0.0 and "complete" in result.info["failed"]


def test_zero_width_answer_counts_as_empty():
    assert failed("<think>a</think><answer>\u200b\ufeff</answer>") == ["non_empty"]


def test_zero_width_characters_outside_the_tags_are_not_text():
    assert score("\u200b" + GOOD + "\ufeff").value == 1.0
