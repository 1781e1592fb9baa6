import math

import pytest

from rewardkit import Sample, Score, Status


def test_score_without_value_needs_a_failure_status():
    with pytest.raises(ValueError, match="needs a status"):
        Score(None)


def test_score_rejects_nan():
    with pytest.raises(ValueError, match="NaN"):
        Score(math.nan)


def test_score_coerces_bools_and_statuses():
    score = Score(True, "ok")
    assert score.value == 1.0 and score.status is Status.OK and score.ok


def test_failure_constructors_carry_the_reason():
    assert Score.unverifiable("gold unparsable").info["reason"] == "gold unparsable"
    assert Score.timeout(2.5).status is Status.TIMEOUT
    assert "2.5" in Score.timeout(2.5).info["reason"]


def test_score_round_trips_through_dict():
    score = Score(0.5, Status.OK, {"answer": "42"})
    assert Score.from_dict(score.to_dict()) == score


def test_completion_text_joins_assistant_turns_of_chat_messages():
    sample = Sample(completion=[{"role": "assistant", "content": "a"},
                                {"role": "assistant", "content": "b"}],
                    prompt=[{"role": "system", "content": "s"}, {"role": "user", "content": "u"}])
    assert sample.completion_text == "a\nb"
    assert sample.prompt_text == "s\nu"


def test_completion_text_reads_multimodal_content_parts():
    sample = Sample(completion=[{"role": "assistant",
                                 "content": [{"type": "text", "text": "x"}, {"type": "image"}]}])
    assert sample.completion_text == "x"
