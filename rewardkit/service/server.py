"""Running the service under uvicorn: in the foreground (`rewardkit serve`) or a thread.

On SIGTERM or Ctrl-C the server stops accepting connections, drains the open ones (every
accepted request gets its answer, or a 503 with ``Connection: close``; see
`rewardkit.service.drain`) for up to `graceful_timeout` seconds, then the app closes the
rubric's workers.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from typing import Any, Iterator

from rewardkit.rubric import Rubric
from rewardkit.service.app import ServiceSettings, create_app


def uvicorn_config(app: Any, host: str, port: int, graceful_timeout: float = 30.0,
                   log_level: str = "info") -> Any:
    import uvicorn

    return uvicorn.Config(app, host=host, port=port,
                          log_level=log_level, lifespan="on", access_log=log_level == "debug",
                          timeout_graceful_shutdown=graceful_timeout)  # type: ignore[arg-type]


def run_server(rubric: Rubric, settings: ServiceSettings, host: str = "127.0.0.1",
               port: int = 8000, graceful_timeout: float = 30.0, log_level: str = "info") -> None:
    """Serve until SIGTERM / SIGINT, then drain in-flight requests and close the rubric."""
    app = create_app(rubric, settings)
    draining_server(app, uvicorn_config(app, host, port, graceful_timeout, log_level)).run()


def draining_server(app: Any, config: Any) -> Any:
    """A uvicorn server for `app` that drains its connections on shutdown."""
    from rewardkit.service.drain import DrainingServer

    state = app.state.rewardkit
    return DrainingServer(config, lambda: setattr(state, "draining", True))


@contextmanager
def running_server(rubric: Rubric, settings: ServiceSettings | None = None,
                   host: str = "127.0.0.1", port: int = 0, wait_ready: bool = True,
                   startup_timeout: float = 60.0) -> Iterator[str]:
    """Serve `rubric` from a background thread; yields the base URL (``http://host:port``).

    ``port=0`` picks a free port. With `wait_ready`, returns once ``/ready`` would say so.
    """
    app = create_app(rubric, settings)
    state = app.state.rewardkit
    server = draining_server(app, uvicorn_config(app, host, port, graceful_timeout=10.0,
                                                 log_level="warning"))
    thread = threading.Thread(target=server.run, name="rewardkit-service", daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not (server.started and server.servers):
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the service did not start on {host}:{port} (see the log above)")
        time.sleep(0.02)
    while wait_ready and not state.ready:
        if state.failed or time.monotonic() > deadline:
            server.should_exit = True
            thread.join()
            why = state.failed or f"still warming up after {startup_timeout:g} s"
            raise RuntimeError(f"the service did not become ready: {why}")
        time.sleep(0.02)
    bound = server.servers[0].sockets[0].getsockname()
    try:
        yield f"http://{bound[0]}:{bound[1]}"
    finally:
        server.should_exit = True
        thread.join()

