"""Decide whether two answer trees are equal, and say which rule decided.

Structure first (assignments, lists, tuples, sets and intervals, relations, text), then
the scalars at the leaves (`rewardkit_math.scalar`: exact, symbolic, numeric).
"""

from __future__ import annotations

from typing import Any

from rewardkit_math.scalar import Policy, Verdict, scalars
from rewardkit_math.structure import (
    Assign,
    Coll,
    Rel,
    Scalar,
    SetVal,
    Text,
    Tup,
    as_set,
    to_set,
)


def equal(gold: Any, pred: Any, pol: Policy) -> Verdict:
    """Is `pred` equal to `gold`? Both are `structure` trees."""
    if isinstance(gold, Assign) and isinstance(pred, Assign):
        v = equal(gold.value, pred.value, pol)
        return Verdict(v.equal, "assignment:" + v.rule)
    if isinstance(gold, Assign):
        return _tag(equal(gold.value, pred, pol), "strip_name")
    if isinstance(pred, Assign):
        return _tag(equal(gold, pred.value, pol), "strip_name")
    if isinstance(gold, Text) and isinstance(pred, Coll):
        gold = _text_list(gold)
    if isinstance(pred, Text) and isinstance(gold, Coll):
        pred = _text_list(pred)
    if isinstance(gold, Text) or isinstance(pred, Text):
        return _text(gold, pred)
    if isinstance(gold, Coll) or isinstance(pred, Coll):
        return _collections(gold, pred, pol)
    if isinstance(gold, Tup) and isinstance(pred, Tup):
        return _tuples(gold, pred, pol)
    if isinstance(gold, Rel) or isinstance(pred, Rel):
        return _relations(gold, pred, pol)
    if isinstance(gold, (SetVal, Tup)) or isinstance(pred, (SetVal, Tup)):
        return _sets(gold, pred, pol)
    return scalars(gold, pred, pol)


def _tag(v: Verdict, rule: str) -> Verdict:
    return Verdict(v.equal, f"{rule}:{v.rule}")


# --- text --------------------------------------------------------------------------------

def _words(node: Any) -> str:
    import re

    raw = node.words if isinstance(node, Text) else getattr(node, "raw", str(node))
    raw = re.sub(r"\\text\{([^{}]*)\}", r"\1", raw).lower()
    raw = re.sub(r"\b(the|a|an)\b", " ", raw)
    return re.sub(r"[^a-z0-9]+", " ", raw).strip()


def _text_list(node: Text) -> Any:
    import re

    parts = [p.strip() for p in re.split(r",|\band\b", node.words) if p.strip()]
    return Coll([Text(p) for p in parts]) if len(parts) > 1 else node


_NEGATION = {"not", "no", "never", "none", "cannot", "isn", "doesn", "don"}


def _text(gold: Any, pred: Any) -> Verdict:
    g, p = _words(gold), _words(pred)
    if g == p and g:
        return Verdict(True, "text")
    gw, pw = g.split(), p.split()
    # a one-word answer that names the subject of a sentence gold ("Kafelnikov" vs
    # "Kafelnikov served first"); never when the sentence negates anything
    if (len(pw) == 1 and len(pw[0]) >= 4 and len(gw) >= 4 and pw[0] in gw
            and not _NEGATION & set(gw) and isinstance(pred, Text)):
        return Verdict(True, "text_in_sentence")
    return Verdict(False, "text")


# --- collections ---------------------------------------------------------------------------

def _items(node: Any) -> list:
    if isinstance(node, Coll):
        return [i.value if isinstance(i, Assign) else i for i in node.items]
    return [node]


def _unique(items: list, pol: Policy) -> list:
    out: list = []
    for item in items:
        if not any(equal(o, item, pol) for o in out):
            out.append(item)
    return out


def _collections(gold: Any, pred: Any, pol: Policy) -> Verdict:
    g_items, p_items = _items(gold), _items(pred)
    ordered = pol.ordered_lists
    if isinstance(gold, Tup) or isinstance(pred, Tup):  # a list against a tuple: in order
        g_items = gold.items if isinstance(gold, Tup) else g_items
        p_items = pred.items if isinstance(pred, Tup) else p_items
        if len(g_items) == len(p_items) and all(
                equal(g, p, pol) for g, p in zip(g_items, p_items)):
            return Verdict(True, "list_vs_tuple")
        set_side = gold if isinstance(gold, Coll) else pred
        tup = pred if isinstance(pred, Tup) else gold
        if isinstance(set_side, Coll) and set_side.braces and len(tup.items) == 2:
            return _sorted_pair(set_side, tup, pol)
        return Verdict(False, "list_vs_tuple")
    if isinstance(gold, SetVal) or isinstance(pred, SetVal):
        return _sets(gold, pred, pol)
    if isinstance(gold, Rel) or isinstance(pred, Rel):
        return _relations(gold, pred, pol)
    g_items, p_items = _unique(g_items, pol), _unique(p_items, pol)
    if len(g_items) != len(p_items):
        return Verdict(False, "set_size")
    if ordered:
        ok = all(equal(g, p, pol) for g, p in zip(g_items, p_items))
        return Verdict(ok, "ordered_list")
    left = list(p_items)
    for g in g_items:
        match = next((k for k, p in enumerate(left) if equal(g, p, pol)), None)
        if match is None:
            return Verdict(False, "set_elements")
        left.pop(match)
    return Verdict(True, "set_elements")


def _sorted_pair(coll: Coll, tup: Tup, pol: Policy) -> Verdict:
    """``{1, 3}`` against ``(1, 3)``: a pair read as an interval's endpoints, in order."""
    items = _unique(_items(coll), pol)
    try:
        items = sorted(items, key=lambda s: float(s.expr))  # small exact numbers only
    except (TypeError, AttributeError, ValueError):
        return Verdict(False, "set_vs_pair")
    ok = len(items) == 2 and all(equal(a, b, pol) for a, b in zip(items, tup.items))
    return Verdict(ok, "set_vs_pair")


def _tuples(gold: Tup, pred: Tup, pol: Policy) -> Verdict:
    if len(gold.items) != len(pred.items):
        return Verdict(False, "tuple_length")
    if len(gold.items) == 2 and gold.brackets != pred.brackets:
        return _sets(gold, pred, pol)  # intervals: open / closed ends matter
    ok = all(equal(g, p, pol) for g, p in zip(gold.items, pred.items))
    return Verdict(ok, "tuple")


# --- sets and intervals --------------------------------------------------------------------

def _pieces(s: Any) -> list:
    import sympy

    if isinstance(s, sympy.Union):
        return [p for a in s.args for p in _pieces(a)]
    if isinstance(s, sympy.FiniteSet):
        return [("point", a) for a in s.args]
    if isinstance(s, sympy.Interval):
        return [("interval", s.start, s.end, s.left_open, s.right_open)]
    return [("other", s)]


def _sets(gold: Any, pred: Any, pol: Policy) -> Verdict:
    try:
        g, p = to_set(gold), to_set(pred)
    except Exception:
        return Verdict(False, "set_shape")
    if g == p:
        return Verdict(True, "set_exact")
    gp, pp = _pieces(g), _pieces(p)
    if len(gp) != len(pp) or any(x[0] == "other" for x in gp + pp):
        try:
            import sympy

            diff = sympy.SymmetricDifference(g, p).simplify() if hasattr(sympy, "SymmetricDifference") else None
            if diff is not None and diff == sympy.S.EmptySet:
                return Verdict(True, "set_symbolic")
        except Exception:
            pass
        return Verdict(False, "set_pieces")
    left = list(pp)
    for piece in gp:
        match = next((k for k, q in enumerate(left) if _piece_equal(piece, q, pol)), None)
        if match is None:
            return Verdict(False, "set_pieces")
        left.pop(match)
    return Verdict(True, "set_pieces")


def _piece_equal(a: tuple, b: tuple, pol: Policy) -> bool:
    if a[0] != b[0]:
        return False
    if a[0] == "point":
        return bool(scalars(Scalar(a[1], str(a[1])), Scalar(b[1], str(b[1])), pol))
    if a[3] != b[3] or a[4] != b[4]:
        return False
    return all(scalars(Scalar(x, str(x)), Scalar(y, str(y)), pol) for x, y in zip(a[1:3], b[1:3]))


# --- relations -------------------------------------------------------------------------------

def _relations(gold: Any, pred: Any, pol: Policy) -> Verdict:
    import sympy

    if isinstance(gold, Rel) and gold.expr is None or isinstance(pred, Rel) and pred.expr is None:
        return _chain_order(gold, pred)
    if isinstance(gold, Rel) and isinstance(pred, Rel):
        g, p = gold.expr, pred.expr
        if isinstance(g, sympy.Eq) and isinstance(p, sympy.Eq):
            return _equations(g, p, pol)
        if _univariate(g) and _univariate(p):
            return _sets(SetVal(as_set(g)), SetVal(as_set(p)), pol)
        return _inequalities(g, p, pol)
    rel, other = (gold, pred) if isinstance(gold, Rel) else (pred, gold)
    if isinstance(rel.expr, sympy.Eq):
        if isinstance(other, Scalar) and rel is gold:
            return _solve_for_missing(rel.expr, other, pol)
        return Verdict(False, "equation_vs_value")
    if _univariate(rel.expr) and isinstance(other, (SetVal, Tup, Coll)):
        return _sets(SetVal(as_set(rel.expr)), other, pol) if rel is gold else \
            _sets(other, SetVal(as_set(rel.expr)), pol)
    return Verdict(False, "relation_shape")


def _chain_order(gold: Any, pred: Any) -> Verdict:
    """``b < a < d < c`` against the list ``b, a, d, c``: the same order."""
    import re

    def names(node: Any) -> list[str] | None:
        if isinstance(node, Rel) and node.expr is None:
            return [p.strip().lower() for p in re.split(r"<|\\lt", node.raw)]
        if isinstance(node, (Coll, Tup)) and all(isinstance(i, Scalar) for i in node.items):
            return [i.raw.strip().lower() for i in node.items]
        return None

    g, p = names(gold), names(pred)
    return Verdict(g is not None and g == p, "ordering")


def _univariate(rel: Any) -> bool:
    from rewardkit_math.structure import function_as_symbol

    try:
        rel = function_as_symbol(rel)
        return len(rel.free_symbols) == 1 and not rel.atoms(
            __import__("sympy").core.function.AppliedUndef)
    except Exception:
        return False


def _equations(g: Any, p: Any, pol: Policy) -> Verdict:
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


def _inequalities(g: Any, p: Any, pol: Policy) -> Verdict:
    import sympy

    def form(r: Any) -> tuple[Any, bool] | None:
        if isinstance(r, (sympy.StrictGreaterThan, sympy.GreaterThan)):
            return r.lhs - r.rhs, isinstance(r, sympy.StrictGreaterThan)
        if isinstance(r, (sympy.StrictLessThan, sympy.LessThan)):
            return r.rhs - r.lhs, isinstance(r, sympy.StrictLessThan)
        return None

    if isinstance(g, sympy.Ne) and isinstance(p, sympy.Ne):
        return _equations(sympy.Eq(g.lhs, g.rhs), sympy.Eq(p.lhs, p.rhs), pol)
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


def _solve_for_missing(eq: Any, value: Scalar, pol: Policy) -> Verdict:
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
    return _tag(scalars(Scalar(solution[0], str(solution[0])), value, pol), "solved")
