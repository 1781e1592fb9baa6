"""code_tests with native-format references: statuses for bad input and sandbox trouble
(a stand-in pool), never 0.0 for what cannot be judged."""

from __future__ import annotations

import pytest
from native_cases import fence, rows

import rewardkit_code
from rewardkit import Sample, Status
from rewardkit.engine import Engine
from rewardkit_sandbox import (
    Outcome, ProgramResult, SandboxError, TestResult, UnverifiableSuite)

HE = rows("humaneval")[0]
REFERENCE = {"format": "humaneval", **HE}
RIGHT = fence("python", HE["prompt"] + HE["canonical_solution"])


class FakePool:
    def __init__(self, statuses=("pass",), error=None, stderr="boom"):
        self.statuses, self.error, self.stderr, self.calls = statuses, error, stderr, []

    async def arun(self, source, suite):
        self.calls.append((source, suite))
        if self.error:
            raise self.error
        return ProgramResult(tuple(TestResult(Outcome(s), detail=s, stderr=self.stderr)
                                   for s in self.statuses), "")


@pytest.fixture
def pool(monkeypatch):
    fake = FakePool()
    monkeypatch.setattr(rewardkit_code, "_pool", lambda *a: fake)
    return fake


def score(reference, completion=RIGHT, **params):
    return Engine().run(rewardkit_code.CodeTests(**params), [Sample(completion,
                                                                    reference=reference)])[0]


def test_the_format_reaches_the_sandbox_as_a_program_and_suite(pool):
    result = score(REFERENCE)
    assert result.status is Status.OK and result.value == 1.0
    assert result.info["format"] == "humaneval" and result.info["stderr"] == ["boom"]
    source, suite = pool.calls[0]
    assert source.startswith(HE["prompt"]) and suite.tests[0].code.endswith(
        "check(has_close_elements)\n")


def test_stderr_in_info_is_cut_to_its_first_kib(pool):
    pool.stderr = "e" * 5000
    assert score(REFERENCE).info["stderr"] == ["e" * 1024]


@pytest.mark.parametrize("reference, message", [
    ({"format": "leetcode"}, "unknown format 'leetcode'"),
    ({"format": "humaneval", "prompt": "def f():\n"}, "has no 'test', 'entry_point'"),
    ({"format": "multipl-e", "language": "lua", "prompt": "f(", "tests": ""},
     "language 'lua'"),
])
def test_bad_references_are_unverifiable_with_the_reason(pool, reference, message):
    result = score(reference)
    assert result.status is Status.UNVERIFIABLE and result.value is None
    assert message in result.info["reason"] and pool.calls == []


@pytest.mark.parametrize("error, status, message", [
    (UnverifiableSuite("the sandbox image has no rust"), Status.UNVERIFIABLE, "no rust"),
    (UnverifiableSuite("the checker does not compile: x.cpp:1: error"), Status.UNVERIFIABLE,
     "does not compile"),
    (SandboxError("Docker is not reachable"), Status.ERROR, "Docker is not reachable"),
])
def test_what_the_sandbox_cannot_do_is_never_zero(monkeypatch, error, status, message):
    monkeypatch.setattr(rewardkit_code, "_pool", lambda *a: FakePool(error=error))
    result = score(REFERENCE)
    assert result.status is status and result.value is None
    assert message in result.info["reason"]


def test_a_failed_judge_is_an_error_not_a_wrong_answer(pool):
    pool.statuses = ("pass", "error")
    result = score(REFERENCE)
    assert result.status is Status.ERROR and "the judge failed" in result.info["reason"]


def test_no_code_follows_the_no_code_policy(pool):
    mbpp = {"format": "mbpp", **rows("mbpp")[0]}
    assert score(mbpp, "I cannot solve this.").value == 0.0
    assert score(mbpp, "", no_code="not_applicable").status is Status.NOT_APPLICABLE
    assert pool.calls == []


def test_an_apps_problem_without_tests_is_not_applicable(pool):
    result = score({"format": "apps", "input_output": ""}, "```python\nprint(1)\n```")
    assert result.status is Status.NOT_APPLICABLE and pool.calls == []


def test_all_or_nothing(pool):
    pool.statuses = ("pass", "fail")
    assert score(REFERENCE).value == 0.5
    assert score(REFERENCE, mode="all_or_nothing").value == 0.0
