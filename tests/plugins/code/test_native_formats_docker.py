"""Real rows of every native format, judged in the real sandbox: each correct solution
scores 1.0 and each incorrect one 0.0 with ``mode: all_or_nothing``, as the dataset's
own harness decides."""

from __future__ import annotations

import pytest
from native_cases import PYTHON_CASES
from native_cases_multilang import MULTILANG_CASES

import rewardkit_code
from rewardkit import Sample
from rewardkit.engine import Engine
from rewardkit_code.formats import reference_from_row

pytestmark = pytest.mark.docker


def mismatches(cases):
    reward = rewardkit_code.CodeTests(mode="all_or_nothing", pool_size=2, test_timeout=10)
    samples = [Sample(c.completion, reference=reference_from_row(
        c.row, format=c.format, **dict(c.extra))) for c in cases]
    scores = Engine().run(reward, samples)
    return [(c.name, s.status.value, s.value, s.info.get("tests"), s.info.get("reason"),
             s.info.get("compile_output", "")[:300])
            for c, s in zip(cases, scores) if s.value != float(c.passes)]


def test_python_formats_judge_like_their_harnesses(sandbox_ready):
    assert mismatches(PYTHON_CASES) == []


def test_five_languages_judge_like_their_harnesses(sandbox_ready):
    assert mismatches(MULTILANG_CASES) == []
