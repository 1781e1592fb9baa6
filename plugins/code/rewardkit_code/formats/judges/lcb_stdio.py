"""Checker for LiveCodeBench stdin tests, as ``lcb_runner``'s ``grade_stdio`` compares.

Both texts are stripped and split into lines, each line stripped; the line counts must
match, and each line must be equal, or equal as a list of ``Decimal`` tokens (so ``1.0``
matches ``1`` and ``2.50`` matches ``2.5``, but no tolerance).
"""

from decimal import Decimal, InvalidOperation


def stripped_lines(text: str) -> list[str]:
    return [line.strip() for line in text.strip().split("\n")]


def decimals(line: str) -> list[Decimal] | None:
    try:
        return [Decimal(token) for token in line.split()]
    except (InvalidOperation, ValueError):
        return None


def check(input: str, output: str, answer: str) -> tuple[bool, str]:
    got, want = stripped_lines(output), stripped_lines(answer)
    if len(got) != len(want):
        return False, f"got {len(got)} lines, expected {len(want)}"
    for index, (a, b) in enumerate(zip(got, want)):
        if a == b:
            continue
        da, db = decimals(a), decimals(b)
        try:
            same = da is not None and db is not None and da == db
        except InvalidOperation:  # a signalling NaN: the harness fails the test too
            same = False
        if not same:
            return False, f"line {index + 1} differs"
    return True, ""
