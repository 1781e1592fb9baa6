"""A warm pool of sandbox containers: run many programs, each with many tests, fast.

>>> with SandboxPool(size=2) as pool:                                  # doctest: +SKIP
...     result = pool.run("print(int(input()) * 2)", {"tests": [{"input": "2", "output": "4"}]})
...     result.pass_rate
1.0

`run` is safe to call from many threads at once; `arun` is its asyncio form. A container
whose job timed out, ran out of memory, flooded its output or otherwise misbehaved is
destroyed and replaced in the background. Containers are labelled with the owning
process; ones left behind by a crashed process are removed when a pool starts, and a
pool's own are removed at exit.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import queue
import threading
import time
import weakref
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Mapping

from rewardkit_sandbox.checks import split_assertions
from rewardkit_sandbox.container import (
    LABEL, OWNER_LABEL, Limits, SandboxError, Session, create_container)
from rewardkit_sandbox.image import ensure_image, image_languages
from rewardkit_sandbox.spec import (
    Outcome, ProgramResult, TestResult, TestSuite, UnverifiableSuite)

_RECYCLE = {Outcome.TIMEOUT, Outcome.MEMORY_LIMIT, Outcome.OUTPUT_LIMIT}
_POOLS: "weakref.WeakSet[SandboxPool]" = weakref.WeakSet()


def docker_client(timeout: int = 60) -> Any:
    """A Docker client, or a SandboxError that says how to get a daemon running."""
    try:
        import docker
    except ImportError:
        raise SandboxError("the docker SDK is not installed; `pip install docker`") from None
    try:
        client = docker.from_env(timeout=timeout, max_pool_size=64)
        client.ping()
    except Exception as exc:  # noqa: BLE001 - any failure to reach the daemon
        raise SandboxError(
            f"Docker is not reachable ({type(exc).__name__}: {str(exc)[:200]}); start the "
            "daemon (`dockerd &`, or `bash .ci/docker.sh`) and check `rewardkit sandbox check`"
        ) from None
    return client


def remove_leaked(client: Any) -> int:
    """Remove sandbox containers whose owning process on this host is gone; how many."""
    import socket

    removed = 0
    host = socket.gethostname()
    for container in client.containers.list(all=True, filters={"label": LABEL}):
        owner_host, _, pid = container.labels.get(OWNER_LABEL, ":").rpartition(":")
        if owner_host != host or not pid.isdigit() or _alive(int(pid)):
            continue
        try:
            container.remove(force=True)
            removed += 1
        except Exception:  # noqa: BLE001 - already gone
            pass
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def build_job(source: str, suite: TestSuite, limits: Limits) -> dict[str, Any]:
    """The runner's job: the program, its tests (Python asserts split, see checks.py) and
    how they are judged. Expected outputs stay with the runner."""
    tests = []
    for test in suite.tests:
        if test.kind == "code" and suite.language == "python":
            child_code, checks = split_assertions(test.code or "")
            tests.append({"kind": "code", "code": child_code, "checks": checks})
        elif test.kind == "code":
            tests.append({"kind": "code", "code": test.code})
        else:
            checker = test.checker or suite.checker
            tests.append({"kind": "io", "input": test.input or "", "output": test.output,
                          "compare": test.compare, "tolerance": test.tolerance,
                          "checker": checker.to_job() if checker else None})
    return {"language": suite.language, "source": source, "tests": tests,
            "interactor": suite.interactor.to_job() if suite.interactor else None,
            "stderr_fails": suite.stderr_fails, "limits": limits.for_runner()}


def job_timeout(suite: TestSuite, limits: Limits) -> float:
    """The host's deadline for a job: builds, tests, language start-up, checkers."""
    from rewardkit_sandbox.incontainer.languages import LANGUAGES

    variants = len({t.code for t in suite.tests if t.kind == "code"})
    judges = {t.checker or suite.checker for t in suite.tests} | {suite.interactor}
    builds = 1 + (variants if suite.language != "python" else 0) + len(judges - {None})
    per_test = LANGUAGES[suite.language]["extra_seconds"]
    if suite.checker or any(t.checker for t in suite.tests):
        per_test += max(5.0, 2 * limits.test_timeout)
    return limits.job_timeout(len(suite.tests), builds, per_test)


def to_result(lines: list[dict[str, Any]], count: int, seconds: float,
              finished: bool, deadline: float) -> ProgramResult:
    results: list[TestResult | None] = [None] * count
    compiled: list[str] = []
    notes = []
    for line in lines:
        if "unverifiable" in line:
            raise UnverifiableSuite(str(line["unverifiable"]))
        if "compile_output" in line:
            if str(line["compile_output"]).strip() or not compiled:
                compiled.append(str(line["compile_output"]))
        elif isinstance(line.get("test"), int) and 0 <= line["test"] < count:
            results[line["test"]] = TestResult(
                Outcome(line["status"]), float(line.get("seconds", 0.0)),
                str(line.get("detail", "")), line.get("exit_code"), str(line.get("stderr", "")))
        elif line.get("dirty"):
            notes.append("some sandbox processes survived the cleanup")
    if not finished:
        notes.append(f"the job ran past its {deadline:g} s limit")
    filled = tuple(r or TestResult(Outcome.TIMEOUT, detail="not reached before the job limit")
                   for r in results)
    compile_output = "\n".join(c for c in compiled if c.strip()) or "".join(compiled[:1])
    return ProgramResult(filled, compile_output, seconds, tuple(notes))


class SandboxPool:
    """`size` warm containers (default: the CPU count) running programs against tests."""

    def __init__(self, size: int | None = None, *, image: str | None = None,
                 limits: Limits | None = None, build: bool = False, client: Any = None,
                 log: Callable[[str], None] = lambda _: None) -> None:
        self.size = max(1, size or os.cpu_count() or 1)
        self.limits = limits or Limits()
        self.client = client or docker_client()
        try:
            remove_leaked(self.client)
        except Exception:  # noqa: BLE001 - best effort: a failed sweep must not block work
            pass
        self.image = image or ensure_image(self.client, build=build, log=log)
        self.languages: tuple[str, ...] = ()
        self._idle: queue.Queue[Any] = queue.Queue()
        self._lock = threading.Lock()
        self._containers: dict[str, Any] = {}
        self._closed = False
        self.recycled = 0
        self._replacing = 0
        self._last_error = ""
        self._background = ThreadPoolExecutor(max_workers=2, thread_name_prefix="rk-sandbox")
        _POOLS.add(self)
        try:
            self.languages = image_languages(self.client, self.image)
            with ThreadPoolExecutor(max_workers=min(self.size, 8)) as starter:
                for container in starter.map(lambda _: self._new_container(), range(self.size)):
                    self._idle.put(container)
        except Exception as exc:
            self.close()
            raise SandboxError(f"starting sandbox containers from {self.image} failed: "
                               f"{type(exc).__name__}: {exc}") from exc

    # ----------------------------------------------------------------- public API
    def run(self, source: str, tests: TestSuite | Mapping[str, Any] | str, *,
            wait: float | None = None) -> ProgramResult:
        """Run `source` against `tests` (a suite, or a dict/JSON string in the test format)."""
        suite = tests if isinstance(tests, TestSuite) else TestSuite.parse(tests)
        if not isinstance(source, str):
            raise TypeError(f"the program must be a str, got {type(source).__name__}")
        if suite.language not in self.languages:
            raise UnverifiableSuite(
                f"the sandbox image {self.image} has no {suite.language} (it runs "
                f"{', '.join(self.languages)}); rebuild it with `rewardkit sandbox build`")
        job = build_job(source, suite, self.limits)
        if not suite.tests:
            return ProgramResult(())
        container = self._checkout(wait)
        start = time.monotonic()
        healthy = False
        try:
            deadline = job_timeout(suite, self.limits)
            lines, finished = container.session.run(job, deadline)
            healthy = finished  # an unverifiable suite leaves the container as it was
            result = to_result(lines, len(suite.tests), time.monotonic() - start, finished,
                               deadline)
            healthy = finished and not result.notes and not any(
                r.status in _RECYCLE for r in result.results)
            return result
        except (SandboxError, UnverifiableSuite):
            raise
        except Exception as exc:  # noqa: BLE001 - Docker API failures
            raise SandboxError(f"running the job failed: {type(exc).__name__}: {exc}") from exc
        finally:
            self._checkin(container, healthy)

    async def arun(self, source: str, tests: TestSuite | Mapping[str, Any] | str,
                   **kwargs: Any) -> ProgramResult:
        """`run` for asyncio code: runs on a worker thread, the event loop stays free."""
        return await asyncio.to_thread(self.run, source, tests, **kwargs)

    def lease(self, wait: float | None = None) -> Any:
        """Take one container for exclusive use (a tool session); give it back with `release`."""
        return self._checkout(wait)

    def release(self, container: Any, healthy: bool) -> None:
        """Give back a leased container; one not `healthy` is destroyed and replaced."""
        self._checkin(container, healthy)

    def containers(self) -> list[str]:
        """Ids of this pool's live containers."""
        with self._lock:
            return list(self._containers)

    def close(self) -> None:
        """Remove every container of this pool (also done at interpreter exit)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            containers = list(self._containers.values())
            self._containers.clear()
        self._background.shutdown(wait=True)
        for container in containers:
            _remove(container)

    def __enter__(self) -> "SandboxPool":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ----------------------------------------------------------------- internals
    def _new_container(self) -> Any:
        container = create_container(self.client, self.image, self.limits)
        try:
            container.session = Session(self.client, container.id)
        except Exception:
            _remove(container)
            raise
        with self._lock:
            if self._closed:
                _remove(container)
                raise SandboxError("the sandbox pool is closed")
            self._containers[container.id] = container
        return container

    def _checkout(self, wait: float | None) -> Any:
        if self._closed:
            raise SandboxError("the sandbox pool is closed")
        waited = 0.0
        while True:
            try:
                return self._idle.get(timeout=1.0)
            except queue.Empty:
                waited += 1.0
            with self._lock:
                if self._closed:
                    raise SandboxError("the sandbox pool is closed")
                if not self._containers and not self._replacing:
                    raise SandboxError(f"the sandbox pool has no containers left "
                                       f"({self._last_error or 'all were removed'})")
            if wait is not None and waited >= wait:
                raise SandboxError(f"no sandbox container became free within {wait:g} s")

    def _checkin(self, container: Any, healthy: bool) -> None:
        if healthy and not self._closed:
            self._idle.put(container)
            return
        with self._lock:
            self._containers.pop(container.id, None)
            self.recycled += 1
            closed = self._closed
            if not closed:
                self._replacing += 1
        if closed:
            _remove(container)
            return
        self._background.submit(self._replace, container)

    def _replace(self, container: Any) -> None:
        _remove(container)
        try:
            for attempt in range(3):
                try:
                    self._idle.put(self._new_container())
                    return
                except SandboxError:
                    return  # closed meanwhile
                except Exception as exc:  # noqa: BLE001 - retry a transient daemon error
                    self._last_error = f"replacing a container failed: {exc}"
                    time.sleep(0.5 * (attempt + 1))
        finally:
            with self._lock:
                self._replacing -= 1


def _remove(container: Any) -> None:
    for attribute in ("session", "repl"):  # the job runner's exec; a tool session's runner
        session = getattr(container, attribute, None)
        if session is not None:
            session.close()
    try:
        container.remove(force=True)
    except Exception:  # noqa: BLE001 - already gone
        pass


@atexit.register
def _close_all() -> None:
    """At exit: remove this process's containers, then any leaked by dead processes."""
    pools = list(_POOLS)
    for pool in pools:
        pool.close()
    if pools:
        try:
            remove_leaked(pools[0].client)
        except Exception:  # noqa: BLE001 - the daemon may be gone already
            pass


_shared: dict[tuple[Any, ...], SandboxPool] = {}
_shared_lock = threading.Lock()


def shared_pool(size: int | None = None, image: str | None = None,
                limits: Limits | None = None) -> SandboxPool:
    """One pool per configuration per process, made on first use (rewards share it)."""
    key = (size, image, limits)
    with _shared_lock:
        pool = _shared.get(key)
        if pool is None or pool._closed:
            pool = _shared[key] = SandboxPool(size, image=image, limits=limits)
        return pool
