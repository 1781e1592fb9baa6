"""Bench reports from synthetic runs: Markdown content and both latency-plot scales."""

from __future__ import annotations

import pytest

from rewardkit.bench.metrics import CaseResult
from rewardkit.bench.report import (
    bar_values,
    category_figure,
    fmt,
    markdown,
    shorten,
    write_report,
)
from rewardkit.bench.runner import RewardRun
from rewardkit.bench.specs import RewardSpec

PNG = b"\x89PNG\r\n\x1a\n"


def make_run(label, latencies, values=(1.0, 0.0, None)):
    results = [CaseResult(str(i), "alg" if i % 2 else "geo", True, v,
                          "ok" if v is not None else "timeout", lat,
                          {} if v is not None else {"reason": "timed out after 2 s"})
               for i, (v, lat) in enumerate(zip(values, latencies))]
    return RewardRun(RewardSpec(label, "x"), results, wall_s=0.5, peak_memory_mb=12.0,
                     threshold=0.5, timeout=2.0)


@pytest.mark.parametrize("latencies", [(0.01, 0.02, 0.03), (0.0001, 0.5, 2.0)])
def test_write_report_files(tmp_path, latencies):
    paths = write_report([make_run("a", latencies), make_run("b|c", latencies)], tmp_path,
                         "cases.jsonl")
    assert [p.name for p in paths] == ["report.md", "per_category.png", "latency.png"]
    for png in paths[1:]:
        assert png.read_bytes()[:8] == PNG


def test_markdown_content():
    text = markdown([make_run("a", (0.01, 0.02, 0.03))], "cases.jsonl")
    assert "Cases: `cases.jsonl` (3 cases), threshold 0.5" in text
    assert "| a | 3 | 0.333 | 1.000 | 0.333 | 0.500 | 1 | 0 | 0 | 2 | – | 6.000 |" in text
    assert "| a | 2 | 0 | 0 | 0 | 1 |" in text  # status counts: ok 2, timeout 1
    assert "| alg | 1 | 0.000 |" in text and "| geo | 2 | 0.500 |" in text
    assert "## Mistakes: a (2)" in text
    assert "| 2 | geo | True | – | timeout |  |  |  |  | timed out after 2 s |" in text


def test_pipes_in_labels_are_escaped():
    assert "| b\\|c | 3 |" in markdown([make_run("b|c", (0.01, 0.02, 0.03))])


def test_fmt():
    assert (fmt(None), fmt(0.5), fmt(12345.6), fmt(3), fmt(True)) == (
        "–", "0.500", "12,346", "3", "True")


def test_a_mistake_shows_the_completion_reference_extraction_and_rule():
    info = {"extracted": "41", "method": "boxed", "rule": "exact", "reference": "42"}
    completion = "Let me think step by step. " * 20 + "So the answer is \\boxed{41}."
    result = CaseResult("m1", "alg", True, 0.0, "ok", 0.01, info, completion, "42")
    run = RewardRun(RewardSpec("math", "math"), [result], 0.1, 1.0, 0.5, 2.0)
    text = markdown([run])
    assert "| id | category | expected | value | status | completion | reference | extracted |" \
           " decided by | reason |" in text
    row = next(line for line in text.splitlines() if line.startswith("| m1 "))
    assert "Let me think" in row and "\\boxed{41}." in row and " … " in row  # shortened
    assert "| 42 | 41 | boxed → exact | extracted '41', reference '42' |" in row


def test_format_and_judge_infos_name_the_deciding_rule():
    from rewardkit.bench.report import verdict_parts

    assert verdict_parts({"failed": ["present", "once"]}) == ("", "failed: present, once")
    assert verdict_parts({"injection": [{"cue": "instruction override"}]})[1] == \
        "injection: instruction override"


def test_shorten_keeps_the_head_and_the_end_on_one_line():
    text = shorten("a\nb " + "x" * 200 + " END", 40)
    assert len(text) <= 40 and text.startswith("a b") and text.endswith("END")


def test_zero_accuracy_bars_are_visible_and_labelled():
    run = make_run("a", (0.01, 0.02, 0.03), values=(0.0, 0.0, 0.0))  # every case wrong
    summary = run.summary()
    widths, labels = bar_values(summary, ["geo", "alg", "missing"])
    assert widths[0] > 0 and labels[:2] == ["0.00", "0.00"] and labels[2] == "n/a"
    fig = category_figure([run])
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts.count("0.00") == 2
    assert all(p.get_width() > 0 for p in fig.axes[0].patches)
