"""One locked-down sandbox container, and running one job in it over a raw exec socket.

Every container: no network (loopback only, with no TIME_WAIT so ports bind again),
read-only root, a size-capped tmpfs at /tmp, all
capabilities dropped but SETUID/SETGID/KILL (kept by the root runner only: the program
runs as an unprivileged uid with none), no-new-privileges, memory (swap included),
process-count and CPU limits, logging disabled, and labels naming the owning process so
leaked containers can be found and removed.

One ``docker exec`` of the runner per container serves all its jobs over the exec's raw
socket (framed JSON in, JSON lines out). `docker exec` has no timeout and the SDK's
streams can hang, so the socket is read directly, with a host-side deadline and a byte
cap; past either, the caller destroys the container.
"""

from __future__ import annotations

import json
import os
import socket
import struct
import time
from dataclasses import dataclass
from typing import Any

from rewardkit_sandbox.image import KEEPER_CMD, RUNNER_PATH

LABEL = "rewardkit.sandbox"
OWNER_LABEL = "rewardkit.sandbox.owner"
RESULT_CAP = 16 << 20  # bytes of runner output the host accepts per job


class SandboxError(RuntimeError):
    """The sandbox itself failed (daemon unreachable, container broken), not the program."""


@dataclass(frozen=True)
class Limits:
    """Resource limits for every container and test."""

    memory_mb: int = 512
    pids: int = 128
    cpus: float = 1.0
    tmpfs_mb: int = 64
    test_timeout: float = 5.0
    compile_timeout: float = 30.0
    output_bytes: int = 2 << 20

    def __post_init__(self) -> None:
        minimums = {"memory_mb": 32, "pids": 16, "cpus": 0.1, "tmpfs_mb": 1,
                    "test_timeout": 0.05, "compile_timeout": 0.5, "output_bytes": 1024}
        for name, low in minimums.items():
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or value < low:
                raise ValueError(f"Limits.{name} must be a number >= {low}, got {value!r}")

    def job_timeout(self, tests: int, builds: int = 1, per_test: float = 0.0) -> float:
        """Host-side wall clock for a whole job: every build (the program, each appended
        test variant, each judge), every test (plus `per_test`: start-up allowance,
        checker), cleanup slack."""
        return (builds * self.compile_timeout + tests * (self.test_timeout + per_test + 1.0)
                + 10.0)

    def for_runner(self) -> dict[str, Any]:
        return {"test_timeout": self.test_timeout, "compile_timeout": self.compile_timeout,
                "output_bytes": self.output_bytes, "file_bytes": self.tmpfs_mb << 20}


def owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def create_container(client: Any, image: str, limits: Limits) -> Any:
    from docker.types import LogConfig

    container = client.containers.create(  # create, not run: run would try to pull
        image, KEEPER_CMD, user="0", network_mode="none", read_only=True,
        cap_drop=["ALL"], cap_add=["SETUID", "SETGID", "KILL"],
        security_opt=["no-new-privileges"],
        mem_limit=f"{limits.memory_mb}m", memswap_limit=f"{limits.memory_mb}m",
        pids_limit=limits.pids, nano_cpus=int(limits.cpus * 1e9),
        tmpfs={"/tmp": f"rw,exec,nosuid,nodev,size={limits.tmpfs_mb}m,nr_inodes=16384,mode=1777"},
        shm_size=str(1 << 20), ipc_mode="private", hostname="sandbox",
        log_config=LogConfig(type=LogConfig.types.NONE), environment={},
        labels={LABEL: "1", OWNER_LABEL: owner()},
        # No TIME_WAIT sockets in the container's own network namespace: a program that
        # binds a fixed loopback port can bind it again in the next test.
        sysctls={"net.ipv4.tcp_max_tw_buckets": "0"},
    )
    try:
        container.start()
    except Exception:
        container.remove(force=True)
        raise
    return container


class Session:
    """One long-lived ``docker exec`` of the runner in a container, serving many jobs.

    Not thread-safe on its own: the pool hands a container (and its session) to one
    caller at a time. After a deadline or a broken stream the session is unusable and
    the container must be destroyed (an exec cannot be killed).
    """

    def __init__(self, client: Any, container_id: str,
                 command: tuple[str, ...] = ("python3", "-I", "-S", RUNNER_PATH, "serve")) -> None:
        exec_id = client.api.exec_create(container_id, list(command),
                                         stdin=True, stdout=True, stderr=True, user="0")["Id"]
        self._wrapper = client.api.exec_start(exec_id, socket=True)
        self._sock = getattr(self._wrapper, "_sock", self._wrapper)
        self._pending = bytearray()
        self._stdout = bytearray()
        self._stderr = bytearray()
        self.broken = False

    def run(self, job: dict[str, Any], timeout: float) -> tuple[list[dict[str, Any]], bool]:
        """Send one job; (the runner's lines for it, finished before the deadline)."""
        if self.broken:
            raise SandboxError("this sandbox session is broken; the container must be replaced")
        deadline = time.monotonic() + timeout
        payload = json.dumps(job).encode()
        try:
            self._sock.settimeout(max(1.0, timeout))
            self._sock.sendall(struct.pack(">Q", len(payload)) + payload)
            finished = self._read_until_done(deadline)
        except OSError as exc:
            self.broken = True
            raise SandboxError(f"lost the connection to the sandbox runner: {exc}") from None
        if not finished:
            self.broken = True
        raw, self._stdout = bytes(self._stdout), bytearray()
        lines = []
        for line in raw.splitlines():
            try:
                lines.append(json.loads(line))
            except ValueError:
                continue
        return lines, finished

    def _read_until_done(self, deadline: float) -> bool:
        total = 0
        while b'"done": true' not in self._stdout:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            self._sock.settimeout(remaining)
            try:
                chunk = self._sock.recv(1 << 16)
            except socket.timeout:
                return False
            if not chunk:
                self.broken = True
                stderr = self._stderr.decode("utf-8", "replace")[-2000:].strip()
                raise SandboxError(f"the sandbox runner exited: {stderr or 'no output'}")
            total += len(chunk)
            if total > RESULT_CAP:
                self.broken = True
                raise SandboxError(f"the runner wrote more than {RESULT_CAP} bytes for one job")
            self._pending += chunk
            while len(self._pending) >= 8:  # docker's stream frames: type, 3 pad, size
                stream, size = self._pending[0], struct.unpack(">I", self._pending[4:8])[0]
                if len(self._pending) < 8 + size:
                    break
                target = self._stdout if stream == 1 else self._stderr
                target.extend(self._pending[8:8 + size])
                del self._pending[:8 + size]
        return True

    def close(self) -> None:
        self.broken = True
        for closable in (self._sock, self._wrapper):
            try:
                closable.close()
            except OSError:
                pass
