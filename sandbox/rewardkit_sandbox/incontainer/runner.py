#!/usr/bin/env python3
"""The in-container runner (ships in the image as /opt/rk/; standard library only).

Roles, by the first argument:

* ``keeper``: PID 1 of every sandbox container; reaps orphans and does nothing else.
* ``serve`` (default): started once per container by ``docker exec`` as root, with the
  capabilities SETUID, SETGID and KILL only. Reads job frames from stdin (8-byte
  big-endian length, then JSON) until stdin closes. For each job it compiles C++ as the
  sandbox uid, runs every test through a fresh sandbox-uid zygote (see ``child.py``),
  judges the results itself (``judge.py``) and writes one JSON line per test, then
  ``{"done": true, ...}``, on stdout. Only this process writes to stdout; the program's
  output goes to pipes the runner reads, capped.

After every test the runner kills every process of the sandbox uid except the zygote
(daemons, ``setsid`` escapes); after every job it kills them all and wipes the tmpfs.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import time
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # -I leaves it out

from child import ENV, GID, UID, WORK, limit_child, template  # noqa: E402
from judge import compare_output, judge_checks  # noqa: E402

WIPE_DIRS = ("/tmp", "/dev/shm")
STDERR_KEEP = 4096


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
def read_exact(fd: int, n: int) -> bytes:
    chunks, got = [], 0
    while got < n:
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            raise EOFError(f"stdin closed after {got} of {n} bytes")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def emit(obj: dict) -> None:
    data = (json.dumps(obj) + "\n").encode()
    while data:
        data = data[os.write(1, data):]


def sandbox_pids(spare: int | None = None) -> list[int]:
    pids = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == spare:
            continue
        try:
            if os.stat(f"/proc/{name}").st_uid != UID:
                continue
            with open(f"/proc/{name}/stat", "rb") as f:
                if f.read().rsplit(b")", 1)[1].split()[0] == b"Z":
                    continue  # a zombie: already dead, waiting to be reaped
        except (OSError, IndexError):
            continue
        pids.append(int(name))
    return pids


def kill_sandbox(spare: int | None = None) -> bool:
    """SIGKILL every sandbox-uid process but `spare`; True once none is left."""
    for attempt in range(400):
        pids = sandbox_pids(spare)
        if not pids:
            return True
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if attempt:
            time.sleep(0.005)
    return False


def as_sandbox(fn) -> bool:  # noqa: ANN001
    """Run trusted `fn()` in a child that became the sandbox uid (root has no DAC override)."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setgid(GID)
            os.setuid(UID)
            fn()
            os._exit(0)
        except BaseException:  # noqa: BLE001
            os._exit(1)
    return os.waitpid(pid, 0)[1] == 0


def wipe() -> None:
    """Remove everything the sandbox uid could have written to the writable mounts."""
    for top in WIPE_DIRS:
        if not os.path.isdir(top):
            continue
        for root, dirs, _files in os.walk(top, topdown=True):
            for name in dirs:  # the program may have left directories unreadable
                try:
                    os.chmod(os.path.join(root, name), 0o700)
                except OSError:
                    pass
        for root, dirs, files in os.walk(top, topdown=False):
            for name in files + dirs:
                path = os.path.join(root, name)
                try:
                    if os.path.isdir(path) and not os.path.islink(path):
                        os.rmdir(path)
                    else:
                        os.unlink(path)
                except OSError:
                    pass


def prepare(source_name: str, source: str) -> None:
    wipe()
    os.mkdir(WORK, 0o755)  # root (no DAC override) must be able to chdir here
    with open(os.path.join(WORK, source_name), "w") as f:
        f.write(source)


def oom_kills() -> int:
    for path, key in (("/sys/fs/cgroup/memory/memory.oom_control", "oom_kill"),
                      ("/sys/fs/cgroup/memory.events", "oom_kill")):
        try:
            with open(path) as f:
                for line in f:
                    name, _, value = line.partition(" ")
                    if name == key:
                        return int(value)
        except OSError:
            continue
    return -1


def tail(data: bytes, keep: int = STDERR_KEEP) -> str:
    text = data.decode("utf-8", "replace")
    return text if len(text) <= keep else "..." + text[-keep:]


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

    def spawn(self, language: str) -> tuple[socket.socket, int]:
        self.sock.send(language.encode())
        msg, fds, _, _ = socket.recv_fds(self.sock, 4096, 1)
        if not msg or not fds:
            raise RuntimeError("the zygote template is gone")
        return socket.socket(fileno=fds[0]), json.loads(msg)["pid"]


class Zygote:
    """The sandbox-uid process that forks one child per test."""

    def __init__(self, template: Template, language: str, timeout: float) -> None:
        self.sock, self._pid = template.spawn(language)
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


def run_test(zygote: Zygote, test: dict, limits: dict) -> dict:
    timeout, cap = float(limits["test_timeout"]), int(limits["output_bytes"])
    pipes = [os.pipe() for _ in range(4 if test["kind"] == "code" else 3)]
    child_ends = [pipes[0][0], pipes[1][1], pipes[2][1]] + ([pipes[3][1]] if len(pipes) > 3 else [])
    stdin_w, out_r, err_r = pipes[0][1], pipes[1][0], pipes[2][0]
    res_r = pipes[3][0] if len(pipes) > 3 else None
    command = {"kind": test["kind"], "cpu": timeout, "file_bytes": limits["file_bytes"],
               "code": test.get("code")}
    oom_before = oom_kills()
    start = time.monotonic()
    try:
        socket.send_fds(zygote.sock, [json.dumps(command).encode()], child_ends)
    except OSError:
        for fd in child_ends + [stdin_w, out_r, err_r] + ([res_r] if res_r else []):
            os.close(fd)
        return {"status": "runtime_error", "detail": "the test supervisor is gone"}
    for fd in child_ends:
        os.close(fd)
    stdin_data = (test.get("input") or "").encode()
    if not stdin_data:
        os.close(stdin_w)
        stdin_w = -1
    else:
        os.set_blocking(stdin_w, False)
    buffers = {out_r: bytearray(), err_r: bytearray()}
    if res_r is not None:
        buffers[res_r] = bytearray()
    open_fds = set(buffers)
    status_msg, verdict, detail = None, None, ""
    deadline = start + timeout
    while status_msg is None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            verdict, detail = "timeout", f"ran past the {timeout:g} s limit"
            break
        writers = [stdin_w] if stdin_w >= 0 else []
        readable: list[Any]
        readable, writable, _ = select.select(list(open_fds) + [zygote.sock], writers, [],
                                              remaining)
        if writable:
            try:
                sent = os.write(stdin_w, stdin_data[:65536])
                stdin_data = stdin_data[sent:]
            except (BrokenPipeError, BlockingIOError) as exc:
                if isinstance(exc, BrokenPipeError):
                    stdin_data = b""
            if not stdin_data:
                os.close(stdin_w)
                stdin_w = -1
        for fd in readable:
            if fd is zygote.sock:
                msg = zygote.receive(0)
                if msg is None:
                    status_msg = {"gone": True}
                elif "status" in msg:
                    status_msg = msg
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                open_fds.discard(fd)
                continue
            buffers[fd] += chunk
            if len(buffers[fd]) > cap:
                verdict, detail = "output_limit", f"wrote more than {cap} bytes"
        if verdict:
            break
    seconds = time.monotonic() - start
    kill_sandbox(spare=zygote.pid)
    if status_msg is None:  # killed above: collect the zygote's report on the child
        status_msg = zygote.receive(0.5) or {"gone": True}
    if status_msg.get("gone"):
        zygote.lost = True  # stopped or killed by the program: the job starts a new one
    for fd in list(open_fds):  # drain what the program wrote before it ended
        os.set_blocking(fd, False)
        try:
            while len(buffers[fd]) <= cap and (chunk := os.read(fd, 65536)):
                buffers[fd] += chunk
        except BlockingIOError:
            pass
    for fd in list(buffers) + ([stdin_w] if stdin_w >= 0 else []):
        os.close(fd)
    stdout, stderr = bytes(buffers[out_r]), bytes(buffers[err_r])
    result: dict[str, Any] = {"seconds": round(seconds, 4), "stderr": tail(stderr)}
    if verdict is None and (len(stdout) > cap or len(stderr) > cap):
        verdict, detail = "output_limit", f"wrote more than {cap} bytes"
    if verdict is None and status_msg.get("gone"):
        verdict, detail = "runtime_error", "the program killed its test supervisor"
    wait_status = status_msg.get("status")
    if wait_status is not None:
        if os.WIFEXITED(wait_status):
            result["exit_code"] = os.WEXITSTATUS(wait_status)
        elif os.WIFSIGNALED(wait_status):
            result["exit_code"] = -os.WTERMSIG(wait_status)
    oom = oom_kills() > oom_before >= 0
    memory_words = b"MemoryError" in stderr[-4096:] or b"std::bad_alloc" in stderr[-4096:]
    code = result.get("exit_code")
    if verdict is None and code is not None and code != 0:
        if oom or memory_words:
            verdict, detail = "memory_limit", "ran out of memory"
        elif code in (-signal.SIGXCPU, -signal.SIGKILL) and seconds >= timeout * 0.5:
            verdict, detail = "timeout", f"used more than {timeout:g} s of CPU"
        elif code < 0:
            verdict, detail = "runtime_error", f"killed by signal {signal.Signals(-code).name}"
        else:
            verdict, detail = "runtime_error", f"exited with code {code}"
    if verdict is None and code is None:
        verdict = "runtime_error"
    if verdict is None:
        if test["kind"] == "io":
            ok, detail = compare_output(stdout, test["output"], test.get("compare", "lines"),
                                        float(test.get("tolerance", 1e-6)))
        else:
            ok, detail = judge_checks(bytes(buffers[res_r]) if res_r is not None else b"",
                                      test["checks"])
        verdict = "pass" if ok else "fail"
    result.update(status=verdict, detail=detail)
    return result


def compile_cpp(limits: dict) -> tuple[bool, str]:
    try:
        proc = subprocess.run(
            ["g++", "-std=c++17", "-O2", "-pipe", "-o", "solution", "solution.cpp"],
            user=UID, group=GID, extra_groups=[], cwd=WORK, env=ENV, stdin=subprocess.DEVNULL,
            capture_output=True, timeout=float(limits["compile_timeout"]),
            preexec_fn=lambda: limit_child(float(limits["compile_timeout"]),
                                           int(limits["file_bytes"])))
    except subprocess.TimeoutExpired:
        return False, f"the compiler ran past the {limits['compile_timeout']} s limit"
    finally:
        kill_sandbox()
    output = proc.stderr + proc.stdout
    if proc.returncode != 0:
        if proc.returncode < 0:
            output += f"\n(compiler killed by signal {-proc.returncode})".encode()
        return False, tail(output, 8192)
    return True, tail(output, 8192)


def job(spec: dict, template: Template) -> None:
    limits, tests, language = spec["limits"], spec["tests"], spec["language"]
    dirty = not kill_sandbox()
    name = "solution.cpp" if language == "cpp" else "solution.py"
    if not as_sandbox(lambda: prepare(name, spec["source"])):
        dirty = True
    failure = None
    if language == "cpp":
        ok, output = compile_cpp(limits)
        emit({"compile_output": output})
        if not ok:
            failure = {"status": "compile_error", "detail": "compilation failed"}
    zygote: Zygote | None = None
    try:
        for index, test in enumerate(tests):
            if failure is None and (zygote is None or not zygote.alive()):
                if zygote is not None:
                    zygote.stop()
                    kill_sandbox()
                try:
                    zygote = Zygote(template, language, float(limits["compile_timeout"]))
                except (RuntimeError, OSError) as exc:
                    zygote, failure = None, {"status": "runtime_error",
                                             "detail": f"the test supervisor failed: {exc}"}
                if zygote is not None and zygote.syntax_error:
                    emit({"compile_output": zygote.syntax_error})
                    failure = {"status": "compile_error", "detail": "the program does not parse"}
            if failure is not None:
                emit({"test": index, **failure})
                continue
            assert zygote is not None  # built above for this language
            emit({"test": index, **run_test(zygote, test, limits)})
    finally:
        if zygote is not None:
            zygote.stop()
        dirty = not kill_sandbox() or dirty
        dirty = not as_sandbox(wipe) or dirty
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
