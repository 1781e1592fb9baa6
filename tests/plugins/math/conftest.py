import pytest


@pytest.fixture(scope="module")
def reward():
    from rewardkit_math import MathReward

    r = MathReward(answer_from="whole", timeout=3)
    yield r
    r.close()
