"""The shipped examples stay runnable: every train config validates (``--check``: config,
rubric, data and environment, no model), and the tool demo's data is what its generator
writes."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("trl")

from typer.testing import CliRunner

from rewardkit.cli.app import build_app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TRAIN_CONFIGS = sorted(EXAMPLES.glob("train-*.yaml"))


def test_there_are_train_examples():
    assert {p.name for p in TRAIN_CONFIGS} >= {"train-toy.yaml", "train-tools.yaml"}


@pytest.mark.parametrize("config", TRAIN_CONFIGS, ids=lambda p: p.name)
def test_train_example_validates(config, tmp_path):
    args = ["train", str(config), "--check", "--output-dir", str(tmp_path)]
    result = CliRunner().invoke(build_app(args), args)
    assert result.exit_code == 0, result.output


def test_tool_demo_baseline_validates(tmp_path):
    """The no-tool baseline that benchmarks/README.md compares against."""
    config = EXAMPLES / "train-tools.yaml"
    args = ["train", str(config), "--check", "--output-dir", str(tmp_path),
            "--set", "environment=null", "--set", "cold_start.path=tools/demos_direct.jsonl"]
    result = CliRunner().invoke(build_app(args), args)
    assert result.exit_code == 0, result.output


def test_tool_demo_data_is_what_its_generator_writes(tmp_path):
    subprocess.run([sys.executable, str(EXAMPLES / "tools" / "make_data.py"), str(tmp_path)],
                   check=True, timeout=120)
    names = ["train.jsonl", "demos_tool.jsonl", "demos_direct.jsonl"]
    match, mismatch, errors = filecmp.cmpfiles(tmp_path, EXAMPLES / "tools", names,
                                               shallow=False)
    assert (mismatch, errors) == ([], []) and sorted(match) == sorted(names)
