"""`prm` end to end with the `hf` backend on tiny GPT-2 models built in the test."""

from __future__ import annotations

import pytest

pytest.importorskip("transformers")

from rewardkit import Sample, build_reward  # noqa: E402
from rewardkit.generators.testing import tiny_causal_lm  # noqa: E402

WORDS = ["Step", "1:", "2:", "3:", "The", "answer", "is", "10", "11", "7", "5", "=", "+", "*"]
WRONG = "Step 1: 2 + 3 = 5\n\nStep 2: 5 * 2 = 11\n\nStep 3: The answer is 11"
VERIFIER = "test_prm:last_number_is"


@pytest.fixture(scope="module")
def always_10(tmp_path_factory):
    return str(tiny_causal_lm(tmp_path_factory.mktemp("ten"), WORDS, favour={"10": 30.0}))


@pytest.fixture(scope="module")
def ten_or_seven(tmp_path_factory):
    return str(tiny_causal_lm(tmp_path_factory.mktemp("mixed"), WORDS,
                              favour={"10": 8.0, "7": 8.0}))


def prm(model, **params):
    return build_reward("prm", {"verifier": VERIFIER, "backend": "hf",
                                "backend_config": {"model": model, "device": "cpu"},
                                "rollouts": 4, "max_tokens": 3, **params})


def test_rollouts_from_a_model_that_always_answers_10(always_10):
    reward = prm(always_10)
    [s] = reward.score([Sample(WRONG, "Compute (2 + 3) * 2.\n", "10")])
    assert [step["value"] for step in s.info["steps"]] == [1.0, 1.0, 0.0]
    assert s.value == 0.0 and s.info["rollouts"] == 8
    assert reward.backend.stats.tokens == 2 * 4 * 3


def test_sampled_rollouts_give_fractional_values_reproducibly(ten_or_seven):
    sample = Sample(WRONG, "Compute (2 + 3) * 2.\n", "10")
    first = prm(ten_or_seven, rollouts=8, seed=5).score([sample])[0]
    again = prm(ten_or_seven, rollouts=8, seed=5).score([sample])[0]
    soft = [step["value"] for step in first.info["steps"]][:2]
    assert soft == [step["value"] for step in again.info["steps"]][:2]
    assert all(v * 8 == int(v * 8) for v in soft)
    assert 0 < sum(soft) < 2  # both answers were sampled


def test_rollouts_through_an_openai_server_backed_by_the_tiny_model(always_10):
    from rewardkit.generators import build_generator
    from rewardkit.generators.testing import LoopbackServer, Reply, completion

    model = build_generator("hf", {"model": always_10, "device": "cpu"})

    def serve(path, body, attempt):
        texts = model.generate([body["prompt"]], n=body["n"], max_tokens=body["max_tokens"],
                               temperature=body["temperature"], seed=body.get("seed"))[0]
        return Reply(completion(texts, chat=False))

    with LoopbackServer(serve) as server:
        reward = build_reward("prm", {
            "verifier": VERIFIER, "backend": "openai", "rollouts": 4, "max_tokens": 3,
            "backend_config": {"base_url": server.url, "model": "tiny",
                               "endpoint": "completions"}})
        [s] = reward.score([Sample(WRONG, "Compute (2 + 3) * 2.\n", "10")])
    assert [step["value"] for step in s.info["steps"]] == [1.0, 1.0, 0.0]
    assert len(server.requests) == 2 and {r["n"] for r in server.requests} == {4}
