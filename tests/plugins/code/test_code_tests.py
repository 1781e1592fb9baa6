"""The code_tests reward: extraction, policy for missing tests or code, and its verdicts."""

from __future__ import annotations

import json
import pickle

import pytest

import rewardkit_code
from rewardkit import Sample, Status, build_reward
from rewardkit.engine import Engine
from rewardkit.errors import RewardParamsError
from rewardkit_sandbox import Outcome, ProgramResult, SandboxError, TestResult

ADD_TESTS = {"language": "python", "tests": [{"input": "1 2", "output": "3"},
                                             {"input": "3 0", "output": "3"},
                                             {"input": "5 5", "output": "10"},
                                             {"input": "0 0", "output": "0"}]}
RIGHT = "Here you go:\n```python\na, b = map(int, input().split())\nprint(a + b)\n```\n"
WRONG = "```python\na, b = map(int, input().split())\nprint(a - b)\n```"


def score(reward, *samples):
    return Engine().run(reward, list(samples))


class FakePool:
    """Stands in for the sandbox pool: records what it was asked to run."""

    def __init__(self, statuses=("pass",), error=None):
        self.statuses, self.error, self.calls = statuses, error, []

    async def arun(self, source, suite):
        self.calls.append((source, suite))
        if self.error:
            raise self.error
        return ProgramResult(tuple(TestResult(Outcome(s), detail=f"d{i}")
                                   for i, s in enumerate(self.statuses)), "warning: x")


@pytest.fixture
def fake_pool(monkeypatch):
    pool = FakePool(("pass", "fail", "pass", "timeout"))
    monkeypatch.setattr(rewardkit_code, "_pool", lambda *a: pool)
    return pool


def test_registered_through_the_plugin_and_picklable():
    reward = build_reward("code_tests", {"mode": "all_or_nothing"})
    assert isinstance(reward, rewardkit_code.CodeTests)
    clone = pickle.loads(pickle.dumps(reward))
    assert clone.params.mode == "all_or_nothing"


@pytest.mark.parametrize("params, message", [
    ({"mode": "best"}, "mode"), ({"langauge": "cpp"}, "did you mean 'language'"),
    ({"test_timeout": 0}, "test_timeout"), ({"no_code": "skip"}, "no_code"),
])
def test_bad_params_name_the_key(params, message):
    with pytest.raises(RewardParamsError, match=message):
        rewardkit_code.CodeTests(**params)


def test_pass_rate_with_per_test_outcomes_in_info(fake_pool):
    (result,) = score(rewardkit_code.CodeTests(), Sample(RIGHT, reference=ADD_TESTS))
    assert result.status is Status.OK and result.value == 0.5
    assert result.info["tests"] == ["pass", "fail", "pass", "timeout"]
    assert result.info["details"][1] == "d1" and result.info["compile_output"] == "warning: x"
    source, suite = fake_pool.calls[0]
    assert source == "a, b = map(int, input().split())\nprint(a + b)\n"
    assert suite.language == "python" and len(suite.tests) == 4


def test_all_or_nothing(fake_pool):
    (result,) = score(rewardkit_code.CodeTests(mode="all_or_nothing"),
                      Sample(RIGHT, reference=ADD_TESTS))
    assert result.value == 0.0
    fake_pool.statuses = ("pass",) * 4
    (result,) = score(rewardkit_code.CodeTests(mode="all_or_nothing"),
                      Sample(RIGHT, reference=ADD_TESTS))
    assert result.value == 1.0


def test_last_block_in_the_tests_language_is_the_program(fake_pool):
    completion = ("```cpp\nint main(){}\n```\n```python\nprint(1)\n```\n"
                  "```python\nprint(2)\n```\n```text\nnot code\n```")
    score(rewardkit_code.CodeTests(), Sample(completion, reference=ADD_TESTS))
    assert fake_pool.calls[0][0] == "print(2)\n"
    cpp = {**ADD_TESTS, "language": "cpp"}
    score(rewardkit_code.CodeTests(), Sample(completion, reference=json.dumps(cpp)))
    assert fake_pool.calls[1][0] == "int main(){}\n"


def test_chat_completions_are_read_as_text(fake_pool):
    messages = [{"role": "assistant", "content": RIGHT}]
    (result,) = score(rewardkit_code.CodeTests(), Sample(messages, reference=ADD_TESTS))
    assert result.ok and fake_pool.calls


def test_language_param_fills_a_reference_without_one(fake_pool):
    reference = {"tests": [{"input": "1", "output": "1"}]}
    completion = "```c++\nint main(){}\n```"
    score(rewardkit_code.CodeTests(language="cpp"), Sample(completion, reference=reference))
    assert fake_pool.calls[0][1].language == "cpp"


def test_no_code_is_zero_by_default_or_not_applicable(fake_pool):
    (zero,) = score(rewardkit_code.CodeTests(), Sample("I think a+b.", reference=ADD_TESTS))
    assert zero.status is Status.OK and zero.value == 0.0
    assert "no python code block" in zero.info["reason"]
    (na,) = score(rewardkit_code.CodeTests(no_code="not_applicable"),
                  Sample("```python\n\n```", reference=ADD_TESTS))
    assert na.status is Status.NOT_APPLICABLE and na.value is None
    assert fake_pool.calls == []


@pytest.mark.parametrize("reference", [None, {"language": "python", "tests": []}])
def test_no_tests_is_not_applicable(fake_pool, reference):
    (result,) = score(rewardkit_code.CodeTests(), Sample(RIGHT, reference=reference))
    assert result.status is Status.NOT_APPLICABLE and result.value is None


@pytest.mark.parametrize("reference", ["{broken", {"tests": [{"input": "1"}]}, ["print"],
                                       {"language": "cobol", "tests": []}])
def test_malformed_reference_is_unverifiable_with_the_reason(fake_pool, reference):
    (result,) = score(rewardkit_code.CodeTests(), Sample(RIGHT, reference=reference))
    assert result.status is Status.UNVERIFIABLE and result.value is None
    assert "not a valid test suite" in result.info["reason"]


def test_sandbox_failure_is_an_error_never_zero(monkeypatch):
    broken = FakePool(error=SandboxError("Docker is not reachable (socket missing)"))
    monkeypatch.setattr(rewardkit_code, "_pool", lambda *a: broken)
    (result,) = score(rewardkit_code.CodeTests(), Sample(RIGHT, reference=ADD_TESTS))
    assert result.status is Status.ERROR and result.value is None
    assert "Docker is not reachable" in result.info["reason"]


def test_unreachable_daemon_end_to_end_is_an_error(monkeypatch):
    import rewardkit_sandbox.pool as pool_module

    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    monkeypatch.setattr(pool_module, "_shared", {})
    (result,) = score(rewardkit_code.CodeTests(image="rewardkit-sandbox:none"),
                      Sample(RIGHT, reference=ADD_TESTS))
    assert result.status is Status.ERROR
    assert "Docker is not reachable" in result.info["reason"]


@pytest.mark.docker
def test_real_sandbox_pass_rates(sandbox_ready):
    reward = rewardkit_code.CodeTests(pool_size=2)
    cpp = {"language": "cpp", "tests": [{"input": "2 3", "output": "5"},
                                        {"input": "2 2", "output": "5"}]}
    cpp_code = ("```cpp\n#include <iostream>\nint main(){int a,b;std::cin>>a>>b;"
                "std::cout<<a+b;}\n```")
    results = score(reward, Sample(RIGHT, reference=ADD_TESTS),
                    Sample(WRONG, reference=ADD_TESTS), Sample(cpp_code, reference=cpp),
                    Sample("```cpp\nint main( {\n```", reference=cpp))
    assert [r.value for r in results] == [1.0, 0.5, 0.5, 0.0]
    assert results[3].info["tests"] == ["compile_error", "compile_error"]
    assert "error" in results[3].info["compile_output"]
