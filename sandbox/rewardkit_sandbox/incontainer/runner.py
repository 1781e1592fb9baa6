#!/usr/bin/env python3
"""The in-container runner (ships in the image as /opt/rk/; standard library only).

Roles, by the first argument:

* ``keeper``: PID 1 of every sandbox container; reaps orphans and does nothing else.
* ``serve`` (default): started once per container by ``docker exec`` as root, with the
  capabilities SETUID, SETGID and KILL only. Reads job frames from stdin (8-byte
  big-endian length, then JSON) until stdin closes. For each job it builds the program
  once (and each appended-test variant, checker and interactor; see ``build.py``) as the
  sandbox uid, runs every test through a fresh sandbox-uid zygote (``child.py``,
  ``testrun.py``, ``interact.py``), judges the results itself and writes one JSON line
  per test, then ``{"done": true, ...}``, on stdout. Only this process writes to stdout;
  the program's output goes to pipes the runner reads, capped.

Before every test the writable mounts are wiped and every other process of the sandbox
users is killed (daemons, ``setsid`` escapes); after every job, all of them.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # -I leaves it out

from build import Unsupported, build, judge, run_argv, tool_env  # noqa: E402
from child import JUDGE_UID, template  # noqa: E402
from harness import sources  # noqa: E402
from interact import run_interactive  # noqa: E402
from languages import LANGUAGES  # noqa: E402
from procs import ROOT_DIR, as_sandbox, kill_sandbox, read_exact, wipe  # noqa: E402
from testrun import run_test  # noqa: E402

PROG_DIR = f"{ROOT_DIR}/prog"


# --------------------------------------------------------------------------- keeper
def keeper() -> None:
    """PID 1: reap every child that gets reparented here; exit on SIGTERM."""
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
    while True:
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            pass
        signal.sigtimedwait({signal.SIGCHLD}, 1.0)


# --------------------------------------------------------------------------- helpers
def emit(obj: dict) -> None:
    data = (json.dumps(obj) + "\n").encode()
    while data:
        data = data[os.write(1, data):]


# --------------------------------------------------------------------------- job (root)
class Template:
    """A root process forked before any job; it forks each job's zygote from a clean heap."""

    def __init__(self) -> None:
        self.sock, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.pid = os.fork()
        if self.pid == 0:
            self.sock.close()
            template(theirs)
        theirs.close()

    def spawn(self, request: dict) -> tuple[socket.socket, int]:
        self.sock.send(json.dumps(request).encode())
        msg, fds, _, _ = socket.recv_fds(self.sock, 4096, 1)
        if not msg or not fds:
            raise RuntimeError("the zygote template is gone")
        return socket.socket(fileno=fds[0]), json.loads(msg)["pid"]


class Zygote:
    """The sandbox-uid process that forks one child per test."""

    def __init__(self, template: Template, request: dict, timeout: float) -> None:
        self.sock, self._pid = template.spawn(request)
        self.lost = False
        ready = self.receive(timeout)
        self.syntax_error = (ready or {}).get("syntax_error")
        if ready is None:
            self.stop()
            raise RuntimeError("the test supervisor did not start")

    @property
    def pid(self) -> int:
        return self._pid

    def receive(self, timeout: float) -> dict | None:
        ready, _, _ = select.select([self.sock], [], [], max(0.0, timeout))
        if not ready:
            return None
        try:
            data = self.sock.recv(65536)
        except OSError:
            return None
        return json.loads(data) if data else None

    def alive(self) -> bool:
        if self.lost:
            return False
        try:
            os.kill(self._pid, 0)
        except ProcessLookupError:
            return False
        return True

    def stop(self) -> None:
        self.sock.close()
        try:
            os.kill(self._pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


class Job:
    """One program and its tests: builds on first need, runs, emits one line per test."""

    def __init__(self, spec: dict, template: Template) -> None:
        self.spec, self.template = spec, template
        self.language, self.limits = spec["language"], spec["limits"]
        self.built: dict[str, tuple[str, dict]] = {}  # variant -> (status, run info)
        self.zygote: Zygote | None = None
        self.zygote_failure: dict | None = None

    def variant(self, index: int, test: dict) -> str:
        """Which build a test runs: the program, or the program with its test code."""
        if test["kind"] != "code" or self.language == "python":
            return "main"
        return "t" + str(index)

    def ensure_built(self, name: str, test: dict) -> tuple[str, dict]:
        if name not in self.built:
            code = test.get("code") if name != "main" else None
            files, info = sources(self.language, self.spec["source"], code)
            target = f"{PROG_DIR}/{name}"
            status, output = build(self.language, files, info["main"], target, self.limits)
            if output.strip() or name == "main":
                emit({"compile_output": output, "variant": name})
            info.update(argv=run_argv(self.language, target, info["main"], info["marked"]),
                        env=tool_env(self.language), source=f"{target}/{next(iter(files))}",
                        extra=LANGUAGES[self.language]["extra_seconds"],
                        stderr_fails=self.spec.get("stderr_fails", False))
            self.built[name] = (status, info)
        return self.built[name]

    def ensure_zygote(self, info: dict) -> dict | None:
        """A live zygote for the program (a new one after the program killed the last)."""
        if self.zygote is not None and self.zygote.alive():
            return None
        if self.zygote is not None:
            self.zygote.stop()
            kill_sandbox()
        try:
            self.zygote = Zygote(self.template, {"language": self.language,
                                                 "source": info["source"]},
                                 float(self.limits["compile_timeout"]))
        except (RuntimeError, OSError) as exc:
            self.zygote = None
            return {"status": "runtime_error", "detail": f"the test supervisor failed: {exc}"}
        if self.zygote.syntax_error:
            emit({"compile_output": self.zygote.syntax_error, "variant": "main"})
            return {"status": "compile_error", "detail": "the program does not parse"}
        return None

    def judges(self) -> tuple[dict[str, list[str]], list[str] | None]:
        """Every checker and the interactor, compiled (cached); Unverifiable if one fails."""
        checkers = {}
        for test in self.spec["tests"]:
            checker = test.get("checker")
            if checker and checker["digest"] not in checkers:
                argv, why = judge(checker, "check", self.limits)
                if argv is None:
                    raise Unverifiable(f"the checker does not compile: {why}")
                checkers[checker["digest"]] = argv
        interactor = None
        if self.spec.get("interactor"):
            interactor, why = judge(self.spec["interactor"], "interact", self.limits)
            if interactor is None:
                raise Unverifiable(f"the interactor does not compile: {why}")
        return checkers, interactor

    def run(self) -> None:
        checkers, interactor = self.judges()
        for index, test in enumerate(self.spec["tests"]):
            status, info = self.ensure_built(self.variant(index, test), test)
            if status != "ok":
                emit({"test": index, "status": status, "detail": "compilation failed"})
                continue
            if self.zygote_failure is None:
                self.zygote_failure = self.ensure_zygote(info)
            if self.zygote_failure is not None:
                emit({"test": index, **self.zygote_failure})
                continue
            if test.get("checker"):
                test = {**test, "checker_argv": checkers[test["checker"]["digest"]]}
            if interactor is not None:
                emit({"test": index, **run_interactive(self.zygote, test, self.limits, info,
                                                       interactor)})
            else:
                emit({"test": index, **run_test(self.zygote, test, self.limits, info)})

    def close(self) -> None:
        if self.zygote is not None:
            self.zygote.stop()


class Unverifiable(Exception):
    """The suite cannot be judged here (a judge that does not compile, a missing tool)."""


def job(spec: dict, template: Template) -> None:
    dirty = not kill_sandbox()
    shutil.rmtree(PROG_DIR, ignore_errors=True)
    os.makedirs(PROG_DIR, 0o755, exist_ok=True)
    os.chmod(ROOT_DIR, 0o755)
    work = Job(spec, template)
    try:
        work.run()
    except (Unverifiable, Unsupported) as exc:
        emit({"unverifiable": str(exc)})
    finally:
        work.close()
        dirty = not kill_sandbox() or dirty
        dirty = not as_sandbox(wipe) or dirty
        as_sandbox(wipe, JUDGE_UID)  # what a checker or interactor left behind
        shutil.rmtree(PROG_DIR, ignore_errors=True)
        emit({"done": True, "dirty": dirty})


def serve() -> None:
    """Run jobs read from stdin until it closes: one long-lived exec serves many programs."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    template = Template()
    while True:
        try:
            header = read_exact(0, 8)
        except EOFError:
            return
        (size,) = struct.unpack(">Q", header)
        job(json.loads(read_exact(0, size)), template)


def main(argv: list[str]) -> None:
    role = argv[1] if len(argv) > 1 else "serve"
    if role == "keeper":
        keeper()
    elif role == "serve":
        serve()
    else:
        sys.exit(f"unknown role {role!r} (keeper or serve)")


if __name__ == "__main__":
    main(sys.argv)
