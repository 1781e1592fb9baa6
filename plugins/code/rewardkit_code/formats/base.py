"""What every format adapter shares: the plan it returns, its errors, field access.

An adapter turns a dataset row (the reference, unchanged) and the completion's code into
a `Plan`: the program the sandbox runs and the sandbox test suite that judges it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Mapping

# Dataset spellings of the sandbox's languages.
LANGUAGE_NAMES = {
    "python": "python", "python3": "python", "py": "python", "py3": "python",
    "cpp": "cpp", "c++": "cpp", "cxx": "cpp", "cpp17": "cpp", "c": "c",
    "java": "java", "javascript": "javascript", "js": "javascript", "node": "javascript",
    "go": "go", "golang": "go", "go_test.go": "go", "rust": "rust", "rs": "rust",
}
# Fence labels that mean the language, beyond `rewardkit.extract`'s own aliases.
FENCE_LABELS = {
    "python": ("python",), "cpp": ("cpp", "c"), "c": ("c", "cpp"), "java": ("java",),
    "javascript": ("javascript", "node", "nodejs", "jsx"), "go": ("go", "golang"),
    "rust": ("rust",),
}


class FormatError(ValueError):
    """A reference that cannot be judged: unknown format, missing or malformed field,
    a language the sandbox does not run. The reward reports it as `unverifiable`."""


@dataclass(frozen=True)
class Plan:
    """The program the sandbox runs and the suite (sandbox test format) that judges it."""

    program: str
    suite: dict[str, Any]
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def language(self) -> str:
        return self.suite["language"]


def require(row: Mapping[str, Any], key: str, kinds: type | tuple[type, ...], fmt: str) -> Any:
    """`row[key]`, checked to be of `kinds`; a FormatError naming the field otherwise."""
    if key not in row or row[key] is None:
        raise FormatError(f"{fmt}: the reference has no {key!r} field (present: "
                          f"{', '.join(sorted(map(str, row))) or 'none'})")
    value = row[key]
    if not isinstance(value, kinds):
        names = " or ".join(k.__name__ for k in (kinds if isinstance(kinds, tuple) else (kinds,)))
        raise FormatError(f"{fmt}: {key!r} must be {names}, got {type(value).__name__}")
    return value


def json_field(row: Mapping[str, Any], key: str, fmt: str, default: Any = ...) -> Any:
    """A field that the dataset stores as a JSON string (decoded) or already decoded."""
    if default is not ... and (key not in row or row[key] in (None, "")):
        return default
    value = require(row, key, (str, list, dict), fmt)
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError as exc:
        raise FormatError(f"{fmt}: {key!r} is not valid JSON ({exc})") from None


def sandbox_language(name: Any, fmt: str) -> str:
    """The sandbox's name for a dataset's language name; FormatError if it runs none."""
    key = str(name).strip().lower()
    if key not in LANGUAGE_NAMES:
        raise FormatError(f"{fmt}: language {name!r} is not one the sandbox runs "
                          f"(python, cpp, c, java, javascript, go, rust)")
    return LANGUAGE_NAMES[key]


def string_list(value: Any, what: str, fmt: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FormatError(f"{fmt}: {what} must be a list of strings")
    return value
