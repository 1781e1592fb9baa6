"""Judge templates: builtins, user files, versions and validation."""

from __future__ import annotations

import pytest

from rewardkit import ConfigError, Sample, Status, build_reward
from rewardkit.engine import Engine
from rewardkit_judge import templates
from rewardkit_judge.verdict import parse_choice, parse_scale

USER = """
- name: strict
  version: 1
  mode: pointwise
  scale: [0, 10]
  prompt: "Grade {{{{this}}}}: {candidate}\\nCriteria: {criteria}\\nThen {verdict_format}"
- name: strict
  version: 2
  mode: pointwise
  scale: [0, 10]
  criteria: Only correctness.
  prompt: "v2 {candidate} {criteria} {verdict_format}"
"""


@pytest.fixture
def user_file(tmp_path):
    path = tmp_path / "templates.yaml"
    path.write_text(USER)
    return str(path)


def test_builtin_templates_are_named_and_versioned():
    assert {"pointwise@1", "reference@1", "pairwise@1"} <= set(templates.BUILTIN)
    assert templates.resolve("reference").mode == "reference"
    assert templates.resolve("pairwise@1").mode == "pairwise"


def test_a_user_file_adds_templates_and_the_latest_version_is_the_default(user_file):
    assert templates.resolve("strict", user_file).version == 2
    old = templates.resolve("strict@1", user_file)
    prompt, key = old.render("q", {"candidate": "ans"})
    assert prompt.startswith("Grade {{this}}: <<<ANSWER") and f"VERDICT {key}: N" in prompt
    assert "from 0 (worst) to 10 (best)" in prompt


def test_a_user_template_scores_on_its_own_scale(user_file):
    reward = build_reward("judge", {
        "template": "strict", "template_file": user_file,
        "backend": "rewardkit.generators.testing:ScriptedGenerator",
        "backend_config": {"responder": "test_judge:three"}})
    [score] = Engine().run(reward, [Sample("x")])
    assert score.value == pytest.approx(0.3) and score.info["template"] == "strict@2"


def test_an_unknown_template_lists_the_available_ones():
    with pytest.raises(ConfigError, match=r"no judge template 'pointwize'.*pointwise@1"):
        templates.resolve("pointwize")
    with pytest.raises(ConfigError, match="no judge template 'pointwise@7'"):
        templates.resolve("pointwise@7")


@pytest.mark.parametrize("item, problem", [
    ({"name": "t", "mode": "pointwise", "prompt": "{candidate}"}, "{verdict_format}"),
    ({"name": "t", "mode": "pairwise", "prompt": "{candidate} {verdict_format}"},
     "{candidate_a}, {candidate_b}"),
    ({"name": "t", "mode": "pointwise", "prompt": "{candidate} {verdict_format} {answer}"},
     "unknown placeholder"),
    ({"name": "t", "mode": "pointwise", "prompt": "{candidate {verdict_format}"},
     "not a valid format string"),
    ({"name": "t", "mode": "pointwise", "prompt": "{candidate}{verdict_format}",
      "scale": [5, 1]}, "low < high"),
    ({"name": "t", "mode": "pointwise", "prompt": "{candidate}{verdict_format}", "extra": 1},
     "unknown key"),
])
def test_bad_user_templates_are_rejected_with_the_reason(tmp_path, item, problem):
    import json

    path = tmp_path / "bad.json"
    path.write_text(json.dumps([item]))
    with pytest.raises(ConfigError) as err:
        templates.load_file(path)
    assert problem in str(err.value) and "template #1 (t)" in str(err.value)


def test_an_unreadable_template_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read judge template file"):
        templates.load_file(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("- name: [unclosed\n")
    with pytest.raises(ConfigError, match="bad.yaml: invalid YAML"):
        templates.load_file(bad)
    scalar = tmp_path / "scalar.yaml"
    scalar.write_text("- just text\n")
    with pytest.raises(ConfigError, match="must be a mapping"):
        templates.load_file(scalar)


def test_the_verdict_parsers_accept_common_decorations():
    assert parse_scale("VERDICT K: **4**", "K", 1, 5).value == 0.75
    assert parse_scale("verdict k: 4/5.", "K", 1, 5).value == 0.75
    assert parse_scale("VERDICT K: 2.5", "K", 1, 5).value == 0.375
    assert parse_choice("VERDICT K: tie", "K") == "TIE"
    assert parse_choice("VERDICT K: C", "K").status is Status.UNVERIFIABLE
    assert parse_choice("VERDICT: A", "K").status is Status.UNVERIFIABLE
