"""Request coalescing: requests that arrive while a batch scores are scored together next.

A trainer sends many small requests (a GRPO group of 8 samples, or one sample at a time
from verl's per-sample reward manager). Scored one by one, each would hold the worker pool
for its own few samples and leave the other workers idle; merged, every worker stays busy.
One batch scores at a time, off the event loop; each request gets its own rows back.
When a merged batch fails as a whole (a criterion with ``on_error: raise``), its requests
are scored again one by one, so only the request whose sample failed gets the error.
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable

from rewardkit.rubric import RubricResult
from rewardkit.types import Sample

Run = Callable[..., Awaitable[Any]]  # runs a blocking call off the event loop


class Batcher:
    """Scores requests' samples with `rubric`, merging those that queue up meanwhile."""

    def __init__(self, rubric: Any, run: Run, max_samples: int = 4096) -> None:
        self.rubric = rubric
        self.run = run
        self.max_samples = max_samples
        self._queue: list[tuple[list[Sample], asyncio.Future]] = []
        self._draining: asyncio.Task | None = None
        self.batches = 0  # rubric.score calls so far

    async def score(self, samples: list[Sample]) -> RubricResult:
        future = asyncio.get_running_loop().create_future()
        self._queue.append((samples, future))
        if self._draining is None or self._draining.done():
            self._draining = asyncio.create_task(self._drain())
        return await future

    def _take(self) -> list[tuple[list[Sample], asyncio.Future]]:
        taken: list[Any] = []
        size = 0
        while self._queue and (not taken or size + len(self._queue[0][0]) <= self.max_samples):
            samples, future = self._queue.pop(0)
            if not future.done():  # a client that went away needs no scoring
                taken.append((samples, future))
                size += len(samples)
        return taken

    async def _drain(self) -> None:
        while self._queue:
            taken = self._take()
            if not taken:
                continue
            merged = [s for samples, _ in taken for s in samples]
            try:
                self.batches += 1
                result = await self.run(self.rubric.score, merged)
            except Exception as exc:  # noqa: BLE001 - handed to the requests
                if len(taken) == 1:
                    _settle(taken[0][1], error=exc)
                    continue
                for samples, future in taken:  # find whose samples failed
                    try:
                        self.batches += 1
                        _settle(future, await self.run(self.rubric.score, samples))
                    except Exception as one:  # noqa: BLE001
                        _settle(future, error=one)
                continue
            start = 0
            for samples, future in taken:
                rows = result.rows[start:start + len(samples)]
                start += len(samples)
                _settle(future, RubricResult(rows, result.criteria))


def _settle(future: asyncio.Future, result: Any = None, error: BaseException | None = None) -> None:
    if future.done():  # the request was cancelled (client disconnected)
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
