"""A bounded loopback load on `rewardkit serve`, with SIGTERM in the middle of it.

`run_once()` starts the service in a subprocess, lets `clients` threads (one keep-alive
connection each, or a new connection per request) send one-sample requests in a loop, sends SIGTERM once `before` replies
have come back, and returns how every request ended:

* ``ok`` (200), ``busy`` (503 before the shutdown), ``draining`` (503 with
  ``Connection: close``), ``refused`` (the connection was not accepted: the client stops);
* ``dropped``: the connection closed with no reply, what must never happen.

Also runnable as a script to repeat it: ``python -m tests.core.sigterm_load 5``.
"""

from __future__ import annotations

import collections
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUBRIC = 'workers: 1\ncriteria:\n  - {reward: "tests.core.rewards_for_scale:pause"}\n'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(tmp: Path, port: int, env: dict[str, str]) -> subprocess.Popen:
    rubric = tmp / "rubric.yaml"
    rubric.write_text(RUBRIC)
    return subprocess.Popen([sys.executable, "-m", "rewardkit", "serve", "-r", str(rubric),
                             "--port", str(port), "--max-concurrency", "64",
                             "--graceful-timeout", "20", "--log-level", "warning"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def wait_ready(httpx, url: str, proc: subprocess.Popen, deadline: float) -> None:
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the service exited: {proc.stderr.read()}")
        try:
            if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the service did not become ready")


def run_once(tmp: Path, clients: int = 64, before: int = 256, per_client: int = 300,
             env: dict[str, str] | None = None, keep_alive: bool = True) -> collections.Counter:
    import httpx

    env = env or {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), os.environ.get("PYTHONPATH", "")])}
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = start(tmp, port, env)
    outcomes: collections.Counter = collections.Counter()
    lock = threading.Condition()
    body = {"samples": [{"completion": "a", "metadata": {"sleep": 0.002}}]}
    deadline = time.monotonic() + 120
    try:
        wait_ready(httpx, url, proc, deadline)

        def client() -> None:
            limits = httpx.Limits(max_keepalive_connections=None if keep_alive else 0)
            with httpx.Client(base_url=url, timeout=60, limits=limits) as http:
                for _ in range(per_client):
                    try:
                        reply = http.post("/v1/score", json=body)
                    except httpx.ConnectError:
                        outcome = "refused"
                    except httpx.TransportError:
                        outcome = "dropped"
                    else:
                        closing = reply.headers.get("connection", "").lower() == "close"
                        outcome = {200: "ok", 503: "draining" if closing else "busy"}.get(
                            reply.status_code, f"http {reply.status_code}")
                    with lock:
                        outcomes[outcome] += 1
                        lock.notify_all()
                    if outcome in ("refused", "dropped") or time.monotonic() > deadline:
                        return

        threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
        for thread in threads:
            thread.start()
        with lock:
            lock.wait_for(lambda: sum(outcomes.values()) >= before,
                          timeout=max(0.0, deadline - time.monotonic()))
        proc.send_signal(signal.SIGTERM)
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        outcomes["server_exit"] = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return outcomes


if __name__ == "__main__":
    import tempfile

    for i in range(int(sys.argv[1]) if len(sys.argv) > 1 else 5):
        with tempfile.TemporaryDirectory() as tmp:
            print(i, dict(run_once(Path(tmp))), flush=True)
