"""Native dataset formats without Docker: how each row and completion become a program
and a sandbox suite, and how bad input is reported."""

from __future__ import annotations

import base64
import json
import pickle
import zlib

import pytest
from native_cases import PYTHON_CASES, fence, rows
from native_cases_multilang import MULTILANG_CASES

from rewardkit_code.formats import FormatError, plan, reference_from_row
from rewardkit_sandbox import TestSuite

ALL_CASES = [*PYTHON_CASES, *MULTILANG_CASES]


def planned(case):
    return plan(reference_from_row(case.row, format=case.format, **dict(case.extra)),
                case.completion, None)


@pytest.mark.parametrize("case", ALL_CASES, ids=str)
def test_every_real_row_becomes_a_valid_suite(case):
    built = planned(case)
    suite = TestSuite.parse(built.suite)
    assert suite.tests and built.program.strip()


def test_reference_keeps_the_rows_fields_unchanged():
    row = rows("livecodebench")[0]
    reference = reference_from_row({**row, "question_content": "long text"},
                                   format="livecodebench")
    assert reference["format"] == "livecodebench"
    assert reference["public_test_cases"] == row["public_test_cases"]   # still a string
    assert "question_content" not in reference
    assert reference_from_row({"public_tests": {"input": [], "output": []}},
                              format="codecontests", language="cpp")["language"] == "cpp"


@pytest.mark.parametrize("row, fmt, message", [
    ({"prompt": "def f():\n"}, "humaneval", "'test', 'entry_point'"),
    ({"test_list": []}, "mbpp2", "unknown format 'mbpp2'"),
])
def test_reference_from_row_names_what_is_wrong(row, fmt, message):
    with pytest.raises(FormatError, match=message):
        reference_from_row(row, format=fmt)


def test_humaneval_is_prompt_plus_completion_then_check():
    row = rows("humaneval")[0]
    built = plan({"format": "humaneval", **row}, row["canonical_solution"], None)
    assert built.program == row["prompt"] + row["canonical_solution"]
    assert built.suite["tests"] == [{"code": row["test"] + "\ncheck(has_close_elements)\n"}]


def test_mbpp_runs_each_assertion_after_imports_and_setup():
    row = next(r for r in rows("mbpp") if r["test_imports"])
    built = plan({"format": "mbpp", **row, "test_setup_code": "X = 1"},
                 fence("python", row["code"]), None)
    assert [t["code"] for t in built.suite["tests"]] == [
        f"import math\nX = 1\n{a}" for a in row["test_list"]]


def test_a_usage_example_after_the_solution_is_not_taken_for_it():
    row = rows("humaneval")[1]
    completion = (fence("python", "def filter_by_substring(s, x):\n    return []")
                  + fence("python", "print(filter_by_substring(['a'], 'a'))"))
    assert "def filter_by_substring" in plan({"format": "humaneval", **row}, completion,
                                             None).program


def test_mbpp_prefers_the_block_defining_the_tested_function():
    row = rows("mbpp")[1]
    completion = (fence("python", "def remove_Occ(s, ch):\n    return s")
                  + fence("python", "print(remove_Occ('hello', 'l'))"))
    assert plan({"format": "mbpp", **row}, completion, None).program.startswith("def remove_Occ")


def test_codecontests_takes_the_problems_checker_when_given():
    row = rows("codecontests")[0]
    checker = {"language": "cpp", "source": "#include \"testlib.h\"\nint main() {}"}
    built = plan({"format": "codecontests", **row, "language": "cpp", "checker": checker},
                 fence("cpp", "int main() {}"), None)
    assert built.suite["checker"] == checker


def test_continuation_formats_take_a_bare_completion_others_do_not():
    he, mbpp = rows("humaneval")[0], rows("mbpp")[0]
    assert plan({"format": "humaneval", **he}, "    return True\n", None).program.endswith(
        "    return True\n")
    assert plan({"format": "mbpp", **mbpp}, "def f(): pass", None).program == ""


def test_livecodebench_reads_compressed_private_tests_but_never_loads_classes():
    row = rows("livecodebench")[1]
    built = plan({"format": "livecodebench", **row}, fence("python", "x = 1"), None)
    assert len(built.suite["tests"]) == 14                  # 2 public + 12 private
    hostile = base64.b64encode(zlib.compress(pickle.dumps(FormatError("x")))).decode()
    with pytest.raises(FormatError, match="private_test_cases"):
        plan({"format": "livecodebench", **row, "private_test_cases": hostile},
             fence("python", "x = 1"), None)


def test_apps_joins_list_inputs_and_calls_functions_through_the_driver():
    row = {"input_output": json.dumps({"inputs": [["1", "2"]], "outputs": [["3"]]})}
    built = plan({"format": "apps", **row}, fence("python", "print(3)"), None)
    assert built.suite["tests"] == [{"input": "1\n2", "output": "3"}]
    call = rows("apps")[1]
    built = plan({"format": "apps", **call}, fence("python", "def findNumber(n): pass"), None)
    assert built.program.startswith("RK_HARNESS = 'apps'\nRK_FUNCTION = 'findNumber'")
    assert json.loads(built.suite["tests"][0]["output"]) == {"harness": "apps",
                                                             "expected": ["1"]}


@pytest.mark.parametrize("language, expected", [(2, "cpp"), (3, "python"), ("Java", "java")])
def test_codecontests_language_by_name_or_number(language, expected):
    row = rows("codecontests")[0]
    built = plan({"format": "codecontests", **row, "language": language},
                 fence(expected, "x"), None)
    assert built.language == expected and len(built.suite["tests"]) == 13


def test_go_program_and_test_files_import_what_each_uses_and_testify_is_replaced():
    row = next(r for r in rows("humaneval_x") if r["task_id"] == "Go/7")
    built = plan({"format": "humaneval-x", **row}, row["canonical_solution"], None)
    assert built.program.startswith('package main\n\nimport (\n\t"strings"\n)\n')
    test = built.suite["tests"][0]["code"]
    assert test.startswith('package main\n\nimport (\n\t"testing"\n\t"reflect"\n)\n')
    assert "testify" not in built.program + test and "rkAssertNew(t)" in test


def test_rust_test_module_is_called_from_main():
    row = next(r for r in rows("humaneval_x") if r["task_id"] == "Rust/0")
    built = plan({"format": "humaneval-x", **row}, row["canonical_solution"], None)
    assert "use rand::Rng;" not in built.program
    assert "tests::test_has_close_elements();" in built.suite["tests"][0]["code"]


@pytest.mark.parametrize("language, helper", [("go", "func EncodeShift("),
                                              ("javascript", "const encodeShift ="),
                                              ("cpp", "string encode_shift(")])
def test_a_whole_program_keeps_the_prompts_helpers_it_relies_on(language, helper):
    row = {"task_id": {"go": "Go/50", "javascript": "JavaScript/50", "cpp": "CPP/50"}[language],
           "prompt": {"go": "// enc\nfunc EncodeShift(s string) string {\n    return s\n}\n"
                            "func DecodeShift(s string) string {\n",
                      "javascript": "const encodeShift = (s) => {\n  return s\n}\n"
                                    "const decodeShift = (s) => {\n",
                      "cpp": "#include<string>\nusing namespace std;\n"}[language],
           "declaration": {"go": "\nfunc DecodeShift(s string) string {\n",
                           "javascript": "\nconst decodeShift = (s) => {\n",
                           "cpp": "#include<string>\nusing namespace std;\nstring encode_shift("
                                  "string s){\n    return s;\n}\nstring decode_shift(string s){\n"
                           }[language], "test": ""}
    whole = {"go": "func DecodeShift(s string) string {\n    return EncodeShift(s)\n}\n",
             "javascript": "const decodeShift = (s) => {\n  return encodeShift(s)\n}\n",
             "cpp": "string decode_shift(string s) {\n    return encode_shift(s);\n}\n"}[language]
    program = plan({"format": "humaneval-x", **row}, fence(language, whole), None).program
    assert program.count(helper) == 1
    own = {"go": "func EncodeShift(s string) string { return s }\n",
           "javascript": "const encodeShift = (s) => s;\n",
           "cpp": "string encode_shift(string s) { return s; }\n"}[language]
    program = plan({"format": "humaneval-x", **row}, fence(language, own + whole), None).program
    assert program.count(helper.split("(")[0].split("=")[0].strip()) == 1


def test_a_commented_out_rust_test_module_runs_nothing():
    from rewardkit_code.formats.native_tests import rust_tests_as_main

    main = rust_tests_as_main("/*\n#[cfg(test)]\nmod tests {\n#[test]\nfn t() {}\n}\n*/\n")
    assert main.strip() == "fn main() {\n}"


def test_java_asserts_hold_without_ea():
    row = next(r for r in rows("multipl_e") if r["language"] == "java")
    test = plan({"format": "multipl-e", **row}, "return true;", None).suite["tests"][0]["code"]
    assert "assert(" not in test and "throw new AssertionError();" in test


@pytest.mark.parametrize("fmt, row, completion, message", [
    ("multipl-e", {"language": "java", "prompt": "class P {\n  Pair<Long, Long> f(long x) {\n",
                   "tests": "}}"}, "return null;", "org.javatuples"),
    ("humaneval-x", {"task_id": "Rust/1", "prompt": "", "test": "",
                     "declaration": "fn f() -> u8 {\n"},
     "let r = regex::Regex::new(\"a\");", "use regex::Regex"),
    ("humaneval-x", {"task_id": "CPP/162", "prompt": "#include<openssl/md5.h>\nint f(){\n",
                     "declaration": "int f(){\n", "test": ""}, "return 1;}", "OpenSSL"),
    ("multipl-e", {"language": "cs", "prompt": "int F() {\n", "tests": ""}, "x", "language 'cs'"),
    ("humaneval-x", {"prompt": "", "declaration": "f(", "test": ""}, "x", "task_id"),
    ("livecodebench", {"public_test_cases": "[{\"input\": 1}]"}, "x", "string 'input'"),
    ("apps", {"input_output": "{\"inputs\": [1]}"}, "x", "'outputs' lists"),
    ("codecontests", {"public_tests": {"input": ["1"], "output": []}, "language": 1}, "x",
     "Python 2"),
])
def test_what_cannot_be_judged_says_why(fmt, row, completion, message):
    with pytest.raises(FormatError, match=message):
        plan({"format": fmt, **row}, completion, None)
