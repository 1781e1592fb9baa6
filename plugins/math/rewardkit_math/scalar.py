"""Equality of two scalar values: exact, then symbolic, then numeric at sample points.

Never ``evalf(chop=True)``, never ``float()`` of a value that may be huge: huge powers and
factorials were replaced by opaque symbols (`parse.guard_huge`) and are only ever compared
structurally; values beyond 10^15 that agree numerically still need an exact proof.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rewardkit_math.parse import Refused, guard_huge
from rewardkit_math.structure import Scalar


@dataclass
class Policy:
    rel_tol: float = 1e-9
    rounding: bool = True
    percent: str = "either"  # either | strict
    degrees: str = "either"  # either | strict
    ordered_lists: bool = False
    rename_symbols: bool = True
    gold_percent: bool = False
    pred_percent: bool = False
    gold_degrees: bool = False
    pred_degrees: bool = False
    huge: dict = field(default_factory=dict)


class Verdict:
    __slots__ = ("equal", "rule")

    def __init__(self, equal: bool, rule: str) -> None:
        self.equal, self.rule = equal, rule

    def __bool__(self) -> bool:
        return self.equal

    def __repr__(self) -> str:
        return f"Verdict({self.equal}, {self.rule!r})"


def scalars(gold: Scalar, pred: Scalar, pol: Policy) -> Verdict:
    import sympy

    g, p = gold.expr, pred.expr
    if isinstance(g, sympy.MatrixBase) or isinstance(p, sympy.MatrixBase):
        return _matrices(gold, pred, pol)
    if not isinstance(g, sympy.Basic) or not isinstance(p, sympy.Basic):
        return Verdict(False, "shape")
    g, p = _exact_floats(guard_huge(g, pol.huge)), _exact_floats(guard_huge(p, pol.huge))
    if not (g.free_symbols | p.free_symbols) & set(pol.huge.values()):
        g, p = _doit(g), _doit(p)
    g, p = _imaginary(g, p), _imaginary(p, g)
    if g == p:
        return Verdict(True, "exact")
    if g.has(sympy.oo, -sympy.oo, sympy.zoo, sympy.nan) or p.has(sympy.oo, -sympy.oo, sympy.zoo, sympy.nan):
        return Verdict(False, "infinity")
    v = _values(g, p, gold, pred, pol)
    if v.equal:
        return v
    for scale_g, scale_p, rule in _rescalings(pol):
        v2 = _values(g * scale_g, p * scale_p, gold, pred, pol)
        if v2.equal:
            return Verdict(True, rule + ":" + v2.rule)
    return v


def _doit(expr: Any) -> Any:
    try:
        return expr.doit()
    except Exception:
        return expr


def _imaginary(expr: Any, other: Any) -> Any:
    """The symbol i is the imaginary unit when the other side is complex (sqrt(-1))."""
    import sympy

    i = sympy.Symbol("i")
    if i in expr.free_symbols and other.has(sympy.I) and i not in other.free_symbols:
        return expr.xreplace({i: sympy.I})
    return expr


def _exact_floats(expr: Any) -> Any:
    """Floats the parser made from decimals ("0.33") back to exact rationals."""
    import sympy

    floats = expr.atoms(sympy.Float)
    return expr.xreplace({f: sympy.Rational(str(f)) for f in floats}) if floats else expr


def _rescalings(pol: Policy) -> list:
    import sympy

    out = []
    if pol.percent == "either" and (pol.gold_percent or pol.pred_percent):
        hundredth = sympy.Rational(1, 100)
        out.append((1, hundredth, "percent") if pol.pred_percent else (hundredth, 1, "percent"))
    if pol.degrees == "either" and (pol.gold_degrees or pol.pred_degrees):
        rad = sympy.pi / 180
        out.append((1, rad, "degrees") if pol.pred_degrees else (rad, 1, "degrees"))
    return out


def _values(g: Any, p: Any, gold: Scalar, pred: Scalar, pol: Policy) -> Verdict:

    huge = set(pol.huge.values())
    if (g.free_symbols | p.free_symbols) & huge:
        return _huge(g, p, huge)
    if g.is_Rational and p.is_Rational:
        if g == p:
            return Verdict(True, "exact")
        return _rounding(g, p, gold, pred, pol, "exact")
    if not g.free_symbols and not p.free_symbols:
        return _constants(g, p, gold, pred, pol)
    return _expressions(g, p, pol)


def _huge(g: Any, p: Any, huge: set) -> Verdict:
    import sympy

    diff = sympy.expand(g - p)
    if diff == 0:
        return Verdict(True, "huge_structural")
    if not (diff.free_symbols & huge) and diff.is_number:
        return Verdict(False, "huge_structural")
    if bool(g.free_symbols & huge) != bool(p.free_symbols & huge):
        return Verdict(False, "huge_magnitude")
    raise Refused("cannot compare two astronomically large values exactly")


def _rounding(g: Any, p: Any, gold: Scalar, pred: Scalar, pol: Policy, rule: str) -> Verdict:
    """A decimal answer equal to the other side correctly rounded."""
    import sympy

    if not pol.rounding:
        return Verdict(False, rule)
    if gold.decimals and p.is_number:  # gold written as 30.52: pred must round to it
        tol = sympy.Rational(1, 2 * 10 ** gold.decimals)
        if abs(sympy.N(p - g, 30)) <= tol * (1 + sympy.Rational(1, 10 ** 12)):
            return Verdict(True, "rounded_to_gold")
    if pred.decimals and g.is_Rational and not g.is_Integer:
        digits = len(pred.raw.strip().lstrip("+-0.").replace(".", ""))
        tol = sympy.Rational(1, 2 * 10 ** pred.decimals)
        if digits >= 2 and abs(g - p) <= tol:
            return Verdict(True, "rounded_answer")
    return Verdict(False, rule)


def _constants(g: Any, p: Any, gold: Scalar, pred: Scalar, pol: Policy) -> Verdict:
    import sympy

    try:
        gv, pv = sympy.N(g, 50), sympy.N(p, 50)
    except Exception:
        return Verdict(False, "numeric_failed")
    if not (gv.is_number and pv.is_number) or gv.has(sympy.zoo, sympy.nan) or pv.has(sympy.zoo, sympy.nan):
        return Verdict(g.equals(p) is True, "symbolic")
    diff = abs(gv - pv)
    scale = max(abs(gv), abs(pv), sympy.Float(1e-30))
    if diff <= scale * sympy.Float(pol.rel_tol) and scale > 1e15:
        # magnitude guard: two huge values that agree in their leading digits may still
        # differ (2^{1009} + 1 vs 2^{1009}); only an exact proof counts
        return Verdict(sympy.simplify(g - p) == 0, "large_exact")
    if diff <= scale * sympy.Float(pol.rel_tol):
        if pred.decimals is not None and not gold.decimals and not g.is_Rational:
            # a decimal for an irrational exact value is an approximation, not the answer
            return Verdict(diff <= scale * sympy.Float(1e-14), "numeric_irrational")
        return Verdict(True, "numeric")
    return _rounding(g, p, gold, pred, pol, "numeric")


_POINTS = [(0.31, 0.57, 0.83, 0.19, 0.68, 0.44), (0.73, 0.26, 0.41, 0.92, 0.15, 0.58),
           (0.52, 0.87, 0.13, 0.36, 0.79, 0.61), (0.18, 0.49, 0.95, 0.67, 0.27, 0.84)]
_INT_POINTS = [(9, 4, 6, 11, 7, 3), (12, 5, 8, 14, 10, 2), (7, 3, 5, 9, 8, 4)]


def _expressions(g: Any, p: Any, pol: Policy) -> Verdict:
    import sympy

    gs, ps = g.free_symbols, p.free_symbols
    if gs != ps and pol.rename_symbols:
        extra_g, extra_p = sorted(gs - ps, key=str), sorted(ps - gs, key=str)
        if extra_g and len(extra_g) == len(extra_p) <= 2:
            p = p.xreplace(dict(zip(extra_p, extra_g)))
            v = _expressions(g, p, Policy(**{**pol.__dict__, "rename_symbols": False}))
            return Verdict(v.equal, "renamed:" + v.rule)
    if gs != ps:
        return Verdict(False, "symbols_differ")
    diff = g - p
    try:
        if sympy.expand(diff) == 0:
            return Verdict(True, "symbolic")
    except Exception:
        pass
    numeric = _sample(g, p, sorted(gs | ps, key=str), pol)
    if numeric is not None:
        return numeric
    try:
        if sympy.simplify(diff) == 0:
            return Verdict(True, "symbolic")
        # retry with every symbol positive: sqrt(1/n) = 1/sqrt(n) only holds for n > 0
        positive = {s: sympy.Symbol(s.name, positive=True) for s in gs | ps}
        if sympy.simplify(diff.xreplace(positive)) == 0:
            return Verdict(True, "symbolic_positive")
    except Exception:  # noqa: BLE001 - simplify raises many types on odd input
        pass
    return Verdict(False, "symbolic")


def _sample(g: Any, p: Any, symbols: list, pol: Policy) -> Verdict | None:
    """Compare at sample points; None when no point gives two finite values."""
    import sympy
    from sympy.core.function import AppliedUndef

    if g.atoms(AppliedUndef) or p.atoms(AppliedUndef) or len(symbols) > 6:
        return None
    integer = g.has(sympy.factorial, sympy.binomial, sympy.gamma) or p.has(
        sympy.factorial, sympy.binomial, sympy.gamma)
    points = _INT_POINTS if integer else _POINTS
    agreed = 0
    for point in points:
        values = {s: (sympy.Integer(v) if integer else sympy.Rational(str(v)))
                  for s, v in zip(symbols, point)}
        try:
            gv = sympy.N(g.xreplace(values), 30)
            pv = sympy.N(p.xreplace(values), 30)
        except Exception:
            continue
        if not (gv.is_number and pv.is_number) or any(
                x.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) for x in (gv, pv)):
            continue
        scale = max(abs(gv), abs(pv), sympy.Float(1e-20))
        if abs(gv - pv) > scale * sympy.Float(max(pol.rel_tol, 1e-12)):
            return Verdict(False, "numeric_points")
        agreed += 1
    return Verdict(True, "numeric_points") if agreed >= 2 else None


def _matrices(gold: Scalar, pred: Scalar, pol: Policy) -> Verdict:
    import sympy

    g, p = gold.expr, pred.expr
    if not (isinstance(g, sympy.MatrixBase) and isinstance(p, sympy.MatrixBase)):
        return Verdict(False, "matrix_shape")
    if g.shape != p.shape:
        if 1 in g.shape and 1 in p.shape and len(g) == len(p):
            g, p = g.reshape(len(g), 1), p.reshape(len(p), 1)
        else:
            return Verdict(False, "matrix_shape")
    for a, b in zip(g, p):
        sa, sb = Scalar(a, str(a), _dec(a)), Scalar(b, str(b), _dec(b))
        if not scalars(sa, sb, pol):
            return Verdict(False, "matrix")
    return Verdict(True, "matrix")


def _dec(x: Any) -> int | None:
    import sympy

    if isinstance(x, sympy.Float):
        text = str(x).rstrip("0")
        return len(text.split(".")[1]) if "." in text else None
    return None
