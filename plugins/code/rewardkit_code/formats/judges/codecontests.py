"""Checker for CodeContests tests, as DeepMind's ``tester_sandboxer`` ``OutputsMatch``.

Both outputs are split on whitespace and lower-cased. Equal token lists match;
otherwise the counts must be equal and each token pair must match: two 32-bit integers
exactly, two numbers of which one is not such an integer within 1e-5 (absolute), and
anything else as equal strings.
"""

import re

_INT = re.compile(r"\s*[-+]?\d+\s*")
_FLOAT = re.compile(r"\s*[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?|inf(inity)?|nan)\s*",
                    re.IGNORECASE)


def as_int(token: str) -> int | None:
    if _INT.fullmatch(token):
        value = int(token)
        if -2 ** 31 <= value < 2 ** 31:  # absl::SimpleAtoi into an int
            return value
    return None


def as_float(token: str) -> float | None:
    return float(token) if _FLOAT.fullmatch(token) else None


def values_match(a: str, b: str) -> bool:
    ai, bi, ad, bd = as_int(a), as_int(b), as_float(a), as_float(b)
    if (ai is None and ad is None) or (bi is None and bd is None):
        return a == b
    if ai is None or bi is None:
        return ad is not None and bd is not None and abs(ad - bd) < 1e-5
    return ai == bi


def check(input: str, output: str, answer: str) -> tuple[bool, str]:
    got, want = output.lower().split(), answer.lower().split()
    if got == want:
        return True, ""
    if len(got) != len(want):
        return False, f"got {len(got)} tokens, expected {len(want)}"
    for index, (a, b) in enumerate(zip(got, want)):
        if not values_match(a, b):
            return False, f"token {index + 1} differs"
    return True, ""
