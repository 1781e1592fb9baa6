"""`rewardkit rewards NAME`: a reward's parameters with type, default and one line of doc."""

import json

from pydantic import Field
from typer.testing import CliRunner

from rewardkit import Reward, RewardParams
from rewardkit.cli.app import build_app
from rewardkit.cli.rewards import describe_params


def run(*args):
    return CliRunner().invoke(build_app(list(args)), list(args))


class StrictParams(RewardParams):
    """Parameters.

    loose   accept near misses too
    """

    tags: list[str] = Field(default_factory=lambda: ["think"], description="tag names\nmore")
    loose: bool = False
    limit: int


class Strict(Reward):
    """A reward with documented parameters."""

    Params = StrictParams


def test_a_params_model_is_described_field_by_field():
    rows = {row["name"]: row for row in describe_params(Strict)}
    assert rows["tags"] == {"name": "tags", "type": "list[str]", "default": "['think']",
                            "doc": "tag names"}
    assert rows["loose"]["doc"] == "accept near misses too"  # from the Params docstring
    assert rows["limit"]["default"] == "required" and rows["limit"]["type"] == "int"


def test_rewards_name_prints_a_per_sample_functions_parameters():
    result = run("rewards", "tests.core.rewards_for_tests:length")
    assert result.exit_code == 0, result.output
    assert "per_char" in result.output and "float" in result.output and "1.0" in result.output


def test_rewards_name_json():
    result = run("rewards", "tests.core.test_cli_rewards:Strict", "--json")
    data = json.loads(result.output)
    assert data["doc"] == "A reward with documented parameters."
    assert [p["name"] for p in data["params"]] == ["tags", "loose", "limit"]


def test_rewards_with_an_unknown_name_fails_with_the_reason():
    result = run("rewards", "no_such_reward_anywhere")
    assert result.exit_code == 2
    assert "no reward named 'no_such_reward_anywhere'" in result.output
