"""A detached process that removes this process's sandbox containers once it is gone.

`atexit` does not run when a trainer is killed (SIGKILL, OOM killer, a crashed node
agent); its containers would stay until the next pool on the host sweeps them. The
watchdog holds the read end of a pipe whose write end only the owner holds: when the
owner dies, for any reason, the pipe reaches end of file and the watchdog removes every
container labelled with the owner (``rewardkit.sandbox.owner=<host>:<pid>``), then exits.
It also checks every few seconds that the owner pid is alive (a forked child of the
owner may keep the pipe open).

    python -m rewardkit_sandbox.watchdog PID OWNER FD
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import threading
from typing import Any

from rewardkit_sandbox.container import OWNER_LABEL, owner
from rewardkit_sandbox.pool import _alive as owner_alive

POLL_SECONDS = 2.0
_started: dict[int, int] = {}  # owner pid -> write end of its pipe
_lock = threading.Lock()


def ensure_watchdog() -> bool:
    """Start this process's watchdog once (a no-op after the first call); True if started."""
    with _lock:
        if os.getpid() in _started:
            return False
        read_end, write_end = os.pipe()
        try:
            subprocess.Popen(
                [sys.executable, "-m", "rewardkit_sandbox.watchdog", str(os.getpid()), owner(),
                 str(read_end)], pass_fds=(read_end,), start_new_session=True,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        finally:
            os.close(read_end)
        _started[os.getpid()] = write_end  # held open until this process ends
        return True


def wait_for_owner(pid: int, fd: int, poll: float = POLL_SECONDS) -> None:
    """Return once the owner's pipe reached end of file or the owner pid is gone."""
    while owner_alive(pid):
        ready, _, _ = select.select([fd], [], [], poll)
        if ready and not os.read(fd, 1):
            return


def remove_owned(client: Any, who: str) -> int:
    """Remove every sandbox container labelled as owned by `who`; how many."""
    removed = 0
    for container in client.containers.list(all=True, filters={"label": f"{OWNER_LABEL}={who}"}):
        try:
            container.remove(force=True)
            removed += 1
        except Exception:  # noqa: BLE001, S110 - already gone
            pass
    return removed


def main(argv: list[str]) -> int:
    pid, who, fd = int(argv[1]), argv[2], int(argv[3])
    wait_for_owner(pid, fd)
    from rewardkit_sandbox.pool import docker_client

    remove_owned(docker_client(timeout=30), who)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
