"""A persistent Python interpreter in a sandbox container: the state of one tool session.

>>> with SandboxPool(size=2) as pool, PythonSession(pool) as session:  # doctest: +SKIP
...     session.run("x = 2 ** 100").status, session.run("x % 7").stdout
('ok', '2\\n')

A session leases one container of a `SandboxPool` on its first call and keeps it until
`close`, so variables and files persist across calls while sessions stay isolated from
each other (separate containers: no shared processes, files or network). Every call has
a wall-clock limit (CPU time too), an address-space limit and an output cap. A call that
times out, crashes or exhausts memory is killed and the session returns to its state
before the call (see ``incontainer/repl.py``); if the container itself breaks, the next
call starts a fresh interpreter and says so (`CallResult.restarted`).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from rewardkit_sandbox.container import SandboxError, Session
from rewardkit_sandbox.image import REPL_CMD

MAX_CODE_BYTES = 64 << 10  # one call's source (a Unix datagram in the container)
HOST_SLACK = 10.0  # seconds past a call's limit before the host gives the container up


@dataclass(frozen=True)
class CallResult:
    """One call's outcome.

    `status`: ``ok``, ``error`` (the code raised), ``timeout``, ``memory_limit``,
    ``crashed`` (the interpreter died; state rolled back) or ``sandbox_error`` (the
    sandbox itself failed, not the code). `stdout` / `stderr` are capped at the session's
    `output_bytes`; `*_bytes` count what was written. `seconds` is the time in the
    sandbox, `latency` the host's round trip. `restarted`: earlier state was lost.
    """

    status: str
    stdout: str = ""
    stderr: str = ""
    detail: str = ""
    seconds: float = 0.0
    latency: float = 0.0
    restarted: bool = False
    stdout_bytes: int = 0
    stderr_bytes: int = 0

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def truncated(self) -> bool:
        return (self.stdout_bytes > len(self.stdout.encode()) or
                self.stderr_bytes > len(self.stderr.encode()))


class PythonSession:
    """One interpreter whose globals and files persist across `run` calls (thread-safe)."""

    def __init__(self, pool: Any, *, timeout: float = 10.0, memory_mb: int | None = None,
                 output_bytes: int = 64 << 10, wait: float = 60.0) -> None:
        if timeout <= 0 or output_bytes < 1 or wait < 0:
            raise ValueError(f"PythonSession needs timeout > 0, output_bytes >= 1 and wait >= 0 "
                             f"(got {timeout}, {output_bytes}, {wait})")
        self.pool = pool
        self.timeout = float(timeout)
        self.memory_mb = memory_mb
        self.output_bytes = int(output_bytes)
        self.wait = wait
        self._container: Any = None
        self._exec: Session | None = None
        self._lock = threading.Lock()
        self._lost = False  # a container was lost after a call: the next one says `restarted`

    @property
    def active(self) -> bool:
        """Whether the session holds a container now."""
        return self._container is not None

    def run(self, code: str) -> CallResult:
        """Run `code`; errors of the code and of the sandbox come back as a `CallResult`."""
        if not isinstance(code, str):
            return CallResult("error", detail=f"code must be a string, got {type(code).__name__}")
        if len(code.encode()) > MAX_CODE_BYTES:
            return CallResult("error", detail=f"the code is longer than {MAX_CODE_BYTES} bytes")
        start = time.monotonic()
        with self._lock:
            try:
                restarted = self._ensure()
            except SandboxError as exc:
                return CallResult("sandbox_error", detail=str(exc),
                                  latency=time.monotonic() - start)
            call = {"code": code, "timeout": self.timeout, "output_bytes": self.output_bytes,
                    "memory_mb": self.memory_mb}
            try:
                assert self._exec is not None  # _ensure() started or kept one
                lines, finished = self._exec.run(call, self.timeout + HOST_SLACK)
            except SandboxError as exc:
                self._drop(healthy=False)
                return CallResult("sandbox_error", detail=str(exc),
                                  latency=time.monotonic() - start, restarted=restarted)
            if not finished or not lines:
                self._drop(healthy=False)
                return CallResult("timeout", detail=f"the sandbox did not answer within "
                                  f"{self.timeout + HOST_SLACK:g} s; the session was reset",
                                  latency=time.monotonic() - start, restarted=restarted)
        line = lines[-1]
        return CallResult(
            str(line.get("status", "crashed")), str(line.get("stdout", "")),
            str(line.get("stderr", "")), str(line.get("detail", "")),
            float(line.get("seconds", 0.0)), time.monotonic() - start,
            restarted or bool(line.get("restarted")), int(line.get("stdout_bytes", 0)),
            int(line.get("stderr_bytes", 0)))

    def close(self) -> None:
        """End the interpreter, wipe its files and give the container back (idempotent).

        The container keeps its session runner, reset and with a fresh interpreter
        started, so the next session on it starts with a fork, not a ``docker exec``.
        """
        with self._lock:
            self._lost = False
            if self._exec is None:
                return
            try:
                lines, finished = self._exec.run({"close": True}, HOST_SLACK)
                clean = finished and bool(lines) and bool(lines[-1].get("clean"))
            except SandboxError:
                clean = False
            if clean:
                self._container.repl, self._exec = self._exec, None  # kept for the next one
            self._drop(healthy=clean)
            self._lost = False

    def __enter__(self) -> PythonSession:  # noqa: PYI034
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _ensure(self) -> bool:
        if self._exec is not None:
            return False
        container = self.pool.lease(self.wait)
        kept, container.repl = getattr(container, "repl", None), None
        try:
            self._exec = kept if kept is not None and not kept.broken else \
                Session(self.pool.client, container.id, REPL_CMD)
        except Exception as exc:
            self.pool.release(container, healthy=False)
            raise SandboxError(f"starting a Python session failed: {exc}") from exc
        self._container = container
        lost, self._lost = self._lost, False
        return lost

    def _drop(self, healthy: bool) -> None:
        if self._exec is not None:
            self._exec.close()
        if self._container is not None:
            self.pool.release(self._container, healthy)
        self._exec = self._container = None
        self._lost = True
