"""REWARD arguments: names, name:key=value, YAML files, --param, precedence and labels."""

from __future__ import annotations

import pytest

from rewardkit.bench.specs import RewardSpec, parse_spec, parse_specs
from rewardkit.files import parse_value
from rewardkit.errors import ConfigError


def test_plain_and_qualified_names_have_no_params():
    assert parse_spec("math") == [RewardSpec("math", "math", {})]
    assert parse_spec("shaping:overlong") == [RewardSpec("shaping:overlong", "shaping:overlong")]
    assert parse_spec("pkg.mod:fn")[0].name == "pkg.mod:fn"


@pytest.mark.parametrize("text, name, params", [
    ("math:answer_from=whole", "math", {"answer_from": "whole"}),
    ("shaping:overlong:max_length=100,unit=words", "shaping:overlong",
     {"max_length": 100, "unit": "words"}),
    ("pkg.mod:fn:t=0.5,strict=true", "pkg.mod:fn", {"t": 0.5, "strict": True}),
])
def test_params_after_the_last_colon_before_the_first_equals(text, name, params):
    (spec,) = parse_spec(text)
    assert (spec.label, spec.name, dict(spec.params)) == (text, name, params)


@pytest.mark.parametrize("text, value", [
    ("3", 3), ("0.5", 0.5), ("true", True), ("no", False), ("whole", "whole"),
    ("", None), ("a: b", "a: b"), ("[1, 2]", [1, 2]), ("{{", "{{"),
])
def test_values_are_yaml_scalars(text, value):
    assert parse_value(text) == value


@pytest.mark.parametrize("text, message", [
    ("answer_from=whole", "put parameters after the name"),
    ("math:answer_from", None),  # no '=': a plain (unknown) name, resolved later
    ("math:=x", "is not key=value"),
    ("math:a=1,b", "'b' is not key=value"),
    ("  ", "empty reward name"),
])
def test_malformed_specs(text, message):
    if message is None:
        assert parse_spec(text)[0].name == text
        return
    with pytest.raises(ConfigError, match=message):
        parse_spec(text)


def test_yaml_reward_file(tmp_path):
    path = tmp_path / "rewards.yaml"
    path.write_text("- reward: math\n  label: whole\n  params: {answer_from: whole}\n"
                    "- reward: shaping:overlong\n")
    assert parse_spec(str(path)) == [
        RewardSpec("whole", "math", {"answer_from": "whole"}),
        RewardSpec("shaping:overlong", "shaping:overlong", {}),
    ]


def test_yaml_reward_file_single_mapping(tmp_path):
    path = tmp_path / "one.yml"
    path.write_text("reward: math\nparams: {x: 1}\n")
    assert parse_spec(str(path)) == [RewardSpec("math", "math", {"x": 1})]


@pytest.mark.parametrize("content, message", [
    ("- reward: math\n  wieght: 1\n", "entry 1: unknown key 'wieght' \\(accepted: reward, label, params\\)"),
    ("- label: x\n", "entry 1: key 'reward': Field required"),
    ("- reward: [unclosed\n", "cannot read reward file"),
])
def test_bad_yaml_reward_file(tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    with pytest.raises(ConfigError, match=message):
        parse_spec(str(path))


def test_missing_yaml_reward_file(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        parse_spec(str(tmp_path / "none.yaml"))


def test_global_params_are_defaults_the_spec_overrides():
    specs = parse_specs(["math", "math:mode=strict"], ["mode=loose", "answer_from=whole"])
    assert specs[0].params == {"mode": "loose", "answer_from": "whole"}
    assert specs[1].params == {"mode": "strict", "answer_from": "whole"}


def test_duplicate_labels_made_unique():
    assert [s.label for s in parse_specs(["math", "math"])] == ["math", "math#2"]


def test_bad_global_param_and_no_rewards():
    with pytest.raises(ConfigError, match="--param: 'answer_from' is not key=value"):
        parse_specs(["math"], ["answer_from"])
    with pytest.raises(ConfigError, match="no reward given"):
        parse_specs([])
