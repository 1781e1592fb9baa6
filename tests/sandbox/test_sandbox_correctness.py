"""Known-correct and known-wrong solutions get exactly the expected pass rates."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.docker

SUM_TESTS = {"tests": [{"input": "1 2\n", "output": "3\n"}, {"input": "3 0\n", "output": "3\n"},
                       {"input": "5 5\n", "output": "10\n"}, {"input": "0 0\n", "output": "0\n"}]}
REVERSE_TESTS = {"tests": [{"input": "abc\n", "output": "cba\n"}, {"input": "abba\n", "output": "abba\n"},
                           {"input": "xy\n", "output": "yx\n"}]}
PRIME_TESTS = {"tests": [{"code": "assert is_prime(2) == True"},
                         {"code": "assert is_prime(9) is False"},
                         {"code": "assert [n for n in range(20) if is_prime(n)] == [2, 3, 5, 7, 11, 13, 17, 19]"},
                         {"code": "assert is_prime(7)"},
                         {"code": "assert not is_prime(1)"}]}
MAX_TESTS = {"language": "cpp", "tests": [
    {"input": "3\n5 1 2\n", "output": "5\n"}, {"input": "3\n1 5 2\n", "output": "5\n"},
    {"input": "1\n-4\n", "output": "-4\n"}, {"input": "4\n9 9 1 0\n", "output": "9\n"}]}

CASES = [
    ("sum correct", "a, b = map(int, input().split())\nprint(a + b)\n", SUM_TESTS, 1.0),
    ("sum wrong", "a, b = map(int, input().split())\nprint(a - b)\n", SUM_TESTS, 0.5),
    ("sum crashes", "print(int(input()))\n", SUM_TESTS, 0.0),
    ("reverse correct", "print(input()[::-1])\n", REVERSE_TESTS, 1.0),
    ("reverse wrong", "print(input())\n", REVERSE_TESTS, 1 / 3),
    ("prime correct",
     "def is_prime(n):\n    return n > 1 and all(n % d for d in range(2, int(n ** 0.5) + 1))\n",
     PRIME_TESTS, 1.0),
    ("prime wrong (odd numbers)", "def is_prime(n):\n    return n % 2 == 1\n", PRIME_TESTS, 0.2),
    ("prime wrong (truthy ints)",
     "def is_prime(n):\n    return int(n > 1 and all(n % d for d in range(2, n)))\n",
     PRIME_TESTS, 0.8),  # only `is_prime(9) is False` tells 0 from False
    ("max correct (C++)",
     "#include <iostream>\nint main(){int n,x,m;std::cin>>n>>m;for(int i=1;i<n;i++){std::cin>>x;"
     "if(x>m)m=x;}std::cout<<m<<std::endl;}\n", MAX_TESTS, 1.0),
    ("max wrong: first element (C++)",
     "#include <iostream>\nint main(){int n,m;std::cin>>n>>m;std::cout<<m<<std::endl;}\n",
     MAX_TESTS, 0.75),
]


@pytest.mark.parametrize("name, source, tests, rate", CASES, ids=[c[0] for c in CASES])
def test_pass_rates_are_exact(pool, name, source, tests, rate):
    result = pool.run(source, tests)
    assert result.pass_rate == pytest.approx(rate), result.to_dict()


def test_cpp_compile_error_marks_every_test_and_keeps_the_compiler_output(pool):
    result = pool.run("int main() { return missing; }", MAX_TESTS)
    assert {r.status.value for r in result.results} == {"compile_error"}
    assert "missing" in result.compile_output and "not declared" in result.compile_output


def test_python_syntax_error_is_a_compile_error(pool):
    result = pool.run("def f(:\n", SUM_TESTS)
    assert {r.status.value for r in result.results} == {"compile_error"}
    assert "SyntaxError" in result.compile_output


def test_numeric_and_whitespace_comparisons(pool):
    source = "print('%.9f' % (1 / 3))\nprint(' 7   8 ')\n"
    tests = {"tests": [{"output": "0.333333333333\n7 8", "compare": "numeric"},
                       {"output": "0.333333333 7 8", "compare": "whitespace"},
                       {"output": "0.333333333333\n7 8", "compare": "exact"},
                       {"output": "0.3334 7 8", "compare": "numeric", "tolerance": 1e-3}]}
    statuses = [r.status.value for r in pool.run(source, tests).results]
    assert statuses == ["pass", "pass", "fail", "pass"]


def test_runtime_error_keeps_the_exit_code_and_stderr(pool):
    result = pool.run("import sys\nprint('boom', file=sys.stderr)\nsys.exit(3)\n", SUM_TESTS)
    first = result.results[0]
    assert first.status.value == "runtime_error" and first.exit_code == 3
    assert "boom" in first.stderr


def test_assertion_failure_names_the_line(pool):
    result = pool.run("def f(x):\n    return x\n", {"tests": [{"code": "y = 1\nassert f(y) == 2"}]})
    assert result.results[0].status.value == "fail"
    assert "line 2" in result.results[0].detail


def test_main_guard_does_not_run_for_assertion_tests(pool):
    source = "def f():\n    return 1\nif __name__ == '__main__':\n    input()\n"
    assert pool.run(source, {"tests": [{"code": "assert f() == 1"}]}).pass_rate == 1.0


def test_empty_suite_runs_nothing(pool):
    assert pool.run("print(1)", {"tests": []}).results == ()


def test_assertion_tests_allow_common_library_features(pool):
    source = ("import collections, dataclasses, enum, logging\n"
              "Point = collections.namedtuple('Point', 'x y')\n"
              "Color = enum.Enum('Color', 'RED GREEN')\n"
              "@dataclasses.dataclass\nclass Box:\n    w: int\n"
              "def area(x, y):\n    logging.getLogger('s').info('area')\n"
              "    return Point(x, y).x * Box(y).w + Color.GREEN.value\n")
    assert pool.run(source, {"tests": [{"code": "assert area(3, 4) == 14"}]}).pass_rate == 1.0
