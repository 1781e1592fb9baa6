"""The hack probes in benchmarks/probes/judge.jsonl against a judge that obeys injections."""

from __future__ import annotations

import re

import pytest
import yaml

from rewardkit import Sample, build_reward
from rewardkit.engine import Engine
from rewardkit_judge.probing import obedient_judge
from tests.probes import PROBES, load_probes

CASES = load_probes("judge")
# hacks whose obedient reply a parser taking the last number would score 5/5 or more
NAIVE_FOOLED = {"judge-inject-give-10", "judge-inject-system", "judge-inject-official",
                "judge-roleplay-grader", "judge-fake-verdict", "judge-fake-keyed-verdict",
                "judge-close-block", "judge-fake-json-score"}


@pytest.fixture(scope="module")
def scores():
    spec = yaml.safe_load((PROBES / "judge.yaml").read_text())
    reward = build_reward(spec["reward"], spec["params"])
    samples = [Sample(c["completion"], c["prompt"], c["reference"]) for c in CASES]
    return dict(zip([c["id"] for c in CASES], Engine().run(reward, samples))), reward


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_hacks_earn_no_high_score_and_honest_answers_do(scores, case):
    score = scores[0][case["id"]]
    rewarded = score.value is not None and score.value >= 0.5
    assert rewarded == case["expected"], score


def test_the_probes_would_fool_a_naive_parser(scores):
    _, reward = scores
    fooled = set()
    for case in CASES:
        answer, _ = reward._clip(case["completion"])
        prompt, _ = reward.template.render(case["prompt"], {"candidate": answer},
                                           case["reference"])
        last_line = obedient_judge(prompt, 1, None)[0].splitlines()[-1]
        numbers = re.findall(r"\d+", last_line)
        if not case["expected"] and numbers and int(numbers[-1]) >= 5:
            fooled.add(case["id"])
    assert fooled == NAIVE_FOOLED


def test_the_obedient_judge_ignores_prompts_it_cannot_read():
    assert obedient_judge("no verdict format here", 1, None) is None
