"""Issue 14.3: a missing label (None, NaN, "", "nan", "None") is never compared as text.

`<answer>nan</answer>` against a NaN reference used to score 1.0 (the NaN was compared as
the text "nan"). Every surface that builds samples is checked: Python, `score`, the
service and `to_trl`.
"""

import json
import math

import pytest
from typer.testing import CliRunner

from rewardkit import Rubric, Sample, criterion
from rewardkit.cli.app import build_app
from rewardkit.trl import to_trl

MISSING = [None, math.nan, "", "  ", "nan", "NaN", "None", "null", "<NA>"]
GAMES = ["<answer>nan</answer>", "<answer>None</answer>", "<answer></answer>", "\\boxed{nan}"]


@pytest.fixture(scope="module")
def rubric():
    with Rubric([criterion("math", weight=1.0)]) as built:
        yield built


@pytest.mark.parametrize("reference", MISSING, ids=repr)
def test_python_a_missing_reference_is_unverifiable_never_a_match(rubric, reference):
    scores = rubric.score([Sample(game, reference=reference) for game in GAMES]).component("math")
    assert {s.status.value for s in scores} == {"unverifiable"}
    assert all(s.value is None and "no reference" in s.info["reason"] for s in scores)


def test_python_pandas_missing_cells_are_missing(rubric):
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame({"completion": ["<answer>nan</answer>"] * 3,
                              "reference": [None, "7", None]})
    frame.loc[2, "reference"] = pandas.NA
    as_text = frame.astype({"reference": str})  # how a cast column spells missing: "None"/"<NA>"
    for table in (frame, as_text):
        statuses = [s.status.value for s in rubric.score(table.to_dict("records")).component("math")]
        assert statuses == ["unverifiable", "ok", "unverifiable"]


def test_a_reference_list_with_a_missing_item_is_unverifiable(rubric):
    score = rubric.score([Sample("<answer>1, nan</answer>", reference=[1, math.nan])]).rows[0]
    assert score.components["math"].status.value == "unverifiable"


def test_a_real_reference_still_scores(rubric):
    scores = rubric.score([Sample("<answer>4</answer>", reference="4"),
                           Sample("<answer>none</answer>", reference="none of these")])
    assert [s.value for s in scores.component("math")] == [1.0, 0.0]


def test_score_command_reports_missing_labels_as_unverifiable(tmp_path):
    (tmp_path / "r.yaml").write_text("criteria:\n  - reward: math\n")
    lines = ['{"completion": "<answer>nan</answer>", "reference": NaN}',  # Python's json reads it
             '{"completion": "<answer>nan</answer>", "reference": "nan"}',
             '{"completion": "<answer>None</answer>", "reference": "None"}',
             '{"completion": "<answer>None</answer>", "reference": null}',
             '{"completion": "<answer>4</answer>", "reference": "4"}']
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n")
    args = ["score", "-r", str(tmp_path / "r.yaml"), "-i", str(tmp_path / "in.jsonl"),
            "-o", str(tmp_path / "out.jsonl")]
    result = CliRunner().invoke(build_app(args), args)
    assert result.exit_code == 0, result.output
    rows = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [r["components"]["math"]["status"] for r in rows] == ["unverifiable"] * 4 + ["ok"]
    assert [r["total"] for r in rows] == [None] * 4 + [1.0]


def test_service_reports_missing_labels_as_unverifiable(rubric):
    pytest.importorskip("fastapi")
    httpx = pytest.importorskip("httpx")
    from rewardkit.service.server import running_server

    with running_server(Rubric([criterion("math")], workers=1)) as url:
        native = httpx.post(f"{url}/v1/score", timeout=60, json={"samples": [
            {"completion": "<answer>nan</answer>", "reference": "nan"},
            {"completion": "<answer>None</answer>", "reference": "None"},
            {"completion": "<answer>4</answer>", "reference": "4"}]}).json()
        openrlhf = httpx.post(f"{url}/get_reward", timeout=60, json={
            "query": ["<answer>nan</answer>", "<answer>4</answer>"], "labels": ["nan", "4"]}).json()
    statuses = [r["components"]["math"]["status"] for r in native["results"]]
    assert statuses == ["unverifiable", "unverifiable", "ok"]
    assert openrlhf["statuses"]["math"] == ["unverifiable", "ok"]
    assert openrlhf["rewards"] == [0.0, 1.0] and openrlhf["totals"] == [None, 1.0]


def test_to_trl_masks_missing_labels_instead_of_rewarding_them(rubric):
    funcs, _ = to_trl(rubric)
    completions = [[{"role": "assistant", "content": "<answer>nan</answer>"}]] * 3
    values = funcs[0](prompts=["q"] * 3, completions=completions,
                      reference=[math.nan, "None", ""])
    assert values == [None, None, None]
