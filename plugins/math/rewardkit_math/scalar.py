"""Equality of two scalar values: exact, then symbolic, then numeric at sample points.

Never ``evalf(chop=True)``, never ``float()`` of a value that may be huge: huge powers and
factorials were replaced by opaque symbols (`parse.guard_huge`) and are only ever compared
structurally; values beyond 10^15 that agree numerically still need an exact proof.
"""

from __future__ import annotations

from typing import Any

from rewardkit_math.nodes import Scalar
from rewardkit_math.parse import Refused, guard_huge
from rewardkit_math.verdict import Pair, Verdict

__all__ = ["Pair", "Verdict", "scalars"]


def scalars(gold: Scalar, pred: Scalar, pol: Pair) -> Verdict:
    import sympy

    g, p = gold.expr, pred.expr
    if isinstance(g, sympy.MatrixBase) or isinstance(p, sympy.MatrixBase):
        return _matrices(gold, pred, pol)
    if not isinstance(g, sympy.Basic) or not isinstance(p, sympy.Basic):
        return Verdict(False, "shape")
    g, p = _exact_floats(guard_huge(g, pol.huge)), _exact_floats(guard_huge(p, pol.huge))
    if not (g.free_symbols | p.free_symbols) & set(pol.huge.values()):
        g, p = _doit(g), _doit(p)
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


def _exact_floats(expr: Any) -> Any:
    """Floats the parser made from decimals ("0.33") back to exact rationals."""
    import sympy

    floats = expr.atoms(sympy.Float)
    return expr.xreplace({f: sympy.Rational(str(f)) for f in floats}) if floats else expr


def _rescalings(pol: Pair) -> list:
    import sympy

    out = []
    if pol.policy.percent == "either" and (pol.gold_percent or pol.pred_percent):
        hundredth = sympy.Rational(1, 100)
        out.append((1, hundredth, "percent") if pol.pred_percent else (hundredth, 1, "percent"))
    if pol.policy.degrees == "either" and (pol.gold_degrees or pol.pred_degrees):
        rad = sympy.pi / 180
        out.append((1, rad, "degrees") if pol.pred_degrees else (rad, 1, "degrees"))
    return out


def _values(g: Any, p: Any, gold: Scalar, pred: Scalar, pol: Pair) -> Verdict:
    from rewardkit_math.sample import expressions

    huge = set(pol.huge.values())
    if (g.free_symbols | p.free_symbols) & huge:
        return _huge(g, p, huge)
    if g.is_Rational and p.is_Rational:
        if g == p:
            return Verdict(True, "exact")
        return _rounding(g, p, gold, pred, pol, "exact")
    if not g.free_symbols and not p.free_symbols:
        return _constants(g, p, gold, pred, pol)
    return expressions(g, p, pol)


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


def _rounding(g: Any, p: Any, gold: Scalar, pred: Scalar, pol: Pair, rule: str) -> Verdict:
    """Decimals against other values, by the `rounding` policy.

    ``gold`` (default): a decimal gold is compared at its own precision; the answer must
    round to it and must not be less precise. ``answer``: also a decimal answer that is
    the exact gold correctly rounded (``0.67`` for ``2/3``). ``none``: neither.
    """
    import sympy

    mode = pol.policy.rounding
    if mode == "none" or not p.is_number:
        return Verdict(False, rule)
    slack = 1 + sympy.Rational(1, 10 ** 12)
    if gold.decimals is not None:
        if pred.decimals is not None and pred.decimals < gold.decimals:
            return Verdict(False, "less_precise_than_gold")
        tol = sympy.Rational(1, 2 * 10 ** gold.decimals)
        return Verdict(bool(abs(sympy.N(p - g, 50)) <= tol * slack), "rounded_to_gold")
    if mode == "answer" and pred.decimals and g.is_number:
        digits = len(pred.raw.strip().lstrip("+-0.").replace(".", ""))
        tol = sympy.Rational(1, 2 * 10 ** pred.decimals)
        if digits >= 2 and abs(sympy.N(g - p, 50)) <= tol * slack:
            return Verdict(True, "rounded_answer")
    return Verdict(False, rule)


def _constants(g: Any, p: Any, gold: Scalar, pred: Scalar, pol: Pair) -> Verdict:
    """Two numbers without symbols: equal to 50 digits (a proof for huge ones), else the
    rounding policy."""
    import sympy

    try:
        gv, pv = sympy.N(g, 50), sympy.N(p, 50)
    except Exception:
        raise Refused("the values could not be evaluated") from None
    if not (gv.is_number and pv.is_number) or gv.has(sympy.zoo, sympy.nan) or pv.has(sympy.zoo, sympy.nan):
        proved = g.equals(p)
        if proved is None:
            raise Refused("neither a proof nor a numeric value decides these constants")
        return Verdict(bool(proved), "symbolic")
    diff = abs(gv - pv)
    scale = max(abs(gv), abs(pv))
    if diff == 0 or diff <= scale * sympy.Float(pol.policy.rel_tol):
        if scale > 1e15:  # 2^{1009} + 1 vs 2^{1009}: only an exact proof counts
            return Verdict(sympy.simplify(g - p) == 0, "large_exact")
        return Verdict(True, "numeric")
    return _rounding(g, p, gold, pred, pol, "numeric")


def _matrices(gold: Scalar, pred: Scalar, pol: Pair) -> Verdict:
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
