"""The fast parser builds what latex2sympy2_extended builds, on every benchmark corpus.

Every string `fast_parse` accepts while the `math` reward reads all of
benchmarks/data/math (both answer readings), and every raw reference and completion there
that it accepts, must have the value `parse.full_parse` (latex2sympy2_extended with the
plugin's settings, mixed fractions on and off) gives it: the same tree, the same tree once
evaluated (``doit``), or a difference that simplifies to 0 within a deadline.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

pytest.importorskip("latex2sympy2_extended")

ROOT = Path(__file__).resolve().parents[3]
CORPORA = sorted((ROOT / "benchmarks" / "data" / "math").glob("*.jsonl"))
READINGS = ({"answer_from": "whole"}, {})
SIMPLIFY_DEADLINE_S = 20.0

pytestmark = pytest.mark.slow


def corpus_cases() -> list[dict]:
    return [json.loads(line) for path in CORPORA
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def accepted() -> dict[tuple[str, bool], object]:
    """(latex, lowercase) -> the fast parser's value, for every string it accepted."""
    from rewardkit_math import fastparse
    from rewardkit_math.parse import parse_latex
    from rewardkit_math.pipeline import run
    from rewardkit_math.policy import policy_from
    from rewardkit_math.reward import MathParams

    seen: dict[tuple[str, bool], object] = {}
    real = fastparse.fast_parse

    def spy(text: str, lowercase: bool = True) -> object:
        seen[(text, lowercase)] = value = real(text, lowercase)
        return value

    cases = corpus_cases()
    parse_latex.cache_clear()  # a cached string would not reach the spy
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fastparse, "fast_parse", spy)
        for reading in READINGS:
            policy = policy_from(MathParams(**reading))
            for case in cases:
                run(case["reference"], case["completion"], policy)
    parse_latex.cache_clear()
    for case in cases:
        for text in (case["reference"], case["completion"]):
            for lowercase in (True, False):
                if isinstance(text, str):
                    try:
                        seen[(text, lowercase)] = real(text, lowercase)
                    except fastparse.NotSimple:
                        pass
    return seen


def simplifies_to_zero(difference: object) -> bool | None:
    """simplify(difference) == 0, or None when it does not finish within the deadline."""
    import sympy

    answer: list[bool] = []
    worker = threading.Thread(target=lambda: answer.append(sympy.simplify(difference) == 0),
                              daemon=True)
    worker.start()
    worker.join(SIMPLIFY_DEADLINE_S)
    return answer[0] if answer else None


def same_value(fast: object, full: object) -> bool | None:
    if fast == full:
        return True
    if isinstance(full, str):  # the full parser failed or gave up: fast must not accept
        return False
    try:
        if fast.doit() == full.doit():  # type: ignore[attr-defined]
            return True
        return simplifies_to_zero(fast - full)  # type: ignore[operator]
    except (TypeError, AttributeError):  # a tuple, a set or a string: no value to compare
        return False


def test_the_corpora_exercise_the_fast_parser(accepted):
    assert len(accepted) >= 200, "too few accepted strings for the comparison to mean much"
    assert {lowercase for _, lowercase in accepted} == {True, False}


def test_every_string_the_fast_parser_accepts_gets_the_full_parsers_value(accepted):
    from rewardkit_math.parse import full_parse

    wrong = []
    for (text, lowercase), fast in accepted.items():
        for mixed in (True, False):
            try:
                full = full_parse(text, lowercase, mixed)
            except Exception as exc:  # noqa: BLE001 - antlr and converter errors vary
                full = f"an error ({str(exc).splitlines()[0][:60]})"
            verdict = same_value(fast, full)
            if not verdict:
                why = "undecided within the deadline" if verdict is None else "differs"
                wrong.append(f"{text!r} (lowercase={lowercase}, mixed={mixed}): fast {fast}, "
                             f"full {full}: {why}")
    assert not wrong, f"{len(wrong)} disagreements:\n" + "\n".join(wrong)


@pytest.mark.parametrize("latex, lowercase", [
    ("0.5-x", True), (r"e^{0.1}", True), (r"\frac{10\sqrt{10.5}}{27}", True), ("E", True),
    ("2E^2", True), ("E", False)])
def test_decimals_and_capital_e_read_as_the_full_parser_reads_them(latex, lowercase):
    """Found by the differential run: latex2sympy makes a decimal a Float (so exp(0.1) is
    1.105...), and reads "E" as a symbol, not Euler's number."""
    from rewardkit_math.fastparse import NotSimple, fast_parse
    from rewardkit_math.parse import full_parse

    try:
        fast = fast_parse(latex, lowercase)
    except NotSimple:
        return  # left to the full parser: nothing to compare
    assert same_value(fast, full_parse(latex, lowercase))
