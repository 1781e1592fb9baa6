"""Polling with a deadline: the one way tests wait for another process or thread."""

from __future__ import annotations

import time
from typing import Callable, TypeVar

T = TypeVar("T")


def wait_until(condition: Callable[[], T], within: float = 60.0, what: str = "the condition",
               every: float = 0.02) -> T:
    """Poll `condition` until it returns something truthy; fail the test after `within` s."""
    deadline = time.monotonic() + within
    while not (result := condition()):
        if time.monotonic() >= deadline:
            raise AssertionError(f"waited {within:g} s for {what}; it never held")
        time.sleep(every)
    return result
