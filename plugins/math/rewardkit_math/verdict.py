"""The two values every comparison stage shares: what is compared (`Pair`) and the
answer with the rule that gave it (`Verdict`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from rewardkit_math.policy import Policy


@dataclass
class Pair:
    """One comparison: the frozen policy, what normalisation marked on each side, and the
    table of huge values both sides share (`parse.guard_huge`)."""

    policy: Policy = field(default_factory=Policy)
    gold_percent: bool = False
    pred_percent: bool = False
    gold_degrees: bool = False
    pred_degrees: bool = False
    huge: dict = field(default_factory=dict)


class Verdict:
    __slots__ = ("equal", "rule")

    def __init__(self, equal: bool, rule: str) -> None:
        self.equal, self.rule = equal, rule

    def __bool__(self) -> bool:
        return self.equal

    def __repr__(self) -> str:
        return f"Verdict({self.equal}, {self.rule!r})"
