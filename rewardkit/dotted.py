"""``package.module:attribute`` paths: the one place they are imported.

Rewards, generators and test responders may be named by import path instead of a
registered name. `import_object` imports the module and walks the dotted attribute, and
its error says which part failed and what to check.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

from rewardkit.errors import ConfigError


class ImportPathError(ConfigError):
    """A ``package.module:attribute`` path that does not import."""


def import_module(module_name: str) -> Any:
    """Import `module_name`; a module in the current directory is found, as under
    ``python -m rewardkit`` (the `rewardkit` script does not put it on sys.path)."""
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        top = module_name.split(".")[0]
        here = os.getcwd()
        if exc.name != top or here in sys.path or "" in sys.path:
            raise
        sys.path.append(here)  # after everything else: never shadows an installed module
        return importlib.import_module(module_name)


def import_object(path: str, what: str = "object") -> Any:
    """The object `path` (``package.module:attr.sub``) names."""
    module_name, sep, attr = path.partition(":")
    if not sep or not module_name or not attr:
        raise ImportPathError(f"{what} '{path}' is not an import path: write "
                              "package.module:attribute")
    try:
        obj: Any = import_module(module_name)
    except ImportError as exc:
        raise ImportPathError(
            f"cannot import '{module_name}' for {what} '{path}': {exc}. Check the module is "
            "importable: a module in the current directory is found; elsewhere, add its "
            "folder to PYTHONPATH or install it."
        ) from exc
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise ImportPathError(f"module '{module_name}' has no attribute '{attr}'")
        obj = getattr(obj, part)
    return obj
