"""Checker for call-based tests: the returned value against the expected one, as the
dataset's harness compares them.

``answer`` is ``{"harness": "apps" | "lcb", "expected": <the row's output, as JSON>}``;
``output`` is what ``call_driver`` printed.

* lcb (LiveCodeBench ``grade_call_based``): ``prediction == expected`` (a tuple result
  was already made a list).
* apps (APPS/TACO ``run_test``, call-based): an expected dict (or a list holding one)
  gets int keys; the result passes if it equals the expected value, or its first element
  when the expected value is a non-empty list, or (a list of tuples) as lists equals
  that first element.
"""

import json
from typing import Any


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    (tag, payload), = value.items()
    if tag == "float":
        return float(payload)
    if tag == "bytes":
        return bytes.fromhex(payload)
    if tag == "dict":
        return {decode(k): decode(v) for k, v in payload}
    items = [decode(v) for v in payload]
    return {"tuple": tuple, "set": set, "frozenset": frozenset}[tag](items)


def int_keys(expected: Any) -> Any:
    try:
        if isinstance(expected, dict):
            expected = [{int(k): v for k, v in expected.items()}]
    except Exception:  # noqa: BLE001 - as the harness: keep it when keys are not ints
        pass
    try:
        if isinstance(expected[0], dict):
            expected = [{int(k): v for k, v in expected[0].items()}]
    except Exception:  # noqa: BLE001
        pass
    return expected


def apps_equal(got: Any, expected: Any) -> bool:
    expected = int_keys(expected)
    passed = got == expected
    if isinstance(expected, list) and expected:
        passed = passed or got == expected[0]
    try:
        if isinstance(got[0], tuple):
            passed = passed or [list(x) for x in got] == expected[0]
    except Exception:  # noqa: BLE001 - not indexable: the check does not apply
        pass
    return bool(passed)


def check(input: str, output: str, answer: str) -> tuple[bool, str]:
    spec = json.loads(answer)
    try:
        got = decode(json.loads(output.strip())["value"])
    except Exception as exc:  # noqa: BLE001 - anything unreadable is a wrong answer
        return False, f"no readable return value ({type(exc).__name__})"
    if spec["harness"] == "lcb":
        passed = got == spec["expected"]
    else:
        passed = apps_equal(got, spec["expected"])
    return (True, "") if passed else (False, "wrong return value")
