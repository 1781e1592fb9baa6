import pickle

import pytest

from rewardkit import ConfigError, RewardError, Rubric, Sample, Status, criterion
from tests.core.rewards_for_tests import contains, length, misbehave, reads_previous


def totals(rubric, texts):
    return rubric.score([Sample(t) for t in texts]).totals


def test_total_is_the_weighted_sum_of_components():
    rubric = Rubric([criterion(length, weight=0.5), criterion(contains, weight=2.0)])
    assert totals(rubric, ["yes!", "no"]) == [0.5 * 4 + 2.0, 0.5 * 2]


def test_weight_zero_is_logged_but_not_rewarded():
    rubric = Rubric([criterion(length, weight=0.0), criterion(contains, weight=1.0)])
    result = rubric.score([Sample("yes")])
    assert result.totals == [1.0] and result.rows[0].components["length"].value == 3.0


def test_failing_gate_zeroes_the_total():
    rubric = Rubric([criterion(contains, gate=True, weight=0.0), criterion(length)])
    result = rubric.score([Sample("yes"), Sample("nope")])
    assert result.totals == [3.0, 0.0]
    assert result.rows[1].gated and not result.rows[0].gated


def test_a_gate_without_a_value_fails():
    rubric = Rubric([criterion("tests.core.rewards_for_tests:plain_function", name="g",
                               gate=True, gate_threshold=0.5), criterion(length)])
    assert rubric.score([Sample("abc")]).rows[0].gated


def test_criterion_reads_the_scores_of_earlier_criteria():
    rubric = Rubric([criterion(length, weight=0), criterion(reads_previous, weight=1)])
    assert totals(rubric, ["abcd"]) == [8.0]


def test_a_criterion_does_not_see_later_criteria():
    rubric = Rubric([criterion(reads_previous, weight=1), criterion(length, weight=0)])
    row = rubric.score([Sample("abcd")]).rows[0]
    assert row.components["reads_previous"].status is Status.NOT_APPLICABLE and row.total is None


def test_error_policy_none_keeps_none_and_counts_it():
    rubric = Rubric([criterion(misbehave, on_error="none"), criterion(contains)], workers=1)
    with rubric:
        result = rubric.score([Sample("raise"), Sample("yes")])
    assert result.rows[0].components["misbehave"].status is Status.ERROR
    assert result.rows[0].total == 0.0  # contains still counts
    assert result.summary["misbehave"].status_counts["error"] == 1


def test_error_policy_value_substitutes_but_keeps_the_status():
    with Rubric([criterion(misbehave, on_error=-1.0)], workers=1) as rubric:
        score = rubric.score([Sample("raise")]).rows[0].components["misbehave"]
    assert score.value == -1.0 and score.status is Status.ERROR and score.info["substituted"]


def test_error_policy_raise_raises_naming_the_criterion():
    with Rubric([criterion(misbehave, on_error="raise")], workers=1) as rubric:
        with pytest.raises(RewardError, match="criterion 'misbehave' failed on sample 0"):
            rubric.score([Sample("raise")])


def test_total_is_none_when_no_weighted_component_has_a_value():
    rubric = Rubric([criterion(reads_previous, source="missing")])
    assert totals(rubric, ["x"]) == [None]


def test_duplicate_criterion_names_are_rejected():
    with pytest.raises(ConfigError, match="repeated: length"):
        Rubric([criterion(length), criterion(length)])


def test_from_dict_rejects_unknown_keys_naming_the_path():
    with pytest.raises(ConfigError, match=r"unknown key 'criteria\.0\.gaet'; did you mean 'gate'\?"):
        Rubric.from_dict({"criteria": [{"reward": "overlong", "gaet": True}]})


def test_from_dict_rejects_duplicate_names():
    with pytest.raises(ConfigError, match="unique"):
        Rubric.from_dict({"criteria": [{"reward": "overlong"}, {"reward": "shaping:overlong"}]})


def test_from_yaml_builds_named_rewards_with_params(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("criteria:\n  - reward: tests.core.rewards_for_tests:length\n"
                    "    name: len\n    params: {per_char: 2}\n    weight: 0.5\n")
    assert totals(Rubric.from_yaml(path), ["abc"]) == [3.0]


def test_from_yaml_reports_bad_yaml_and_missing_files(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("criteria: [\n")
    with pytest.raises(ConfigError, match="invalid YAML"):
        Rubric.from_yaml(bad)
    with pytest.raises(ConfigError, match="cannot read rubric file"):
        Rubric.from_yaml(tmp_path / "missing.yaml")


def test_bad_reward_params_in_yaml_name_the_criterion(tmp_path):
    with pytest.raises(ConfigError, match=r"criteria\.0 \(overlong\).*unknown parameter 'maxlen'"):
        Rubric.from_dict({"criteria": [{"reward": "overlong", "params": {"maxlen": 3}}]})


def test_samples_may_be_dicts_with_extra_fields_as_metadata():
    rubric = Rubric([criterion(length)])
    assert rubric.score([{"completion": "ab", "source": "x"}]).totals == [2.0]
    with pytest.raises(ConfigError, match="needs a 'completion'"):
        rubric.score([{"prompt": "p"}])


def test_rubric_pickles_without_its_engine():
    rubric = Rubric([criterion(length)])
    rubric.score([Sample("a")])
    clone = pickle.loads(pickle.dumps(rubric))
    assert clone.score([Sample("abc")]).totals == [3.0]


def test_summary_counts_statuses_and_means():
    rubric = Rubric([criterion(length)])
    summary = rubric.score([Sample("ab"), Sample("abcd")]).summary
    assert summary["length"].mean == 3.0 and summary["length"].status_counts["ok"] == 2
    assert summary["total"].n == 2


# -- issue 14.16: reading a later criterion's score is rejected when the rubric is built --

def test_a_criterion_name_parameter_must_name_an_earlier_criterion():
    from rewardkit import CriterionName, per_sample

    @per_sample
    def doubled(sample, source: CriterionName = "first"):
        return 2 * sample.scores[source].value

    @per_sample
    def one(sample):
        return 1.0

    ok = Rubric([criterion(one, name="first"), criterion(doubled)])
    assert ok.score([Sample("x")]).totals == [3.0]
    with pytest.raises(ConfigError, match="listed after it: list 'first' before 'doubled'"):
        Rubric([criterion(doubled), criterion(one, name="first")])
    with pytest.raises(ConfigError, match="parameter 'source'.*earlier criteria: first"):
        Rubric([criterion(one, name="first"), criterion(doubled, source="nope")])
