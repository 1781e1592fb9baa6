"""Keeps the hooks honest: each one is typed, documented in the tutorial, and tested."""

import inspect
from pathlib import Path

import pytest

from rewardkit import hookspecs

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "plugins" / "shaping" / "README.md"
HOOKS = sorted(name for name, fn in vars(hookspecs).items()
               if callable(fn) and hasattr(fn, "rewardkit_spec"))


def test_there_are_hooks():
    assert {"register_rewards", "register_generators", "register_commands"} <= set(HOOKS)


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_docstring_with_its_return_contract(hook):
    doc = inspect.getdoc(getattr(hookspecs, hook)) or ""
    assert doc and "Returns" in doc, f"hookspec {hook} needs a docstring saying what it returns"


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_parameters_are_typed(hook):
    signature = inspect.signature(getattr(hookspecs, hook))
    assert all(p.annotation is not p.empty for p in signature.parameters.values())


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented_in_the_plugin_tutorial(hook):
    assert f"`{hook}" in TUTORIAL.read_text(), f"document {hook} in {TUTORIAL}"


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_test(hook):
    tests = [p for p in (ROOT / "tests").rglob("test_*.py") if p.name != Path(__file__).name]
    assert any(f"def {hook}(" in p.read_text() for p in tests), f"write a test using {hook}"


HOOK_REFERENCE = ROOT / "docs" / "hooks.md"


def rendered_signature(hook: str) -> str:
    """``def name(arg: Type) -> None``, as the hook reference writes it."""
    return f"def {hook}{inspect.signature(getattr(hookspecs, hook))}".replace("'", "")


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_signature_matches_the_hook_reference(hook):
    assert rendered_signature(hook) in HOOK_REFERENCE.read_text(), (
        f"docs/hooks.md must show `{rendered_signature(hook)}` (the hookspec changed?)")


def test_the_hook_reference_documents_no_hook_that_does_not_exist():
    import re

    documented = set(re.findall(r"^def (register_\w+)\(", HOOK_REFERENCE.read_text(), re.M))
    assert documented == set(HOOKS)
