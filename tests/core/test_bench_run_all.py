"""benchmarks/run_all.py: runs every bench script in its own process, collects, updates README."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "run_all.py"

GOOD = """
import json, pathlib
out = pathlib.Path(__file__).parent / "results" / "good.json"
out.write_text(json.dumps({"x": 1}))
print("warming up")
print("| measure | value |")
print("| --- | --- |")
print("| x | 1 |")
"""
CAPTIONED = """
import json, pathlib, sys
out = pathlib.Path(__file__).parent / "results" / "captioned.json"
out.write_text(json.dumps({"x": 1}))
print("round 1/2 done")
print("100 cases, 2 CPUs")
print("")
print("| method | cases/s |")
print("| --- | --- |")
print("| ours | 10 |")
print("")
print("")
print("ours / peer: **2.0x** (goal >= 1x)")
print("a warning on stderr", file=sys.stderr)
"""

README = """# Benchmarks

intro stays

<!-- BEGIN run_all -->
old summary
<!-- END run_all -->

## Good

hand-written notes stay
<!-- BEGIN good table -->
old table
<!-- END good table -->

## Probes
<!-- BEGIN probes table -->
old probes
<!-- END probes table -->
"""


@pytest.fixture
def run_all(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("run_all_under_test", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    bench = tmp_path / "benchmarks"
    (bench / "probes").mkdir(parents=True)
    (bench / "results").mkdir()
    (bench / "bench_good.py").write_text(GOOD)
    (bench / "bench_captioned.py").write_text(CAPTIONED)
    (bench / "bench_bad.py").write_text("import sys; print('| a |'); sys.exit(3)\n")
    (bench / "bench_stale.py").write_text("print('no results written')\n")
    (bench / "bench_slow.py").write_text("import time; time.sleep(60)\n")
    (bench / "README.md").write_text(README)
    (bench / "probes" / "repetition.jsonl").write_text(
        json.dumps({"id": "r", "completion": "a b c a b c", "expected": False}) + "\n")
    (bench / "probes" / "no_such_reward_xyz.jsonl").write_text(
        json.dumps({"id": "n", "completion": "x", "expected": False}) + "\n")
    for name, value in {"HERE": bench, "ROOT": tmp_path, "RESULTS": bench / "results",
                        "README": bench / "README.md", "PROBES": bench / "probes"}.items():
        monkeypatch.setattr(module, name, value)
    return module


def test_list(run_all, capsys):
    assert run_all.main(["--list"]) == 0
    assert capsys.readouterr().out.split()[::2] == ["bad", "captioned", "good", "slow",
                                                           "stale"]


def test_unknown_topic(run_all):
    with pytest.raises(SystemExit):
        run_all.main(["--only", "nope"])


def test_full_run_collects_statuses_probes_and_updates_readme(run_all):
    assert run_all.main(["--timeout", "3"]) == 1  # bad, stale and slow fail
    bench = run_all.HERE
    summary = json.loads((bench / "results" / "summary.json").read_text())
    status = {r["topic"]: r["status"] for r in summary["runs"]}
    assert status == {"bad": "failed (exit 3)", "good": "ok", "captioned": "ok",
                      "slow": "timeout after 3 s", "stale": "no fresh results/stale.json"}
    good = next(r for r in summary["runs"] if r["topic"] == "good")
    assert good["markdown"] == "| measure | value |\n| --- | --- |\n| x | 1 |"
    captioned = next(r for r in summary["runs"] if r["topic"] == "captioned")
    assert captioned["markdown"] == ("100 cases, 2 CPUs\n\n| method | cases/s |\n| --- | --- |\n"
                                     "| ours | 10 |\n\nours / peer: **2.0x** (goal >= 1x)")
    assert summary["machine"]["cpus"] >= 1
    probes = {p["reward"]: p for p in summary["probes"]}
    assert probes["no_such_reward_xyz"]["status"] == "not installed"
    assert probes["repetition"]["status"] == "ok"
    assert (probes["repetition"]["n"], probes["repetition"]["tn"]) == (1, 1)
    readme = (bench / "README.md").read_text()
    assert "intro stays" in readme and "hand-written notes stay" in readme
    assert "old summary" not in readme and "| good | `benchmarks/bench_good.py` | ok |" in readme
    assert "<!-- BEGIN good table -->\n| measure | value |" in readme
    assert "old probes" not in readme and "| `benchmarks/probes/repetition.jsonl` |" in readme
    assert "## good (ok)" in (bench / "results" / "RESULTS.md").read_text()


def test_only_and_no_readme(run_all):
    assert run_all.main(["--only", "good", "--no-probes", "--no-readme"]) == 0
    assert (run_all.HERE / "README.md").read_text() == README
    summary = json.loads((run_all.HERE / "results" / "summary.json").read_text())
    assert [r["topic"] for r in summary["runs"]] == ["good"] and summary["probes"] is None


def test_probe_file_named_after_a_single_reward_plugin(run_all, monkeypatch):
    from types import SimpleNamespace

    import rewardkit.plugins

    entries = [SimpleNamespace(plugin="language", name="language_purity",
                               qualified="language:language_purity"),
               SimpleNamespace(plugin="shaping", name="overlong", qualified="shaping:overlong"),
               SimpleNamespace(plugin="shaping", name="cosine", qualified="shaping:cosine"),
               SimpleNamespace(plugin="math", name="math", qualified="math:math")]
    host = SimpleNamespace(registered=lambda kind: entries)
    monkeypatch.setattr(rewardkit.plugins, "get_host", lambda: host)
    assert run_all.probe_reward("language") == "language:language_purity"
    assert run_all.probe_reward("math") == "math"
    assert run_all.probe_reward("shaping") == "shaping"  # two rewards: ambiguous, left as is
    assert run_all.probe_reward("cosine") == "cosine"


def test_probes_only_keeps_the_last_script_results(run_all):
    assert run_all.main(["--only", "good", "--no-probes"]) == 0
    assert run_all.main(["--probes-only"]) == 0
    summary = json.loads((run_all.HERE / "results" / "summary.json").read_text())
    assert [r["topic"] for r in summary["runs"]] == ["good"]
    assert {p["reward"] for p in summary["probes"]} == {"repetition", "no_such_reward_xyz"}
    text = (run_all.HERE / "results" / "RESULTS.md").read_text()
    assert "## good (ok)" in text and "## probes" in text
    assert "| good | `benchmarks/bench_good.py` | ok |" in (run_all.HERE / "README.md").read_text()
