import pickle

import pytest

from rewardkit import Reward, RewardParams, RewardParamsError, Sample, Score, Status, per_sample
from rewardkit.reward import RewardFactory, to_score
from tests.core.rewards_for_tests import contains, length


def test_per_sample_lifts_a_function_into_a_batched_reward():
    reward = length(per_char=0.5)
    assert [s.value for s in reward.score([Sample("ab"), Sample("abcd")])] == [1.0, 2.0]


def test_returning_none_means_not_applicable_not_zero():
    @per_sample
    def nothing(sample):
        return None

    score = nothing().score([Sample("x")])[0]
    assert score.value is None and score.status is Status.NOT_APPLICABLE


def test_unknown_param_error_names_reward_key_and_close_match():
    with pytest.raises(RewardParamsError) as err:
        length(per_chr=2)
    message = str(err.value)
    assert "reward 'length'" in message and "'per_chr'" in message and "per_char" in message


def test_bad_param_value_error_names_the_key():
    with pytest.raises(RewardParamsError, match="parameter 'per_char'"):
        length(per_char="lots")


def test_reward_subclass_validates_its_params_model():
    class Threshold(Reward):
        name = "threshold"

        class Params(RewardParams):
            at: float = 0.5

        def score_one(self, sample):
            return len(sample.completion_text) >= self.params.at

    assert Threshold(at=2).score([Sample("abc")])[0].value == 1.0
    with pytest.raises(RewardParamsError, match="reward 'threshold': unknown parameter 'a'"):
        Threshold(a=1)


def test_decorated_factory_and_its_rewards_pickle():
    reward = pickle.loads(pickle.dumps(contains(word="ok")))
    assert reward.score([Sample("ok!")])[0].value == 1.0
    factory = pickle.loads(pickle.dumps(length))
    assert isinstance(factory, RewardFactory) and factory(per_char=2).params.per_char == 2


def test_to_score_rejects_garbage_with_a_clear_message():
    with pytest.raises(TypeError, match="must return a Score"):
        to_score("high")
    assert to_score(Score(0.1)).value == 0.1


def test_fingerprint_changes_with_params():
    assert length(per_char=1).fingerprint() != length(per_char=2).fingerprint()
