import pickle

import pytest

from rewardkit import ConfigError, RewardParamsError, Rubric, Sample, Score, Status, criterion
from rewardkit_shaping import cosine, overlong, repetition


def value(reward, sample):
    return reward.score([sample])[0].value


@pytest.mark.parametrize("words, expected", [(5, 0.0), (6, 0.0), (7, -0.25), (9, -0.75),
                                             (10, -1.0), (11, -1.0)])
def test_overlong_is_zero_then_linear_then_minus_one(words, expected):
    reward = overlong(max_length=10, buffer=4, unit="words")
    assert value(reward, Sample(" ".join(["w"] * words))) == pytest.approx(expected)


def test_overlong_counts_tokens_from_completion_ids():
    reward = overlong(max_length=4, buffer=2)
    assert value(reward, Sample("x", metadata={"completion_ids": [1, 2, 3]})) == -0.5


def test_overlong_in_tokens_without_ids_is_an_error_not_a_zero():
    rubric = Rubric([criterion(overlong, max_length=4, buffer=2)])
    score = rubric.score([Sample("x")]).rows[0].components["overlong"]
    assert score.status is Status.ERROR and "completion_ids" in score.info["reason"]


def test_overlong_rejects_a_buffer_larger_than_the_limit():
    with pytest.raises(RewardParamsError, match="buffer .8. must not exceed max_length"):
        overlong(max_length=4, buffer=8)


def test_repetition_penalises_the_share_of_repeated_ngrams():
    assert value(repetition(), Sample("a b c d e f")) == 0.0
    # 7 trigrams, 3 distinct
    assert value(repetition(), Sample("a b c a b c a b c")) == pytest.approx(-(1 - 3 / 7))
    assert value(repetition(max_penalty=-0.5), Sample("a b")) == 0.0


def test_repetition_rejects_a_positive_penalty():
    with pytest.raises(RewardParamsError, match="max_penalty"):
        repetition(max_penalty=1)


def with_correctness(text, correct):
    return Sample(text, scores={"math": Score(1.0 if correct else 0.0)})


def test_cosine_prefers_short_correct_and_long_wrong_answers():
    reward = cosine(max_length=10)
    short_ok, long_ok = value(reward, with_correctness("a", True)), value(
        reward, with_correctness("a " * 10, True))
    short_bad, long_bad = value(reward, with_correctness("a", False)), value(
        reward, with_correctness("a " * 10, False))
    assert short_ok > long_ok >= 0.5 - 1e-9
    assert short_bad < long_bad <= -0.5 + 1e-9
    assert value(reward, with_correctness("", True)) == pytest.approx(1.0)


def test_cosine_needs_the_correctness_criterion_before_it():
    with pytest.raises(ConfigError, match="reads the score of criterion 'math'.*not in the rubric"):
        Rubric([criterion(cosine)])


def test_cosine_listed_before_its_correctness_criterion_is_rejected_when_built():
    """Issue 14.16: this used to fail only at scoring (every row `error`, exit code 0)."""
    with pytest.raises(ConfigError, match="listed after it: list 'math' before 'cosine'"):
        Rubric.from_dict({"criteria": [{"reward": "shaping:cosine"},
                                       {"reward": "tests.core.rewards_for_tests:contains",
                                        "name": "math"}]})


def test_cosine_is_not_applicable_when_correctness_is_unknown():
    sample = Sample("x", scores={"math": Score.unverifiable("no gold")})
    assert cosine().score([sample])[0].status is Status.NOT_APPLICABLE


def test_cosine_reads_correctness_from_an_earlier_rubric_criterion():
    rubric = Rubric([criterion("tests.core.rewards_for_tests:contains", name="math", weight=0),
                     criterion("shaping:cosine", max_length=4)])
    rows = rubric.score([Sample("yes"), Sample("no")]).rows
    assert rows[0].total == pytest.approx(1.0 * 0 + rows[0].components["cosine"].value)
    assert rows[0].components["cosine"].info["correct"] is True
    assert rows[1].components["cosine"].value < 0


def test_shaping_rewards_pickle():
    for reward in (overlong(unit="chars"), repetition(), cosine()):
        assert pickle.loads(pickle.dumps(reward)).fingerprint() == reward.fingerprint()
