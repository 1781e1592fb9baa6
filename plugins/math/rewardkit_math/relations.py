"""Equations and inequalities: the same solution set, rearranged or scaled."""

from __future__ import annotations

from typing import Any

from rewardkit_math.nodes import Scalar
from rewardkit_math.scalar import Pair, Verdict, scalars
from rewardkit_math.sets import function_as_symbol


def _tagged(v: Verdict, rule: str) -> tuple[bool, str]:
    return v.equal, f"{rule}:{v.rule}"


def univariate(rel: Any) -> bool:
    from sympy.core.function import AppliedUndef

    try:
        rel = function_as_symbol(rel)
        return len(rel.free_symbols) == 1 and not rel.atoms(AppliedUndef)
    except Exception:  # noqa: BLE001 - odd relations raise many types: not univariate
        return False


def equations(g: Any, p: Any, pol: Pair) -> Verdict:
    """Two equations are equal when lhs - rhs of one is a nonzero multiple of the other's."""
    import sympy

    a, b = g.lhs - g.rhs, p.lhs - p.rhs
    if a == 0 or b == 0:
        return Verdict(a == b, "equation")
    free = (a.free_symbols | b.free_symbols)
    if not free:
        return Verdict(False, "equation")
    ratio = sympy.simplify(a / b)
    if ratio.is_number and ratio != 0:
        return Verdict(True, "equation_multiple")
    return Verdict(False, "equation")


def inequalities(g: Any, p: Any, pol: Pair) -> Verdict:
    import sympy

    def form(r: Any) -> tuple[Any, bool] | None:
        if isinstance(r, (sympy.StrictGreaterThan, sympy.GreaterThan)):
            return r.lhs - r.rhs, isinstance(r, sympy.StrictGreaterThan)
        if isinstance(r, (sympy.StrictLessThan, sympy.LessThan)):
            return r.rhs - r.lhs, isinstance(r, sympy.StrictLessThan)
        return None

    if isinstance(g, sympy.Ne) and isinstance(p, sympy.Ne):
        return equations(sympy.Eq(g.lhs, g.rhs), sympy.Eq(p.lhs, p.rhs), pol)
    fg, fp = form(g), form(p)
    if fg is None or fp is None:
        ok = g == p
        return Verdict(bool(ok), "relation_structure")
    if fg[1] != fp[1]:
        return Verdict(False, "inequality")
    if sympy.simplify(fg[0] - fp[0]) == 0:
        return Verdict(True, "inequality")
    ratio = sympy.simplify(fg[0] / fp[0])
    return Verdict(bool(ratio.is_number and ratio.is_positive), "inequality_multiple")


def solve_for_missing(eq: Any, value: Scalar, pol: Pair) -> Verdict:
    """``y + 1 = -(2x-1)^2`` against ``-4x^2+4x-2``: solve for the one symbol not in it."""
    import sympy

    missing = [s for s in eq.free_symbols if s not in value.expr.free_symbols]
    if len(missing) != 1 or not value.expr.free_symbols:
        return Verdict(False, "equation_vs_value")
    sym = missing[0]
    expr = eq.lhs - eq.rhs
    if sympy.degree(expr, sym) != 1 if expr.is_polynomial(sym) else True:
        return Verdict(False, "equation_vs_value")
    solution = sympy.solve(expr, sym)
    if len(solution) != 1:
        return Verdict(False, "equation_vs_value")
    return Verdict(*_tagged(scalars(Scalar(solution[0], str(solution[0])), value, pol), "solved"))
