"""Hostile programs in every language other than Python (Python's own suite is in
test_sandbox_adversarial.py): each class is contained with the right status, and after
each the container is healthy and no sandbox process is left."""

from __future__ import annotations

import pytest

from tests.sandbox.hostile_programs import COMPILE_BOMBS, FORGED_MARK, HOSTILE
from tests.sandbox.programs import ADD_TEST
from tests.sandbox.test_sandbox_adversarial import sandbox_processes

pytestmark = pytest.mark.docker

CASES = [(name, language, source, allowed, tests)
         for name, (allowed, sources, tests) in HOSTILE.items()
         for language, source in sources.items()]
CASES += [("compile-time bomb", language, source, {"compile_error", "compile_timeout"},
           [{"output": ""}]) for language, source in COMPILE_BOMBS.items()]
CASES += [("forged completion mark", language, source, {"fail", "timeout"},
           [{"code": ADD_TEST[language]}]) for language, source in FORGED_MARK.items()]


def assert_healthy(pool) -> None:
    healthy = pool.run("print(sum(map(int, input().split())))",
                       {"tests": [{"input": "2 3", "output": "5"}]})
    assert healthy.pass_rate == 1.0, healthy.to_dict()
    assert sandbox_processes(pool) == []
    assert len(pool.containers()) == 1


@pytest.mark.parametrize("name, language, source, allowed, tests", CASES,
                         ids=[f"{c[1]}: {c[0]}" for c in CASES])
def test_hostile_program_is_contained(polyglot_hostile_pool, name, language, source, allowed,
                                      tests):
    suite = {"language": language, "tests": tests or [{"output": "contained"}]}
    result = polyglot_hostile_pool.run(source, suite)
    statuses = {r.status.value for r in result.results}
    assert statuses <= allowed, result.to_dict()
    assert_healthy(polyglot_hostile_pool)


def test_every_class_covers_every_language():
    languages = {"cpp", "c", "java", "javascript", "go", "rust"}
    for name, (_, sources, _) in HOSTILE.items():
        assert set(sources) == languages, name
    assert set(COMPILE_BOMBS) == set(FORGED_MARK) == languages
