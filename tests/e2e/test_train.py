"""`rewardkit train` end to end on the tiny offline model (no downloads).

The toy task is examples/toy: "the largest of three digits", answered in
<think>…</think><answer>…</answer>. The rewards here are tests/e2e/toy_rewards.py, so the
tests do not depend on the format and math plugins.
"""

import json
from pathlib import Path

import pytest

pytest.importorskip("trl")

from typer.testing import CliRunner

from rewardkit.cli.app import build_app
from rewardkit.errors import ConfigError
from rewardkit.train import (
    load_config,
    runner,
    train,
)

ROOT = Path(__file__).resolve().parents[2]
TOY = ROOT / "examples" / "toy"
REWARDS = "tests.e2e.toy_rewards"


def config(**overrides):
    """A reduced toy job: 40 demonstrations, a short cold start, a short GRPO run."""
    data = {
        "seed": 0,
        "model": {"name": "tiny"},
        "dataset": {"path": str(TOY / "train.jsonl")},
        "rubric": {"criteria": [
            {"reward": f"{REWARDS}:tagged", "name": "format", "weight": 0.2},
            {"reward": f"{REWARDS}:exact", "name": "math", "weight": 0.8},
        ]},
        "cold_start": {"path": str(TOY / "demos.jsonl"),
                       "trl": {"num_train_epochs": 18, "learning_rate": 3e-3,
                               "per_device_train_batch_size": 8, "logging_steps": 10}},
        "trl": {"max_steps": 40, "learning_rate": 2e-3, "per_device_train_batch_size": 64,
                "num_generations": 8, "max_completion_length": 16, "logging_steps": 5,
                "save_strategy": "no"},
    }
    for key, value in overrides.items():
        section, _, name = key.partition("__")
        if name:
            data[section][name] = value
        else:
            data[section] = value
    return data


@pytest.fixture
def no_model(monkeypatch):
    """Fail the test if anything tries to build or load a model."""

    def refuse(*args, **kwargs):
        raise AssertionError("a model was loaded before the config error was raised")

    monkeypatch.setattr(runner, "load_model", refuse)


def fails(data, match, overrides=None):
    with pytest.raises(ConfigError, match=match):
        train(load_config(data=data, overrides=overrides), progress=False)


# -- configuration errors fail before any model loads ---------------------------------


def test_unknown_top_level_key_is_named(no_model):
    fails({**config(), "rubrik": "x.yaml"}, r"unknown key 'rubrik'")


def test_unknown_trl_key_is_named_with_a_suggestion(no_model):
    fails(config(trl__learning_rat=1e-3), r"unknown key 'trl\.learning_rat'; did you mean 'learning_rate'")


def test_unknown_cold_start_trl_key_is_named(no_model):
    cold = config()["cold_start"]
    fails(config(cold_start={**cold, "trl": {"epochs": 3}}), r"cold_start\.trl\.epochs")


def test_trl_validation_speaks_for_bad_values(no_model):
    fails(config(trl__num_generations=3), r"trl: TRL rejected the settings: .*num_generations")


def test_bad_value_in_our_own_keys_is_named(no_model):
    fails(config(reward_mode="sum"), r"reward_mode")
    fails(config(model={"name": "tiny", "tiny": {"hidden_size": 30}}), r"model\.tiny")


def test_reward_weights_belong_to_the_rubric(no_model):
    fails(config(trl__reward_weights=[1, 1]), r"trl\.reward_weights: .*rubric")


def test_missing_data_file_and_missing_column_are_named(no_model, tmp_path):
    fails(config(dataset={"path": str(tmp_path / "nope.jsonl")}), r"dataset\.path: no such file")
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"question": "q", "reference": "1"}\n')
    fails(config(dataset={"path": str(rows)}), r"dataset\.columns\.prompt: column 'prompt'")
    fails(config(dataset={"path": str(rows), "columns": {"prompt": "question",
                                                        "reference": "gold"}}),
          r"dataset\.columns\.reference: column 'gold'")


def test_dataset_needs_exactly_one_source(no_model):
    fails(config(dataset={"path": "a.jsonl", "name": "b"}), r"exactly one of 'path'")


def test_unknown_reward_in_the_rubric_fails_first(no_model):
    rubric = {"criteria": [{"reward": "no_such_reward_anywhere"}]}
    with pytest.raises(LookupError, match="no_such_reward_anywhere"):
        train(load_config(data=config(rubric=rubric)), progress=False)


def test_set_overrides_nested_keys_and_rejects_bad_syntax():
    loaded = load_config(data=config(), overrides=["trl.max_steps=7", "model.tiny.layers=1"])
    assert loaded.trl["max_steps"] == 7 and loaded.model.tiny.layers == 1
    with pytest.raises(ConfigError, match="key=value"):
        load_config(data=config(), overrides=["trl.max_steps"])
    with pytest.raises(ConfigError, match="'seed' is not a mapping"):
        load_config(data=config(), overrides=["seed.x=1"])


def test_cli_reports_config_errors_with_exit_code_2(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("model: {name: tiny}\ndataset: {path: x.jsonl}\nrubric: r.yaml\n"
                    "trl: {max_step: 3}\n")
    result = CliRunner().invoke(build_app(["train"]), ["train", str(path)])
    assert result.exit_code == 2
    assert "unknown key 'trl.max_step'" in result.output and "max_steps" in result.output


def test_cli_check_validates_without_training(tmp_path):
    path = tmp_path / "toy.yaml"
    import yaml

    path.write_text(yaml.safe_dump(config()))
    result = CliRunner().invoke(build_app(["train"]), ["train", str(path), "--check"])
    assert result.exit_code == 0, result.output
    assert "1000 prompts" in result.output and "40 demonstrations" in result.output


# -- training ---------------------------------------------------------------------------


@pytest.mark.slow
def test_reduced_toy_job_learns_and_writes_every_output(tmp_path):
    path = tmp_path / "toy.yaml"
    import yaml

    data = config()
    data["health"] = {"canaries": [{"path": str(TOY / "canaries.jsonl")}], "canary_every": 10}
    path.write_text(yaml.safe_dump(data))
    out = tmp_path / "run"
    args = ["train", str(path), "--output-dir", str(out), "--set", "seed=0"]
    done = CliRunner().invoke(build_app(args), args)
    assert done.exit_code == 0, done.output
    rows = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert [r["step"] for r in rows] == [5, 10, 15, 20, 25, 30, 35, 40]
    assert {"reward", "rewards/format", "rewards/math"} <= set(rows[0])
    first = sum(r["reward"] for r in rows[:2]) / 2
    last = sum(r["reward"] for r in rows[-2:]) / 2
    assert last > first + 0.1, (first, last)
    assert (out / "rewards.png").stat().st_size > 1000
    assert (out / "final" / "config.json").exists()
    assert (out / "final" / "tokenizer.json").exists()
    assert (out / "cold_start" / "log.jsonl").exists()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["criteria"] == ["format", "math"] and summary["weights"] == [0.2, 0.8]
    assert "last fifth" in done.output and "math" in done.output
    # demonstration (d) of docs/health.md: the normal demo raises no health alert
    assert summary["health"]["alerts"] == [], summary["health"]["alerts"]
    assert "reward health: no alert" in done.output
    assert (out / "health.png").stat().st_size > 1000
    assert rows[0]["health/canary/checked"] == 2 and rows[0]["health/canary/good_failing"] == 0


@pytest.mark.slow
def test_training_continues_through_rewards_that_raise_or_hang(tmp_path):
    rubric = {"criteria": [
        {"reward": f"{REWARDS}:exact", "name": "math", "weight": 1.0},
        {"reward": f"{REWARDS}:explode", "name": "explode", "weight": 0.5},
        {"reward": f"{REWARDS}:hang", "name": "hang", "weight": 0.5, "timeout": 0.5},
    ]}
    data = config(rubric=rubric, cold_start=None,
                  trl={"max_steps": 3, "per_device_train_batch_size": 16, "num_generations": 8,
                       "max_completion_length": 12, "logging_steps": 1,
                       "save_strategy": "no"})
    result = train(load_config(data=data), tmp_path, progress=False)
    assert [r["step"] for r in result.rows] == [1, 2, 3]
    counts = result.status_counts()
    assert counts["rewardkit/explode/error"] > 0, counts
    assert counts["rewardkit/hang/timeout"] > 0, counts
    assert counts["rewardkit/math/error"] == 0 and counts["rewardkit/math/timeout"] == 0
    assert all(r["rewards/math"] is not None for r in result.rows)
    logged = [json.loads(line) for line in (tmp_path / "metrics.jsonl").read_text().splitlines()]
    assert logged[0]["rewardkit/explode/error"] == result.rows[0]["rewardkit/explode/error"]


def test_executor_and_workers_reach_the_rubric_before_any_model(no_model, tmp_path):
    plan = runner.prepare(load_config(data=config(), overrides=["executor=ray", "workers=3"]),
                          tmp_path)
    assert plan.rubric.executor == "ray" and plan.rubric.workers == 3


def test_cli_rejects_an_unknown_executor(tmp_path):
    import yaml

    path = tmp_path / "toy.yaml"
    path.write_text(yaml.safe_dump(config()))
    args = ["train", str(path), "--check", "--executor", "spark"]
    result = CliRunner().invoke(build_app(args), args)
    assert result.exit_code == 2 and "Invalid value for '--executor'" in result.output


def test_kl_reference_is_the_policy_grpo_starts_from(tmp_path):
    """With ``beta > 0`` TRL loads its reference from the model's path: the tiny model has
    none (this used to crash), and a cold start must not be forgotten by the reference."""
    import torch
    from transformers import AutoModelForCausalLM, TrainerCallback

    class Snapshot(TrainerCallback):
        start: dict = {}

        def on_train_begin(self, args, state, control, model=None, **kwargs):
            Snapshot.start = {k: v.detach().clone() for k, v in model.state_dict().items()}

    data = config(cold_start={"path": str(TOY / "demos.jsonl"),
                              "trl": {"max_steps": 3, "learning_rate": 3e-3,
                                      "per_device_train_batch_size": 8}},
                  trl={"max_steps": 1, "per_device_train_batch_size": 8, "num_generations": 8,
                       "max_completion_length": 8, "beta": 0.04, "logging_steps": 1,
                       "save_strategy": "no"})
    snapshot = Snapshot()
    result = train(load_config(data=data), tmp_path, progress=False, callbacks=[snapshot])
    assert [r["step"] for r in result.rows] == [1]
    reference = AutoModelForCausalLM.from_pretrained(tmp_path / "reference").state_dict()
    fresh, _ = runner.load_model(load_config(data=data))
    assert any(not torch.equal(reference[k], v) for k, v in fresh.state_dict().items()
               if k in reference)  # the cold start is in the reference
    assert all(torch.equal(reference[k], Snapshot.start[k]) for k in reference)
