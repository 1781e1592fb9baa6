"""The generation-backend contract, the builtin registrations and the scripted backend."""

from __future__ import annotations

import asyncio
import os
import pickle
import subprocess
import sys

import pytest

from rewardkit.errors import ConfigError, RewardNotFoundError
from rewardkit.generators import BaseGenerator, GenerationError, Generator, build_generator
from rewardkit.generators.base import check_n, cut_at_stop
from rewardkit.generators.testing import ScriptedGenerator
from rewardkit.plugins import get_host

SCRIPTED = "rewardkit.generators.testing:ScriptedGenerator"


class SyncOnly(BaseGenerator):
    name = "sync-only"

    def generate(self, prompts, n=1, **sampling):
        self.sampling(sampling)
        return [[f"{p}!"] * n for p in check_n(prompts, n)]


class AsyncOnly(BaseGenerator):
    name = "async-only"

    async def agenerate(self, prompts, n=1, **sampling):
        await asyncio.sleep(0)
        return [[p[::-1]] * n for p in check_n(prompts, n)]


def shout(prompt, n, sampling):
    return [prompt.upper()] * n if prompt.startswith("shout") else None


def test_a_backend_must_implement_generate_or_agenerate():
    with pytest.raises(TypeError, match="must implement generate"):
        type("Nothing", (BaseGenerator,), {})


def test_a_sync_backend_gets_agenerate_and_an_async_one_gets_generate():
    assert asyncio.run(SyncOnly().agenerate(["a"], n=2)) == [["a!", "a!"]]
    assert AsyncOnly().generate(["ab", "cd"]) == [["ba"], ["dc"]]
    assert isinstance(SyncOnly(), Generator)


def test_sync_generate_works_inside_a_running_event_loop():
    async def main():
        return AsyncOnly().generate(["xy"])

    assert asyncio.run(main()) == [["yx"]]


def test_sampling_keys_are_validated_with_the_backend_name():
    with pytest.raises(ConfigError, match=r"generator 'sync-only' sampling: unknown key 'temp'"):
        SyncOnly().generate(["a"], temp=0.5)
    with pytest.raises(ConfigError, match="temperature"):
        SyncOnly().generate(["a"], temperature=-1)


def test_generate_rejects_a_bare_string_and_a_bad_n():
    with pytest.raises(TypeError, match="list of prompts"):
        check_n("hello", 1)
    with pytest.raises(ValueError, match="n must be a positive integer"):
        check_n(["a"], 0)


def test_cut_at_stop_cuts_before_the_earliest_stop_string():
    assert cut_at_stop("a. b\n\nc", ["\n\n", "."]) == "a"
    assert cut_at_stop("abc", ["x"]) == "abc"
    assert cut_at_stop("abc", None) == "abc"


def test_hf_and_openai_are_registered_by_the_builtin_plugin():
    entries = {r.name: r for r in get_host().registered("generators")}
    assert entries["hf"].plugin == "builtin" and entries["openai"].plugin == "builtin"
    assert "transformers" in entries["hf"].doc and "OpenAI" in entries["openai"].doc


def test_build_generator_by_name_loads_nothing_until_first_use():
    backend = build_generator("hf", {"model": "/nonexistent/model"})
    assert type(backend).__name__ == "HFGenerator" and backend._model is None


def test_an_unknown_generator_name_suggests_close_matches():
    with pytest.raises(RewardNotFoundError, match=r"did you mean 'openai'\? \(registered: hf, "):
        build_generator("opnai")


def test_a_generator_can_be_given_as_an_import_path():
    backend = build_generator(SCRIPTED, {"default": ["ok"]})
    assert backend.generate(["x"], n=2) == [["ok", "ok"]]


def test_a_bad_import_path_says_what_to_do():
    with pytest.raises(ConfigError, match="does not import as package.module:factory"):
        build_generator("no_such_module_xyz:factory")


def test_unknown_config_keys_name_the_backend_and_the_accepted_keys():
    with pytest.raises(ConfigError, match=r"generator 'scripted': unknown key 'reply'.*replies"):
        build_generator(SCRIPTED, {"reply": {}})


def test_importing_rewardkit_and_resolving_backends_imports_no_heavy_library():
    code = ("import sys, rewardkit; from rewardkit import resolve_generator;"
            "resolve_generator('hf'); resolve_generator('openai');"
            "import rewardkit.generators.hf, rewardkit.generators.openai;"
            "print([m for m in ('torch', 'transformers', 'httpx') if m in sys.modules])")
    env = {**os.environ, "REWARDKIT_LOAD_PLUGINS": ""}  # the builtins only
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=env)
    assert out.stdout.strip() == "[]"


def test_scripted_backend_matches_the_longest_suffix_and_cycles_replies():
    backend = ScriptedGenerator(replies={"b": ["1"], "ab": ["2", "3"]}, default=["d"])
    assert backend.generate(["xab", "xb", "zz"], n=3) == [["2", "3", "2"], ["1"] * 3, ["d"] * 3]
    assert backend.calls == [("xab", 3), ("xb", 3), ("zz", 3)]


def test_scripted_backend_responder_and_failures():
    backend = ScriptedGenerator(responder=f"{__name__}:shout", default=["quiet"],
                                fail_on=["boom"])
    assert backend.generate(["shout hi", "hi"]) == [["SHOUT HI"], ["quiet"]]
    with pytest.raises(GenerationError, match="fail_on"):
        backend.generate(["boom"])
    with pytest.raises(GenerationError, match="no scripted reply"):
        ScriptedGenerator().generate(["anything"])


def test_scripted_backend_pickles():
    backend = pickle.loads(pickle.dumps(ScriptedGenerator(default=["a"], sampling={"seed": 1})))
    assert backend.generate(["x"]) == [["a"]]
