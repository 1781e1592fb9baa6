"""Killable worker processes for CPU-bound rewards.

A reward that declares ``cpu_bound = True`` runs here: each worker scores one sample at a
time, and the host holds a wall-clock deadline per sample. A worker that runs past it, or
dies (segfault, out of memory), is killed with its whole process group and replaced; the
sample gets a `timeout` / `error` score and the rest of the batch goes on. No
``signal.alarm``: that fails off the main thread and cannot interrupt big-integer
arithmetic inside C code.

Why not `concurrent.futures.ProcessPoolExecutor`: it has no per-task deadline, cannot
kill one task's process (with the processes the reward started) and go on, marks the
whole pool broken when one worker dies, and starts workers by re-running the caller's
main script. This pool gives each sample its own deadline, kills a worker's whole process
group, replaces it, gives a fresh worker `LOAD_TIMEOUT` to import and unpickle the reward
before the sample's clock starts, and starts workers as fresh interpreters that never
import `__main__` (a script without a ``__main__`` guard, a notebook or ``python -c``).
Libraries were weighed too: loky reuses workers but has no per-task deadline (its
``timeout`` is for idle workers); pebble has per-task timeouts and restarts, but stops the
worker process alone, not a process group shared with what the reward started, and
starts workers through `multiprocessing`, which re-imports `__main__` under spawn.

>>> pool = WorkerPool(size=1)            # doctest: +SKIP
>>> pool.map(reward, samples, timeout=5) # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import pickle
import signal
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection, wait
from typing import Any, Sequence, cast

from rewardkit.inprocess import call_score, error_score
from rewardkit.types import Sample, Score, Status

LOAD_TIMEOUT = 120.0  # seconds a fresh worker may take to start and unpickle a reward
WORKER_NAME = "rewardkit-worker"
_IN_WORKER = False


def in_worker() -> bool:
    """Whether this process is a rewardkit worker (a reward scoring here runs in place)."""
    return _IN_WORKER


def _limit_memory(megabytes: int | None) -> None:
    if megabytes:
        import resource

        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _prepared(reward: Any) -> Any:
    """Call the reward's ``prepare()`` (imports, models) before any sample's clock starts;
    a failure becomes every sample's error."""
    prepare = getattr(reward, "prepare", None)
    if callable(prepare):
        try:
            prepare()
        except BaseException as exc:  # noqa: BLE001 - every sample reports it
            return Score.error(f"the reward failed to prepare in the worker: "
                               f"{type(exc).__name__}: {exc}")
    return reward


def _worker_main(conn: Connection, memory_limit_mb: int | None) -> None:
    global _IN_WORKER
    _IN_WORKER = True
    mp.current_process().name = WORKER_NAME
    try:
        os.setpgrp()  # kill() takes down anything the reward started, too
    except OSError:
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the host's to handle
    _limit_memory(memory_limit_mb)
    rewards: dict[str, Any] = {}
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        kind = message[0]
        if kind == "stop":
            return
        if kind == "reward":
            _, key, blob = message
            try:
                rewards[key] = pickle.loads(blob)
            except BaseException as exc:  # noqa: BLE001 - every sample reports it
                rewards[key] = Score.error(f"the reward did not unpickle in the worker: {exc}")
            else:
                rewards[key] = _prepared(rewards[key])
            conn.send(("loaded", key, None))  # the sample's clock starts now, not at start-up
            continue
        _, key, index, sample = message
        try:
            reward = rewards[key]
            score = reward if isinstance(reward, Score) else call_score(reward, [sample])[0]
        except MemoryError as exc:
            score = Score.error(f"out of memory (limit {memory_limit_mb} MB): {exc}")
        except BaseException as exc:  # noqa: BLE001
            score = error_score(exc)
        try:
            conn.send(("score", index, score))
        except Exception as exc:  # noqa: BLE001 - the score itself did not pickle
            conn.send(("score", index, error_score(exc)))


def serve() -> None:
    """The entry point of a worker process (`_Worker` starts it with a fresh interpreter)."""
    fd = int(os.environ.pop("REWARDKIT_WORKER_FD"))
    limit = os.environ.pop("REWARDKIT_WORKER_MEMORY_MB", "")
    _worker_main(Connection(fd), int(limit) if limit else None)


class _Worker:
    """One worker process: a fresh interpreter that imports rewardkit, never `__main__`.

    Not multiprocessing's spawn or fork server: both re-run the caller's main script in
    the child, which breaks a script without an ``if __name__ == "__main__":`` guard (and
    a notebook or ``python -c`` reward is not importable there anyway). The child finds
    modules on this process's `sys.path`.
    """

    def __init__(self, memory_limit_mb: int | None) -> None:
        ours, theirs = socket.socketpair()
        env = {**os.environ, "REWARDKIT_WORKER_FD": str(theirs.fileno()),
               "REWARDKIT_WORKER_MEMORY_MB": str(memory_limit_mb or ""),
               "PYTHONPATH": os.pathsep.join(p or os.getcwd() for p in sys.path)}
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", "from rewardkit.workers import serve; serve()"],
                pass_fds=(theirs.fileno(),), env=env, stdin=subprocess.DEVNULL)
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())
        self.rewards: set[str] = set()  # sent to this worker
        self.loaded: set[str] = set()  # reported loaded by this worker
        self.job: tuple[int, float] | None = None  # (sample index, deadline)

    def alive(self) -> bool:
        return self.process.poll() is None

    def exit_code(self) -> int | None:
        try:
            return self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            return None

    def kill(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError, TypeError):
            pass
        self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(("stop",))
        except OSError:
            pass
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.kill()
            return
        self.conn.close()


class _Noop:
    """A reward that does nothing: `WorkerPool.start` sends it to every worker."""

    name = "rewardkit-start"

    def score(self, samples: Sequence[Sample]) -> list[Score]:
        return [Score(0.0) for _ in samples]


class WorkerPool:
    """A fixed number of worker processes, replaced when they time out or die."""

    def __init__(self, size: int | None = None, memory_limit_mb: int | None = None) -> None:
        self.size = max(1, size or os.cpu_count() or 1)
        self.memory_limit_mb = memory_limit_mb
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()
        self.replaced = 0  # workers killed and replaced so far

    def _ensure_workers(self, wanted: int) -> None:
        self._workers = [w for w in self._workers if w.alive()]
        while len(self._workers) < wanted:
            self._workers.append(_Worker(self.memory_limit_mb))

    def start(self) -> None:
        """Start every worker and wait until each answers (start-up off any deadline)."""
        self.map(_Noop(), [Sample("")] * self.size, None)

    def map(self, reward: Any, samples: Sequence[Sample], timeout: float | None) -> list[Score]:
        """Score each sample in a worker; one Score per sample, in order."""
        if not samples:
            return []
        blob = pickle.dumps(reward)
        key = hashlib.sha256(blob).hexdigest()
        with self._lock:
            self._ensure_workers(min(self.size, len(samples)))
            return self._dispatch(key, blob, list(samples), timeout)

    def _dispatch(self, key: str, blob: bytes, samples: list[Sample],
                  timeout: float | None) -> list[Score]:
        results: list[Score | None] = [None] * len(samples)
        pending = list(range(len(samples) - 1, -1, -1))  # pop() from the end = in order
        busy: dict[Connection, _Worker] = {}
        idle = list(self._workers)

        def assign(worker: _Worker) -> None:
            index = pending.pop()
            loading = key not in worker.rewards
            # a worker that must first start up and load the reward gets LOAD_TIMEOUT for
            # that; the sample's own budget starts when it reports "loaded"
            budget = LOAD_TIMEOUT if loading else timeout
            deadline = time.monotonic() + budget if budget else float("inf")
            worker.job = (index, deadline)
            busy[worker.conn] = worker
            try:
                if loading:
                    worker.conn.send(("reward", key, blob))
                    worker.rewards.add(key)
                worker.conn.send(("score", key, index, samples[index]))
            except OSError as exc:
                replace(worker, Score.error(f"the worker process could not start: {exc}"))

        def replace(worker: _Worker, score: Score) -> None:
            if worker.job is not None:
                results[worker.job[0]] = score
            busy.pop(worker.conn, None)
            worker.kill()
            self.replaced += 1
            fresh = _Worker(self.memory_limit_mb)
            self._workers[self._workers.index(worker)] = fresh
            idle.append(fresh)

        while pending or busy:
            while pending and idle:
                assign(idle.pop())
            now = time.monotonic()
            next_deadline = min(w.job[1] for w in busy.values() if w.job)
            ready = wait(list(busy), timeout=max(0.0, next_deadline - now)
                         if next_deadline != float("inf") else None)
            for ready_conn in ready:
                conn = cast(Connection, ready_conn)
                worker = busy[conn]
                try:
                    kind, ident, payload = conn.recv()
                except (EOFError, OSError):
                    code = worker.exit_code()
                    replace(worker, Score.error(
                        f"the worker process died (exit code {code}); the reward crashed "
                        "the interpreter or was killed for memory"))
                    continue
                if kind == "loaded":
                    worker.loaded.add(ident)
                    if worker.job is not None:
                        index = worker.job[0]
                        worker.job = (index, time.monotonic() + timeout if timeout
                                      else float("inf"))
                    continue
                results[ident] = payload
                worker.job = None
                busy.pop(conn)
                idle.append(worker)
            now = time.monotonic()
            for worker in [w for w in busy.values() if w.job and w.job[1] <= now]:
                reason = (f"timed out after {timeout:g} s; worker killed" if key in worker.loaded
                          else f"the worker did not start and load the reward within "
                               f"{LOAD_TIMEOUT:g} s; worker killed")
                replace(worker, Score(None, Status.TIMEOUT, {"reason": reason}))
        return [s if s is not None else Score.error("no result") for s in results]

    def close(self) -> None:
        with self._lock:
            for worker in self._workers:
                worker.stop()
            self._workers = []

    def __del__(self) -> None:
        try:
            for worker in self._workers:
                worker.kill()
        except Exception:  # noqa: BLE001 - best effort at interpreter exit
            pass
