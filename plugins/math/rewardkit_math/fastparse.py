"""A small, fast LaTeX parser for the common case; the full parser handles the rest.

Covers integers, ``+ - * / \\cdot \\times``, ``^``, ``!``, ``\\frac``, ``\\sqrt[n]{}``,
brackets, ``|x|``, implicit products, single-letter symbols, ``\\pi``, ``\\infty``, ``e``,
and the trigonometric, hyperbolic and log functions applied to a bracketed argument. For
every input it accepts it builds the value latex2sympy2_extended builds with this plugin's
settings (`parse.full_parse`): often not the same tree (latex2sympy keeps ``1*x`` and
``x/7`` unevaluated), always the same value; ``e`` is Euler's number, symbols are
lower-cased unless case matters. Anything else raises `NotSimple` and the caller falls
back to the full parser, as it does for what the full parser reads its own way: decimals
(a Float, which sympy then evaluates inside ``exp``, roots and quotients), ``I`` (the
imaginary unit), runs of letters (words such as ``inf``, ``percent``, ``or``; ``dx``) and
exponents in round brackets (``x^(6(y+1))`` fails there).

Pinned by tests/plugins/math/test_math_fastparse_differential.py: every string it accepts
while the `math` reward reads all of benchmarks/data/math, and every raw answer there it
accepts, must get the full parser's value. Kept because it pays: over those 925 cases
(``answer_from=whole``, parse cache cleared, in process, 3 runs each on a shared 2-core
machine) the reward took 14.0-16.7 s with it and 21.8-24.1 s without (median per case
1.1-1.2 ms against 1.8-2.2 ms), with the same verdict on every case.
"""

from __future__ import annotations

import re
from typing import Any

from rewardkit_math.policy import MAX_BITS

_TOKEN = re.compile(r"\s*(\d+\.\d*|\.\d+|\d+|\\[a-zA-Z]+|\S)")


_FUNCTIONS = {
    "\\sin": lambda sp, x: sp.sin(x), "\\cos": lambda sp, x: sp.cos(x),
    "\\tan": lambda sp, x: sp.tan(x), "\\sec": lambda sp, x: sp.sec(x),
    "\\csc": lambda sp, x: sp.csc(x), "\\cot": lambda sp, x: sp.cot(x),
    "\\sinh": lambda sp, x: sp.sinh(x), "\\cosh": lambda sp, x: sp.cosh(x),
    "\\tanh": lambda sp, x: sp.tanh(x), "\\arcsin": lambda sp, x: sp.asin(x),
    "\\arccos": lambda sp, x: sp.acos(x), "\\arctan": lambda sp, x: sp.atan(x),
    "\\ln": lambda sp, x: sp.log(x), "\\log": lambda sp, x: sp.log(x, 10),
}


class NotSimple(Exception):
    """The input uses something outside the fast subset."""


def tokens(text: str) -> list[str]:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            break
        out.append(m.group(1))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str, lowercase: bool) -> None:
        import sympy

        self.sp = sympy
        self.toks = tokens(text)
        self.i = 0
        self.bars = 0  # open |...| groups: inside one, a "|" closes it
        self.lowercase = lowercase

    def peek(self) -> str | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, expected: str | None = None) -> str:
        tok = self.peek()
        if tok is None or (expected is not None and tok != expected):
            raise NotSimple(f"expected {expected!r}, got {tok!r}")
        self.i += 1
        return tok

    def parse(self) -> Any:
        if not self.toks:
            raise NotSimple("empty")
        value = self.expr()
        if self.peek() is not None:
            raise NotSimple(f"unexpected {self.peek()!r}")
        return value

    def expr(self) -> Any:
        value = self.term()
        while self.peek() in ("+", "-"):
            op = self.take()
            rhs = self.term()
            value = value + rhs if op == "+" else value - rhs
        return value

    def term(self) -> Any:
        value = self.unary()
        while True:
            tok = self.peek()
            if tok in ("*", "\\cdot", "\\times"):
                self.take()
                value = value * self.unary()
            elif tok in ("/", "\\div"):
                self.take()
                den = self.unary()
                if den == 0:
                    raise NotSimple("division by zero")
                value = value / den
            elif tok is not None and (tok in ("(", "\\frac", "\\sqrt", "\\pi", "\\infty")
                                      or tok in _FUNCTIONS or (tok == "|" and not self.bars)
                                      or tok.isalpha() or tok[0].isdigit() or tok == "{"):
                if tok[0].isdigit() or (tok == "\\frac" and _is_number(value)):
                    raise NotSimple("a number after a term (mixed number?)")
                value = value * self.power()
            else:
                return value

    def unary(self) -> Any:
        if self.peek() == "-":
            self.take()
            return -self.unary()
        if self.peek() == "+":
            self.take()
            return self.unary()
        return self.power()

    def power(self) -> Any:
        base = self.atom()
        while self.peek() == "!":
            self.take()
            base = self.sp.factorial(base, evaluate=False)
        if self.peek() == "^":
            self.take_caret()
            exp = self.group() if self.peek() == "{" else self.unary_atom()
            return self._pow(base, exp)
        return base

    def take_caret(self) -> None:
        self.take("^")
        if self.peek() == "(":  # latex2sympy fails on x^(6(y+1)): nested brackets
            raise NotSimple("an exponent in round brackets")

    def unary_atom(self) -> Any:
        if self.peek() == "-":
            self.take()
            return -self.atom()
        return self.atom()

    def _pow(self, base: Any, exp: Any) -> Any:
        if base.is_Integer and exp.is_Integer and abs(base) > 1:
            if abs(int(exp)) * int(abs(base)).bit_length() > MAX_BITS:
                raise NotSimple("a huge power: sympy arithmetic would evaluate it")
        return self.sp.Pow(base, exp)

    def function(self, name: str) -> Any:
        """``\\sin(x)``, ``\\cos^2(x)``, ``\\log(x)`` (base 10, as latex2sympy reads it);
        an argument without brackets or an inverse power goes to the full parser."""
        power = None
        if self.peek() == "^":
            self.take_caret()
            power = self.group() if self.peek() == "{" else self.atom()
            if not (power.is_Integer and power > 0):
                raise NotSimple("a function power that is not a positive integer")
        if self.peek() != "(":
            raise NotSimple("a function argument without brackets")
        self.take("(")
        arg = self.expr()
        self.take(")")
        value = _FUNCTIONS[name](self.sp, arg)
        return value ** power if power is not None else value

    def group(self) -> Any:
        if self.peek() == "{":
            self.take("{")
            value = self.expr()
            self.take("}")
            return value
        tok = self.take()
        if tok.isdigit():
            if len(tok) > 1:
                raise NotSimple("\\frac12-style digits")
            return self.sp.Integer(tok)
        return self._symbol_or_const(tok)

    def atom(self) -> Any:
        tok = self.take()
        sp = self.sp
        if tok[0].isdigit() or tok[0] == ".":
            if not tok.isdigit():  # latex2sympy reads a decimal as a Float, which sympy
                raise NotSimple("a decimal")  # then evaluates inside exp, sqrt, 1/x...
            return sp.Integer(tok)
        if tok in ("(", "{"):
            value = self.expr()
            self.take(")" if tok == "(" else "}")
            return value
        if tok in _FUNCTIONS:
            return self.function(tok)
        if tok == "|":
            self.bars += 1
            value = self.expr()
            self.take("|")
            self.bars -= 1
            return sp.Abs(value)
        if tok == "\\frac":
            num = self.group()
            den = self.group()
            if den == 0:
                raise NotSimple("division by zero")
            return num / den
        if tok == "\\sqrt":
            if self.peek() == "[":
                self.take("[")
                index = self.expr()
                self.take("]")
                return self._pow(self.group(), 1 / index)
            return sp.sqrt(self.group())
        return self._symbol_or_const(tok)

    def _symbol_or_const(self, tok: str) -> Any:
        sp = self.sp
        if tok == "\\pi":
            return sp.pi
        if tok == "\\infty":
            return sp.oo
        if len(tok) == 1 and tok.isalpha():
            if self.peek() in ("_", "("):
                raise NotSimple("subscript or function call")
            if tok == "I":
                raise NotSimple("I: latex2sympy reads it as the imaginary unit")
            before = self.toks[self.i - 2] if self.i >= 2 else ""
            if len(before) == 1 and before.isalpha():  # "dx", "or", "inf", "percent"...
                raise NotSimple("a run of letters: latex2sympy reads words its own way")
            if tok == "e":  # Euler's number; "E" is a symbol (lower-cased or not)
                return sp.E
            return sp.Symbol(tok.lower() if self.lowercase else tok)
        raise NotSimple(f"unsupported token {tok!r}")


def _is_number(value: Any) -> bool:
    return getattr(value, "is_Number", False)


def fast_parse(text: str, lowercase: bool = True) -> Any:
    """Parse `text` if it is in the fast subset, else raise NotSimple."""
    if len(text) > 200:
        raise NotSimple("long input")
    try:
        return _Parser(text, lowercase).parse()
    except NotSimple:
        raise
    except (ValueError, TypeError, ZeroDivisionError, RecursionError) as exc:
        raise NotSimple(str(exc)) from None
