"""Processes and files of the sandbox users, seen from the root runner (standard library only).

Two unprivileged users: the program's (``UID``) and the judge's (``JUDGE_UID``: checkers
and interactors, which hold the answers, so the program can neither signal nor trace
them). Root owns ``ROOT_DIR`` (compiled programs, cached judges): the sandbox users can
read and run what is there but never change it. Everything the sandbox users own on the
writable mounts is wiped before every test.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time

from child import GID, JUDGE_UID, UID, limit_child

WIPE_DIRS = ("/tmp", "/dev/shm")
ROOT_DIR = "/tmp/rk"  # root-owned: the sandbox users read, never write
RUN_DIR = "/tmp/run"  # the program's fresh cwd, HOME and scratch space, per test
BUILD_DIR = "/tmp/build"  # the compiler's scratch space (sandbox uid)
STDERR_KEEP = 1024


def read_exact(fd: int, n: int) -> bytes:
    chunks, got = [], 0
    while got < n:
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            raise EOFError(f"stdin closed after {got} of {n} bytes")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def sandbox_pids(spare: int | None = None, uids: tuple[int, ...] = (UID, JUDGE_UID)) -> list[int]:
    pids = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == spare:
            continue
        try:
            if os.stat(f"/proc/{name}").st_uid not in uids:
                continue
            with open(f"/proc/{name}/stat", "rb") as f:
                if f.read().rsplit(b")", 1)[1].split()[0] == b"Z":
                    continue  # a zombie: already dead, waiting to be reaped
        except (OSError, IndexError):
            continue
        pids.append(int(name))
    return pids


def kill_sandbox(spare: int | None = None) -> bool:
    """SIGKILL every process of the sandbox users but `spare`; True once none is left."""
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


def as_sandbox(fn, uid: int = UID) -> bool:  # noqa: ANN001
    """Run trusted `fn()` in a child that became `uid` (root has no DAC override)."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            os.umask(0o022)
            fn()
            os._exit(0)
        except BaseException:  # noqa: BLE001
            os._exit(1)
    return os.waitpid(pid, 0)[1] == 0


def wipe() -> None:
    """Remove everything the calling (sandbox) user could have written to the writable
    mounts; root's files stay (the sticky /tmp and root's own directories protect them)."""
    for top in WIPE_DIRS:
        if not os.path.isdir(top):
            continue
        for root, dirs, files in os.walk(top, topdown=True):
            if root == ROOT_DIR:
                dirs[:] = []
                continue
            for name in dirs:  # the program may have left directories unreadable
                try:
                    os.chmod(os.path.join(root, name), 0o700)
                except OSError:
                    pass
        for root, dirs, files in os.walk(top, topdown=False):
            if root.startswith(ROOT_DIR):
                continue
            for name in files + dirs:
                path = os.path.join(root, name)
                if path == ROOT_DIR:
                    continue
                try:
                    if os.path.isdir(path) and not os.path.islink(path):
                        os.rmdir(path)
                    else:
                        os.unlink(path)
                except OSError:
                    pass


def fresh_dir(path: str) -> None:
    """As the sandbox user: wipe the writable mounts and make `path` anew."""
    wipe()
    os.mkdir(path, 0o755)


def write_files(directory: str, files: dict[str, str]) -> None:
    """As the sandbox user: a fresh `directory` holding `files` (the program's sources)."""
    fresh_dir(directory)
    for name, text in files.items():
        with open(os.path.join(directory, name), "w") as f:
            f.write(text)


def memory_limit_hits() -> int:
    """How often the container reached its memory limit (OOM kills plus allocations that
    hit the limit: a program that stalls there, reclaiming, hits it many times); -1 when
    the cgroup files cannot be read."""
    total, found = 0, False
    for path, keys in (("/sys/fs/cgroup/memory/memory.oom_control", ("oom_kill",)),
                       ("/sys/fs/cgroup/memory/memory.failcnt", ("",)),
                       ("/sys/fs/cgroup/memory.events", ("oom_kill", "max"))):
        try:
            with open(path) as f:
                for line in f:
                    name, _, value = line.strip().rpartition(" ")
                    if name in keys:
                        total, found = total + int(value), True
        except (OSError, ValueError):
            continue
    return total if found else -1


def tail(data: bytes, keep: int = 4096) -> str:
    text = data.decode("utf-8", "replace")
    return text if len(text) <= keep else "..." + text[-keep:]


class Capped:
    """A stream kept as its first and last `keep` bytes; the rest is drained and dropped."""

    def __init__(self, keep: int = STDERR_KEEP) -> None:
        self.keep, self.head, self.tail_bytes, self.total = keep, bytearray(), bytearray(), 0

    def add(self, chunk: bytes) -> None:
        self.total += len(chunk)
        room = self.keep - len(self.head)
        if room > 0:
            self.head += chunk[:room]
            chunk = chunk[room:]
        if chunk:
            self.tail_bytes = (self.tail_bytes + chunk)[-self.keep:]

    def text(self) -> str:
        head = self.head.decode("utf-8", "replace")
        if not self.tail_bytes:
            return head
        dropped = self.total - len(self.head) - len(self.tail_bytes)
        gap = f"\n... ({dropped} bytes dropped) ...\n" if dropped > 0 else ""
        return head + gap + self.tail_bytes.decode("utf-8", "replace")


def run_as(argv: list[str], uid: int, cwd: str, env: dict, timeout: float, file_bytes: int,
           pass_fds: tuple[int, ...] = (), spare: int | None = None
           ) -> tuple[int | None, bytes]:
    """Run trusted tooling (a compiler, a checker) as `uid` under limits, in a new session;
    (exit status or None on timeout, stderr + stdout capped). Every process of the
    sandbox users but `spare` is killed afterwards."""
    try:
        proc = subprocess.run(
            argv, user=uid, group=uid if uid != UID else GID, extra_groups=[], cwd=cwd, env=env,
            stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, pass_fds=pass_fds,
            start_new_session=True, preexec_fn=lambda: limit_child(timeout, file_bytes))
    except subprocess.TimeoutExpired as exc:
        kill_sandbox(spare)
        return None, (exc.stderr or b"") + (exc.stdout or b"")
    except OSError as exc:
        kill_sandbox(spare)
        return 127, f"cannot run {argv[0]}: {exc}".encode()
    kill_sandbox(spare)
    return proc.returncode, proc.stderr + proc.stdout
