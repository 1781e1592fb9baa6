"""Issue 14.6, 14.7, 14.16: `score` with another rubric on resume, bytes that are not
UTF-8, blank lines, and Ctrl-C."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rewardkit.cli.app import build_app

ROOT = Path(__file__).resolve().parents[2]
RUBRIC = """
criteria:
  - {name: len, reward: "tests.core.rewards_for_tests:length", weight: %s}
"""


def run(*args):
    return CliRunner().invoke(build_app(list(args)), list(args))


def score(rubric, data, out, *more):
    return run("score", "-r", str(rubric), "-i", str(data), "-o", str(out), *more)


@pytest.fixture
def files(tmp_path):
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(RUBRIC % "1.0")
    data = tmp_path / "in.jsonl"
    data.write_text("".join(json.dumps({"completion": "x" * n}) + "\n" for n in range(1, 5)))
    return rubric, data, tmp_path / "out.jsonl"


def read(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


# -- 14.6: resume checks the rubric ------------------------------------------------------

@pytest.mark.parametrize("change", [
    lambda r: r.write_text(RUBRIC % "2.0"),  # same criterion, another weight
    lambda r: r.write_text(RUBRIC.replace("name: len", "name: size") % "1.0"),  # renamed
], ids=["weight", "criteria"])
def test_resume_refuses_output_scored_by_another_rubric(files, change):
    rubric, data, out = files
    assert score(rubric, data, out).exit_code == 0
    out.write_text("".join(out.read_text().splitlines(keepends=True)[:2]))  # interrupted
    before = out.read_text()
    change(rubric)
    result = score(rubric, data, out, "--resume")
    assert result.exit_code == 2
    assert "scored with another rubric" in result.output and "--overwrite" in result.output
    assert out.read_text() == before  # nothing mixed in


def test_resume_with_the_same_rubric_still_finishes(files):
    rubric, data, out = files
    assert score(rubric, data, out).exit_code == 0
    complete = out.read_text()
    out.write_text("".join(complete.splitlines(keepends=True)[:2]))
    assert score(rubric, data, out, "--resume").exit_code == 0
    assert out.read_text() == complete
    assert len({row["rubric"] for row in read(out)}) == 1


def test_resume_refuses_rows_without_a_rubric_digest(files):
    rubric, data, out = files
    assert score(rubric, data, out).exit_code == 0
    rows = read(out)[:2]
    for row in rows:
        del row["rubric"]
    out.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = score(rubric, data, out, "--resume")
    assert result.exit_code == 2 and "no rubric digest" in result.output


# -- 14.7: bytes that are not UTF-8, blank lines ----------------------------------------

def test_a_line_that_is_not_utf8_gets_an_error_row_and_the_run_goes_on(files):
    rubric, data, out = files
    data.write_bytes(b'{"completion": "ab"}\n{"completion": "caf\xe9"}\n{"completion": "abc"}\n')
    result = score(rubric, data, out, "--json")
    assert result.exit_code == 0, result.output
    rows = read(out)
    assert [r["status"] for r in rows] == ["ok", "error", "ok"]
    assert rows[1]["line"] == 2 and rows[1]["total"] is None
    assert rows[1]["error"] == ("line 2: not valid UTF-8: byte 0xe9 at column 20; re-encode "
                                "the file as UTF-8")
    assert [r["total"] for r in rows if r["status"] == "ok"] == [2.0, 3.0]


def test_the_utf8_error_row_fails_the_run_with_fail_on_error(files):
    rubric, data, out = files
    data.write_bytes(b'{"completion": "\xff"}\n')
    result = score(rubric, data, out, "--fail-on-error")
    assert result.exit_code == 1 and len(read(out)) == 1


def test_blank_lines_are_skipped_counted_and_named(files):
    rubric, data, out = files
    data.write_text('{"completion": "a"}\n\n   \n{"completion": "bb"}\n\n')
    result = score(rubric, data, out, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["blank_lines_skipped"] == 3 and summary["blank_lines"] == [2, 3, 5]
    assert [r["line"] for r in read(out)] == [1, 4]  # each row still names its input line
    plain = score(rubric, data, out, "--overwrite")
    assert "skipped 3 blank line(s) (lines 2, 3, 5)" in plain.output


def test_a_byte_order_mark_on_the_first_line_is_not_an_error(files):
    rubric, data, out = files
    data.write_bytes(b'\xef\xbb\xbf{"completion": "abc"}\n')
    assert score(rubric, data, out).exit_code == 0
    assert read(out)[0]["total"] == 3.0


# -- 14.16: Ctrl-C tells the user about --resume ----------------------------------------

def test_ctrl_c_says_how_many_rows_are_saved_and_how_to_resume(tmp_path):
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text('criteria:\n  - {reward: "tests.core.rewards_for_scale:pause"}\n')
    data = tmp_path / "in.jsonl"
    data.write_text(json.dumps({"completion": "a"}) + "\n" +
                    json.dumps({"completion": "b", "sleep": 60}) + "\n")
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get(
        "PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-m", "rewardkit", "score", "-r", str(rubric),
                             "-i", str(data), "-o", str(out), "--batch-size", "1"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 60
    while not (out.exists() and out.read_text().count("\n") >= 1):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted: 1 of 2 rows are saved" in err and "--resume" in err
    assert "Traceback" not in err
