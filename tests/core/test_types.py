import math

import pytest

from rewardkit import Sample, Score, Status
from rewardkit.errors import ConfigError, InputError
from rewardkit.types import is_text, sample_from_mapping


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


@pytest.mark.parametrize("value", [None, float("nan"), "", " \n", "nan", "NaN", "None", "none",
                                   "null", "<NA>", "NaT"], ids=repr)
def test_missing_values_are_recognised_and_a_sample_stores_them_as_none(value):
    from rewardkit import is_missing

    assert is_missing(value)
    assert Sample("x", reference=value).reference is None


@pytest.mark.parametrize("value", ["0", "none of the above", "Nancy", 0, 0.0, False, [], {},
                                   ["a", None]], ids=repr)
def test_real_values_are_not_missing(value):
    from rewardkit import is_missing

    assert not is_missing(value)
    assert Sample("x", reference=value).reference == value


def test_numpy_and_pandas_missing_scalars_are_missing():
    numpy = pytest.importorskip("numpy")
    from rewardkit import is_missing

    assert is_missing(numpy.float32("nan")) and is_missing(numpy.float64("nan"))
    assert not is_missing(numpy.int64(3))
    pandas = pytest.importorskip("pandas")
    assert is_missing(pandas.NA) and is_missing(pandas.NaT)
    assert Sample("x", reference=[None, float("nan")]).reference is None


def test_sample_from_mapping_puts_other_keys_and_metadata_in_metadata():
    sample = sample_from_mapping({"completion": "c", "prompt": "p", "reference": "r", "id": 3,
                                  "skip": 1, "metadata": {"id": 4, "m": 5}}, ignore={"skip"})
    assert (sample.completion, sample.prompt, sample.reference) == ("c", "p", "r")
    assert sample.metadata == {"id": 4, "m": 5}  # metadata's own keys win


def test_sample_from_mapping_accepts_chat_messages():
    chat = [{"role": "assistant", "content": "4"}]
    assert sample_from_mapping({"completion": chat, "prompt": chat}).completion_text == "4"


@pytest.mark.parametrize("data, message", [
    ({"prompt": "p"}, "line 3: missing 'completion' (fields: prompt); every sample needs a "
                      "'completion': text or a list of chat messages"),
    ({}, "line 3: missing 'completion' (fields: none)"),
    ({"completion": 5}, "line 3: 'completion' must be text or a list of chat messages "
                        "({\"role\", \"content\"}), got int"),
    ({"completion": "c", "prompt": [{"role": "user"}]}, "line 3: 'prompt' must be text"),
    ({"completion": "c", "metadata": [1]}, "line 3: 'metadata' must be an object, got list"),
])
def test_sample_from_mapping_errors_say_where_and_what(data, message):
    with pytest.raises(InputError) as err:
        sample_from_mapping(data, "line 3")
    assert str(err.value).startswith(message)


def test_sample_from_mapping_raises_the_callers_error_type():
    with pytest.raises(ConfigError, match="^missing 'completion'"):
        sample_from_mapping({}, error=ConfigError)


@pytest.mark.parametrize("value, text", [
    ("x", True), ([], True), ([{"role": "user", "content": "x"}], True),
    ([{"role": "user"}], False), (["x"], False), (5, False), (None, False),
])
def test_is_text(value, text):
    assert is_text(value) is text
