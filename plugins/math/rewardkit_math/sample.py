"""Expressions with symbols: a symbolic proof, else comparison at sample points.

Sampling is branch-aware and high-precision, so it may decide both ways:

* every point is evaluated at 50 significant digits from exact rational coordinates
  (negative ones and ones above 1 included), so ``0.1666666666667 y^3`` is not ``y^3/6``;
* a point counts only where both sides are real and finite: the comparison is on the
  common real domain, so ``t`` is not ``\\sqrt{t^2}`` (they differ at negative ``t``) while
  ``|x|`` is, and ``\\arccos(1-2a)`` equals ``2\\arcsin\\sqrt{a}`` where both are defined;
* one point where the sides differ by more than 1e-20 (relative) refutes;
* equality needs at least `MIN_POINTS` agreeing points, two of them non-zero, agreeing to
  `rel_tol` (default 1e-30). Two different elementary expressions agreeing to 30 digits at
  four generic points is the false-positive risk; the tests hold a family of near misses
  (perturbed coefficients, swapped branches, off-by-one exponents, renamed binomials)
  that must all be refuted.

Expansion and simplification are skipped for high powers (degree > `MAX_EXPAND_DEGREE`),
so ``(b-y)^{4000}`` against ``(b-y)^{3999}`` gets the same verdict on any machine.
"""

from __future__ import annotations

from typing import Any

from rewardkit_math.parse import Refused
from rewardkit_math.verdict import Pair, Verdict

MIN_POINTS = 4
MAX_EXPAND_DEGREE = 64
_REFUTE = 1e-20
_COORDS = ("31/100", "-57/100", "183/100", "-241/100", "7/13", "29/7", "-5/11", "13/17",
           "-19/7", "3/29", "41/9", "-2/3")
_INT_COORDS = (9, 4, 12, 5, 7, 3, 15, 8, 11, 6, 10, 2)


class Undecided(Refused):
    """Neither a proof nor the sample points decide: the comparison is `unverifiable`."""


def expressions(g: Any, p: Any, pol: Pair) -> Verdict:
    import sympy

    gs, ps = g.free_symbols, p.free_symbols
    if gs != ps and _integer_parameters(g, p):  # pi/6 + k pi against pi/6 + n pi
        p = p.xreplace({next(iter(ps - gs)): next(iter(gs - ps))})
        gs, ps = g.free_symbols, p.free_symbols
    if gs != ps and pol.policy.rename_symbols:
        extra_g, extra_p = sorted(gs - ps, key=str), sorted(ps - gs, key=str)
        if extra_g and len(extra_g) == len(extra_p) <= 2:
            p = p.xreplace(dict(zip(extra_p, extra_g)))
            gs, ps = g.free_symbols, p.free_symbols
    if gs != ps:
        return Verdict(False, "symbols_differ")
    small = _degree(g) <= MAX_EXPAND_DEGREE and _degree(p) <= MAX_EXPAND_DEGREE
    if small:
        try:
            if sympy.expand(g - p) == 0:
                return Verdict(True, "symbolic")
        except Exception:  # noqa: BLE001 - expand raises many types on odd input
            pass
    sampled = sample(g, p, sorted(gs, key=str), pol)
    if sampled is not None:
        return sampled
    if small and _proved_zero(g - p, gs):
        return Verdict(True, "symbolic")
    raise Undecided("no proof, and too few sample points where both sides are real")


_PARAMETERS = frozenset("klmnj")


def _integer_parameters(g: Any, p: Any) -> bool:
    """One arbitrary-integer letter (k, n, m, l, j) on each side, in a periodic answer."""
    import sympy

    extra_g, extra_p = g.free_symbols - p.free_symbols, p.free_symbols - g.free_symbols
    return (len(extra_g) == len(extra_p) == 1
            and {s.name for s in extra_g | extra_p} <= _PARAMETERS
            and g.has(sympy.pi) and p.has(sympy.pi))


def _proved_zero(diff: Any, symbols: set) -> bool:
    import sympy

    try:
        if sympy.simplify(diff) == 0:
            return True
        positive = {s: sympy.Symbol(s.name, positive=True) for s in symbols}
        return sympy.simplify(diff.xreplace(positive)) == 0
    except Exception:  # noqa: BLE001 - simplify raises many types on odd input
        return False


def _degree(expr: Any) -> int:
    """The largest integer exponent on a non-numeric base (0 when none)."""
    import sympy

    best = 0
    for node in expr.atoms(sympy.Pow):
        base, exp = node.args
        if exp.is_Integer and not base.is_number:
            best = max(best, abs(int(exp)))
    return best


def sample(g: Any, p: Any, symbols: list, pol: Pair) -> Verdict | None:
    """Equal, refuted, or None (too few points where both sides are real and finite)."""
    import sympy
    from sympy.core.function import AppliedUndef

    if g.atoms(AppliedUndef) or p.atoms(AppliedUndef) or not symbols or len(symbols) > 6:
        return None
    integer = any(e.has(sympy.factorial, sympy.binomial, sympy.gamma) for e in (g, p))
    complex_ok = _single_valued(g) and _single_valued(p)
    tol = sympy.Float(pol.policy.rel_tol, 50)
    agreed = nonzero = 0
    for k in range(len(_INT_COORDS) if integer else len(_COORDS)):
        values = {s: _coordinate(k + 5 * j, integer) for j, s in enumerate(symbols)}
        gv, pv = _value(g, values, complex_ok), _value(p, values, complex_ok)
        if gv is None or pv is None:
            continue
        scale = max(abs(gv), abs(pv))
        diff = abs(gv - pv)
        if diff > scale * sympy.Float(_REFUTE, 50):
            return Verdict(False, "numeric_points")
        if diff > scale * tol:
            return None  # close but not equal at full precision: no verdict
        agreed += 1
        nonzero += scale != 0
        if agreed >= MIN_POINTS and nonzero >= 2:
            return Verdict(True, "numeric_points")
    return None


def _coordinate(k: int, integer: bool) -> Any:
    import sympy

    if integer:
        return sympy.Integer(_INT_COORDS[k % len(_INT_COORDS)])
    return sympy.Rational(_COORDS[k % len(_COORDS)])


def _single_valued(expr: Any) -> bool:
    """Rational functions of the symbols (integer powers, no roots, logs or inverse trig):
    their complex values have no branch to disagree on."""
    import sympy

    if expr.atoms(sympy.Function):
        return False
    return all(node.args[1].is_Integer for node in expr.atoms(sympy.Pow)
               if node.args[0].free_symbols)


def _value(expr: Any, values: dict, complex_ok: bool) -> Any:
    """The value at `values` to 50 digits when it is finite and real (or any finite
    complex number when `complex_ok`), else None."""
    import sympy

    try:
        value = sympy.N(expr.xreplace(values), 50)
    except Exception:  # noqa: BLE001 - evaluation fails in many ways off the domain
        return None
    if not value.is_number or value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        return None
    if complex_ok:
        return value
    re_part, im_part = value.as_real_imag()
    if im_part != 0 and abs(im_part) > abs(re_part) * sympy.Float(1e-40):
        return None
    return re_part
