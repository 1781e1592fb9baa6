"""Split Python assertion tests so expected values never enter the untrusted process.

``assert solve(2) == 4`` becomes ``__rk_check(0, [solve(2)])`` for the program's process,
while the runner keeps ``{"ops": ["Eq"], "slots": [{"child": 0}, {"literal": "4"}]}`` and
compares the reported value with ``4`` itself. Operands that are literals stay with the
runner; the others are evaluated by the program and sent back as plain data (exact
built-in types only), so neither an always-equal object nor a forged report that has to
guess the expected literal can earn a pass.
"""

from __future__ import annotations

import ast
from typing import Any

from rewardkit_sandbox.spec import SpecError

CHECK_FUNCTION = "__rk_check"


class _Splitter(ast.NodeTransformer):
    def __init__(self) -> None:
        self.checks: list[dict[str, Any]] = []

    def visit_Assert(self, node: ast.Assert) -> ast.AST:
        test = node.test
        if isinstance(test, ast.Compare):
            operands, ops = [test.left, *test.comparators], [type(o).__name__ for o in test.ops]
        else:
            operands, ops = [test], []
        slots: list[dict[str, object]] = []
        sent: list[ast.expr] = []
        for operand in operands:
            try:
                ast.literal_eval(operand)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                slots.append({"child": len(sent)})
                sent.append(self.generic_visit(operand))  # type: ignore[arg-type]
            else:
                slots.append({"literal": ast.unparse(operand)})
        self.checks.append({"ops": ops, "slots": slots, "line": node.lineno})
        call = ast.Call(ast.Name(CHECK_FUNCTION, ast.Load()),
                        [ast.Constant(len(self.checks) - 1), ast.List(sent, ast.Load())], [])
        return ast.copy_location(ast.Expr(call), node)


def split_assertions(code: str) -> tuple[str, list[dict[str, Any]]]:
    """(code for the program's process, checks the runner keeps) for one assertion test."""
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        raise SpecError(f"assertion test does not parse: {exc.msg} (line {exc.lineno}): "
                        f"{code[:80]!r}") from None
    splitter = _Splitter()
    tree = ast.fix_missing_locations(splitter.visit(tree))
    if not splitter.checks:
        raise SpecError(f"assertion test has no 'assert' statement, so it cannot fail: "
                        f"{code[:80]!r}")
    return ast.unparse(tree), splitter.checks
