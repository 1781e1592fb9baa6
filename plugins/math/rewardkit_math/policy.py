"""The one policy every stage reads: built once from the params, frozen, hashable.

`MathParams` (the user-facing flags) becomes a `Policy` once per reward; extract,
normalise, parse, structure and compare all take that same object, so a flag is read in
one place and a stage never needs the params. Hashable, so stage caches key on it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any

MAX_BITS = 200_000  # integer powers / factorials with more bits than this are never evaluated


@dataclass(frozen=True)
class Policy:
    """Every equivalence rule's switch (see `MathParams` for what each means)."""

    answer_from: str = "auto"
    fallback: bool = True
    hedging: str = "reject"
    comma: str = "auto"
    percent: str = "either"
    degrees: str = "either"
    units: bool = True
    qualifiers: bool = True
    repair_escapes: bool = True
    case_sensitive: bool = False
    mixed_numbers: bool = True
    plus_minus: bool = True
    ordered_lists: bool = False
    rename_symbols: bool = False
    rounding: str = "gold"
    imaginary_unit: bool = True
    rel_tol: float = 1e-30
    max_answer_chars: int = 2000

    @property
    def lowercase(self) -> bool:
        return not self.case_sensitive


_NAMES = frozenset(f.name for f in fields(Policy))


def policy_from(params: Any) -> Policy:
    """The `Policy` for a `MathParams` (or any object / dict with those attributes)."""
    values = params if isinstance(params, dict) else (
        params.model_dump() if hasattr(params, "model_dump") else vars(params))
    return _cached(tuple(sorted((k, v) for k, v in values.items() if k in _NAMES)))


@lru_cache(maxsize=64)
def _cached(items: tuple) -> Policy:
    return Policy(**dict(items))
