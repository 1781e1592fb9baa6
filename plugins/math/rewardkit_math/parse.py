"""One LaTeX expression -> sympy, with guards against inputs that would never finish.

Plain numbers and simple fractions take a fast path (exact `Rational`, no parser);
everything else goes through latex2sympy2_extended. Exponent towers are refused before
parsing (parsing one can run for ever); huge powers and factorials that do parse are
replaced by opaque positive symbols (`guard_huge`) so no later step evaluates them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from rewardkit_math.policy import MAX_BITS

_INT = re.compile(r"^[+-]?\d+$")
_DEC = re.compile(r"^[+-]?(?:\d+\.\d*|\.\d+)$")
_FRAC = re.compile(r"^([+-]?)\s*\\frac\{\s*(\d+)\s*\}\{\s*(\d+)\s*\}$|^([+-]?\d+)\s*/\s*(\d+)$")
_SCI = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+))[eE]([+-]?\d+)$")
MAX_FACTORIAL = 20_000


class Refused(Exception):
    """The input is too large or too deep to evaluate safely."""


class TooLong(Refused):
    """The answer is longer than `max_answer_chars`: not an answer."""


class Unparsable(Exception):
    """The parser could not read the input."""


def decimals(text: str) -> int | None:
    """Number of decimal places when `text` is a plain decimal number, else None."""
    m = re.fullmatch(r"[+-]?\d*\.(\d+)", text.strip())
    return len(m.group(1)) if m else None


def _tower_depth(latex: str) -> int:
    """How deeply exponents nest (``a^{b^{c}}`` is 3)."""
    depth, best, stack = 0, 0, []
    i = 0
    while i < len(latex):
        c = latex[i]
        if c == "^":
            depth += 1
            best = max(best, depth)
            j = i + 1
            while j < len(latex) and latex[j] == " ":
                j += 1
            if j < len(latex) and latex[j] == "{":
                stack.append(True)
                i = j + 1
                continue
            depth -= 1  # a one-token exponent closes at once
        elif c == "{":
            stack.append(False)
        elif c == "}" and stack:
            if stack.pop():
                depth -= 1
        i += 1
    return best


def check_size(latex: str, max_chars: int) -> None:
    if len(latex) > max_chars:
        raise TooLong(f"answer has {len(latex)} characters (limit {max_chars})")
    if _tower_depth(latex) >= 3:
        raise Refused("exponent tower of height 3 or more: not evaluated")


def _fast(latex: str) -> Any:
    import sympy

    s = latex.strip()
    if _INT.match(s):
        return sympy.Integer(s)
    if _DEC.match(s):
        return sympy.Rational(s)
    m = _FRAC.match(s)
    if m:
        if m.group(2) is not None:
            sign, num, den = m.group(1), m.group(2), m.group(3)
        else:
            sign, num, den = "", m.group(4), m.group(5)
        if int(den) != 0:
            return sympy.Rational(int(sign + num if sign else num), int(den))
    m = _SCI.match(s)
    if m and abs(int(m.group(2))) < 400:
        return sympy.Rational(m.group(1)) * sympy.Integer(10) ** int(m.group(2))
    return None


@lru_cache(maxsize=4096)
def parse_latex(latex: str, lowercase: bool = True, mixed: bool = True) -> Any:
    """Parse one expression (no top-level lists); raises Unparsable."""
    fast = _fast(latex)
    if fast is not None:
        return fast
    from rewardkit_math.fastparse import NotSimple, fast_parse

    try:
        return fast_parse(latex, lowercase)
    except NotSimple:
        pass
    try:
        expr = full_parse(latex, lowercase, mixed)
    except Exception as exc:  # antlr and converter errors come in many types
        raise Unparsable(f"cannot parse {latex!r}: {str(exc).splitlines()[0][:120]}") from None
    if expr is None or isinstance(expr, str):
        raise Unparsable(f"cannot parse {latex!r}")
    return expr


def full_parse(latex: str, lowercase: bool = True, mixed: bool = True) -> Any:
    """latex2sympy2_extended with the settings this plugin reads every answer with (the
    fast parser must build what this builds); raises whatever the parser raises."""
    from latex2sympy2_extended import latex2sympy
    from latex2sympy2_extended.latex2sympy2 import ConversionConfig
    from latex2sympy2_extended.math_normalization import NormalizationConfig

    return latex2sympy(
        latex,
        normalization_config=NormalizationConfig(
            basic_latex=True, units=False, malformed_operators=True, nits=False,
            boxed="none", equations=False),
        conversion_config=ConversionConfig(
            interpret_as_mixed_fractions=mixed, interpret_simple_eq_as_assignment=False,
            interpret_contains_as_eq=True, lowercase_symbols=lowercase),
    )


def _bits(base: Any, exp: Any) -> float:
    import math

    return float(abs(exp)) * math.log2(max(abs(int(base)), 2))


def guard_huge(expr: Any, table: dict) -> Any:
    """Replace integer powers and factorials too big to evaluate by opaque symbols.

    `table` maps each replaced node to its symbol, so both sides of a comparison share
    them: ``10^{10^{10}} + 1`` vs ``10^{10^{10}}`` still differ by exactly 1.
    """
    import sympy

    if not isinstance(expr, sympy.Basic) or expr.is_Atom:
        return expr
    args = [guard_huge(a, table) for a in expr.args]
    node = expr
    if args != list(expr.args):
        try:
            node = expr.func(*args)
        except Exception:  # some node types refuse symbolic arguments: keep the original
            node = expr
    huge = False
    if isinstance(node, sympy.Pow):
        base, exp = node.args
        if base.is_Integer and abs(base) > 1 and exp.is_number and exp.is_integer and \
                not exp.has(*table.values()) and _bits(base, exp) > MAX_BITS:
            huge = True
        elif base.is_Integer and abs(base) > 1 and exp.has(*table.values()):
            huge = True  # a power whose exponent is already huge
    elif isinstance(node, sympy.factorial) and node.args[0].is_number:
        arg = node.args[0]
        huge = bool(arg.has(*table.values())) or (
            arg.is_integer is not False and abs(float(sympy.N(arg, 15))) > MAX_FACTORIAL)
    if huge:
        if node not in table:
            table[node] = sympy.Symbol(f"HUGE{len(table)}", positive=True)
        return table[node]
    return node
