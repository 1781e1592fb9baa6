"""The test format: what parses, and the errors for what does not."""

from __future__ import annotations

import json

import pytest

from rewardkit_sandbox import SpecError, TestSuite
from rewardkit_sandbox.spec import Outcome, ProgramResult, TestResult


def test_io_and_code_tests_parse_with_defaults():
    suite = TestSuite.parse({"language": "python", "tests": [
        {"input": "1\n", "output": "2\n"}, {"code": "assert f(1) == 2"}]})
    assert suite.language == "python"
    assert [t.kind for t in suite.tests] == ["io", "code"]
    assert suite.tests[0].compare == "tokens"


def test_language_defaults_to_python_and_json_text_is_accepted():
    suite = TestSuite.parse(json.dumps({"tests": [{"output": "x"}]}))
    assert suite.language == "python" and suite.tests[0].input == ""


@pytest.mark.parametrize("data, message", [
    ("{not json", "not valid JSON"),
    ([], "expected an object"),
    ({"tests": [], "langauge": "python"}, "unknown keys ['langauge']"),
    ({"language": "cobol", "tests": []}, "language must be one of python, cpp, c, java"),
    ({"tests": {"input": "1"}}, "'tests' must be a list"),
    ({"tests": ["print(1)"]}, "tests[0]: a test must be an object"),
    ({"tests": [{"input": "1"}]}, "needs 'output'"),
    ({"tests": [{"input": "1", "output": "2", "code": "assert 1"}]}, "not both"),
    ({"tests": [{"output": 3}]}, "must be strings"),
    ({"tests": [{"output": "3", "compare": "fuzzy"}]}, "compare must be one of"),
    ({"tests": [{"output": "3", "tolerance": -1}]}, "tolerance must be a number >= 0"),
    ({"tests": [{"code": "  "}]}, "non-empty string"),
    ({"tests": [{"output": "1"}], "stderr_fails": "yes"}, "'stderr_fails' must be true"),
    ({"tests": [], "checker": "int main(){}"}, "checker: expected {'language'"),
    ({"tests": [], "checker": {"language": "java", "source": "x"}}, "must be one of cpp, python"),
    ({"tests": [], "checker": {"language": "cpp", "source": " "}}, "non-empty string"),
    ({"tests": [], "checker": {"source": "x"}, "interactor": {"source": "y"}}, "not both"),
    ({"tests": [{"code": "x"}], "interactor": {"source": "y"}}, "with an 'interactor'"),
    ({"tests": [{"input": "1", "checker": {"source": "c"}}], "interactor": {"source": "y"}},
     "with an 'interactor'"),
    ({"tests": [{"output": "1", "tolerance": True}]}, "tolerance must be a number"),
    ({"tests": [{"output": "1", "expected": "1"}]}, "unknown keys ['expected']"),
])
def test_malformed_suites_are_rejected_with_the_reason(data, message):
    with pytest.raises(SpecError, match=None) as info:
        TestSuite.parse(data)
    assert message in str(info.value)


@pytest.mark.parametrize("language", ["python", "cpp", "c", "java", "javascript", "go", "rust"])
def test_every_language_takes_appended_test_code(language):
    suite = TestSuite.parse({"language": language, "tests": [{"code": "some test"}]})
    assert suite.tests[0].kind == "code" and suite.tests[0].code == "some test"


def test_checker_and_interactor_parse_and_are_keyed_by_source():
    suite = TestSuite.parse({"tests": [{"input": "1"}, {"input": "2", "output": "3",
                                                        "checker": {"source": "b"}}],
                             "checker": {"language": "python", "source": "a"},
                             "stderr_fails": True})
    assert suite.checker.language == "python" and suite.stderr_fails
    assert suite.tests[0].checker is None and suite.tests[1].checker.language == "cpp"
    assert suite.checker.digest != suite.tests[1].checker.digest
    interactive = TestSuite.parse({"language": "cpp", "tests": [{"input": "5"}],
                                   "interactor": {"language": "cpp", "source": "int main(){}"}})
    assert interactive.interactor.digest and interactive.tests[0].output is None


def test_unverifiable_suite_is_a_spec_error_with_its_reason():
    from rewardkit_sandbox import UnverifiableSuite

    error = UnverifiableSuite("no rust here")
    assert isinstance(error, SpecError) and error.reason == "no rust here"


def test_load_names_the_file_when_it_cannot_be_read(tmp_path):
    with pytest.raises(SpecError, match="cannot read tests file"):
        TestSuite.load(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2")
    with pytest.raises(SpecError, match=str(bad)):
        TestSuite.load(bad)


def test_program_result_counts_passes_and_compile_errors():
    result = ProgramResult((TestResult(Outcome.PASS), TestResult(Outcome.FAIL),
                            TestResult(Outcome.PASS), TestResult(Outcome.TIMEOUT)))
    assert (result.passed, result.pass_rate, result.compiled) == (2, 0.5, True)
    assert result.to_dict()["results"][3]["status"] == "timeout"
    assert not ProgramResult((TestResult(Outcome.COMPILE_ERROR),)).compiled
    assert ProgramResult(()).pass_rate == 0.0


@pytest.mark.parametrize("field, value", [("memory_mb", 4), ("test_timeout", 0), ("pids", -1),
                                          ("output_bytes", "big")])
def test_limits_reject_values_that_cannot_work(field, value):
    from rewardkit_sandbox import Limits

    with pytest.raises(ValueError, match=f"Limits.{field} must be a number"):
        Limits(**{field: value})
