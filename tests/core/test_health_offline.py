"""`rewardkit health RUN_DIR` and rewardkit.health.offline: reading run logs."""

import json

import pytest
from typer.testing import CliRunner

from rewardkit.cli.app import build_app
from rewardkit.errors import InputError
from rewardkit.health.offline import analyse, load_run


def entry(step, error_rate=0.0, **more):
    return {"step": step, "reward": 0.5, "rewards/code/mean": 0.5, "rewards/code/std": 0.2,
            "health/code/mean": 0.5, "health/code/error_rate": error_rate,
            "health/code/timeout_rate": 0.0, "health/zero_std_groups": 0.1,
            "health/total/std": 0.3, "health/length/mean": 12.0, **more}


def write_metrics(path, entries):
    path.mkdir(parents=True, exist_ok=True)
    (path / "metrics.jsonl").write_text("".join(json.dumps(e) + "\n" for e in entries))
    return path


def cli(*args):
    return CliRunner().invoke(build_app(["health"]), ["health", *map(str, args)])


def test_the_same_alerts_as_live_with_reasons_from_health_json(tmp_path):
    run = write_metrics(tmp_path, [entry(s, 0.0 if s < 30 else 0.9) for s in range(10, 70, 10)])
    (run / "health.json").write_text(json.dumps(
        {"reasons": {"code/error": "Docker daemon unreachable"}, "canaries": []}))
    monitor = analyse(load_run(run))
    assert [a.line() for a in monitor.alerts] == [
        "code: 90% errors since step 30: Docker daemon unreachable"]


def test_the_command_prints_table_alerts_and_panel(tmp_path):
    run = write_metrics(tmp_path, [entry(s, 0.0 if s < 30 else 0.9) for s in range(10, 70, 10)])
    result = cli(run)
    assert result.exit_code == 0, result.output
    assert "reward health" in result.output and "90% errors since step 30" in result.output
    assert (run / "health.png").stat().st_size > 1000


def test_fail_on_alert_exits_1_and_json_lists_the_alerts(tmp_path):
    run = write_metrics(tmp_path, [entry(s, 0.9) for s in (1, 2, 3)])
    result = cli(run, "--fail-on-alert", "--json", "--no-panel")
    assert result.exit_code == 1
    assert json.loads(result.output)["alerts"][0]["kind"] == "errors"


def test_thresholds_can_be_overridden_and_bad_ones_are_named(tmp_path):
    run = write_metrics(tmp_path, [entry(s, 0.1) for s in (1, 2, 3)])
    assert json.loads(cli(run, "--json", "--no-panel").output)["alerts"] == []
    loose = cli(run, "--json", "--no-panel", "--set", "error_rate=0.05")
    assert len(json.loads(loose.output)["alerts"]) == 1
    bad = cli(run, "--set", "error_rat=0.05")
    assert bad.exit_code == 2 and "unknown key 'error_rat'; did you mean 'error_rate'?" in bad.output


def test_a_trl_trainer_state_from_any_grpo_run_is_read(tmp_path):
    history = [{"step": s, "reward": 0.1 * s, "rewards/fmt/mean": 0.1 * s,
                "frac_reward_zero_std": 0.2, "completions/mean_length": 10.0 * s}
               for s in range(1, 9)]
    checkpoint = tmp_path / "checkpoint-8"
    checkpoint.mkdir()
    (checkpoint / "trainer_state.json").write_text(json.dumps({"log_history": history}))
    run = load_run(tmp_path)
    assert run.source == checkpoint / "trainer_state.json"
    monitor = analyse(run)
    assert [a.kind for a in monitor.alerts] == ["length"]


@pytest.mark.parametrize("content, message", [
    ("", "the log is empty"),
    ('{"step": 1, "reward": 0.5}\n{"step": 2, "rew', "line 2: not valid JSON"),
    ('{"step": 1, "loss": 2.0}\n', "not a GRPO run"),
    ("[1, 2]\n", "expected a JSON object"),
])
def test_bad_logs_fail_with_one_line_and_exit_2(tmp_path, content, message):
    (tmp_path / "metrics.jsonl").write_text(content)
    with pytest.raises(InputError, match=message):
        load_run(tmp_path)
    result = cli(tmp_path)
    assert result.exit_code == 2 and message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_truncated_trainer_state_and_a_missing_log_are_named(tmp_path):
    (tmp_path / "trainer_state.json").write_text('{"log_history": [{"step": 1')
    with pytest.raises(InputError, match="trainer_state.json: not valid JSON"):
        load_run(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="no metrics.jsonl or trainer_state.json"):
        load_run(empty)
    with pytest.raises(InputError, match="no such run directory"):
        load_run(tmp_path / "nope")
