"""Verdicts, computed by the root runner from what the program wrote (standard library only).

stdin/stdout tests: the program's captured stdout against the expected output, by mode
(``tokens`` is the default; see ``rewardkit_sandbox.spec``).
Assertion tests: the plain-data values the program reported on fd 3 against the checks
(see ``rewardkit_sandbox.checks``); expected literals never left the runner.
"""

from __future__ import annotations

import json
import re


def compare_output(actual: bytes, expected: str, mode: str, tolerance: float) -> tuple[bool, str]:
    """(matches, what differs) for the program's stdout against the expected output."""
    text = actual.decode("utf-8", "replace")
    if mode == "exact":
        return text == expected, "output differs"
    if mode == "lines":
        return _compare_lines(text, expected)
    a, e = text.split(), expected.split()
    if len(a) != len(e):
        return False, f"got {len(a)} tokens, expected {len(e)}"
    for i, (x, y) in enumerate(zip(a, e)):
        if x == y:
            continue
        if mode == "numeric" or (mode == "tokens" and _REAL.fullmatch(y)):
            if _close(x, y, tolerance):
                continue
        return False, f"token {i + 1} differs"
    return True, ""


# A real number as printed (a decimal point or an exponent), not an integer: integers
# must match exactly in the default mode, reals within the tolerance.
_REAL = re.compile(r"[-+]?(\d+\.\d*|\.\d+|\d+(\.\d*)?[eE][-+]?\d+)")


def _close(x: str, y: str, tolerance: float) -> bool:
    try:
        fx, fy = float(x), float(y)
    except ValueError:
        return False
    return abs(fx - fy) <= tolerance * max(1.0, abs(fy))


def _compare_lines(text: str, expected: str) -> tuple[bool, str]:
    def norm(s: str) -> list[str]:
        lines = [line.rstrip() for line in s.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
        while lines and not lines[-1]:
            lines.pop()
        return lines

    a, e = norm(text), norm(expected)
    if a == e:
        return True, ""
    for i, (x, y) in enumerate(zip(a, e)):
        if x != y:
            return False, f"line {i + 1} differs"
    return False, f"got {len(a)} lines, expected {len(e)}"


def decode(value):  # noqa: ANN001, ANN201 - mirror of the child's encoder
    if value is None:
        return None
    tag, payload = value[0], value[1:]
    if tag == "B":
        return bool(payload[0])
    if tag == "i":
        return int(payload[0], 16)
    if tag == "f":
        return float.fromhex(payload[0])
    if tag == "c":
        return complex(float.fromhex(payload[0]), float.fromhex(payload[1]))
    if tag == "s":
        return str(payload[0])
    if tag == "y":
        return bytes.fromhex(payload[0])
    if tag == "d":
        return {decode(k): decode(v) for k, v in payload[0]}
    items = [decode(v) for v in payload[0]]
    if tag == "l":
        return items
    if tag == "t":
        return tuple(items)
    if tag == "S":
        return set(items)
    if tag == "F":
        return frozenset(items)
    raise ValueError(f"unknown tag {tag!r}")


def _is(a, b) -> bool:  # noqa: ANN001
    singletons = (None, True, False)
    if any(a is s for s in singletons) or any(b is s for s in singletons):
        return any(a is s and b is s for s in singletons)
    return type(a) is type(b) and a == b


OPS = {
    "Eq": lambda a, b: a == b, "NotEq": lambda a, b: a != b,
    "Lt": lambda a, b: a < b, "LtE": lambda a, b: a <= b,
    "Gt": lambda a, b: a > b, "GtE": lambda a, b: a >= b,
    "In": lambda a, b: a in b, "NotIn": lambda a, b: a not in b,
    "Is": _is, "IsNot": lambda a, b: not _is(a, b),
}


def judge_checks(report: bytes, checks: list[dict]) -> tuple[bool, str]:
    """Verdict on an assertion test from the child's reports: every assert reported and held."""
    import ast

    literals = [[ast.literal_eval(s["literal"]) if "literal" in s else None
                 for s in check["slots"]] for check in checks]
    seen, done = set(), False
    for line in report.splitlines():
        if line == b"D":
            done = True
            continue
        try:
            kind, body = line.split(b" ", 1)
            index, values = json.loads(body)
            if type(index) is not int or index < 0:
                raise ValueError(index)
            check = checks[index]
        except (ValueError, IndexError, TypeError):
            return False, "malformed check report"
        if kind == b"E":
            return False, f"assert on line {check['line']}: {values}"
        try:
            operands = [decode(values[s["child"]]) if "child" in s else literals[index][k]
                        for k, s in enumerate(check["slots"])]
        except (ValueError, IndexError, KeyError, TypeError, RecursionError):
            return False, "malformed check report"
        seen.add(index)
        try:
            held = (bool(operands[0]) if not check["ops"] else
                    all(OPS[op](operands[k], operands[k + 1])
                        for k, op in enumerate(check["ops"])))
        except Exception as exc:  # noqa: BLE001 - e.g. '<' between int and str
            return False, f"assert on line {check['line']} raised {type(exc).__name__}"
        if not held:
            return False, f"assert on line {check['line']} failed"
    if not done:
        return False, "the test code did not run to the end"
    missing = [c["line"] for i, c in enumerate(checks) if i not in seen]
    if missing:
        return False, f"assert on line {missing[0]} never ran"
    return True, ""
