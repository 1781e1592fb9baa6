"""ASGI middleware that answers 413 to request bodies over a size limit.

A declared ``Content-Length`` over the limit is refused before the body is read; a
chunked body is counted as it streams and refused as soon as it passes the limit.
"""

from __future__ import annotations

import json
from typing import Any, Awaitable, Callable

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class _TooLarge(Exception):
    pass


class BodyLimit:
    """Refuse request bodies larger than `max_bytes` with a 413 that says what to do."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _message(self, got: str) -> str:
        limit_mb = self.max_bytes / 1024 ** 2
        return (f"the request body ({got}) is over the {limit_mb:.3g} MB limit; send fewer "
                "samples per request or start the service with a larger --max-body-mb")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                await _reply(send, 400, "the Content-Length header is not a number")
                return
            if size > self.max_bytes:
                await _reply(send, 413, self._message(f"{size / 1024 ** 2:.1f} MB"))
                return
        received = 0
        refused = started = False

        async def counting_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    refused = True
                    raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            # The app may turn the receive error into its own reply (FastAPI: a 400);
            # whatever it answers, the client gets the 413.
            nonlocal started
            if refused:
                if message["type"] == "http.response.start" and not started:
                    started = True
                    await _reply(send, 413, self._message(f"more than {received} bytes"))
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except _TooLarge:
            if not started:
                started = True
                await _reply(send, 413, self._message(f"more than {received} bytes"))


async def _reply(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
