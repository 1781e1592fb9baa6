"""Issue 14.5: TRL reward functions named in a rubric are called the TRL way, with statuses."""

import json
import pickle

import pytest
from typer.testing import CliRunner

from rewardkit import ConfigError, Rubric, Sample, criterion
from rewardkit.cli.app import build_app

MOD = "tests.core.trl_style_rewards"


def scores(reward, samples, **params):
    with Rubric([criterion(reward, name="r", **params)]) as rubric:
        return rubric.score(samples).component("r")


def test_a_trl_function_is_called_once_per_batch_and_scores_ok():
    out = scores(f"{MOD}:short", [Sample("abc"), Sample("abcdefgh")])
    assert [(s.value, s.status.value) for s in out] == [(1.0, "ok"), (0.0, "ok")]


def test_a_dotted_path_works_like_the_colon_form():
    assert [s.value for s in scores(f"{MOD}.short", [Sample("abc")])] == [1.0]


def test_the_reference_reaches_the_solution_column_and_a_missing_one_is_unverifiable():
    out = scores(f"{MOD}:matches_solution", [Sample("4", reference="4"),
                                              Sample("5", reference="4"),
                                              Sample("nan", reference=float("nan"))])
    assert [s.value for s in out] == [1.0, 0.0, None]
    assert out[2].status.value == "unverifiable" and "missing label" in out[2].info["reason"]


def test_metadata_columns_are_passed_as_lists():
    out = scores(f"{MOD}:reads_columns", [Sample("a", metadata={"level": 2}),
                                           Sample("b", metadata={"level": 3})])
    assert [s.value for s in out] == [2.0, 3.0]


def test_what_a_trl_function_returns_becomes_a_status():
    out = scores(f"{MOD}:odd_values", [Sample(t) for t in ("inf", "nan", "none", "text", "ok")])
    assert [s.status.value for s in out] == ["error", "not_applicable", "not_applicable",
                                             "error", "ok"]
    assert "not a finite number" in out[0].info["reason"]


def test_a_wrong_number_of_values_is_an_error_per_row_saying_so():
    out = scores(f"{MOD}:nothing", [Sample("a"), Sample("b")])
    assert {s.status.value for s in out} == {"error"}
    assert "returned 0 values for 1 completions" in out[0].info["reason"]


def test_a_get_factory_is_called_with_the_params_and_its_function_adapted():
    assert [s.value for s in scores(f"{MOD}:get_scaled", [Sample("abc")], scale=2.0)] == [6.0]


def test_a_trl_function_given_params_is_rejected_when_the_rubric_is_built():
    with pytest.raises(ConfigError, match="takes no params"):
        Rubric.from_dict({"criteria": [{"reward": f"{MOD}:short", "params": {"x": 1}}]})


def test_a_batch_function_of_another_shape_is_rejected_when_the_rubric_is_built():
    with pytest.raises(ConfigError, match="first parameter 'samples' looks like a batch"):
        Rubric.from_dict({"criteria": [{"reward": f"{MOD}:per_batch"}]})


def test_trl_rewards_think_format_reward_works_on_text_and_chat_completions():
    pytest.importorskip("trl")
    chat = [{"role": "assistant", "content": "<think>x</think>4"}]
    out = scores("trl.rewards.think_format_reward", [Sample("<think>x</think>4"), Sample(chat),
                                                      Sample("4")])
    assert [s.value for s in out] == [1.0, 1.0, 0.0]


def test_trl_rewards_accuracy_reward_skips_missing_labels():
    pytest.importorskip("trl")
    pytest.importorskip("math_verify")
    out = scores("trl.rewards:accuracy_reward", [Sample(r"\boxed{4}", reference="4"),
                                                  Sample(r"\boxed{nan}", reference="nan")])
    assert [s.status.value for s in out] == ["ok", "unverifiable"] and out[0].value == 1.0


def test_trl_get_repetition_penalty_reward_reads_completion_ids_from_metadata():
    pytest.importorskip("trl")
    out = scores("trl.rewards.get_repetition_penalty_reward",
                 [Sample("a", metadata={"completion_ids": [1, 2, 3, 1, 2, 3, 1, 2, 3]}),
                  Sample("b")], ngram_size=3)
    assert out[0].status.value == "ok" and out[0].value < 0
    assert out[1].status.value == "error" and "completion_ids" in out[1].info["reason"]


def test_the_adapted_reward_pickles():
    from rewardkit import build_reward

    reward = pickle.loads(pickle.dumps(build_reward(f"{MOD}:short")))
    assert reward.score([Sample("ab")])[0].value == 1.0


def test_score_command_runs_a_trl_function_and_writes_ok_rows(tmp_path):
    (tmp_path / "r.yaml").write_text(f"criteria:\n  - reward: {MOD}:matches_solution\n")
    rows = [{"completion": "4", "reference": "4"}, {"completion": "5", "reference": "4"}]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    args = ["score", "-r", str(tmp_path / "r.yaml"), "-i", str(tmp_path / "in.jsonl"),
            "-o", str(tmp_path / "out.jsonl"), "--fail-on-error"]
    result = CliRunner().invoke(build_app(args), args)
    assert result.exit_code == 0, result.output
    out = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [r["total"] for r in out] == [1.0, 0.0]


def test_a_trl_function_object_works_in_python_too():
    from tests.core.trl_style_rewards import get_scaled, short

    with Rubric([criterion(short), criterion(get_scaled, name="scaled", scale=0.5)]) as rubric:
        row = rubric.score([Sample("abc")]).rows[0]
    assert row.components["short"].value == 1.0 and row.components["scaled"].value == 1.5
