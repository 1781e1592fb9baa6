"""Brace matching over C-family source, shared by the runner's harness and the code
plugin's format adapters (pure functions; no Docker needed)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from rewardkit_sandbox.image import INCONTAINER, RUNNER_FILES
from rewardkit_sandbox.incontainer.source_scan import matching_brace, string_end


@pytest.mark.parametrize("code, closes", [
    ("{ { } }", 6),
    ("{ // }\n}", 7),
    ("{ /* } */ }", 10),
    ('{ "}" }', 6),
    ('{ "\\"}" }', 8),
    ("{ '}' }", 6),
    ("{ '\\'' }", 7),
    ("{ `}\n{` }", 8),                       # a backtick string spans lines
    ("fn f<'a>(x: &'a str) { x }", 25),      # lifetimes are not character literals
    ('{ "unterminated\n}', 16),              # a quoted string ends at its line's end
])
def test_closing_brace_skips_literals_and_comments(code, closes):
    assert matching_brace(code, code.index("{")) == closes
    assert code[closes] == "}"


@pytest.mark.parametrize("code", ["{ { }", "{ /* }", "{ // }", "{ `}"])
def test_no_closing_brace_is_minus_one(code):
    assert matching_brace(code, 0) == -1


def test_a_lifetime_tick_is_not_a_literal():
    assert string_end("&'a str", 1) == 1
    assert string_end("'x' ", 0) == 2


def test_every_sibling_the_runner_imports_is_shipped_in_the_image():
    siblings = {p.stem for p in INCONTAINER.glob("*.py")} - {"__init__"}
    shipped = {Path(name).stem for name in RUNNER_FILES}
    for name in RUNNER_FILES:
        if not name.endswith(".py"):
            continue
        tree = ast.parse((INCONTAINER / name).read_text())
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module for n in ast.walk(tree)
                     if isinstance(n, ast.ImportFrom) and n.module and not n.level}
        assert imported & siblings <= shipped, f"{name} imports an unshipped module"
