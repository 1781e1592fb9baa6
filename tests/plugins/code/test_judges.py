"""The checkers and the call driver shipped into the sandbox, run here on the host: each
compares as its dataset's harness does."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from rewardkit_code.formats.judges import apps_stdio, call_result, codecontests, lcb_stdio
from rewardkit_code.formats.python_programs import call_program


def verdict(checker, output, answer):
    result = checker.check("", output, answer)
    return result[0] if isinstance(result, tuple) else result


@pytest.mark.parametrize("output, answer", [
    ("7\n0\n", "7\n0\n"),
    ("  7\n0  \n\n", "7\n0"),                 # stripped whole and per line
    ("7 \n 0\n", "7\n0\n"),
    ("1.0000001\n2\n", "1.0\n2.0\n"),         # numpy.allclose, line by line
    ("3 1 2\n", "1 2 3\n"),                   # a line's tokens as a set
    ("b a\nc\n", "c\na b\n"),                 # the lines as a set of token sets
    ("0.3333\n", "0.33333333\n"),             # rounded to 3 places
])
def test_apps_accepts_what_its_harness_accepts(output, answer):
    assert verdict(apps_stdio, output, answer)


@pytest.mark.parametrize("output, answer", [
    ("7\n1\n", "7\n0\n"), ("7\n", "7\n0\n"), ("1.01\n", "1.0\n"), ("1 2 2\n", "1 2 3\n"),
    ("", "1\n"),
])
def test_apps_rejects_wrong_output(output, answer):
    assert not verdict(apps_stdio, output, answer)


def test_lcb_compares_stripped_lines_and_decimals_without_tolerance():
    assert verdict(lcb_stdio, "  YES\nNO  \n\n", "YES\nNO")
    assert verdict(lcb_stdio, "2.50 1\n", "2.5 1.0\n")
    assert not verdict(lcb_stdio, "2.5000001\n", "2.5\n")
    assert not verdict(lcb_stdio, "YES NO\n", "YES\nNO\n")   # line structure counts
    assert lcb_stdio.check("", "1\n", "1\n2\n") == (False, "got 1 lines, expected 2")
    assert not verdict(lcb_stdio, "sNaN\n", "1\n")


def test_codecontests_outputs_match():
    assert verdict(codecontests, "OK\n", "ok")                      # lower-cased
    assert verdict(codecontests, "1\n2 3", "1 2\n3\n")              # whitespace-split
    assert verdict(codecontests, "0.333334", "0.333333")            # 1e-5 absolute
    assert not verdict(codecontests, "0.3334", "0.3333")
    assert not verdict(codecontests, "2", "3")                      # ints exactly
    assert not verdict(codecontests, "1 2", "1")
    # beyond 32 bits a number is a double: 1e-5 absolute at 1e18 is float equality
    assert verdict(codecontests, "1000000000000000000", "1000000000000000001")


def run_driver(harness, function, code, test_input):
    program = call_program(harness, function, code)
    done = subprocess.run([sys.executable, "-c", program], input=test_input,
                          capture_output=True, text=True, timeout=60)
    return done.returncode, done.stdout, done.stderr


def answer(harness, expected):
    return json.dumps({"harness": harness, "expected": expected})


def test_apps_call_accepts_a_result_wrapped_in_the_expected_list():
    code, out, _ = run_driver("apps", "f", "def f(n):\n    return str(n)\n", "[5]")
    assert code == 0 and verdict(call_result, out, answer("apps", ["5"]))
    assert not verdict(call_result, out, answer("apps", ["6"]))


def test_apps_call_tuples_become_lists_and_dict_keys_ints():
    code, out, _ = run_driver("apps", "f", "def f(d):\n    return (d[1], 2)\n",
                              json.dumps([{"1": 7}]))
    assert code == 0 and verdict(call_result, out, answer("apps", [7, 2]))
    _, out, _ = run_driver("apps", "g", "def g():\n    return {1: 'a'}\n", "[]")
    assert verdict(call_result, out, answer("apps", {"1": "a"}))


def test_class_solution_method_and_prints_kept_off_the_result():
    code = ("class Solution:\n    def twice(self, x):\n        print('debug')\n"
            "        return 2 * x\n")
    status, out, err = run_driver("lcb", "twice", code, "21")
    assert status == 0 and "debug" in err and "debug" not in out
    assert verdict(call_result, out, answer("lcb", 42))
    assert not verdict(call_result, out, answer("lcb", 41))


def test_lcb_call_reads_one_json_argument_per_line():
    _, out, _ = run_driver("lcb", "f", "def f(a, s):\n    return [len(a), s]\n",
                           '[1, 2, 3]\n"x"')
    assert verdict(call_result, out, answer("lcb", [3, "x"]))


def test_main_block_does_not_run_and_a_crash_is_a_failed_run():
    code = "def f():\n    return 1\nif __name__ == '__main__':\n    raise SystemExit(3)\n"
    assert run_driver("apps", "f", code, "[]")[0] == 0
    assert run_driver("apps", "f", "def f():\n    return 1 / 0\n", "[]")[0] != 0
    assert run_driver("apps", "missing", "def f():\n    return 1\n", "[]")[0] != 0


def test_unreadable_output_is_a_wrong_answer():
    assert call_result.check("", "not json", answer("lcb", 1))[0] is False
    assert call_result.check("", '{"value": {"tuple": [1]}}', answer("lcb", [1]))[0] is False
