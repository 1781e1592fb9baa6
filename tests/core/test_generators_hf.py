"""The `hf` backend on tiny GPT-2 models built in the test (no download)."""

from __future__ import annotations

import asyncio
import pickle

import pytest

pytest.importorskip("transformers")

from rewardkit.errors import ConfigError  # noqa: E402
from rewardkit.generators import build_generator  # noqa: E402
from rewardkit.generators.testing import tiny_causal_lm  # noqa: E402

WORDS = "the answer is 7 42 Step 1 2 3 so we add and get".split()


@pytest.fixture(scope="module")
def random_model(tmp_path_factory):
    return str(tiny_causal_lm(tmp_path_factory.mktemp("random"), WORDS, layers=2))


@pytest.fixture(scope="module")
def always_42(tmp_path_factory):
    return str(tiny_causal_lm(tmp_path_factory.mktemp("forty-two"), WORDS, favour={"42": 30.0}))


def hf(model, **config):
    return build_generator("hf", {"model": model, "device": "cpu", **config})


def test_a_rigged_model_writes_what_it_favours_n_times_per_prompt(always_42):
    backend = hf(always_42)
    texts = backend.generate(["the answer is", "Step 1"], n=3, max_tokens=2, temperature=1.0)
    assert texts == [["42 42"] * 3, ["42 42"] * 3]
    assert backend.stats.tokens == 12 and backend.stats.texts == 6


def test_batched_greedy_output_matches_one_prompt_at_a_time(random_model):
    backend = hf(random_model, batch_size=4)
    prompts = ["the", "Step 1 so we add 2 and 3", "the answer is", "7 42 Step"]
    together = backend.generate(prompts, temperature=0, max_tokens=5)
    alone = [backend.generate([p], temperature=0, max_tokens=5)[0] for p in prompts]
    assert together == alone


def test_greedy_decoding_with_n_repeats_the_same_text(random_model):
    texts = hf(random_model).generate(["the answer"], n=3, temperature=0, max_tokens=4)[0]
    assert len(texts) == 3 and len(set(texts)) == 1


def test_a_seed_makes_sampling_reproducible(random_model):
    backend = hf(random_model, batch_size=3)
    args = (["the answer is", "Step 1"], 4)
    first = backend.generate(*args, max_tokens=6, seed=11)
    assert backend.generate(*args, max_tokens=6, seed=11) == first
    assert backend.generate(*args, max_tokens=6, seed=12) != first


def test_eos_ends_a_text_and_counts_as_one_token(tmp_path):
    backend = hf(str(tiny_causal_lm(tmp_path, WORDS, favour={"<eos>": 30.0})))
    assert backend.generate(["the", "Step"], n=2, max_tokens=5) == [["", ""], ["", ""]]
    assert backend.stats.tokens == 4


def test_stop_strings_cut_the_text(always_42):
    assert hf(always_42).generate(["x"], max_tokens=3, stop=[" "]) == [["42"]]


def test_agenerate_runs_off_the_event_loop(always_42):
    backend = hf(always_42)
    assert asyncio.run(backend.agenerate(["a"], max_tokens=1)) == [["42"]]


def test_a_missing_model_is_a_config_error_naming_it(tmp_path):
    with pytest.raises(ConfigError, match="could not load model '.*nothing-here'"):
        hf(str(tmp_path / "nothing-here"), local_files_only=True).generate(["x"])


def test_config_and_sampling_keys_are_validated():
    with pytest.raises(ConfigError, match="unknown key 'batchsize'"):
        build_generator("hf", {"model": "m", "batchsize": 2})
    with pytest.raises(ConfigError, match="'dtype'"):
        build_generator("hf", {"model": "m", "dtype": "float8"})


def test_the_backend_pickles_without_the_model_and_reloads(always_42):
    backend = hf(always_42, sampling={"max_tokens": 1})
    backend.generate(["x"])
    clone = pickle.loads(pickle.dumps(backend))
    assert clone._model is None and clone.generate(["x"]) == [["42"]]


def test_concurrent_async_callers_share_one_batched_generate(random_model):
    backend = hf(random_model)
    prompts = ["the", "Step 1 so", "the answer is", "7 42", "and get"]

    async def main():
        return await asyncio.gather(*(backend.agenerate([p], temperature=0, max_tokens=4)
                                      for p in prompts))

    together = asyncio.run(main())
    assert backend.stats.requests == 1
    assert [t[0] for t in together] == backend.generate(prompts, temperature=0, max_tokens=4)


def test_callers_with_different_sampling_are_not_merged(always_42):
    backend = hf(always_42)

    async def main():
        return await asyncio.gather(backend.agenerate(["a"], max_tokens=1),
                                    backend.agenerate(["b"], max_tokens=2),
                                    backend.agenerate(["c"], n=2, max_tokens=1))

    assert asyncio.run(main()) == [[["42"]], [["42 42"]], [["42", "42"]]]
    assert backend.stats.requests == 3


def test_a_failed_batch_fails_each_of_its_callers(tmp_path):
    backend = hf(str(tmp_path / "missing"), local_files_only=True)

    async def main():
        return await asyncio.gather(backend.agenerate(["a"]), backend.agenerate(["b"]),
                                    return_exceptions=True)

    errors = asyncio.run(main())
    assert [type(e).__name__ for e in errors] == ["ConfigError", "ConfigError"]


CHAT = "{% for m in messages %}{{ m['role'] }} : {{ m['content'] }} {% endfor %}assistant :"


def test_chat_template_wraps_each_prompt_as_a_user_turn(tmp_path):
    path = str(tiny_causal_lm(tmp_path, WORDS + ["user", "system", "assistant", ":"],
                              favour={"42": 30.0}, chat_template=CHAT))
    backend = hf(path, chat_template=True, system_prompt="the answer")
    model, tokenizer = backend.load()
    [ids] = backend.encode(tokenizer, ["Step 1"])
    assert tokenizer.decode(ids) == "system : the answer user : Step 1 assistant :"
    assert backend.generate(["Step 1"], max_tokens=1) == [["42"]]


def test_chat_template_needs_a_tokenizer_that_has_one(always_42):
    with pytest.raises(ConfigError, match="has no chat template"):
        hf(always_42, chat_template=True).generate(["x"])
