"""The sandbox-uid side: the per-job zygote and the per-test child that runs the program.

The zygote is forked (by the runner's pristine template process, which never saw a job)
for each job, drops to the sandbox uid and compiles the Python program once. For each
test it forks a child that takes its stdin/stdout/stderr (and, for assertion tests, a
report pipe on fd 3) from the runner over a Unix socket, starts a new session, applies
rlimits and runs the program. Nothing here ever holds an expected output.
"""

from __future__ import annotations

import json
import os
import socket
import sys

UID = GID = 10001
WORK = "/tmp/sb"
ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": WORK, "LANG": "C.UTF-8",
       "PYTHONDONTWRITEBYTECODE": "1"}
CHECK_FUNCTION = "__rk_check"


def drop_privileges() -> None:
    """Become the sandbox uid with no supplementary groups (and so no capabilities)."""
    os.setgroups([])
    os.setgid(GID)
    os.setuid(UID)


def limit_child(cpu_seconds: float, file_bytes: int) -> None:
    import resource

    cpu = max(1, int(cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))


def template(sock: socket.socket) -> None:
    """Root, forked by the runner before any job: forks one fresh zygote per request."""
    import signal

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # zygotes are reaped by the kernel
    while True:
        try:
            request = sock.recv(4096)
        except OSError:
            os._exit(0)
        if not request:
            os._exit(0)
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        pid = os.fork()
        if pid == 0:
            try:
                sock.close()
                mine.close()
                zygote(request.decode(), theirs)
            finally:
                os._exit(0)
        theirs.close()
        socket.send_fds(sock, [json.dumps({"pid": pid}).encode()], [mine.fileno()])
        mine.close()


def zygote(language: str, sock: socket.socket) -> None:
    """The sandbox-uid supervisor of one job: compiles once, forks a child per test."""
    import signal

    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    with open("/proc/self/oom_score_adj", "w") as f:
        f.write("1000")  # the OOM killer takes test processes, never the runner
    drop_privileges()
    os.chdir(WORK)
    os.environ.clear()
    os.environ.update(ENV)
    try:
        import ctypes

        ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE 0: no ptrace, no /proc/pid/mem
    except Exception:  # noqa: BLE001 - best effort; uid separation still holds
        pass
    code = None
    if language == "python":
        with open(os.path.join(WORK, "solution.py"), "rb") as f:
            source = f.read()
        try:
            code = compile(source, "solution.py", "exec")
        except (SyntaxError, ValueError, MemoryError, RecursionError) as exc:
            sock.send(json.dumps({"syntax_error": f"{type(exc).__name__}: {exc}"}).encode())
            return
    sock.send(b'{"ready": true}')
    while True:
        msg, fds, _, _ = socket.recv_fds(sock, 1 << 20, 8)
        if not msg:
            return
        command = json.loads(msg)
        pid = os.fork()
        if pid == 0:
            sock.close()
            child(language, code, command, fds)
        for fd in fds:
            os.close(fd)
        _, status = os.waitpid(pid, 0)
        sock.send(json.dumps({"status": status}).encode())


def child(language: str, code, command: dict, fds: list[int]) -> None:  # noqa: ANN001
    try:
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        os.closerange(len(fds), 1024)
        os.setsid()
        limit_child(float(command["cpu"]), int(command["file_bytes"]))
        if language == "cpp":
            os.execve(os.path.join(WORK, "solution"), ["solution"], ENV)
        run_python(code, command)
    except BaseException:  # noqa: BLE001 - never return into the zygote's loop
        os._exit(70)
    os._exit(70)


def run_python(code, command: dict) -> None:  # noqa: ANN001
    import io

    def stream(fd: int, mode: str, **options):  # noqa: ANN003, ANN202 - like the interpreter's
        raw = io.FileIO(fd, mode, closefd=False)
        buffered = io.BufferedReader(raw) if mode == "r" else io.BufferedWriter(raw)
        return io.TextIOWrapper(buffered, encoding="utf-8", **options)

    sys.stdin = stream(0, "r", errors="replace")
    sys.stdout = stream(1, "w", errors="replace")
    sys.stderr = stream(2, "w", errors="backslashreplace", write_through=True)
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = sys.stdin, sys.stdout, sys.stderr  # type: ignore[misc]
    sys.argv = ["solution.py"]
    if command["kind"] == "io":
        status = execute(code, module_namespace("__main__"), sys.stdout, sys.stderr)
        threading = sys.modules.get("threading")
        if threading is not None:  # like interpreter exit: wait for non-daemon threads
            try:
                threading._shutdown()
            except BaseException:  # noqa: BLE001
                pass
        os._exit(status)
    run_assertions(code, command["code"])


def module_namespace(name: str) -> dict:
    """A fresh module registered in sys.modules (dataclasses, pickle and enum look it up)."""
    import types

    module = types.ModuleType(name)
    module.__file__ = os.path.join(WORK, "solution.py")
    sys.modules[name] = module
    return module.__dict__


def execute(code, namespace: dict, out, err, write=os.write) -> int:  # noqa: ANN001
    """Run `code`; the exit status it asked for (an uncaught exception is 1)."""
    try:
        exec(code, namespace)
        status = 0
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException as exc:  # noqa: BLE001 - the program's error, reported on stderr
        try:
            message = f"{type(exc).__name__}: {exc}\n"
        except BaseException:  # noqa: BLE001
            message = "an exception whose message cannot be printed\n"
        try:
            write(2, message.encode("utf-8", "replace"))
        except OSError:
            pass
        status = 1
    for stream in (out, err):
        try:
            stream.flush()
        except BaseException:  # noqa: BLE001 - closed or broken pipe
            pass
    return status & 0xFF


# The guarantee is that expected literals never reach this process (see checks.py). The
# audit hook is defence in depth against tampering: no ctypes, no /proc (memory of other
# processes), no heap walks, no tracing, no hooks of the program's own. Frames stay
# readable (namedtuple, Enum's functional API and logging need sys._getframe).
_BLOCKED = frozenset({"sys._current_frames", "sys.addaudithook",
                      "gc.get_objects", "gc.get_referrers", "gc.get_referents",
                      "sys.settrace", "sys.setprofile", "sys._current_exceptions"})


def run_assertions(code, test_code: str) -> None:  # noqa: ANN001
    """Load the program, then run the rewritten test; reports go to fd 3."""
    import builtins
    import threading

    write, exit_, enumerate_threads = os.write, os._exit, threading.enumerate
    listdir, dumps = os.listdir, json.dumps

    def audit(event: str, args: tuple) -> None:
        if event in _BLOCKED or event.startswith("ctypes."):
            raise RuntimeError(f"{event} is not allowed while assertion tests run")
        if event == "open" and isinstance(args[0], str) and args[0].startswith("/proc/"):
            raise RuntimeError("reading /proc is not allowed while assertion tests run")

    sys.addaudithook(audit)
    saved_builtins = dict(builtins.__dict__)
    namespace = module_namespace("solution")
    status = execute(code, namespace, sys.stdout, sys.stderr, write)
    if status != 0:
        exit_(status)
    builtins.__dict__.clear()  # undo whatever the program did to the built-ins
    builtins.__dict__.update(saved_builtins)
    if len(enumerate_threads()) != 1 or len(listdir("/proc/self/task")) != 1:
        write(2, b"the program left threads running; assertion tests need it to stop them\n")
        exit_(1)

    def check(index: int, values: list) -> None:
        try:
            encoded = [_encode(v, 0) for v in values]
        except (TypeError, ValueError, RecursionError) as exc:
            write(3, f"E {dumps([index, str(exc)])}\n".encode())
            return
        write(3, f"C {dumps([index, encoded])}\n".encode())

    namespace[CHECK_FUNCTION] = check
    test = compile(test_code, "test", "exec")
    status = execute(test, namespace, sys.stdout, sys.stderr, write)
    if status == 0:
        write(3, b"D\n")
    exit_(status)


def _encode(value, depth: int):  # noqa: ANN001, ANN202 - plain data only, exact types
    if depth > 200:
        raise ValueError("value nested too deeply")
    t: type = type(value)
    if value is None:
        return None
    if t is bool:
        return ["B", value]
    if t is int:
        return ["i", hex(value)]
    if t is float:
        return ["f", value.hex()]
    if t is complex:
        return ["c", value.real.hex(), value.imag.hex()]
    if t is str:
        return ["s", value]
    if t is bytes:
        return ["y", value.hex()]
    tags = {list: "l", tuple: "t", set: "S", frozenset: "F"}
    if t in tags:
        return [tags[t], [_encode(v, depth + 1) for v in value]]
    if issubclass(t, dict) and (t is dict or t.__module__ == "collections"):
        return ["d", [[_encode(k, depth + 1), _encode(v, depth + 1)] for k, v in dict.items(value)]]
    raise TypeError(f"a value of type {t.__name__} is not plain data (use built-in types)")
