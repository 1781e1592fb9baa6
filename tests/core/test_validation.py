"""One wording for every pydantic validation error rewardkit reports."""

from __future__ import annotations

from typing import Literal, Optional, Union

import pytest
from pydantic import BaseModel, ConfigDict, Field

from rewardkit.errors import ConfigError, RewardParamsError
from rewardkit.validation import (did_you_mean, problems, unknown_key, validate_config,
                                  validation_message)


class Inner(BaseModel):
    model_config = ConfigDict(extra="forbid")
    gate: bool = False
    weight: float = 1.0


class Outer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = "x"
    items: list[Inner] = Field(default_factory=list)
    one: Optional[Inner] = None
    mode: Union[Literal["a"], Inner] = "a"


def message(data, **kwargs):
    with pytest.raises(ConfigError) as err:
        validate_config(Outer, data, "outer.yaml", **kwargs)
    return str(err.value)


def test_valid_data_is_the_model():
    assert validate_config(Outer, {"items": [{"gate": True}]}, "here").items[0].gate


def test_an_unknown_key_is_named_by_path_with_a_suggestion_and_the_keys_accepted_there():
    assert message({"nmae": 1}) == ("outer.yaml: unknown key 'nmae'; did you mean 'name'? "
                                    "(accepted: name, items, one, mode)")
    assert message({"items": [{}, {"gaet": 1}]}) == (
        "outer.yaml: unknown key 'items.1.gaet'; did you mean 'gate'? (accepted: gate, weight)")
    assert message({"one": {"wieght": 2}}).endswith("did you mean 'weight'? "
                                                     "(accepted: gate, weight)")


def test_a_union_member_tag_in_the_path_still_finds_the_accepted_keys():
    assert "(accepted: gate, weight)" in message({"mode": {"gaet": 1}})


def test_a_bad_value_names_the_key_and_what_was_given():
    assert message({"items": [{"weight": "heavy"}]}) == (
        "outer.yaml: key 'items.0.weight': Input should be a valid number, unable to parse "
        "string as a number (got 'heavy')")


def test_a_long_value_is_shortened():
    text = message({"name": ["x" * 200]})
    assert "(got ['xxx" in text and "...)" in text and len(text) < 200


def test_every_problem_is_listed_after_one_where():
    text = message({"nmae": 1, "items": 3})
    assert text.count("outer.yaml") == 1 and "; " in text
    assert "key 'items': Input should be a valid list (got 3)" in text
    assert "unknown key 'nmae'" in text


def test_noun_and_error_type_are_the_callers():
    with pytest.raises(RewardParamsError, match=r"^reward 'r': unknown parameter 'nmae'"):
        validate_config(Outer, {"nmae": 1}, "reward 'r'", noun="parameter",
                        error=RewardParamsError)


def test_a_missing_field_does_not_repeat_the_whole_input():
    class Needs(BaseModel):
        reward: str

    assert message_of(Needs, {"label": "x"}) == "f: key 'reward': Field required"


def message_of(model, data):
    from pydantic import ValidationError

    try:
        model.model_validate(data)
    except ValidationError as exc:
        return validation_message(exc, "f", model)
    raise AssertionError("no error")


def test_problems_without_a_model_have_no_accepted_list():
    errors = [{"type": "extra_forbidden", "loc": ("body", "x"), "msg": "Extra inputs"}]
    assert problems(errors) == ["unknown key 'body.x'"]


def test_unknown_key_leaves_out_a_long_accepted_list_but_keeps_the_hint():
    fields = [f"field_{i}" for i in range(30)] + ["learning_rate"]
    assert unknown_key("trl.learning_rat", fields) == (
        "unknown key 'trl.learning_rat'; did you mean 'learning_rate'?")
    assert unknown_key("x", []) == "unknown key 'x' (accepted: none)"


def test_did_you_mean_offers_up_to_n_close_names_or_nothing():
    assert did_you_mean("opneai", ["hf", "openai"]) == "; did you mean 'openai'?"
    assert did_you_mean("maths", ["math", "mathx", "hf"], n=2) == \
        "; did you mean 'math' or 'mathx'?"
    assert did_you_mean("zzz", ["math"]) == ""
