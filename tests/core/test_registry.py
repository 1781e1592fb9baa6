import pytest

from rewardkit import AmbiguousRewardError, RewardNotFoundError, Sample
from rewardkit.errors import ConfigError
from rewardkit.plugins import PluginHost
from rewardkit.registry import build_reward, resolve_reward

PLUGIN = """
from rewardkit import hookimpl, per_sample

@per_sample
def value(sample, v: float = {v}):
    return v

@hookimpl
def register_rewards(register):
    register("shared", value)
    register("{own}", value)
"""


@pytest.fixture
def host(fake_dist):
    fake_dist("alpha-dist", "alpha", PLUGIN.format(v=0.1, own="only_alpha"), module="alpha_mod")
    fake_dist("beta-dist", "beta", PLUGIN.format(v=0.2, own="only_beta"), module="beta_mod")
    return PluginHost(group="rewardkit_test", builtins=()).load()


def test_qualified_name_always_works(host):
    assert build_reward("beta:shared", host=host).score([Sample("x")])[0].value == 0.2


def test_unambiguous_short_name_works(host):
    assert build_reward("only_alpha", host=host).score([Sample("x")])[0].value == 0.1


def test_ambiguous_short_name_names_both_owners(host):
    with pytest.raises(AmbiguousRewardError) as err:
        resolve_reward("shared", host=host)
    assert "'alpha:shared'" in str(err.value) and "'beta:shared'" in str(err.value)


def test_unknown_name_suggests_close_matches(host):
    with pytest.raises(RewardNotFoundError, match="did you mean 'only_alpha'"):
        resolve_reward("only_alfa", host=host)


def test_unknown_reward_of_a_known_plugin_lists_what_it_provides(host):
    with pytest.raises(RewardNotFoundError, match="plugin 'alpha' has no reward 'nope'.*shared"):
        resolve_reward("alpha:nope", host=host)


def test_dotted_path_lifts_a_plain_function(host):
    reward = build_reward("tests.core.rewards_for_tests:plain_function", host=host)
    assert reward.score([Sample("x")])[0].value == 0.25


def test_dotted_path_to_a_reward_class_validates_params(host):
    reward = build_reward("tests.core.rewards_for_tests:Counting", {"path": "/dev/null"}, host)
    assert reward.params.path == "/dev/null"


def test_dotted_path_to_a_missing_module_says_so(host):
    with pytest.raises(RewardNotFoundError, match="cannot import 'no_such_module_xyz'"):
        resolve_reward("no_such_module_xyz:fn", host=host)


def test_dotted_path_to_a_missing_attribute_says_so(host):
    with pytest.raises(RewardNotFoundError, match="has no attribute 'nope'"):
        resolve_reward("tests.core.rewards_for_tests:nope", host=host)


def test_a_factory_returning_no_score_method_is_rejected(host):
    with pytest.raises(ConfigError, match="no score"):
        build_reward("builtins:dict", host=host)


def test_installed_first_party_plugin_is_found_through_the_real_group():
    assert resolve_reward("shaping:overlong").name == "overlong"
