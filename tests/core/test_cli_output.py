"""CLI output prints dynamic text literally, and a missing extra is named, not a traceback."""

import json
import sys

import pytest
import typer
from typer.testing import CliRunner

from rewardkit.cli.app import build_app
from rewardkit.cli.output import fail, missing_extra

RUBRIC = "criteria:\n  - {name: len, reward: 'tests.core.rewards_for_tests:length'}\n"


def run(*args):
    return CliRunner().invoke(build_app(list(args)), list(args))


def test_fail_prints_brackets_as_written(capsys):
    with pytest.raises(typer.Exit):
        fail("install the extra: pip install 'rewardkit[train]'")
    assert "pip install 'rewardkit[train]'" in capsys.readouterr().err


def test_a_missing_module_of_an_extra_names_the_extra(capsys):
    with pytest.raises(typer.Exit) as exit_info:
        missing_extra(ModuleNotFoundError("No module named 'torch'", name="torch"), "train")
    assert exit_info.value.exit_code == 2
    err = capsys.readouterr().err
    assert "needs the 'train' extra (torch is not installed)" in err
    assert "pip install 'rewardkit[train]'" in err


def test_an_unknown_missing_module_is_not_blamed_on_an_extra():
    with pytest.raises(ModuleNotFoundError):
        missing_extra(ModuleNotFoundError("nope", name="my_own_module"), "score")


def test_sample_on_a_core_install_names_the_extra_instead_of_crashing(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "datasets", None)  # as if `datasets` were not installed
    (tmp_path / "rubric.yaml").write_text(RUBRIC)
    (tmp_path / "prompts.jsonl").write_text(json.dumps({"prompt": "p"}) + "\n")
    result = run("sample", "-r", str(tmp_path / "rubric.yaml"), "-i",
                 str(tmp_path / "prompts.jsonl"), "-o", str(tmp_path / "out.jsonl"))
    assert result.exit_code == 2, result.output
    assert "needs the 'train' extra (datasets is not installed)" in result.output
    assert "pip install 'rewardkit[train]'" in result.output
    assert "Traceback" not in result.output


def test_bench_report_without_matplotlib_names_the_bench_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps({"id": "a", "completion": "ab", "expected": 2.0}) + "\n")
    result = run("bench", "tests.core.rewards_for_tests:length", "--cases", str(cases),
                 "--report", str(tmp_path / "report"))
    assert result.exit_code == 2, result.output
    assert "pip install 'rewardkit[bench]'" in result.output


def test_file_names_with_brackets_survive_the_score_summary(tmp_path):
    (tmp_path / "rubric.yaml").write_text(RUBRIC)
    data = tmp_path / "in[1].jsonl"
    data.write_text(json.dumps({"completion": "ab"}) + "\n")
    out = tmp_path / "out[bold].jsonl"
    result = run("score", "-r", str(tmp_path / "rubric.yaml"), "-i", str(data), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "out[bold].jsonl" in result.output.replace("\n", "")
