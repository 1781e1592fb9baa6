"""Checkers (testlib-style C++ and Python) and interactive problems with an interactor."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.docker

# A problem with many right answers: print any divisor d of n with 1 < d <= n.
DIVISOR_CHECKER = r"""
#include "testlib.h"

int main(int argc, char* argv[]) {
    registerTestlibCmd(argc, argv);
    long long n = inf.readLong(2, 1000000000LL, "n");
    ans.readLong();  // the reference answer: any divisor will do
    long long d = ouf.readLong(2, n, "d");
    if (n % d != 0)
        quitf(_wa, "%lld does not divide %lld", d, n);
    quitf(_ok, "%lld divides %lld", d, n);
}
"""
DIVISOR_CHECKER_PY = """
def check(input, output, answer):
    n, tokens = int(input.split()[0]), output.split()
    if len(tokens) != 1 or not tokens[0].isdigit():
        return False, "expected one number"
    d = int(tokens[0])
    return (1 < d <= n and n % d == 0), f"{d} for {n}"
"""
DIVISOR_TESTS = [{"input": "12\n", "output": "2\n"}, {"input": "35\n", "output": "5\n"},
                 {"input": "49\n", "output": "7\n"}]
LARGEST = "n = int(input())\nprint(n if n % 2 else n // 2)\n"  # right, never the reference
SMALLEST = ("n = int(input())\nprint(next(d for d in range(2, n + 1) if n % d == 0))\n")
WRONG = "n = int(input())\nprint(n - 1)\n"


def statuses(result) -> list[str]:
    return [r.status.value for r in result.results]


@pytest.mark.parametrize("checker", [{"language": "cpp", "source": DIVISOR_CHECKER},
                                     {"language": "python", "source": DIVISOR_CHECKER_PY}],
                         ids=["testlib-cpp", "python"])
def test_checker_accepts_any_right_answer(pool, checker):
    suite = {"tests": DIVISOR_TESTS, "checker": checker}
    assert statuses(pool.run(SMALLEST, suite)) == ["pass"] * 3
    largest = pool.run(LARGEST, suite)
    assert statuses(largest) == ["pass"] * 3, largest.to_dict()
    wrong = pool.run(WRONG, suite)
    assert statuses(wrong) == ["fail"] * 3, wrong.to_dict()
    assert "checker:" in wrong.results[0].detail
    # without the checker, the right answer that is not the reference scores 0
    assert statuses(pool.run(LARGEST, {"tests": DIVISOR_TESTS})) == ["fail"] * 3


def test_checker_reports_presentation_errors_and_extra_output(pool):
    suite = {"tests": DIVISOR_TESTS[:1], "checker": {"source": DIVISOR_CHECKER}}
    garbled = pool.run("print('two')\n", suite)
    assert statuses(garbled) == ["fail"] and "expected an integer" in garbled.results[0].detail
    extra = pool.run("print(2, 3)\n", suite)
    assert statuses(extra) == ["fail"] and "extra information" in extra.results[0].detail


def test_per_test_checker_overrides_the_comparison(pool):
    suite = {"tests": [{"input": "12\n", "output": "2\n",
                        "checker": {"language": "python", "source": DIVISOR_CHECKER_PY}},
                       {"input": "12\n", "output": "2\n"}]}
    assert statuses(pool.run("input()\nprint(6)\n", suite)) == ["pass", "fail"]


def test_checker_failure_is_an_error_not_a_zero(pool):
    failing = '#include "testlib.h"\nint main(int c, char* v[]) { registerTestlibCmd(c, v);' \
              ' quitf(_fail, "the answer file is broken"); }\n'
    result = pool.run(SMALLEST, {"tests": DIVISOR_TESTS[:1], "checker": {"source": failing}})
    assert statuses(result) == ["error"] and "broken" in result.results[0].detail
    raising = "def check(i, o, a):\n    raise ValueError('oops')\n"
    result = pool.run(SMALLEST, {"tests": DIVISOR_TESTS[:1],
                                 "checker": {"language": "python", "source": raising}})
    assert statuses(result) == ["error"] and "oops" in result.results[0].detail


@pytest.mark.parametrize("checker", [{"language": "cpp", "source": "int main( { }"},
                                     {"language": "python", "source": "def check(:"}])
def test_checker_that_does_not_compile_is_unverifiable(pool, checker):
    from rewardkit_sandbox import UnverifiableSuite

    with pytest.raises(UnverifiableSuite, match="checker does not compile"):
        pool.run(SMALLEST, {"tests": DIVISOR_TESTS, "checker": checker})
    assert statuses(pool.run(LARGEST, {"tests": DIVISOR_TESTS[:1]})) == ["fail"]  # still healthy


def test_the_program_cannot_read_the_answer_while_the_checker_runs(pool):
    # The answer reaches the checker as an inherited descriptor, after the program ended.
    snoop = ("import os\nfound = []\nfor root, _, files in os.walk('/tmp'):\n"
             "    for f in files:\n        try:\n"
             "            found.append(open(os.path.join(root, f)).read())\n"
             "        except Exception:\n            pass\n"
             "print(next((x.split()[0] for x in found if x.strip().isdigit()), 'none'))\n")
    result = pool.run(snoop, {"tests": [{"input": "12\n", "output": "4\n"}],
                              "checker": {"language": "python", "source": DIVISOR_CHECKER_PY}})
    assert statuses(result) == ["fail"]


# ---------------------------------------------------------------- interactive problems
# Guess the number (as on Codeforces): the hidden x (1..10^6) is the interactor's input;
# "? m" is answered "<" (x < m) or ">=", "! x" ends the game; at most 25 questions.
GUESS_INTERACTOR = r"""
#include "testlib.h"
#include <iostream>

int main(int argc, char* argv[]) {
    registerInteraction(argc, argv);
    int x = inf.readInt(1, 1000000, "x");
    int asked = 0;
    while (true) {
        std::string op = ouf.readToken();
        int m = ouf.readInt(1, 1000000, "m");
        if (op == "!") {
            if (m == x) quitf(_ok, "found %d with %d questions", x, asked);
            quitf(_wa, "answered %d, the number was %d", m, x);
        }
        if (op != "?") quitf(_pe, "expected '?' or '!', found '%s'", op.c_str());
        if (++asked > 25) quitf(_wa, "more than 25 questions");
        std::cout << (x < m ? "<" : ">=") << std::endl;
    }
}
"""
GUESS_INTERACTOR_PY = """
import sys
x = int(open(sys.argv[1]).read())
for asked in range(26):
    op, m = input().split()
    if op == "!":
        sys.exit(0 if int(m) == x else 1)
    print("<" if x < int(m) else ">=")
print("more than 25 questions", file=sys.stderr)
sys.exit(1)
"""
GUESS_RIGHT = """
lo, hi = 1, 10**6
while lo < hi:
    mid = (lo + hi + 1) // 2
    print("?", mid, flush=True)
    if input() == "<":
        hi = mid - 1
    else:
        lo = mid
print("!", lo, flush=True)
"""
GUESS_RIGHT_CPP = r"""
#include <iostream>
#include <string>
int main() {
    int lo = 1, hi = 1000000;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        std::cout << "? " << mid << std::endl;
        std::string r;
        std::cin >> r;
        if (r == "<") hi = mid - 1; else lo = mid;
    }
    std::cout << "! " << lo << std::endl;
}
"""
GUESS_WRONG = GUESS_RIGHT.replace('print("!", lo, flush=True)', 'print("!", lo + 1, flush=True)')
GUESS_LINEAR = "for m in range(1, 10**6):\n    print('!' if m > 40 else '?', m, flush=True)\n" \
               "    input()\n"
GUESS_HANGS = "import sys\nsys.stdin.read()\n"  # waits for input that never comes
GUESS_TESTS = [{"input": "1\n"}, {"input": "777777\n"}, {"input": "1000000\n"}]


@pytest.mark.parametrize("interactor", [GUESS_INTERACTOR, GUESS_INTERACTOR_PY],
                         ids=["testlib-cpp", "python"])
def test_interactive_guess_the_number(pool, interactor):
    language = "cpp" if "testlib" in interactor else "python"
    suite = {"tests": GUESS_TESTS, "interactor": {"language": language, "source": interactor}}
    right = pool.run(GUESS_RIGHT, suite)
    assert statuses(right) == ["pass"] * 3, right.to_dict()
    assert statuses(pool.run(GUESS_RIGHT_CPP, {**suite, "language": "cpp"})) == ["pass"] * 3
    wrong = pool.run(GUESS_WRONG, suite)
    assert statuses(wrong) == ["fail"] * 3, wrong.to_dict()
    too_many = pool.run(GUESS_LINEAR, suite)
    assert statuses(too_many)[1:] == ["fail"] * 2, too_many.to_dict()
    hangs = pool.run(GUESS_HANGS, {**suite, "tests": GUESS_TESTS[:1]})
    assert statuses(hangs) == ["timeout"], hangs.to_dict()


def test_interactor_that_does_not_compile_is_unverifiable(pool):
    from rewardkit_sandbox import UnverifiableSuite

    with pytest.raises(UnverifiableSuite, match="interactor does not compile"):
        pool.run(GUESS_RIGHT, {"tests": GUESS_TESTS, "interactor": {"source": "int main( {"}})


def test_the_program_cannot_signal_the_interactor(pool):
    kill_all = "import os, signal\nos.kill(-1, signal.SIGKILL)\n"
    suite = {"tests": GUESS_TESTS[:1], "interactor": {"source": GUESS_INTERACTOR}}
    result = pool.run(kill_all, suite)
    assert statuses(result) != ["pass"], result.to_dict()
    assert statuses(pool.run(GUESS_RIGHT, suite)) == ["pass"]
