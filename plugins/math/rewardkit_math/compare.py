"""Decide whether two answer trees are equal, and say which rule decided.

Structure first (assignments, lists, tuples, sets and intervals, relations, text), then
the scalars at the leaves (`rewardkit_math.scalar`: exact, symbolic, numeric).
"""

from __future__ import annotations

from typing import Any

from rewardkit_math.nodes import Assign, Chain, Choice, Coll, Rel, Scalar, SetVal, Text, Tup
from rewardkit_math.scalar import scalars
from rewardkit_math.verdict import Pair, Verdict
from rewardkit_math.sample import Undecided
from rewardkit_math.sets import as_set, function_as_symbol, to_set
from rewardkit_math.text import compare_text, text_list


def equal(gold: Any, pred: Any, pol: Pair) -> Verdict:
    """Is `pred` equal to `gold`? Both are `structure` trees."""
    if isinstance(gold, Assign) and isinstance(pred, Assign):
        return _assignments(gold, pred, pol)
    if isinstance(gold, Assign) and isinstance(pred, Rel) or isinstance(pred, Assign) and isinstance(gold, Rel):
        as_eq = _as_equation(gold if isinstance(gold, Assign) else pred)
        if as_eq is not None:  # y = 3 against 3 = y, b = 4-2a against 2a+b = 4
            return _relations(*((as_eq, pred) if isinstance(gold, Assign) else (gold, as_eq)), pol)
    if isinstance(gold, Assign):
        return _tag(equal(gold.value, pred, pol), "strip_name")
    if isinstance(pred, Assign):
        return _tag(equal(gold, pred.value, pol), "strip_name")
    if _is_vector(gold) and isinstance(pred, Tup) or _is_vector(pred) and isinstance(gold, Tup):
        return _vector_vs_tuple(gold, pred, pol)
    if isinstance(gold, Choice) or isinstance(pred, Choice):
        return _choices(gold, pred, pol)
    if isinstance(gold, Text) and isinstance(pred, Coll):
        gold = text_list(gold)
    if isinstance(pred, Text) and isinstance(gold, Coll):
        pred = text_list(pred)
    if isinstance(gold, Text) and _wordy(pred):
        pred = Text(_joined_words(pred))  # a sentence with commas against a sentence
    if isinstance(pred, Text) and _wordy(gold):
        gold = Text(_joined_words(gold))
    if isinstance(gold, Text) or isinstance(pred, Text):
        return compare_text(gold, pred)
    if isinstance(gold, Chain) or isinstance(pred, Chain):
        return _chains(gold, pred, pol)
    if isinstance(gold, Coll) or isinstance(pred, Coll):
        return _collections(gold, pred, pol)
    if isinstance(gold, Tup) and isinstance(pred, Tup):
        return _tuples(gold, pred, pol)
    if isinstance(gold, Rel) or isinstance(pred, Rel):
        return _relations(gold, pred, pol)
    if isinstance(gold, (SetVal, Tup)) or isinstance(pred, (SetVal, Tup)):
        return _sets(gold, pred, pol)
    return scalars(gold, pred, pol)


def _wordy(node: Any) -> bool:
    return isinstance(node, Coll) and any(isinstance(i, Text) for i in node.items)


def _joined_words(node: Coll) -> str:
    return " ".join(i.words if isinstance(i, Text) else getattr(i, "raw", str(i)) for i in node.items)


def _tag(v: Verdict, rule: str) -> Verdict:
    return Verdict(v.equal, f"{rule}:{v.rule}")


# --- collections ---------------------------------------------------------------------------

def _items(node: Any) -> list:
    if isinstance(node, Coll):
        return [i.value if isinstance(i, Assign) else i for i in node.items]
    return [node]


def _by_name(node: Any) -> dict | None:
    """{name: value} when every item assigns a different single name, else None."""
    if not isinstance(node, Coll) or not node.items or not all(
            isinstance(i, Assign) and len(_names(i)) == 1 for i in node.items):
        return None
    names = [_names(i)[0] for i in node.items]
    return dict(zip(names, (i.value for i in node.items))) if len(set(names)) == len(names) else None


def _maybe(gold: Any, pred: Any, pol: Pair) -> bool | None:
    """`equal` for one pairing inside a larger match: None when undecidable."""
    try:
        return equal(gold, pred, pol).equal
    except Undecided:
        return None


def _unique(items: list, pol: Pair) -> list:
    out: list = []
    for item in items:
        if not any(_maybe(o, item, pol) for o in out):
            out.append(item)
    return out


def _collections(gold: Any, pred: Any, pol: Pair) -> Verdict:
    g_items, p_items = _items(gold), _items(pred)
    ordered = pol.policy.ordered_lists
    if isinstance(gold, Tup) or isinstance(pred, Tup):  # a list against a tuple: in order
        tup = gold if isinstance(gold, Tup) else pred
        other = pred if tup is gold else gold
        if isinstance(other, Coll) and other.braces and tup.brackets != "()":
            return Verdict(False, "set_vs_interval")  # {2, 5} is two points, [2, 5] is not
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
    named = _by_name(gold), _by_name(pred)
    if named[0] and named[1]:  # a=1, b=2 against b=2 and a=1: the values of the same names
        if sorted(named[0]) != sorted(named[1]):
            return Verdict(False, "named_values")
        ok = all(equal(named[0][n], named[1][n], pol) for n in named[0])
        return Verdict(ok, "named_values")
    g_items, p_items = _unique(g_items, pol), _unique(p_items, pol)
    if len(g_items) != len(p_items):
        return Verdict(False, "set_size")
    if ordered:
        ok = all(equal(g, p, pol) for g, p in zip(g_items, p_items))
        return Verdict(ok, "ordered_list")
    left = list(p_items)
    for g in g_items:
        verdicts = [_maybe(g, p, pol) for p in left]
        if True not in verdicts:
            if None in verdicts:
                raise Undecided("an element could be matched by no rule")
            return Verdict(False, "set_elements")
        left.pop(verdicts.index(True))
    return Verdict(True, "set_elements")


def _sorted_pair(coll: Coll, tup: Tup, pol: Pair) -> Verdict:
    """``{1, 3}`` against ``(1, 3)``: a pair read as an interval's endpoints, in order."""
    items = _unique(_items(coll), pol)
    try:
        items = sorted(items, key=lambda s: float(s.expr))  # small exact numbers only
    except (TypeError, AttributeError, ValueError):
        return Verdict(False, "set_vs_pair")
    ok = len(items) == 2 and all(equal(a, b, pol) for a, b in zip(items, tup.items))
    return Verdict(ok, "set_vs_pair")


def _tuples(gold: Tup, pred: Tup, pol: Pair) -> Verdict:
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


def _sets(gold: Any, pred: Any, pol: Pair) -> Verdict:
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


def _piece_equal(a: tuple, b: tuple, pol: Pair) -> bool:
    if a[0] != b[0]:
        return False
    if a[0] == "point":
        return bool(scalars(Scalar(a[1], str(a[1])), Scalar(b[1], str(b[1])), pol))
    if a[3] != b[3] or a[4] != b[4]:
        return False
    return all(scalars(Scalar(x, str(x)), Scalar(y, str(y)), pol) for x, y in zip(a[1:3], b[1:3]))


# --- relations -------------------------------------------------------------------------------

def _relations(gold: Any, pred: Any, pol: Pair) -> Verdict:
    import sympy

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


def _univariate(rel: Any) -> bool:
    try:
        rel = function_as_symbol(rel)
        return len(rel.free_symbols) == 1 and not rel.atoms(
            __import__("sympy").core.function.AppliedUndef)
    except Exception:
        return False


def _equations(g: Any, p: Any, pol: Pair) -> Verdict:
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


def _inequalities(g: Any, p: Any, pol: Pair) -> Verdict:
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


def _solve_for_missing(eq: Any, value: Scalar, pol: Pair) -> Verdict:
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


# --- names, vectors, choices, chains ----------------------------------------------------------

def _names(assign: Assign) -> list[str]:
    """``(a, b)`` -> ["a", "b"]; ``x`` -> ["x"]."""
    import re

    name = assign.names[0].strip()
    inner = re.fullmatch(r"\((.*)\)", name)
    parts = [n.strip() for n in inner.group(1).split(",")] if inner else [name]
    return [p.lower() for p in parts]


def _assignments(gold: Assign, pred: Assign, pol: Pair) -> Verdict:
    """Values of the same names: ``(a,b)=(3,5)`` is ``(b,a)=(5,3)``."""
    g_names, p_names = _names(gold), _names(pred)
    if (len(g_names) > 1 and sorted(g_names) == sorted(p_names) and g_names != p_names
            and isinstance(gold.value, Tup) and isinstance(pred.value, Tup)
            and len(gold.value.items) == len(pred.value.items) == len(g_names)):
        by_name = dict(zip(p_names, pred.value.items))
        pred = Assign(gold.names, Tup([by_name[n] for n in g_names], pred.value.brackets))
    pred = _rename_argument(gold, pred)
    v = equal(gold.value, pred.value, pol)
    return Verdict(v.equal, "assignment:" + v.rule)


def _rename_argument(gold: Assign, pred: Assign) -> Assign:
    """``f(z) = z`` against ``f(x) = x``: a function's argument is a dummy variable."""
    import re

    import sympy

    g = re.fullmatch(r"([A-Za-z])\(([A-Za-z])\)", gold.names[0].strip())
    p = re.fullmatch(r"([A-Za-z])\(([A-Za-z])\)", pred.names[0].strip())
    if not (g and p) or g.group(1) != p.group(1) or g.group(2) == p.group(2):
        return pred
    if not isinstance(pred.value, Scalar) or not isinstance(pred.value.expr, sympy.Basic):
        return pred
    old, new = sympy.Symbol(p.group(2).lower()), sympy.Symbol(g.group(2).lower())
    if new in pred.value.expr.free_symbols:
        return pred
    value = Scalar(pred.value.expr.xreplace({old: new}), pred.value.raw, pred.value.decimals)
    return Assign(gold.names, value)


def _as_equation(assign: Assign) -> Rel | None:
    """``y = 3`` as the equation y - 3 = 0 (a plain symbol name and a scalar value only)."""
    import re

    import sympy

    name = assign.names[0].strip()
    if not re.fullmatch(r"[A-Za-z]", name) or not isinstance(assign.value, Scalar):
        return None
    value = assign.value.expr
    if not isinstance(value, sympy.Expr):
        return None
    symbol = sympy.Symbol(name.lower())
    return Rel(sympy.Eq(symbol, value, evaluate=False), f"{name}={assign.value.raw}")


def _is_vector(node: Any) -> bool:
    import sympy

    return isinstance(node, Scalar) and isinstance(node.expr, sympy.MatrixBase) and 1 in node.expr.shape


def _vector_vs_tuple(gold: Any, pred: Any, pol: Pair) -> Verdict:
    """A column (or row) vector against a tuple: the same entries in order."""
    def entries(node: Any) -> list:
        if isinstance(node, Tup):
            return node.items
        return [Scalar(e, str(e)) for e in node.expr]

    g, p = entries(gold), entries(pred)
    ok = len(g) == len(p) and all(equal(a, b, pol) for a, b in zip(g, p))
    return Verdict(ok, "vector_vs_tuple")


def _choices(gold: Any, pred: Any, pol: Pair) -> Verdict:
    """``(B) 7`` against ``B``, ``(B)``, ``7`` or ``(B) 7``."""
    if isinstance(gold, Choice) and isinstance(pred, Choice):
        return Verdict(gold.letter == pred.letter, "choice")
    choice, other = (gold, pred) if isinstance(gold, Choice) else (pred, gold)
    letter = _letter(other)
    if letter:
        return Verdict(letter == choice.letter, "choice_letter")
    if choice.value is None:
        return Verdict(False, "choice")
    v = equal(choice.value, other, pol) if choice is gold else equal(other, choice.value, pol)
    return _tag(v, "choice_value")


def _letter(node: Any) -> str | None:
    """The option letter a bare answer names (``B``, ``(B)``, ``\\text{B}``), else None."""
    import sympy

    if isinstance(node, Text) and len(node.words.strip("() ")) == 1:
        return node.words.strip("() ").upper()
    if isinstance(node, Scalar) and isinstance(node.expr, sympy.Symbol) and len(node.expr.name) == 1:
        return node.expr.name.upper()
    return None


def _chains(gold: Any, pred: Any, pol: Pair) -> Verdict:
    """``2^{30} < 3^{20} < 5^{13}`` against the list ``2^{30}, 3^{20}, 5^{13}``: same order."""
    def items(node: Any) -> list | None:
        if isinstance(node, Chain):
            return node.items
        if isinstance(node, (Coll, Tup)) and not getattr(node, "braces", False):
            return node.items
        return None

    g, p = items(gold), items(pred)
    ok = g is not None and p is not None and len(g) == len(p) and all(
        equal(a, b, pol) for a, b in zip(g, p))
    return Verdict(ok, "ordering")
