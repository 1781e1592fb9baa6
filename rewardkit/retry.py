"""The one retry policy of rewardkit's HTTP clients.

Two clients call a server that may be busy: the `openai` generator (async; the judge and
the math model tier call models through it) and the verl client of ``rewardkit serve``
(`rewardkit.service.verl`, sync). Both go through `RetryPolicy`:

* only a `Retriable` failure is retried: a connection error or timeout, or a reply whose
  status is in `statuses` (408, 429 and every 5xx by default). Anything else, a 400 or a
  reply that is not JSON, propagates at once;
* the wait before a retry is the server's ``Retry-After`` (seconds or an HTTP date, read by
  `retry_after_seconds`) capped at `max_retry_after`; without one, exponential backoff from
  `backoff`, doubling up to `max_backoff`, with jitter (half to all of it);
* `retries` bounds the attempts, and a `deadline` (a `clock` reading) bounds the call: a
  wait that would pass it is not slept; the call gives up at once with `GaveUp`.

Why tenacity runs the loop: the policy must hold for a sync and an async client alike, and
tenacity drives one stop/wait/retry policy as `Retrying` and `AsyncRetrying`, with the sleep
injectable (so tests wait no real time). Hand-written, that loop existed twice with two
``Retry-After`` parsers. Not the `openai` SDK: it would cover the generator only (verl's
client talks to rewardkit's own service), brings a second HTTP client, and has no deadline
across retries. Not httpx transport retries: httpx's ``retries=`` reconnects only and never
looks at a status, and a retrying transport cannot see the caller's deadline or count
retries. tenacity does not read HTTP, so the ``Retry-After`` parser lives here.

Importing this module imports neither tenacity nor httpx; a call does.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from dataclasses import dataclass
from datetime import timezone
from typing import Any, Awaitable, Callable, Mapping, TypeVar

from rewardkit.errors import ConfigError

T = TypeVar("T")
RETRY_STATUSES = frozenset({408, 429, *range(500, 600)})


def retry_after_seconds(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """A ``Retry-After`` header (seconds or an HTTP date) in seconds from `now`, or None."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:  # "-0000": an HTTP date is in GMT all the same
            when = when.replace(tzinfo=timezone.utc)
        seconds = when.timestamp() - now()
    return max(0.0, seconds) if seconds == seconds else None  # NaN is no wait


class Retriable(Exception):
    """One failed attempt that may be retried; `retry_after` is the server's wait, if any."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after

    @classmethod
    def from_reply(cls, reason: str, headers: Mapping[str, str]) -> "Retriable":
        """A retriable reply; reads its ``Retry-After`` header."""
        return cls(reason, retry_after_seconds(headers.get("retry-after")))


class GaveUp(Exception):
    """No attempt succeeded: `attempts` were made, `last` is the final failure.

    `wait` is the wait that would have passed the deadline, or None when the attempts ran
    out first.
    """

    def __init__(self, attempts: int, last: Retriable, wait: float | None) -> None:
        why = f"{wait:.2f} s wait would pass the deadline" if wait is not None \
            else f"gave up after {attempts} attempts"
        super().__init__(f"{why}; last: {last}")
        self.attempts, self.last, self.wait = attempts, last, wait


@dataclass(frozen=True)
class RetryPolicy:
    """When to retry and how long to wait; `call` / `acall` run a function under it."""

    retries: int = 4  # attempts after the first
    backoff: float = 0.5  # seconds before the first retry, doubling
    max_backoff: float = 30.0
    max_retry_after: float = 60.0  # a longer Retry-After waits this long
    statuses: frozenset[int] = RETRY_STATUSES
    # injectable for tests: the clock deadlines are read on, and the sync / async sleep
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Any] = time.sleep
    asleep: Callable[[float], Awaitable[Any]] = asyncio.sleep

    def retries_status(self, status: int) -> bool:
        return status in self.statuses

    def wait(self, retry: int, failure: BaseException | None) -> float:
        """Seconds before retry number `retry` (0 first) after `failure`."""
        server = getattr(failure, "retry_after", None)
        if server is not None:
            return min(float(server), self.max_retry_after)
        return min(self.max_backoff, self.backoff * 2 ** retry) * random.uniform(0.5, 1.0)

    def call(self, fn: Callable[[], T], deadline: float | None = None,
             on_retry: Callable[[Retriable, float], Any] | None = None) -> T:
        """``fn()`` until it returns, raises a non-`Retriable`, or `GaveUp` is raised."""
        retrying = _tenacity().Retrying(sleep=self.sleep, **self._rules(deadline, on_retry))
        return retrying(fn)

    async def acall(self, fn: Callable[[], Awaitable[T]], deadline: float | None = None,
                    on_retry: Callable[[Retriable, float], Any] | None = None) -> T:
        """`call` for a coroutine function."""
        retrying = _tenacity().AsyncRetrying(sleep=self.asleep, **self._rules(deadline, on_retry))
        return await retrying(fn)

    def _rules(self, deadline: float | None,
               on_retry: Callable[[Retriable, float], Any] | None) -> dict[str, Any]:
        tenacity = _tenacity()

        def out_of_attempts(state: Any) -> bool:
            return state.attempt_number > self.retries

        def stop(state: Any) -> bool:
            return out_of_attempts(state) or (
                deadline is not None and self.clock() + state.upcoming_sleep >= deadline)

        def give_up(state: Any) -> Any:
            wait = None if out_of_attempts(state) else state.upcoming_sleep
            last = state.outcome.exception()
            raise GaveUp(state.attempt_number, last, wait) from last

        def before_sleep(state: Any) -> None:
            if on_retry is not None:
                on_retry(state.outcome.exception(), state.upcoming_sleep)

        return {"stop": stop, "retry": tenacity.retry_if_exception_type(Retriable),
                "wait": lambda state: self.wait(state.attempt_number - 1,
                                                state.outcome.exception()),
                "retry_error_callback": give_up, "before_sleep": before_sleep}


def _tenacity() -> Any:
    try:
        import tenacity
    except ImportError as exc:
        raise ConfigError("rewardkit's HTTP clients retry with tenacity: pip install "
                          "tenacity (the serve extra and the judge plugin include it)") from exc
    return tenacity
