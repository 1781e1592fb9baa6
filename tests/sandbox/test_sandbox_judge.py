"""The runner's verdicts (pure functions; no Docker needed)."""

from __future__ import annotations

import json

import pytest

from rewardkit_sandbox.checks import split_assertions
from rewardkit_sandbox.incontainer.child import _encode
from rewardkit_sandbox.incontainer.judge import compare_output, decode, judge_checks


@pytest.mark.parametrize("actual, expected, mode, ok", [
    (b"3\n", "3\n", "exact", True),
    (b"3", "3\n", "exact", False),
    (b"1 2\r\n3  \n\n", "1 2\n3", "lines", True),
    (b"1  2\n", "1 2\n", "lines", False),
    (b"1  2\n\n3", "1 2 3", "whitespace", True),
    (b"1 2", "1 2 3", "whitespace", False),
    (b"0.3333333", "0.33333333333", "numeric", True),
    (b"0.34", "0.33333333333", "numeric", False),
    (b"1e9 x", "1000000000.0001 x", "numeric", True),
    (b"abc", "abd", "numeric", False),
    # tokens, the default: what Codeforces' default checker accepts
    (b"1\n2\n3\n", "1 2 3\n", "tokens", True),
    (b"1 2 3", "1\n2\n3", "tokens", True),
    (b"1 2", "1 2 3", "tokens", False),
    (b"YES", "yes", "tokens", False),
    (b"0.500000001", "0.5", "tokens", True),
    (b"0.5001", "0.5", "tokens", False),
    (b"3.0000001", "3", "tokens", False),
    (b"1e-7", "0.0", "tokens", True),
    (b"nan", "0.5", "tokens", False),
])
def test_compare_modes(actual, expected, mode, ok):
    assert compare_output(actual, expected, mode, 1e-6)[0] is ok


def _report(code, values_per_check, done=True):
    lines = [f"C {json.dumps([i, [_encode(v, 0) for v in values]])}"
             for i, values in values_per_check]
    return ("\n".join(lines + (["D"] if done else [])) + "\n").encode()


def test_checks_pass_only_when_every_assert_reported_and_held():
    _, checks = split_assertions("assert f(2) == 4\nassert g() == [1, (2, 3)]")
    assert judge_checks(_report("", [(0, [4]), (1, [[1, (2, 3)]])]), checks) == (True, "")
    assert not judge_checks(_report("", [(0, [5]), (1, [[1, (2, 3)]])]), checks)[0]
    assert "never ran" in judge_checks(_report("", [(0, [4])]), checks)[1]
    assert "did not run to the end" in judge_checks(
        _report("", [(0, [4]), (1, [[1, (2, 3)]])], done=False), checks)[1]


@pytest.mark.parametrize("report", [b"C [0\nD\n", b"C [-1, []]\nD\n", b"C [7, []]\nD\n",
                                    b"garbage\nD\n", b'C [0, [["?", 1]]]\nD\n'])
def test_malformed_reports_fail(report):
    _, checks = split_assertions("assert f() == 1")
    assert judge_checks(report, checks)[0] is False


def test_values_round_trip_through_the_plain_data_encoding():
    value = {"a": [1, 2.5, None, True], (1, "x"): frozenset({3}), "b": b"\x00", "c": 1j,
             "big": 2 ** 70000}
    assert decode(_encode(value, 0)) == value


def test_objects_that_lie_about_equality_are_not_plain_data():
    class AlwaysEqual:
        def __eq__(self, other):
            return True

    class SneakyInt(int):
        def __eq__(self, other):
            return True

    for value in (AlwaysEqual(), SneakyInt(3), [1, SneakyInt(2)]):
        with pytest.raises(TypeError, match="not plain data"):
            _encode(value, 0)
