"""`rewardkit sandbox build | check | run`, reached through the plugin entry point."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from rewardkit.cli.app import build_app
from rewardkit.plugins import reset_host


def invoke(*args: str):
    reset_host()
    return CliRunner().invoke(build_app(list(args)), list(args))


@pytest.fixture
def program(tmp_path):
    path = tmp_path / "add.py"
    path.write_text("a, b = map(int, input().split())\nprint(a + b)\n")
    return path


def write_tests(tmp_path, tests, language="python"):
    path = tmp_path / "tests.json"
    path.write_text(json.dumps({"language": language, "tests": tests}))
    return path


def test_sandbox_commands_come_from_the_plugin():
    result = invoke("sandbox", "--help")
    assert result.exit_code == 0
    for command in ("build", "check", "run"):
        assert command in result.output


def test_run_rejects_a_malformed_tests_file(tmp_path, program):
    bad = write_tests(tmp_path, [{"input": "1 2"}])
    result = invoke("sandbox", "run", str(program), "--tests", str(bad))
    assert result.exit_code == 2
    assert "needs 'output'" in result.output


def test_run_names_a_missing_program(tmp_path):
    tests = write_tests(tmp_path, [{"input": "1 2", "output": "3"}])
    result = invoke("sandbox", "run", str(tmp_path / "nope.py"), "--tests", str(tests))
    assert result.exit_code == 2 and "cannot read program" in result.output


@pytest.mark.docker
def test_run_prints_json_and_exits_1_when_a_test_fails(tmp_path, program, sandbox_image):
    tests = write_tests(tmp_path, [{"input": "1 2", "output": "3"}, {"input": "1 2", "output": "4"}])
    result = invoke("sandbox", "run", str(program), "--tests", str(tests), "--json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert (data["passed"], data["total"]) == (1, 2)
    assert [r["status"] for r in data["results"]] == ["pass", "fail"]


@pytest.mark.docker
def test_run_table_and_exit_0_when_all_pass(tmp_path, program, sandbox_image):
    tests = write_tests(tmp_path, [{"input": "2 2", "output": "4"}])
    result = invoke("sandbox", "run", str(program), "--tests", str(tests))
    assert result.exit_code == 0, result.output
    assert "passed 1/1" in result.output


@pytest.mark.docker
def test_check_reports_every_check(sandbox_image):
    result = invoke("sandbox", "check", "--json")
    assert result.exit_code == 0, result.output
    checks = {c["check"]: c["ok"] for c in json.loads(result.stdout)}
    assert checks == {"daemon": True, "image": True, "smoke program": True,
                      "fork bomb contained": True}


@pytest.mark.docker
def test_build_is_a_no_op_when_the_image_is_current(sandbox_image):
    result = invoke("sandbox", "build")
    assert result.exit_code == 0, result.output
    assert sandbox_image in result.output and "up to date" in result.output


def test_check_without_a_daemon_fails_with_the_reason(monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    result = invoke("sandbox", "check")
    assert result.exit_code == 2
    assert "Docker is not reachable" in result.output
