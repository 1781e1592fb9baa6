"""`rewardkit bench` end to end, on small case files whose every metric is known.

The rewards are defined here and referenced by import path (``<this module>:verdict``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from rewardkit import Score, per_sample
from rewardkit.cli.app import build_app

HERE = __name__


def verdict(sample, flip: bool = False):
    """'yes' 1.0, 'no' 0.0, 'half' 0.5, a number itself; 'unsure' unverifiable; 'crash' raises."""
    text = sample.completion_text.strip()
    if text == "crash":
        raise ValueError("the verifier crashed")
    if text == "unsure":
        return Score.unverifiable("cannot decide")
    if text == "hang":
        while True:  # spins in C-free Python; only a killed worker stops it
            time.sleep(0.01)
    value = {"yes": 1.0, "no": 0.0, "half": 0.5}.get(text)
    value = float(text) if value is None else value
    return 1.0 - value if flip else value


verdict_cpu = per_sample(verdict, name="verdict_cpu", cpu_bound=True)

CASES = [
    {"id": 1, "completion": "yes", "expected": True, "category": "alg"},      # tp
    {"id": 2, "completion": "yes", "expected": True, "category": "alg"},      # tp
    {"id": 3, "completion": "no", "expected": True, "category": "alg"},       # fn
    {"id": 4, "completion": "half", "expected": True, "category": "alg"},     # tp (>= 0.5)
    {"id": 5, "completion": "yes", "expected": False, "category": "geo"},     # fp
    {"id": 6, "completion": "no", "expected": False, "category": "geo"},      # tn
    {"id": 7, "completion": "unsure", "expected": True, "category": "geo"},   # fn (None)
    {"id": 8, "completion": "crash", "expected": False, "category": "geo"},   # tn (None)
    {"id": 9, "completion": "0.75", "expected": 0.5, "category": "num"},      # |err| 0.25
    {"id": 10, "completion": "0", "expected": 0.5, "category": "num"},        # |err| 0.5
]


@pytest.fixture
def cases(tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps(c) + "\n" for c in CASES))
    return path


def bench(*args):
    result = CliRunner().invoke(build_app(["bench"]), ["bench", *map(str, args)])
    return result


def bench_json(*args):
    result = bench(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_metric_exact(cases):
    (s,) = bench_json(f"{HERE}:verdict", "--cases", cases)
    assert s["reward"] == f"{HERE}:verdict" and s["n"] == 10 and s["n_boolean"] == 8
    assert (s["tp"], s["fp"], s["tn"], s["fn"]) == (3, 1, 2, 2)
    assert s["accuracy"] == 5 / 8
    assert s["precision"] == 3 / 4
    assert s["recall"] == 3 / 5
    assert s["f1"] == pytest.approx(2 / 3)
    assert (s["mae"], s["mae_n"]) == (0.375, 2)
    assert s["status_counts"] == {"ok": 8, "not_applicable": 0, "unverifiable": 1,
                                  "error": 1, "timeout": 0}
    assert s["false_positives"] == ["5"] and s["false_negatives"] == ["3", "7"]
    assert s["cases_per_s"] > 0 and s["peak_memory_mb"] > 0
    lat = s["latency_ms"]
    assert 0 <= lat["p50"] <= lat["p95"] <= lat["p99"] <= lat["max"]


def test_per_category_split(cases):
    (s,) = bench_json(f"{HERE}:verdict", "--cases", cases)
    cats = s["per_category"]
    assert list(cats) == ["alg", "geo", "num"]
    assert (cats["alg"]["tp"], cats["alg"]["fn"], cats["alg"]["accuracy"]) == (3, 1, 0.75)
    geo = cats["geo"]
    assert (geo["fp"], geo["tn"], geo["fn"], geo["accuracy"]) == (1, 2, 1, 0.5)
    assert geo["status_counts"]["error"] == 1 and geo["status_counts"]["unverifiable"] == 1
    assert cats["num"]["accuracy"] is None and cats["num"]["mae"] == 0.375


def test_threshold_option(cases):
    (s,) = bench_json(f"{HERE}:verdict", "--cases", cases, "--threshold", "0.6")
    assert (s["tp"], s["fp"], s["tn"], s["fn"]) == (2, 1, 2, 3)


def test_two_settings_side_by_side_and_case_params_override(cases, tmp_path):
    rows = CASES[:2] + [{"id": "p", "completion": "yes", "expected": True,
                         "params": {"flip": False}}]
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    plain, flipped = bench_json(f"{HERE}:verdict", f"{HERE}:verdict:flip=true", "--cases", path)
    assert plain["reward"] == f"{HERE}:verdict" and plain["tp"] == 3
    assert flipped["reward"] == f"{HERE}:verdict:flip=true" and flipped["params"] == {"flip": True}
    assert (flipped["tp"], flipped["fn"]) == (1, 2)  # case "p" kept flip=False


def test_global_param(cases):
    (s,) = bench_json(f"{HERE}:verdict", "--cases", cases, "--param", "flip=true")
    assert s["params"] == {"flip": True}
    assert (s["tp"], s["fp"], s["tn"], s["fn"]) == (2, 1, 2, 3)


def test_timeout_kills_a_hanging_cpu_bound_case(tmp_path):
    path = tmp_path / "hang.jsonl"
    path.write_text(json.dumps({"id": "y", "completion": "yes", "expected": True}) + "\n"
                    + json.dumps({"id": "h", "completion": "hang", "expected": False}) + "\n")
    (s,) = bench_json(f"{HERE}:verdict_cpu", "--cases", path, "--timeout", "1",
                      "--workers", "1")
    assert s["status_counts"]["timeout"] == 1 and s["status_counts"]["ok"] == 1
    assert (s["tp"], s["tn"]) == (1, 1)  # the timed-out case counts as not rewarded
    assert s["latency_ms"]["max"] == 1000.0  # a timed-out case counts at its budget
    assert s["timeout_s"] == 1.0


def test_report_files(cases, tmp_path):
    out = tmp_path / "report"
    bench_json(f"{HERE}:verdict", f"{HERE}:verdict:flip=true", "--cases", cases,
               "--report", out)
    text = (out / "report.md").read_text()
    assert f"| {HERE}:verdict | 10 | 0.625 | 0.750 | 0.600 | 0.667 | 3 | 1 | 2 | 2 |" in text
    assert "| alg | 4 | 0.750 | 0.500 |" in text  # flipped: "no" and "half" rewarded
    assert "## Mistakes: " + f"{HERE}:verdict (3)" in text
    assert "| 7 | geo | True | – | unverifiable | unsure |  |  |  | cannot decide |" in text
    for png in ("per_category.png", "latency.png"):
        data = (out / png).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 1000


def test_per_case_output(cases, tmp_path):
    out = tmp_path / "rows.jsonl"
    bench_json(f"{HERE}:verdict", "--cases", cases, "--output", out)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == [str(c["id"]) for c in CASES]
    assert rows[7]["status"] == "error" and "the verifier crashed" in rows[7]["reason"]
    assert rows[0]["correct"] is True and rows[2]["correct"] is False


def test_table_output(cases):
    result = bench(f"{HERE}:verdict", "--cases", cases)
    assert result.exit_code == 0, result.output
    assert "tp / fp / tn / fn" in result.stdout and "3 / 1 / 2 / 2" in result.stdout
    assert "unverifiable 1, error 1" in result.stdout
    assert "per category" in result.stdout


@pytest.mark.parametrize("args, message", [
    (["no_such_reward_xyz"], "no reward named 'no_such_reward_xyz'"),
    (["no_such_module_xyz.sub:fn"], "cannot import 'no_such_module_xyz.sub'"),
    ([f"{HERE}:no_such_fn"], "has no attribute 'no_such_fn'"),
    ([f"{HERE}:verdict:flp=true"], "unknown parameter 'flp'; did you mean 'flip'?"),
    ([f"{HERE}:verdict", "--param", "flip"], "--param: 'flip' is not key=value"),
    ([f"{HERE}:verdict", "--timeout", "0"], "--timeout must be positive"),
])
def test_bad_reward_or_option(cases, args, message):
    result = bench(*args[:1], "--cases", cases, *args[1:])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_bad_case_param_names_the_case(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"id": "q", "completion": "yes", "expected": True,
                                "params": {"flap": 1}}) + "\n")
    result = bench(f"{HERE}:verdict", "--cases", path)
    assert result.exit_code == 2
    assert "unknown parameter 'flap'" in result.output
    assert "case 'q', line 1" in " ".join(result.output.split())


@pytest.mark.parametrize("content, message", [
    (None, "does not exist"),
    ('{"id": 1, "completion": "yes"}\n', "line 1: missing field(s) 'expected'"),
    ('{"id": 1, "completion": "yes", "expected": true}\n{oops\n', "line 2: not valid JSON"),
    ('{"id": 1, "completion": "yes", "expected": "true"}\n', "line 1: 'expected' must be"),
])
def test_bad_case_file(tmp_path, content, message):
    path = tmp_path / "cases.jsonl"
    if content is not None:
        path.write_text(content)
    result = bench(f"{HERE}:verdict", "--cases", path)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())


def test_installed_command_json_and_exit_codes(tmp_path):
    """The real entry point, in a subprocess, with a first-party reward."""
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"id": 1, "completion": "a b c a b c", "expected": 0.0}) + "\n")
    cmd = [sys.executable, "-c", "from rewardkit.cli import main; main()", "bench"]
    ok = subprocess.run([*cmd, "shaping:repetition", "--cases", str(path), "--json"],
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    (s,) = json.loads(ok.stdout)
    assert s["n"] == 1 and s["mae"] == pytest.approx(0.25)
    bad = subprocess.run([*cmd, "shaping:repetition", "--cases", str(tmp_path / "x.jsonl")],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "does not exist" in bad.stderr and bad.stdout == ""
