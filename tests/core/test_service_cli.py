"""`rewardkit serve` as a real process: it serves, and SIGTERM finishes requests in flight."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

from typer.testing import CliRunner  # noqa: E402

from rewardkit.cli.app import build_app  # noqa: E402
from tests.polling import wait_until  # noqa: E402

ROOT = Path(__file__).parents[2]
RUBRIC = """
workers: 1
criteria:
  - name: len
    reward: tests.core.rewards_for_tests:misbehave
  - name: pause
    reward: tests.core.rewards_for_scale:pause
    weight: 0
"""


def start(rubric: Path, *args: str) -> tuple[subprocess.Popen, str, queue.Queue]:
    """Start `rewardkit serve` on a free loopback port; returns (process, URL, log lines)."""
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    proc = subprocess.Popen([sys.executable, "-m", "rewardkit", "serve", "--rubric", str(rubric),
                             "--port", "0", *args], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stderr], daemon=True).start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            if proc.poll() is not None:
                break
            continue
        found = re.search(r"running on (http://127\.0\.0\.1:\d+)", line)
        if found:
            return proc, found.group(1), lines
    proc.kill()
    pytest.fail(f"rewardkit serve did not start (exit code {proc.poll()})")


def drain(lines: queue.Queue) -> str:
    out = []
    while not lines.empty():
        out.append(lines.get())
    return "".join(out)


@pytest.mark.parametrize("executor", ["local", "ray"])
def test_sigterm_finishes_requests_in_flight_then_exits_cleanly(tmp_path, executor):
    if executor == "ray":
        pytest.importorskip("ray")
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(RUBRIC)
    proc, url, lines = start(rubric, "--token", "tok", "--executor", executor)
    try:
        auth = {"Authorization": "Bearer tok"}
        with httpx.Client(base_url=url, timeout=30) as client:
            def ready():
                assert proc.poll() is None, drain(lines)
                return client.get("/ready").status_code == 200

            wait_until(ready, within=120, what="the service to be ready")
            replies = []
            slow = threading.Thread(target=lambda: replies.append(client.post(
                "/v1/score", headers=auth,
                json={"samples": [{"completion": "abc", "metadata": {"sleep": 2}}]})))
            slow.start()
            wait_until(lambda: client.get("/health").json()["in_flight"] >= 1,
                       what="the slow request to be in flight")
            proc.send_signal(signal.SIGTERM)
            slow.join()
            # uvicorn >= 0.29 re-raises the signal once it has shut down cleanly
            assert proc.wait(timeout=30) in (0, -signal.SIGTERM)
        assert replies[0].status_code == 200
        assert replies[0].json()["results"][0]["total"] == 3.0
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{url}/health", timeout=5)
        log = drain(lines)
        assert "Waiting for background tasks" in log or "Shutting down" in log
        assert "reward workers closed" in log
    finally:
        if proc.poll() is None:
            proc.kill()


def run(*args: str):
    return CliRunner().invoke(build_app(list(args)), list(args))


def test_serve_rejects_a_missing_rubric_file(tmp_path):
    result = run("serve", "--rubric", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "cannot read rubric file" in result.output


def test_serve_rejects_an_unknown_executor(tmp_path):
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(RUBRIC)
    result = run("serve", "--rubric", str(rubric), "--executor", "spark")
    assert result.exit_code == 2
    assert "Invalid value for '--executor'" in result.output


def test_serve_rejects_an_unknown_open_path_naming_the_endpoints(tmp_path):
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(RUBRIC)
    result = run("serve", "--rubric", str(rubric), "--open-path", "/bogus")
    assert result.exit_code == 2
    assert "serve options: key 'open_paths': Value error, /bogus is not a scoring endpoint" \
        in " ".join(result.output.split())


def test_executor_flag_keeps_the_rubric_ray_settings_and_overrides_other_kinds():
    from rewardkit import Rubric

    crit = [{"reward": "tests.core.rewards_for_tests:length"}]
    on_ray = Rubric.from_dict({"criteria": crit, "executor": {"kind": "ray", "address": "auto"}})
    on_ray.configure(workers=3, executor="ray")
    assert on_ray.executor.address == "auto" and on_ray.workers == 3
    on_ray.configure(executor="local")
    assert on_ray.executor == "local" and on_ray.workers == 3
    local = Rubric.from_dict({"criteria": crit})
    local.configure(executor="ray")
    assert local.executor == "ray"
