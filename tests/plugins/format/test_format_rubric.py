"""format as a rubric gate, next to language_purity, as the READMEs show."""

import pytest

from rewardkit import Rubric, Sample

pytest.importorskip("rewardkit_language")

RUBRIC = {"criteria": [
    {"reward": "format", "weight": 0.2, "gate": True},
    {"name": "format_partial", "reward": "format", "weight": 0, "params": {"mode": "partial"}},
    {"reward": "language_purity", "weight": 0.8, "params": {"target": "en"}},
]}


def test_format_gate_zeroes_a_badly_formatted_completion():
    good = Sample("<think>We add the two numbers carefully.</think>\n<answer>4</answer>")
    bad = Sample("<think>We add the two numbers carefully.</think>\n<answer>4</answer>\n"
                 "<answer>5</answer>")
    result = Rubric.from_dict(RUBRIC).score([good, bad])
    assert result.rows[0].total == pytest.approx(1.0)
    assert result.rows[1].total == 0.0
    assert result.rows[1].components["format_partial"].value == pytest.approx(5 / 7)
    assert result.rows[1].components["language_purity"].value == 1.0
