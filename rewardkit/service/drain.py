"""Graceful shutdown under load: every accepted request gets a whole answer.

uvicorn's own shutdown closes every idle keep-alive connection at once, and closes the
listening socket with connections the kernel has already accepted still queued on it.
Under load both drop requests with no reply: a keep-alive connection is idle only for the
instant between a reply and the client's next request, whose bytes may already be on the
wire, and a client that opens a connection per request finds it reset. `DrainingServer`
drains first:

1. it stops listening, after taking over the connections already queued on the
   listening socket (a client that connects later is refused: nothing was accepted);
2. the app answers every new scoring request on an open connection with 503,
   ``Retry-After`` and ``Connection: close``, and every reply during the drain carries
   ``Connection: close`` (`CloseWhenDraining`), so each client's connection ends cleanly
   after its answer and requests in flight finish normally;
3. a connection that stays idle for `idle_grace` seconds (its client sent nothing after
   its last answer) is closed; then uvicorn's own shutdown runs.

The drain is bounded by uvicorn's ``timeout_graceful_shutdown``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import uvicorn

IDLE_GRACE_S = 0.5


class DrainingServer(uvicorn.Server):
    """A `uvicorn.Server` that drains connections before shutting down (module docstring)."""

    def __init__(self, config: uvicorn.Config, start_draining: Callable[[], None],
                 idle_grace: float = IDLE_GRACE_S) -> None:
        super().__init__(config)
        self.start_draining = start_draining
        self.idle_grace = idle_grace

    async def shutdown(self, sockets: Any = None) -> None:
        self.start_draining()  # from now on every request is answered 503 + close
        for server in self.servers:
            await _stop_listening(server)  # refuse new connections; open ones are served
        for sock in sockets or []:
            sock.close()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (self.config.timeout_graceful_shutdown or 30.0)
        idle_since: dict[Any, tuple[Any, float]] = {}
        while self.server_state.connections and not self.force_exit and loop.time() < deadline:
            now = loop.time()
            for connection in list(self.server_state.connections):
                cycle = getattr(connection, "cycle", None)
                if cycle is not None and not cycle.response_complete:
                    idle_since.pop(connection, None)  # a request is being answered
                    continue
                seen = idle_since.get(connection)
                if seen is None or seen[0] is not cycle:
                    idle_since[connection] = (cycle, now)
                elif now - seen[1] >= self.idle_grace:
                    connection.shutdown()  # idle since its last answer: nothing in flight
            await asyncio.sleep(0.05)
        await super().shutdown(sockets=None)


async def _stop_listening(server: Any) -> None:
    """Close `server`'s listening sockets, serving the connections queued on them first.

    Closing a listening socket resets the connections the kernel accepted that the
    event loop has not picked up yet. They are accepted here, right before the close,
    and handed to the server's protocol (uses asyncio's `Server` attributes
    ``_sockets`` and ``_protocol_factory``; without them, a plain close).
    """
    listening = list(getattr(server, "_sockets", None) or [])
    factory = getattr(server, "_protocol_factory", None)
    if not listening or factory is None:
        server.close()
        return
    loop = asyncio.get_running_loop()
    for sock in listening:
        loop.remove_reader(sock.fileno())  # the loop stops accepting; the kernel queues
    queued = []
    for sock in listening:
        while True:
            try:
                queued.append(sock.accept()[0])
            except OSError:  # BlockingIOError: the queue is empty
                break
    server.close()  # right after the last accept: the smallest window for a reset
    for conn in queued:
        conn.setblocking(False)
        await loop.connect_accepted_socket(factory, conn)


class CloseWhenDraining:
    """ASGI middleware: while `draining()`, every reply carries ``Connection: close``."""

    def __init__(self, app: Any, draining: Callable[[], bool]) -> None:
        self.app = app
        self.draining = draining

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def closing_send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start" and self.draining():
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() != b"connection"]
                message = {**message, "headers": [*headers, (b"connection", b"close")]}
            await send(message)

        await self.app(scope, receive, closing_send)
