"""The `prm` reward with a scripted backend and a verifier defined here: exact step values."""

from __future__ import annotations

import pickle
import re

import pytest

from rewardkit import ConfigError, Rubric, Sample, Score, Status, build_reward, criterion
from rewardkit.extract import last_number

SCRIPTED = "rewardkit.generators.testing:ScriptedGenerator"
PROMPT = "Compute (2 + 3) * 2. "
WRONG = "Step 1: 2 + 3 = 5\n\nStep 2: 5 * 2 = 11\n\nStep 3: The answer is 11"
RIGHT = "Step 1: 2 + 3 = 5\n\nStep 2: 5 * 2 = 10\n\nStep 3: The answer is 10"
REPLIES = {
    "= 5\n\n": ["Step 2: 5 * 2 = 10\n\nThe answer is 10", "The answer is 10",
                "The answer is 7", "The answer is 10"],
    "= 11\n\n": ["The answer is 11", "The answer is 11", "The answer is 10", "The answer is ???"],
    "= 10\n\n": ["The answer is 10"],
}


def last_number_is(sample):
    """Grades the final number; '???' is undecidable, 'CRASH' breaks the verifier."""
    if "???" in sample.completion_text:
        return Score.unverifiable("cannot tell")
    if "CRASH" in sample.completion_text:
        raise RuntimeError("verifier crashed")
    return float(last_number(sample.completion_text) == str(sample.reference))


def first_error_at_5(prompt, n, sampling):
    """Rollouts reach the right answer only from the first five step prefixes."""
    steps = len(re.findall(r"Step \d+:", prompt))
    return ["The answer is 10" if steps <= 5 else "The answer is 3"] * n


def prm(replies=None, responder=None, fail_on=(), **params):
    config = {"replies": replies if replies is not None else REPLIES, "fail_on": list(fail_on)}
    if responder:
        config["responder"] = f"{__name__}:{responder.__name__}"
    params = {"verifier": f"{__name__}:last_number_is", "backend": SCRIPTED,
              "backend_config": config, "rollouts": 4, **params}
    return build_reward("prm", params)


def score(reward, *completions, reference="10"):
    return reward.score([Sample(c, PROMPT, reference) for c in completions])


def values(s):
    return [step["value"] for step in s.info["steps"]]


def test_soft_step_values_are_the_fraction_of_correct_rollouts():
    [s] = score(prm(), WRONG)
    assert values(s) == pytest.approx([0.75, 1 / 3, 0.0])
    assert s.value == 0.0 and s.info["first_error"] == 2
    step2 = s.info["steps"][1]
    assert (step2["rollouts"], step2["graded"], step2["correct"]) == (4, 3, 1)


def test_hard_step_values_ask_whether_any_rollout_is_correct():
    [s] = score(prm(value="hard"), WRONG)
    assert values(s) == [1.0, 1.0, 0.0]


@pytest.mark.parametrize("how, expected", [("min", 0.75), ("last", 1.0),
                                           ("mean", (0.75 + 1 + 1) / 3), ("product", 0.75)])
def test_solution_rewards_aggregate_the_step_values(how, expected):
    [s] = score(prm(aggregate=how), RIGHT)
    assert s.value == pytest.approx(expected) and values(s) == [0.75, 1.0, 1.0]


def test_step_spans_cover_the_solution_exactly():
    [s] = score(prm(), WRONG)
    spans = [step["span"] for step in s.info["steps"]]
    assert "".join(WRONG[a:b] for a, b in spans) == WRONG
    assert WRONG[spans[1][0]:spans[1][1]] == "Step 2: 5 * 2 = 11\n\n"


def test_all_prefixes_of_all_samples_go_to_the_backend_in_one_call():
    reward = prm()
    score(reward, WRONG, RIGHT)
    assert reward.backend.stats.requests == 1
    assert [n for _, n in reward.backend.calls] == [4] * 4
    assert all(p.startswith(PROMPT) for p, _ in reward.backend.calls)


def test_the_last_step_is_graded_without_rollouts():
    reward = prm()
    [s] = score(reward, "The answer is 10")
    assert s.value == 1.0 and reward.backend.calls == []
    assert s.info["steps"][0]["rollouts"] == 0


def test_binary_search_finds_the_first_error_with_fewer_rollouts():
    solution = "\n".join(f"Step {k}: work" for k in range(1, 9)) + "\nSo the answer is 3"
    full = prm(responder=first_error_at_5, replies={}, split="step_k", aggregate="mean")
    binary = prm(responder=first_error_at_5, replies={}, split="step_k", aggregate="mean",
                 search="binary")
    [a], [b] = score(full, solution), score(binary, solution)
    assert a.info["first_error"] == b.info["first_error"] == 5
    assert values(a) == values(b) == [1, 1, 1, 1, 1, 0, 0, 0]
    assert a.value == b.value == 5 / 8
    assert (a.info["rollouts"], b.info["rollouts"]) == (7 * 4, 3 * 4)
    assert [s["inferred"] for s in b.info["steps"]].count(False) == 4


def test_binary_search_on_a_correct_solution_rolls_nothing_out():
    reward = prm(search="binary")
    [s] = score(reward, RIGHT)
    assert s.value == 1.0 and reward.backend.calls == [] and s.info["first_error"] is None


def test_binary_search_needs_a_gradable_solution():
    [s] = score(prm(search="binary"), "Step 1: hmm\n\nStep 2: ???")
    assert s.status is Status.UNVERIFIABLE and "could not grade the solution" in s.info["reason"]


def test_ungradable_rollouts_are_excluded_and_a_crashing_verifier_is_counted():
    replies = {"= 5\n\n": ["The answer is 10", "CRASH", "???", "The answer is 7"]}
    [s] = score(prm(replies=replies), "Step 1: 2 + 3 = 5\n\nStep 2: The answer is 10")
    assert values(s) == [0.5, 1.0]
    assert s.info["grade_statuses"] == {"ok": 3, "error": 1, "unverifiable": 1}


def test_no_gradable_step_is_unverifiable_not_zero():
    replies = {"hm\n\n": ["???"]}
    [s] = score(prm(replies=replies), "Step 1: hm\n\nStep 2: ???")
    assert s.value is None and s.status is Status.UNVERIFIABLE


def test_a_backend_failure_is_an_error_never_a_low_score():
    reward = prm(fail_on=["= 11"])
    bad, = score(reward, WRONG)
    assert bad.value is None and bad.status is Status.ERROR
    assert "rollout backend failed: GenerationError" in bad.info["reason"]
    assert reward.counts["error"] == 1


def test_an_empty_completion_is_not_applicable():
    [s] = score(prm(), "  ")
    assert s.status is Status.NOT_APPLICABLE


def test_max_steps_merges_steps():
    solution = "\n".join(f"Step {k}: work" for k in range(1, 9)) + "\nSo the answer is 3"
    [s] = score(prm(responder=first_error_at_5, replies={}, max_steps=2), solution)
    assert len(s.info["steps"]) == 2 and s.info["merged_steps"]
    assert s.info["steps"][1]["span"][1] == len(solution)


def test_max_rollouts_lowers_k_then_merges_steps():
    [s] = score(prm(max_rollouts=6), WRONG)
    assert s.info["rollouts_per_step"] == 3 and s.info["rollouts"] == 6
    solution = "\n".join(f"Step {k}: work" for k in range(1, 9))
    [t] = score(prm(responder=first_error_at_5, replies={}, max_rollouts=2), solution)
    assert len(t.info["steps"]) == 3 and t.info["rollouts"] == 2


def test_the_rollout_template_shapes_what_the_backend_continues():
    reward = prm(rollout_template="Q: {prompt}\nA: {prefix}")
    score(reward, WRONG)
    assert reward.backend.calls[0][0].startswith(f"Q: {PROMPT}\nA: Step 1")


@pytest.mark.parametrize("params, problem", [
    ({"split": "regex"}, "needs 'pattern'"),
    ({"split": "regex", "pattern": "("}, "not a valid regex"),
    ({"rollout_template": "{prompt}"}, "must contain {prefix}"),
    ({"rollout_template": "{prefix}{answer}"}, "only {prompt} and {prefix}"),
    ({"aggregate": "max"}, "aggregate"),
])
def test_bad_parameters_are_rejected(params, problem):
    with pytest.raises(ConfigError, match=re.escape(problem)):
        prm(**params)


def test_an_unknown_verifier_says_how_to_fix_it():
    with pytest.raises(ConfigError, match="cannot build its verifier 'no-such-verifier'"):
        build_reward("prm", {"verifier": "no-such-verifier", "backend": SCRIPTED})


def test_the_reward_pickles_and_rebuilds_its_parts():
    reward = pickle.loads(pickle.dumps(prm()))
    assert values(score(reward, WRONG)[0]) == pytest.approx([0.75, 1 / 3, 0.0])


def test_prm_runs_as_a_rubric_criterion():
    rubric = Rubric([criterion("prm", verifier=f"{__name__}:last_number_is", backend=SCRIPTED,
                               backend_config={"replies": REPLIES}, rollouts=4)])
    result = rubric.score([Sample(RIGHT, PROMPT, "10"), Sample(WRONG, PROMPT, "10")])
    assert result.totals == [0.75, 0.0]


def test_the_default_verifier_is_math_when_it_is_installed():
    pytest.importorskip("rewardkit_math")
    replies = {"= 5\n\n": ["so the answer is $\\boxed{10}$", "the answer is \\boxed{7}"]}
    reward = build_reward("prm", {"backend": SCRIPTED, "backend_config": {"replies": replies},
                                  "rollouts": 2})
    try:
        [s] = score(reward, "Step 1: 2 + 3 = 5\n\nStep 2: so \\boxed{11}")
    finally:
        reward.close()
    assert reward.verifier.name == "math"
    assert values(s) == [0.5, 0.0] and s.info["grade_statuses"] == {"ok": 3}


class ShortChanging:
    """A broken backend: one text fewer than asked for."""

    def __init__(self, **config):
        pass

    def generate(self, prompts, n=1, **sampling):
        return [["The answer is 10"] * (n - 1) for _ in prompts]


def test_a_backend_returning_the_wrong_number_of_texts_is_an_error():
    reward = build_reward("prm", {"verifier": f"{__name__}:last_number_is",
                                  "backend": f"{__name__}:ShortChanging", "rollouts": 2})
    [s] = score(reward, WRONG)
    assert s.status is Status.ERROR and "asked for 2 texts" in s.info["reason"]
