"""The `rewardkit` command line: plugins, rewards, score (with resume and bad input)."""

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from rewardkit.cli.app import build_app

RUBRIC = """
criteria:
  - name: len
    reward: tests.core.rewards_for_tests:length
    weight: 1.0
  - name: flaky
    reward: tests.core.rewards_for_tests:misbehave
    weight: 0.0
    timeout: 5
"""


def run(*args):
    result = CliRunner().invoke(build_app(list(args)), list(args))
    return result


@pytest.fixture
def files(tmp_path):
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(RUBRIC)
    rows = [{"id": "a", "completion": "ab", "prompt": "p"},
            "not json",
            {"id": "c", "completion": "raise"},
            {"prompt": "no completion"},
            {"id": "e", "completion": [{"role": "assistant", "content": "abcd"}], "topic": "t"}]
    data = tmp_path / "in.jsonl"
    data.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n\n")
    return rubric, data, tmp_path / "out.jsonl"


def read(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_score_writes_one_row_per_input_row_in_order(files):
    rubric, data, out = files
    result = run("score", "-r", str(rubric), "-i", str(data), "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = read(out)
    assert [r["line"] for r in rows] == [1, 2, 3, 4, 5]
    assert [r["status"] for r in rows] == ["ok", "error", "ok", "error", "ok"]
    assert rows[0]["id"] == "a" and rows[0]["total"] == 2.0
    assert "line 2: invalid JSON" in rows[1]["error"]
    assert "line 4: missing 'completion'" in rows[3]["error"]
    assert rows[2]["components"]["flaky"]["status"] == "error"
    assert rows[4]["total"] == 4.0
    assert "len" in result.output and "malformed input" in result.output


def test_score_json_summary_counts_errors(files):
    rubric, data, out = files
    result = run("score", "-r", str(rubric), "-i", str(data), "-o", str(out), "--json")
    summary = json.loads(result.stdout[result.stdout.index("{"):])
    assert summary["scored"] == 5 and summary["malformed"] == 2
    assert summary["criteria"]["flaky"]["error"] == 1
    assert summary["criteria"]["len"]["mean"] == pytest.approx((2 + 5 + 4) / 3)


def test_fail_on_error_exits_non_zero(files):
    rubric, data, out = files
    result = run("score", "-r", str(rubric), "-i", str(data), "-o", str(out), "--fail-on-error")
    assert result.exit_code == 1


def test_existing_output_needs_resume_or_overwrite(files):
    rubric, data, out = files
    out.write_text("{}\n")
    result = run("score", "-r", str(rubric), "-i", str(data), "-o", str(out))
    assert result.exit_code == 2 and "--resume" in result.output
    assert run("score", "-r", str(rubric), "-i", str(data), "-o", str(out),
               "--overwrite").exit_code == 0


def test_resume_finishes_an_interrupted_run_without_rescoring(files, tmp_path):
    rubric, data, out = files
    assert run("score", "-r", str(rubric), "-i", str(data), "-o", str(out)).exit_code == 0
    complete = out.read_text()
    lines = complete.splitlines(keepends=True)
    out.write_text("".join(lines[:2]) + lines[2][:15])  # two rows and a torn third
    first = json.loads(lines[0])
    result = run("score", "-r", str(rubric), "-i", str(data), "-o", str(out), "--resume")
    assert result.exit_code == 0, result.output
    assert "2 kept" in result.output
    assert out.read_text() == complete
    assert read(out)[0] == first


def test_resume_refuses_output_from_other_input(files, tmp_path):
    rubric, data, out = files
    run("score", "-r", str(rubric), "-i", str(data), "-o", str(out))
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"completion": "different"}) + "\n")
    result = run("score", "-r", str(rubric), "-i", str(other), "-o", str(out), "--resume")
    assert result.exit_code == 2 and "does not match" in result.output


@pytest.mark.parametrize("args, message", [
    (["-r", "missing.yaml"], "cannot read rubric file"),
    (["-i", "missing.jsonl"], "cannot read"),
])
def test_bad_usage_exits_2_with_a_one_line_reason(files, args, message):
    rubric, data, out = files
    base = {"-r": str(rubric), "-i": str(data), "-o": str(out)}
    base.update(dict(zip(args[::2], args[1::2])))
    result = run("score", *[x for kv in base.items() for x in kv])
    assert result.exit_code == 2 and message in result.output


def test_unknown_reward_in_rubric_is_a_clean_error(tmp_path, files):
    _, data, out = files
    rubric = tmp_path / "bad.yaml"
    rubric.write_text("criteria:\n  - reward: overlng\n")
    result = run("score", "-r", str(rubric), "-i", str(data), "-o", str(out))
    assert result.exit_code == 2 and "did you mean 'overlong'" in result.output


def test_plugins_json_lists_installed_plugins():
    result = run("plugins", "--json")
    plugins = {p["name"]: p for p in json.loads(result.stdout)}
    assert plugins["shaping"]["status"] == "loaded"
    assert "overlong" in plugins["shaping"]["provides"]["rewards"]


def test_rewards_json_lists_rewards_with_owner_and_doc():
    rewards = {r["qualified"]: r for r in json.loads(run("rewards", "--json").stdout)}
    assert rewards["shaping:overlong"]["doc"].startswith("Soft overlong punishment")


def test_plugins_failed_shows_a_broken_plugin_with_its_remedy(fake_dist, tmp_path):
    site = fake_dist("broken-rewards", "broken", "raise ImportError('missing dep')",
                     group="rewardkit")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), *sys.path])}
    out = subprocess.run([sys.executable, "-m", "rewardkit", "plugins", "--failed", "--json"],
                         env=env, capture_output=True, text=True)
    assert out.returncode == 1  # a failed plugin: a check in CI fails
    (failed,) = json.loads(out.stdout)
    assert failed["name"] == "broken" and "missing dep" in failed["error"]
    assert "plugin 'broken' failed" in out.stderr  # reported once on stderr


def test_plugin_commands_are_added_when_asked_for(fake_dist):
    site = fake_dist("cmd-rewards", "cmdplug", """
from rewardkit import hookimpl

@hookimpl
def register_commands(app):
    @app.command("hello")
    def hello(name: str = "world"):
        print(f"hello {name}")
""", group="rewardkit")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), *sys.path])}
    out = subprocess.run([sys.executable, "-m", "rewardkit", "hello", "--name", "rk"], env=env,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "hello rk"


def test_version_flag():
    assert run("--version").stdout.startswith("rewardkit ")


def test_cli_executor_choices_are_the_executor_kinds():
    from typing import get_args

    from rewardkit.cli.output import ExecutorKind
    from rewardkit.executors.config import EXECUTOR_KINDS, ExecutorConfig

    kinds = get_args(ExecutorConfig.model_fields["kind"].annotation)
    assert tuple(k.value for k in ExecutorKind) == EXECUTOR_KINDS == kinds


def test_unknown_executor_is_bad_usage(files):
    rubric, data, out = files
    result = run("score", "-r", str(rubric), "-i", str(data), "-o", str(out), "--executor", "k8s")
    assert result.exit_code == 2 and "Invalid value for '--executor'" in result.output
