"""Answer trees as sympy sets (intervals, unions, finite sets, solution sets)."""

from __future__ import annotations

from typing import Any

from rewardkit_math.nodes import Assign, Coll, Rel, Scalar, SetVal, Tup
from rewardkit_math.parse import Unparsable


def as_set(rel: Any) -> Any:
    rel = function_as_symbol(rel)
    free = rel.free_symbols
    if len(free) != 1:
        raise Unparsable(f"relation {rel} is not in one variable")
    return rel.as_set()


def function_as_symbol(expr: Any) -> Any:
    """``0 < f(x) < 1`` -> ``0 < F < 1``: the one unknown function value is the variable."""
    from sympy import Symbol
    from sympy.core.function import AppliedUndef

    calls = expr.atoms(AppliedUndef)
    if len(calls) != 1:
        return expr
    call = calls.pop()
    return expr.xreplace({call: Symbol(str(call.func))})


def to_set(node: Any) -> Any:
    import sympy

    if isinstance(node, SetVal):
        return node.expr
    if isinstance(node, Tup) and len(node.items) == 2 and all(isinstance(i, Scalar) for i in node.items):
        a, b = (i.expr for i in node.items)
        return sympy.Interval(a, b, node.brackets[0] == "(", node.brackets[1] == ")")
    if isinstance(node, Coll) and all(isinstance(i, Scalar) for i in node.items):
        return sympy.FiniteSet(*(i.expr for i in node.items))
    if isinstance(node, Coll) and node.items:  # a <= -2 or a = 1
        return sympy.Union(*(to_set(i) for i in node.items))
    if isinstance(node, Assign) and isinstance(node.value, Scalar):
        return sympy.FiniteSet(node.value.expr)
    if isinstance(node, Scalar) and isinstance(node.expr, sympy.Set):
        return node.expr
    if isinstance(node, Scalar) and node.expr.is_number:
        return sympy.FiniteSet(node.expr)
    if isinstance(node, Rel):
        return as_set(node.expr)
    raise Unparsable(f"not a set: {node}")
