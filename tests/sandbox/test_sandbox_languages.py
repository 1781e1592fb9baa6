"""Every language: right and wrong programs, compile and runtime errors, appended tests."""

from __future__ import annotations

import pytest

from tests.sandbox.programs import (
    ADD, ADD_EXITS_EARLY, ADD_TEST, ADD_WRONG, CRASH, DIFF, LANGUAGES, SUM, SUM_TESTS,
    SYNTAX_ERROR)

pytestmark = pytest.mark.docker


def statuses(result) -> list[str]:
    return [r.status.value for r in result.results]


@pytest.mark.parametrize("language", LANGUAGES)
def test_correct_and_wrong_programs(pool, language):
    suite = {"language": language, "tests": SUM_TESTS}
    right = pool.run(SUM[language], suite)
    assert statuses(right) == ["pass"] * 3, right.to_dict()
    wrong = pool.run(DIFF[language], suite)
    assert statuses(wrong) == ["fail", "fail", "pass"], wrong.to_dict()


@pytest.mark.parametrize("language", LANGUAGES)
def test_compile_error_keeps_the_compiler_output(pool, language):
    result = pool.run(SYNTAX_ERROR[language], {"language": language, "tests": SUM_TESTS})
    assert set(statuses(result)) == {"compile_error"}, result.to_dict()
    assert result.compile_output.strip()
    assert not result.compiled


@pytest.mark.parametrize("language", LANGUAGES)
def test_runtime_error_is_distinct_with_exit_code_and_stderr(pool, language):
    result = pool.run(CRASH[language], {"language": language, "tests": SUM_TESTS[:1]})
    first = result.results[0]
    assert first.status.value == "runtime_error" and first.exit_code == 3, result.to_dict()
    assert "boom" in first.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_appended_test_code_passes_and_fails(pool, language):
    suite = {"language": language, "tests": [{"code": ADD_TEST[language]}]}
    right = pool.run(ADD[language], suite)
    assert statuses(right) == ["pass"], right.to_dict()
    wrong = pool.run(ADD_WRONG[language], suite)
    assert statuses(wrong) == (["fail"] if language == "python" else ["runtime_error"]), \
        wrong.to_dict()


@pytest.mark.parametrize("language", sorted(ADD_EXITS_EARLY))
def test_exiting_0_before_the_test_ends_does_not_pass(pool, language):
    suite = {"language": language, "tests": [{"code": ADD_TEST[language]}]}
    result = pool.run(ADD_EXITS_EARLY[language], suite)
    assert statuses(result) == ["fail"], result.to_dict()
    assert "did not run to its end" in result.results[0].detail


def test_compile_timeout_is_its_own_status(docker_client, sandbox_image):
    from rewardkit_sandbox import Limits, SandboxPool

    bomb = ("template<int N> struct F { static const long v = F<N-1>::v + F<N-2>::v; };\n"
            "template<> struct F<0> { static const long v = 0; };\n"
            "template<> struct F<1> { static const long v = 1; };\n"
            "int main() { return F<100000>::v; }\n")
    slow = ("#include <bits/stdc++.h>\n" * 1) + "\n".join(
        f"template<int N> struct A{i} {{ static const int v = A{i}<N-1>::v + 1; }};\n"
        f"template<> struct A{i}<0> {{ static const int v = 0; }};\n"
        f"int x{i} = A{i}<800>::v;" for i in range(400)) + "\nint main() {}\n"
    with SandboxPool(size=1, image=sandbox_image, client=docker_client,
                     limits=Limits(compile_timeout=1.0)) as pool:
        result = pool.run(slow, {"language": "cpp", "tests": [{"output": ""}]})
        assert statuses(result) == ["compile_timeout"], result.to_dict()
        assert "limit" in result.compile_output
        assert statuses(pool.run(bomb, {"language": "cpp", "tests": [{"output": ""}]})) in (
            ["compile_error"], ["compile_timeout"])


def test_a_language_the_image_lacks_is_unverifiable(docker_client, sandbox_image):
    from rewardkit_sandbox import SandboxPool, UnverifiableSuite

    with SandboxPool(size=1, image=sandbox_image, client=docker_client) as pool:
        pool.languages = ("python", "cpp")  # as an image from before the other languages
        with pytest.raises(UnverifiableSuite, match="has no rust"):
            pool.run(SUM["rust"], {"language": "rust", "tests": SUM_TESTS})
