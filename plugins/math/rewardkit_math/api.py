"""One call for people coming from Math-Verify: ``verify(gold, answer, **params)``.

>>> from rewardkit_math import verify, is_equivalent
>>> verify("1/2", r"so \\boxed{0.5}").value                 # doctest: +SKIP
1.0
>>> is_equivalent(r"\\frac{2}{3}", "0.67")                  # doctest: +SKIP
False
>>> is_equivalent(r"\\frac{2}{3}", "0.67", rounding="answer")  # doctest: +SKIP
True

Both run the `math` reward (the same params, see the README's table) in its killable
worker, so a hang input costs at most `timeout` seconds. The reward for each distinct set
of params is built once and kept.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from rewardkit import Sample, Score

_REWARDS: dict[str, Any] = {}
_LOCK = threading.Lock()


def _reward(params: dict[str, Any]) -> Any:
    from rewardkit_math.reward import MathReward

    key = json.dumps(params, sort_keys=True, default=str)
    with _LOCK:
        if key not in _REWARDS:
            _REWARDS[key] = MathReward(**params)
        return _REWARDS[key]


def verify(gold: Any, answer: str, **params: Any) -> Score:
    """Score `answer` against `gold`: value 1.0 / 0.0, or None with status `unverifiable`
    or `timeout`; `info` says which rule decided (``info["rule"]``) or why not."""
    return _reward(params).score([Sample(answer, reference=gold)])[0]


def is_equivalent(gold: Any, answer: str, **params: Any) -> bool:
    """True only when the answer was verified equal (an undecided pair is False)."""
    return verify(gold, answer, **params).value == 1.0
