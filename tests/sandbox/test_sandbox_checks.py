"""Assertion tests are split so that expected literals stay with the runner."""

from __future__ import annotations

import pytest

from rewardkit_sandbox import SpecError
from rewardkit_sandbox.checks import split_assertions


def test_literal_expected_value_is_kept_out_of_the_child_code():
    child, checks = split_assertions("assert solve(2) == 'secret-4242'")
    assert "secret-4242" not in child
    assert "__rk_check(0, [solve(2)])" in child
    assert checks == [{"ops": ["Eq"], "slots": [{"child": 0}, {"literal": "'secret-4242'"}],
                       "line": 1}]


def test_computed_operands_go_to_the_child_and_chains_keep_their_ops():
    child, checks = split_assertions("x = 3\nassert 0 < f(x) <= g(x)\nassert ok(x)")
    assert checks[0]["ops"] == ["Lt", "LtE"]
    assert checks[0]["slots"] == [{"literal": "0"}, {"child": 0}, {"child": 1}]
    assert checks[1] == {"ops": [], "slots": [{"child": 0}], "line": 3}
    assert "x = 3" in child and "__rk_check(1, [ok(x)])" in child


def test_asserts_inside_loops_and_functions_are_rewritten():
    child, checks = split_assertions("for a in range(3):\n    assert f(a) == a * 2\n")
    assert len(checks) == 1 and "assert" not in child


@pytest.mark.parametrize("code, message", [
    ("assert f(1) ==", "does not parse"),
    ("f(1)", "no 'assert' statement"),
])
def test_tests_that_cannot_fail_or_do_not_parse_are_rejected(code, message):
    with pytest.raises(SpecError, match=message):
        split_assertions(code)
