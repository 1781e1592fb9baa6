"""``package.module:attribute`` paths: the one place they are imported.

Rewards, generators and test responders may be named by import path instead of a
registered name. `import_object` imports the module and walks the dotted attribute, and
its error says which part failed and what to check.
"""

from __future__ import annotations

import importlib
from typing import Any

from rewardkit.errors import ConfigError


class ImportPathError(ConfigError):
    """A ``package.module:attribute`` path that does not import."""


def import_object(path: str, what: str = "object") -> Any:
    """The object `path` (``package.module:attr.sub``) names."""
    module_name, sep, attr = path.partition(":")
    if not sep or not module_name or not attr:
        raise ImportPathError(f"{what} '{path}' is not an import path: write "
                              "package.module:attribute")
    try:
        obj: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise ImportPathError(
            f"cannot import '{module_name}' for {what} '{path}': {exc}. "
            "Check the module is importable (on sys.path or installed)."
        ) from exc
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise ImportPathError(f"module '{module_name}' has no attribute '{attr}'")
        obj = getattr(obj, part)
    return obj
