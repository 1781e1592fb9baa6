#!/usr/bin/env python3
"""A persistent Python session in a sandbox container (ships in the image; stdlib only).

Started once per tool session by ``docker exec`` as root (capabilities SETUID, SETGID and
KILL only). Reads call frames from stdin (8-byte big-endian length, then JSON
``{"code", "timeout", "output_bytes", "memory_mb"}``) and answers each with one JSON line
``{"status", "stdout", "stderr", "stdout_bytes", "stderr_bytes", "seconds", "restarted",
"done": true}``. A ``{"close": true}`` frame ends the session: every sandbox process is
killed, the tmpfs wiped and a fresh interpreter started for the container's next session
(answered ``{"closed": true, "clean": bool}``). End of stdin does the same and exits.

State survives between calls through a chain of forks: the *holder* (sandbox uid) keeps
the interpreter's globals; each call runs in a fork of the holder, which becomes the new
holder when the call ends. A call that times out, crashes or runs out of memory is killed
and the previous holder stays: the session goes back to its state before that call.
After every call, every other sandbox-uid process (daemons, fork bombs) is killed.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import struct
import sys
import time
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # -I leaves it out

from child import ENV, drop_privileges, module_namespace
from child import RUN_DIR as WORK  # the session's working directory, as a test's
from procs import as_sandbox, kill_sandbox, read_exact, wipe
from procs import memory_limit_hits as oom_kills
from runner import emit

REPORT_WAIT = 2.0  # seconds the holder gets to say it forked


# --------------------------------------------------------------------------- holder
def holder(sock: socket.socket) -> None:
    """Sandbox uid: wait for calls on `sock`; fork one child per call (see the docstring)."""
    namespace = module_namespace("__main__")
    while True:
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # finished calls are reaped by the kernel
        try:
            msg, fds, _, _ = socket.recv_fds(sock, 1 << 24, 4)
        except OSError:
            os._exit(0)
        if not msg or len(fds) != 3:
            os._exit(0)
        pid = os.fork()
        if pid:
            for fd in fds:
                os.close(fd)
            try:
                sock.send(json.dumps({"child": pid}).encode())
            except OSError:
                os._exit(0)
            continue
        sock.close()
        sock = socket.socket(fileno=fds[2])
        run_call(json.loads(msg), fds[0], fds[1], sock, namespace)
        # this process is now the holder: loop on the new socket


def run_call(call: dict, out: int, err: int, sock: socket.socket, namespace: dict) -> None:
    import resource

    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the code may wait for its own children
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(out, 1)
    os.dup2(err, 2)
    for fd in (out, err, devnull):
        os.close(fd)
    cpu = max(1, int(float(call["timeout"]) + 1))
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu if hard < 0 else min(cpu, hard), hard))
    if call.get("memory_mb"):
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = int(call["memory_mb"]) << 20
        resource.setrlimit(resource.RLIMIT_AS, (soft if hard < 0 else min(soft, hard), hard))
    error = execute_cell(str(call["code"]), namespace)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # noqa: BLE001, S110 - the code closed or replaced it
            pass
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (1, 2):
        os.dup2(devnull, fd)  # the root sees end of output once the code's children are gone
    os.close(devnull)
    try:
        sock.send(json.dumps({"pid": os.getpid(), "error": error}).encode())
    except OSError:
        os._exit(0)


def execute_cell(source: str, namespace: dict) -> str | None:
    """Run `source` like a notebook cell (a final expression's repr is printed); the error."""
    import ast
    import traceback

    try:
        tree = ast.parse(source, "<cell>")
        last = None
        final = tree.body[-1] if tree.body else None
        if isinstance(final, ast.Expr):
            tree.body.pop()
            last = ast.Expression(final.value)
        exec(compile(tree, "<cell>", "exec"), namespace)  # noqa: S102 - the tool's job
        if last is not None:
            value = eval(compile(last, "<cell>", "eval"), namespace)
            if value is not None:
                print(repr(value))
        return None
    except SystemExit as exc:
        return f"SystemExit: {exc.code}"
    except BaseException as exc:  # noqa: BLE001 - the code's error, reported to the model
        try:
            frames = traceback.extract_tb(exc.__traceback__)
            user = [f for f in frames if f.filename != __file__]
            lines = traceback.format_list(user) + traceback.format_exception_only(type(exc), exc)
            sys.stderr.write("Traceback (most recent call last):\n" + "".join(lines))
            return traceback.format_exception_only(type(exc), exc)[-1].strip()
        except BaseException:  # noqa: BLE001 - an exception whose message cannot be printed
            return type(exc).__name__


def start_holder() -> tuple[socket.socket, int]:
    """Root: a fresh holder (double-forked, so the keeper reaps it); its socket and pid."""
    mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    middle = os.fork()
    if middle == 0:
        mine.close()
        pid = os.fork()
        if pid:
            theirs.send(json.dumps({"pid": pid}).encode())
            os._exit(0)
        try:
            with open("/proc/self/oom_score_adj", "w") as f:
                f.write("1000")  # the OOM killer takes session processes, never this root
            drop_privileges()
            os.chdir(WORK)
            os.environ.clear()
            os.environ.update(ENV)
            sys.stdout = open(1, "w", 1, "utf-8", "replace", closefd=False)  # noqa: SIM115
            sys.stderr = open(2, "w", 1, "utf-8", "backslashreplace", closefd=False)  # noqa: SIM115
            holder(theirs)
        finally:
            os._exit(0)
    theirs.close()
    os.waitpid(middle, 0)
    hello = receive(mine, REPORT_WAIT)
    if not hello or not isinstance(hello.get("pid"), int):
        raise RuntimeError("the Python session did not start")
    return mine, hello["pid"]


def receive(sock: socket.socket, timeout: float) -> dict | None:
    """One message; None at end of stream or when none came in time; {} for garbage."""
    ready, _, _ = select.select([sock], [], [], max(0.0, timeout))
    if not ready:
        return None
    try:
        data = sock.recv(65536)
    except OSError:
        return None
    try:
        message = json.loads(data) if data else None
    except ValueError:
        return {}  # garbage from the sandboxed code: not an end of stream
    return message if isinstance(message, dict) or message is None else {}


# --------------------------------------------------------------------------- root
class Session:
    """Root side: the current holder, and running one call through a fork of it."""

    def __init__(self) -> None:
        self.sock: socket.socket | None = None
        self.pid = 0
        self.calls = 0

    def ensure(self) -> bool:
        """A live holder; True when one had to be (re)started after the first call."""
        if self.sock is not None and alive(self.pid):
            return False
        if self.sock is not None:
            self.sock.close()
        kill_sandbox()
        self.sock, self.pid = start_holder()
        return self.calls > 0

    def call(self, call: dict) -> dict:
        restarted = self.ensure()
        self.calls += 1
        sock = self.sock
        assert sock is not None  # ensure() started the holder
        timeout, cap = float(call["timeout"]), int(call["output_bytes"])
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        start = time.monotonic()
        oom_before = oom_kills()
        try:
            socket.send_fds(sock, [json.dumps(call).encode()], [out_w, err_w, theirs.fileno()])
        except OSError:
            for fd in (out_r, err_r):
                os.close(fd)
            mine.close()
            return {"status": "crashed", "detail": "the session's interpreter is gone"}
        finally:
            os.close(out_w)
            os.close(err_w)
            theirs.close()
        forked = receive(sock, REPORT_WAIT)
        child = forked.get("child") if forked else None
        buffers = {out_r: bytearray(), err_r: bytearray()}
        totals = {out_r: 0, err_r: 0}
        report = None
        deadline = start + timeout
        gone = False
        while report is None and not gone:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            watched: list[Any] = [out_r, err_r, mine]
            readable, _, _ = select.select(watched, [], [], remaining)
            for fd in readable:
                if fd is mine:
                    message = receive(mine, 0)
                    gone = message is None
                    if message and message.get("pid") == child:
                        report = message  # not one from a process the code forked
                    continue
                collect(fd, buffers, totals, cap)
        seconds = time.monotonic() - start
        for fd in (out_r, err_r):  # what the call wrote before it ended
            os.set_blocking(fd, False)
            try:
                while collect(fd, buffers, totals, cap):
                    pass
            except BlockingIOError:
                pass
        result = {"seconds": round(seconds, 4), "restarted": restarted,
                  "stdout": buffers[out_r].decode("utf-8", "replace"),
                  "stderr": buffers[err_r].decode("utf-8", "replace"),
                  "stdout_bytes": totals[out_r], "stderr_bytes": totals[err_r]}
        for fd in (out_r, err_r):
            os.close(fd)
        new_pid = report.get("pid") if report else None
        if report is not None and isinstance(new_pid, int) and alive(new_pid):
            kill_sandbox(spare=new_pid)  # the old holder and whatever the code left running
            sock.close()
            self.sock, self.pid = mine, new_pid
            error = report.get("error")
            result.update(status="error" if error else "ok", detail=str(error or ""))
            return result
        mine.close()
        kill_sandbox(spare=self.pid)  # roll back: the holder from before this call stays
        if report is None and not gone:
            result.update(status="timeout", detail=f"ran past the {timeout:g} s limit")
        elif oom_kills() > oom_before >= 0 or b"MemoryError" in buffers[err_r][-4096:]:
            result.update(status="memory_limit", detail="ran out of memory")
        else:
            result.update(status="crashed", detail="the interpreter exited during the call")
        return result

    def close(self) -> bool:
        if self.sock is not None:
            self.sock.close()
        clean = kill_sandbox()
        return as_sandbox(wipe) and clean


def collect(fd: int, buffers: dict, totals: dict, cap: int) -> bool:
    """Read what is there on `fd`; keep the first `cap` bytes, count the rest."""
    chunk = os.read(fd, 65536)
    totals[fd] += len(chunk)
    room = cap - len(buffers[fd])
    if room > 0:
        buffers[fd] += chunk[:room]
    return bool(chunk)


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return False


def fresh_session() -> Session:
    """A clean slate: empty work directory, a started holder (the first call only forks)."""
    as_sandbox(wipe)
    as_sandbox(lambda: os.makedirs(WORK, 0o755, exist_ok=True))
    session = Session()
    session.ensure()
    return session


def serve() -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.umask(0o022)
    session = fresh_session()
    while True:
        try:
            (size,) = struct.unpack(">Q", read_exact(0, 8))
            call = json.loads(read_exact(0, size))
        except EOFError:
            session.close()
            return
        if call.get("close"):  # end this session; the next one finds a clean container
            clean = session.close()
            try:
                session = fresh_session()
            except Exception:  # noqa: BLE001 - reported as unclean: the host replaces us
                clean = False
            emit({"done": True, "closed": True, "clean": clean})
            continue
        try:
            emit({**session.call(call), "done": True})
        except Exception as exc:  # noqa: BLE001 - reported; the host decides what to do
            emit({"status": "crashed", "detail": f"{type(exc).__name__}: {exc}", "done": True})


if __name__ == "__main__":
    serve()
