"""The answer tree: what `structure` builds and `compare` reads.

Leaves are sympy expressions; the containers keep what sympy would lose (whether a list
is ordered, which brackets an interval-or-pair had, which side of ``x = 5`` is a name).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Scalar:
    expr: Any
    raw: str
    decimals: int | None = None


@dataclass
class Text:
    words: str


@dataclass
class Tup:
    items: list
    brackets: str = "()"


@dataclass
class Coll:
    items: list
    braces: bool = False  # written as a set \{...\}
    pm: bool = False  # the expansion of a \pm


@dataclass
class SetVal:
    expr: Any  # a sympy Set: Interval, Union, FiniteSet, Complement, ...


@dataclass
class Rel:
    expr: Any  # a sympy Relational, And or Or
    raw: str = ""


@dataclass
class Assign:
    names: list[str]
    value: Any


@dataclass
class Chain:
    items: list  # a < b < c: the items in increasing order


@dataclass
class Choice:
    letter: str  # (B) 7: a multiple-choice option, its letter and its value
    value: Any
