"""Checker for APPS/TACO standard-input tests: the output compared as APPS's
``testing_util.run_test`` compares it, in its order, first match wins.

The program's output is taken as its lines (``str.splitlines``); ``answer`` is the
expected output (a list of lines in the row is joined with newlines by the adapter).

1. the lines joined, or joined after stripping each, equal the answer once both are
   stripped;
2. the lines equal the answer as one line, or equal its non-empty lines (each stripped),
   before or after dropping empty output lines;
3. as many lines as the answer's non-empty lines, each a number, all close
   (``numpy.allclose``: |a - b| <= 1e-8 + 1e-5 |b|);
4. the set of each non-empty line's token set equals the answer's (order and
   repetition of lines and tokens ignored), or does so after rounding every token as a
   number to 3 decimals.
"""

import math


def stripped_equal(a: str, b: str) -> bool:
    return a.strip() == b.strip()


def allclose(got: list[float], expected: list[float]) -> bool:
    for a, b in zip(got, expected):
        if a == b:
            continue
        if math.isnan(a) or math.isnan(b) or math.isinf(a) or math.isinf(b):
            return False
        if abs(a - b) > 1e-8 + 1e-5 * abs(b):
            return False
    return True


def as_floats(lines: list[str]) -> list[float]:
    return [float(line) for line in lines]


def token_sets(lines: list[str], rounded: bool = False) -> set[frozenset]:
    """Each line's tokens as a set (as numbers rounded to 3 places when `rounded`)."""
    def token(t: str) -> object:
        return round(float(t), 3) if rounded else t
    return set(frozenset(token(t) for t in line.split()) for line in lines)


def apps_equal(lines: list[str], answer: str) -> bool:
    if stripped_equal("\n".join(lines), answer):
        return True
    if stripped_equal("\n".join(line.strip() for line in lines), answer):
        return True
    if lines == [answer]:
        return True
    expected = [line.strip() for line in answer.split("\n") if line]
    if lines == expected:
        return True
    lines = [line for line in lines if line]
    if lines == expected:
        return True
    try:
        got, want = as_floats(lines), as_floats(expected)
        if len(got) == len(want) and allclose(got, want):
            return True
    except ValueError:
        pass
    lines = [line for line in lines if line.split()]  # the expected side keeps blank lines
    if token_sets(lines) == token_sets(expected):
        return True
    try:
        return token_sets(lines, rounded=True) == token_sets(expected, rounded=True)
    except (ValueError, OverflowError):
        return False


def check(input: str, output: str, answer: str) -> tuple[bool, str]:
    if apps_equal(output.splitlines(), answer):
        return True, ""
    return False, "output differs (APPS comparison)"
