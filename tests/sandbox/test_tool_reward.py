"""sandbox:tool_use: failed and over-budget calls, from the record or from the trajectory."""

from __future__ import annotations

import pytest

from rewardkit import Sample, Status, build_reward


def tool(content):
    return {"role": "tool", "name": "run_python", "content": content}


def turns(*results):
    return [{"role": "assistant", "content": ""}, *map(tool, results),
            {"role": "assistant", "content": "<answer>1</answer>"}]


def score(sample, **params):
    return build_reward("tool_use", params).score([sample])[0]


def test_the_share_of_successful_calls_read_from_the_trajectory():
    result = score(Sample(turns("[ok]\n1\n", "[timeout]\nran past\n", "[ok]\n2\n",
                                "[memory_limit]\n")))
    assert result.value == 0.5
    assert result.info["statuses"] == {"memory_limit": 1, "ok": 2, "timeout": 1}


def test_an_exception_in_the_code_fails_unless_errors_are_allowed():
    sample = Sample(turns("[error]\nNameError\n", "[ok]\n1\n"))
    assert score(sample).value == 0.5
    assert score(sample, errors_fail=False).value == 1.0


def test_calls_past_the_budget_fail():
    sample = Sample(turns(*["[ok]\n"] * 4))
    result = score(sample, budget=3)
    assert result.value == 0.75 and result.info["over_budget"] == 1


def test_a_refused_call_and_a_raising_tool_count_as_failed():
    sample = Sample(turns("[budget]\nno calls left\n", "{'error': 'Tool run_python not found.'}"))
    assert score(sample).value == 0.0


def test_the_environment_record_wins_over_the_text():
    record = [{"status": "ok"}, {"status": "crashed"}]
    sample = Sample(turns("[ok]\n", "[ok]\n"), metadata={"tool_calls": record})
    assert score(sample).value == 0.5


def test_no_calls_is_not_applicable_or_the_configured_value():
    sample = Sample([{"role": "assistant", "content": "<answer>1</answer>"}])
    assert score(sample).status is Status.NOT_APPLICABLE
    assert score(sample, no_calls=0.0).value == 0.0


def test_text_completions_are_not_applicable():
    assert score(Sample("just text")).status is Status.NOT_APPLICABLE


def test_results_of_an_unknown_tool_are_unverifiable():
    result = score(Sample(turns("42")))
    assert result.status is Status.UNVERIFIABLE and result.value is None


def test_bad_params_name_the_reward():
    with pytest.raises(Exception, match="budget"):
        build_reward("tool_use", {"budget": -1})
