"""Normalised answer text -> a small tree: lists, tuples, sets, relations, assignments.

The tree keeps what a comparison needs and sympy would lose: whether a list is ordered,
which brackets an interval-or-pair had, which side of ``x = 5`` is a name, whether a
decimal was written with 2 places. Leaves are sympy expressions (`rewardkit_math.parse`).
"""

from __future__ import annotations

import itertools
import re
from typing import Any, Iterator

from rewardkit_math.nodes import Assign, Chain, Choice, Coll, Rel, Scalar, SetVal, Text, Tup
from rewardkit_math.parse import Unparsable, decimals, parse_latex
from rewardkit_math.policy import Policy
from rewardkit_math.sets import as_set, to_set


_OPEN = "([{"
_CLOSE = ")]}"
_REL = re.compile(r"\\(?:leqslant|geqslant|leq|geq|le|ge|neq|ne|lt|gt|in|approx|notin)(?![a-zA-Z])"
                  r"|<=|>=|!=|=|<|>")
_WORD_SEP = re.compile(r"\s+(?:and|or)\s+|\s*\\(?:text\{\s*(?:and|or)\s*\})\s*"
                       r"|(?<=[)\]}])\s*(?:and|or)\s*(?=[(\[{])", re.IGNORECASE)


def _scan(text: str) -> Iterator[tuple[int, str, int]]:
    """Yield (index, char, depth) with brackets (any kind, ``\\{`` too) tracked."""
    depth = 0
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text) and text[i + 1] in "{}":
            c = text[i + 1]
            yield i, c, depth if c == "{" else depth - 1
            depth += 1 if c == "{" else -1
            i += 2
            continue
        if c in _OPEN:
            yield i, c, depth
            depth += 1
        elif c in _CLOSE:
            depth -= 1
            yield i, c, depth
        else:
            yield i, c, depth
        i += 1


def split_top(text: str, seps: str) -> list[str]:
    """Split `text` at characters in `seps` that are outside every bracket."""
    parts, start = [], 0
    for i, c, depth in _scan(text):
        if depth == 0 and c in seps:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


def _top_level(text: str, pattern: re.Pattern) -> list[re.Match]:
    depths = {i: d for i, _, d in _scan(text)}
    return [m for m in pattern.finditer(text) if depths.get(m.start(), 0) == 0]


def _split_words(text: str) -> list[str]:
    cuts = _top_level(text, _WORD_SEP)
    if not cuts:
        return [text]
    parts, start = [], 0
    for m in cuts:
        parts.append(text[start:m.start()])
        start = m.end()
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _enclosed(text: str) -> tuple[str, str, str] | None:
    """(opener, inner, closer) when one bracket pair spans the whole text."""
    if len(text) < 2:
        return None
    opener = "\\{" if text.startswith("\\{") else text[0]
    if opener not in ("(", "[", "\\{"):
        return None
    for i, c, depth in _scan(text):
        if depth == 0 and c in _CLOSE:
            if i != len(text) - 1 and not (text.endswith("\\}") and i == len(text) - 2):
                return None
            closer = "\\}" if text.endswith("\\}") else text[-1]
            return opener, text[len(opener):len(text) - len(closer)].strip(), closer
    return None


_NAME_ATOM = (r"(?:[A-Za-z]{1,6}|\\[a-zA-Z]+(?:\s*[A-Za-z])?)(?:_\{[^{}]*\}|_[A-Za-z0-9]+)?"
              r"(?:\^\{?\\prime\}?|')*(?:\(\s*[\w.]+(?:\s*,\s*[\w.]+)*\s*\))?")
_NAME = re.compile(rf"^\s*(?:{_NAME_ATOM})(?:\s*[:/]\s*(?:{_NAME_ATOM}))*\s*$")
_NOT_NAMES = {"\\pi", "\\infty", "\\sqrt", "\\frac", "\\sin", "\\cos", "\\tan", "\\log", "\\ln"}


def is_name(text: str) -> bool:
    """``x``, ``a_{37}``, ``f(x)``, ``|AB|``, ``\\frac{NO}{BO}``, ``A:B``, ``(p, q)``."""
    t = text.strip()
    if not t:
        return False
    inner = _enclosed(t)
    if inner and inner[0] == "(" and "," in inner[1]:
        return all(is_name(p) for p in split_top(inner[1], ","))
    t = re.sub(r"^\|(.*)\|$", r"\1", t)
    t = re.sub(r"^\\frac\{([^{}]*)\}\{([^{}]*)\}$", r"\1:\2", t)
    t = re.sub(r"^\\(?:overline|angle|mathcal|operatorname)\s*\{?([^{}]*)\}?$", r"\1", t)
    if any(t.startswith(w) for w in _NOT_NAMES):
        return False
    return bool(_NAME.match(t))


_PROSE = re.compile(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}")


def _is_text(text: str) -> bool:
    bare = re.sub(r"\\text\{([^{}]*)\}", r"\1", text).strip()
    if re.search(r"[\d=<>^_+*/\\]", bare):
        return False
    return bool(re.fullmatch(r"[A-Za-z][A-Za-z .,'()-]*", bare)) and (
        len(re.sub(r"[^A-Za-z]", "", bare)) >= 3 or "\\text" in text)


_CHOICE = re.compile(r"(?:\\text\{\s*)?\(([A-Ea-e])\)\s*\}?\s*(.*)")


def build(text: str, pol: Policy) -> Any:
    """Parse normalised answer text into the tree (raises Unparsable)."""
    text = text.strip().rstrip(".").strip()
    if not text:
        raise Unparsable("empty answer")
    choice = _CHOICE.fullmatch(text)
    if choice:  # \textbf{(B) } 7: an option letter and its value
        rest = choice.group(2).strip()
        return Choice(choice.group(1).upper(), build(rest, pol) if rest else None)
    m = re.fullmatch(r"\\text\{([^{}]*)\}", text)
    if m:
        inner = m.group(1).strip()
        if re.fullmatch(r"\(?([A-Za-z])\)?", inner):  # (C) -> C
            return Text(re.sub(r"[()]", "", inner))
        if not _is_text(inner) and inner:
            return build(inner, pol)
        return Text(inner)
    groups = split_top(text, ";")
    if len(groups) > 1 and all(groups):
        return Coll([_group(g, pol) for g in groups])
    pieces = [p for part in split_top(text, ",") for p in _split_words(part)]
    pieces = [re.sub(r"^(?:and|or)\s+", "", p) for p in pieces if p]
    if len(pieces) > 1:
        return _flatten(Coll([build(p, pol) for p in pieces]))
    return _single(pieces[0] if pieces else text, pol)


def _group(text: str, pol: Policy) -> Any:
    """``p=5, q=2`` inside ``...;...`` is one ordered solution (5, 2)."""
    node = build(text, pol)
    if isinstance(node, Coll) and all(isinstance(i, Assign) for i in node.items):
        return Tup([i.value for i in node.items])
    return node


def _flatten(coll: Coll) -> Coll:
    items = []
    for item in coll.items:
        if isinstance(item, Coll) and not item.braces:
            items.extend(item.items)
        else:
            items.append(item)
    return Coll(items, coll.braces)


_SETOPS = re.compile(r"\\(?:cup|cap|setminus)(?![a-zA-Z])|\\backslash|(?<=[\])}])\s*-\s*(?=\\\{)")


def _single(text: str, pol: Policy) -> Any:
    member = re.match(r"^\s*([A-Za-z](?:_\{?\w+\}?)?)\s*\\in(?![a-zA-Z])\s*(.+)$", text)
    if member and not _top_level(member.group(2), _REL):
        return Assign([member.group(1)], build(member.group(2), pol))
    if re.fullmatch(r"\d{1,2}:\d{2}", text.strip()):  # a time of day, not a ratio
        return Text(text.strip())
    if re.search(r"\\(?:forall|exists)(?![a-zA-Z])", text):
        return Text(re.sub(r"[\s{}]", "", text))  # quantified statements: compared as written
    if _top_level(text, _SETOPS):
        return _set_expression(text, pol)
    rel = _top_level(text, _REL)
    if rel:
        return _relation(text, rel, pol)
    enclosed = _enclosed(text)
    if enclosed:
        opener, inner, closer = enclosed
        if opener == "\\{":
            return _braced_set(inner, pol)
        items = split_top(inner, ",")
        if len(items) == 1 and ";" in inner:
            items = split_top(inner, ";")
        if len(items) >= 2 and all(items):
            return _tuple([build(i, pol) for i in items], opener + closer, pol)
        if opener == "(" and closer == ")":
            return _single(inner, pol) if inner else Text("()")
    if _is_text(text):
        return Text(re.sub(r"\\text\{([^{}]*)\}", r"\1", text).strip())
    return _leaf(text, pol)


def _tuple(items: list, brackets: str, pol: Policy) -> Any:
    """A tuple; ``(\\pm a, b)`` expands to every sign choice."""
    if pol.plus_minus and any(isinstance(i, Coll) and i.pm for i in items):
        choices = [i.items if isinstance(i, Coll) and i.pm else [i]
                   for i in items]
        return Coll([Tup(list(c), brackets) for c in itertools.product(*choices)])
    return Tup(items, brackets)


def _braced_set(inner: str, pol: Policy) -> Any:
    builder = re.match(r"^\s*([A-Za-z](?:_\{?\w+\}?)?)\s*(?:\||:|\\mid)\s*(.+)$", inner)
    if builder:
        cond = _single(builder.group(2), pol)
        if isinstance(cond, Rel):
            return SetVal(as_set(cond.expr))
    if not inner:
        return Coll([], braces=True)
    node = build(inner, pol)
    items = node.items if isinstance(node, Coll) and not node.braces else [node]
    return Coll(items, braces=True)


def _set_expression(text: str, pol: Policy) -> SetVal:
    import sympy

    cuts = _top_level(text, _SETOPS)
    operands, ops, start = [], [], 0
    for m in cuts:
        operands.append(text[start:m.start()].strip())
        ops.append(m.group().strip())
        start = m.end()
    operands.append(text[start:].strip())
    values = [to_set(_single(o, pol)) for o in operands]
    result = values[0]
    for op, value in zip(ops, values[1:]):
        if op == "\\cup":
            result = sympy.Union(result, value)
        elif op == "\\cap":
            result = sympy.Intersection(result, value)
        else:
            result = sympy.Complement(result, value)
    return SetVal(result)


def _relation(text: str, cuts: list[re.Match], pol: Policy) -> Any:
    ops = [m.group() for m in cuts]
    parts, start = [], 0
    for m in cuts:
        parts.append(text[start:m.start()].strip())
        start = m.end()
    parts.append(text[start:].strip())
    if "\\approx" in ops:  # x = 1/3 \approx 0.33: the exact part wins
        k = ops.index("\\approx")
        left = "".join(p + (" " + o + " " if i < k else "") for i, (p, o) in
                       enumerate(zip(parts[:k + 1], ops[:k] + [""])))
        if k > 0 or not is_name(parts[0]):
            return build(left, pol)
        return build(parts[k + 1], pol)
    if ops[0] in ("\\in",) and len(ops) == 1 and is_name(parts[0]):
        return Assign([parts[0]], build(parts[1], pol))
    if all(o == "=" for o in ops) and all(parts):
        if is_name(parts[0]):
            return Assign([parts[0]], build(parts[-1], pol))
        last = build(parts[-1], pol)
        if isinstance(last, Scalar) and not last.expr.free_symbols:
            if len(parts) > 2 or _constant(parts[0], pol):
                return last  # "1 = x = 0", "5+5 = 10": a computation ending in its result
    if len(parts) >= 3 and all(o in ("<", "\\lt") for o in ops) and all(parts) and (
            all(re.fullmatch(r"[A-Za-z]", p) for p in parts)
            or all(_constant(p, pol) for p in parts)):
        return Chain([build(p, pol) for p in parts])  # an ordering: b < a < d, 2^30 < 3^20 < ...
    for p in parts:
        if not p:
            raise Unparsable(f"relation with an empty side: {text!r}")
    try:
        expr = imaginary_unit(parse_latex(_ascii_rel(text), pol.lowercase, pol.mixed_numbers), pol)
    except Unparsable:
        if len(parts) == 2 and ops[0] == "=":
            import sympy

            lhs, rhs = build(parts[0], pol), build(parts[1], pol)
            if isinstance(lhs, Scalar) and isinstance(rhs, Scalar):
                return Rel(sympy.Eq(lhs.expr, rhs.expr, evaluate=False), text)
        raise
    return Rel(expr, text)


def imaginary_unit(expr: Any, pol: Policy) -> Any:
    """The free letter i as the imaginary unit (``3+4i``, ``e^{i\\pi}``, ``c(1-i)=d``);
    an index ``i`` bound by a sum or product stays a letter."""
    import sympy

    i = sympy.Symbol("i")
    if not pol.imaginary_unit or not isinstance(expr, sympy.Basic) or i not in expr.free_symbols:
        return expr
    if any(i in node.variables for node in expr.atoms(sympy.Sum, sympy.Product)):
        return expr
    return expr.xreplace({i: sympy.I})


def _constant(text: str, pol: Policy) -> bool:
    try:
        node = build(text, pol)
    except Unparsable:
        return False
    return isinstance(node, Scalar) and not node.expr.free_symbols


def _ascii_rel(text: str) -> str:
    text = re.sub(r"\\leqslant|<=", r"\\le ", text)
    text = re.sub(r"\\geqslant|>=", r"\\ge ", text)
    return text.replace("!=", "\\ne ").replace("\\lt", "<").replace("\\gt", ">")


def _leaf(text: str, pol: Policy) -> Any:
    import sympy

    try:
        expr = imaginary_unit(parse_latex(text, pol.lowercase, pol.mixed_numbers), pol)
    except Unparsable:
        if pol.plus_minus and len(re.findall(r"\\pm|\\mp", text)) == 1:  # \frac{-1 \pm \sqrt{13}}{4}
            plus = _leaf(re.sub(r"\\pm|\\mp", "+", text), pol)
            minus = _leaf(re.sub(r"\\pm|\\mp", "-", text), pol)
            return Coll([plus, minus], pm=True)
        raise
    if isinstance(expr, sympy.MatrixExpr) and not isinstance(expr, sympy.MatrixBase):
        try:
            expr = expr.doit().as_explicit()
        except Exception:
            pass
    if isinstance(expr, sympy.FiniteSet):  # 1 \pm \sqrt{2}
        return Coll([Scalar(e, text) for e in expr.args], pm="\\pm" in text or "\\mp" in text)
    if isinstance(expr, sympy.Tuple):
        return Tup([Scalar(e, text) for e in expr.args])
    if isinstance(expr, sympy.Set):
        return SetVal(expr)
    if isinstance(expr, (sympy.core.relational.Relational, sympy.And, sympy.Or)):
        return Rel(expr, text)
    return Scalar(expr, text, decimals(text))
