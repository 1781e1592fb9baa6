"""The public API is defined, plugins use only it, and the core has no import cycle."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import rewardkit

ROOT = Path(__file__).parents[2]
PUBLIC_MODULES = {"rewardkit", "rewardkit.extract", "rewardkit.messages", "rewardkit.terminal"}
FIRST_PARTY = sorted([*ROOT.glob("plugins/*/rewardkit_*"), ROOT / "sandbox" / "rewardkit_sandbox"])


def imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(module, names, line) of every import in `path`, function-level ones included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, [a.name for a in node.names], node.lineno))
    return found


def test_every_public_name_resolves():
    for name in rewardkit.__all__:
        assert getattr(rewardkit, name) is not None, name


@pytest.mark.parametrize("package", FIRST_PARTY, ids=lambda p: p.name)
def test_first_party_plugins_import_only_the_public_api(package):
    wrong = []
    for path in package.rglob("*.py"):
        for module, names, line in imports(path):
            if module != "rewardkit" and not module.startswith("rewardkit."):
                continue
            where = f"{path.relative_to(ROOT)}:{line}"
            if module not in PUBLIC_MODULES:
                wrong.append(f"{where} imports the internal module {module}")
            elif module == "rewardkit":
                wrong += [f"{where} imports rewardkit.{n}, which is not in rewardkit.__all__"
                          for n in names if n not in rewardkit.__all__ and n != "*"]
    assert not wrong, "\n".join(wrong)


def module_graph(package: Path) -> dict[str, set[str]]:
    """Module -> the package's modules it imports (at import time or inside functions)."""
    modules = {}
    for path in package.rglob("*.py"):
        name = ".".join(path.relative_to(package.parent).with_suffix("").parts)
        modules[name.removesuffix(".__init__")] = path
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for module, names, _ in imports(path):
            for target in [module, *(f"{module}.{n}" for n in names)]:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name and not name.startswith(target + "."):
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


@pytest.mark.parametrize("package", [ROOT / "rewardkit", *FIRST_PARTY], ids=lambda p: p.name)
def test_no_import_cycle(package):
    assert cycles(module_graph(package)) == []


def test_the_cycle_check_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_import_rewardkit_stays_light():
    heavy = ("sympy", "torch", "docker", "httpx", "transformers", "trl", "ray", "fastapi")
    code = f"import sys, rewardkit; print([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True)
    assert out.stdout.strip() == "[]"
