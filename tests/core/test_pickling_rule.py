"""Every registered reward and generator pickles as its class plus its configuration.

Round trip after use: the copy carries none of the runtime state the original built
(clients, pools, caches, counters), has the same fingerprint and run policy, and scores
(or generates) the same.
"""

from __future__ import annotations

import asyncio
import pickle
import re

import pytest

from rewardkit import Sample, Score, policy_of
from rewardkit.generators import build_generator
from rewardkit.generators.testing import LoopbackServer, ScriptedGenerator, echo_responder
from rewardkit.inprocess import call_score
from rewardkit.plugins import get_host
from rewardkit.registry import build_reward
from rewardkit.runtime_state import runtime_names

SCRIPTED = "rewardkit.generators.testing:ScriptedGenerator"
KEY = re.compile(r"VERDICT ([0-9A-F]{12}):")


def judge_says_4(prompt, n, sampling):
    return [f"VERDICT {KEY.findall(prompt)[-1]}: 4"] * n


# What a reward needs to be built offline; every other registered reward builds without
# params. A new reward that needs some fails below until it gets a line here.
PARAMS = {
    "judge:judge": {"backend": SCRIPTED,
                    "backend_config": {"responder": f"{__name__}:judge_says_4"}},
    "shaping:overlong": {"unit": "words"},  # the default, tokens, needs a trainer's ids
    "prm:prm": {"backend": SCRIPTED, "verifier": "format", "rollouts": 2,
                "backend_config": {"default": ["<think>t</think><answer>4</answer>"]}},
}
EARLIER = {"math": Score(1.0)}  # what a reward reading an earlier criterion finds
SAMPLES = [
    Sample("<think>2 + 2</think><answer>4</answer>", "What is 2 + 2?", "4").with_scores(EARLIER),
    Sample("Step 1: add.\n\nStep 2: the answer is 5", "What is 2 + 2?", "4",
           ).with_scores(EARLIER),
    Sample("", "Réponds en français.", None,
           {"tool_calls": [{"code": "print(1)", "status": "ok"}]}).with_scores(EARLIER),
]
REWARDS = sorted(r.qualified for r in get_host().registered("rewards"))
GENERATORS = sorted(r.qualified for r in get_host().registered("generators"))


def scored(reward):
    """In this process (the rule is what pickling keeps, not how the engine runs it)."""
    if policy_of(reward).isolation.value == "process":
        return [reward.score_one(s) for s in SAMPLES]
    return call_score(reward, SAMPLES)


def outcome(scores):
    return [(s.value, s.status) for s in scores]


def test_the_registry_lists_the_first_party_rewards():
    assert {"judge:judge", "prm:prm", "math:math", "format:format"} <= set(REWARDS)


@pytest.mark.parametrize("name", REWARDS)
def test_a_used_reward_round_trips_without_its_runtime_state(name):
    reward = build_reward(name, PARAMS.get(name, {}))
    before = outcome(scored(reward))
    for attribute in runtime_names(type(reward)):
        getattr(reward, attribute)  # every piece of runtime state exists now
    clone = pickle.loads(pickle.dumps(reward))
    assert type(clone) is type(reward)
    assert not runtime_names(type(clone)) & set(vars(clone)), "runtime state was pickled"
    assert clone.fingerprint() == reward.fingerprint()
    assert policy_of(clone) == policy_of(reward)
    assert outcome(scored(clone)) == before


def test_a_judge_rebuilds_its_backend_and_reply_cache_after_unpickling():
    judge = build_reward("judge", PARAMS["judge:judge"])
    call_score(judge, SAMPLES[:1])
    assert judge.counts["ok"] == 1 and judge._replies
    clone = pickle.loads(pickle.dumps(judge))
    assert {"backend", "counts", "_replies"}.isdisjoint(vars(clone))
    assert call_score(clone, SAMPLES[:1])[0].info["cached"] is False
    assert clone.backend is not judge.backend and clone.counts["ok"] == 1


@pytest.mark.parametrize("name", [*GENERATORS, SCRIPTED])
def test_a_generator_round_trips_without_its_runtime_state(name, tmp_path):
    with LoopbackServer(echo_responder) as server:
        config = {
            "builtin:openai": {"base_url": server.url, "model": "m", "requests_per_minute": 6000},
            "builtin:hf": {"model": str(tmp_path / "no-model-needed-until-use")},
            SCRIPTED: {"default": ["a", "b"]},
        }.get(name, {})
        backend = build_generator(name, config)
        used = name != "builtin:hf"  # loading a model is test_generators_hf's job
        if used:
            before = backend.generate(["x", "y"], n=2)
            asyncio.run(backend.agenerate(["z"]))  # the async path's clients, too
        for attribute in runtime_names(type(backend)):
            getattr(backend, attribute)
        clone = pickle.loads(pickle.dumps(backend))
        assert not runtime_names(type(clone)) & set(vars(clone)), "runtime state was pickled"
        assert clone.config == backend.config and clone.fingerprint() == backend.fingerprint()
        assert clone.stats.requests == 0
        if used:
            assert clone.generate(["x", "y"], n=2) == before


def test_a_scripted_backend_forgets_the_prompts_it_saw():
    backend = ScriptedGenerator(default=["a"])
    backend.generate(["p"])
    assert backend.calls == [("p", 1)]
    assert pickle.loads(pickle.dumps(backend)).calls == []
