"""The sandbox's Python tool over HTTP: sessions for trainers outside this process.

``rewardkit serve --tools`` adds (see docs/tools.md for the request shapes):

* ``GET /v1/tools``: the tool's schema, in OpenAI's function-calling format;
* ``POST /v1/sessions``: open a session (one sandbox container: state persists across
  its calls); 201 with its id and limits, 503 when `max_sessions` are open;
* ``POST /v1/sessions/{id}/call``: run code, given as ``{"code": ...}`` or as an OpenAI
  ``tool_call``; the answer carries the text for the model (and, for a ``tool_call``, a
  ready ``role: tool`` message), the status and the calls left;
* ``DELETE /v1/sessions/{id}``: close it; returns the session's call record.

Every route needs the service's bearer token when one is set. Sessions unused for
`idle_timeout_s` are closed when the next session opens. The sandbox code (docker) is
imported only when the first session opens; containers are removed at exit.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel, ConfigDict, Field, model_validator


class ToolServiceSettings(BaseModel):
    """Limits of the HTTP Python tool."""

    model_config = ConfigDict(extra="forbid")

    timeout: float = Field(10.0, gt=0, description="seconds per call (wall clock and CPU)")
    memory_mb: int = Field(512, ge=64, description="per session")
    max_output_chars: int = Field(2000, ge=16, description="of output returned per call")
    max_calls: int = Field(32, ge=1, description="per session; later calls are refused")
    max_sessions: int = Field(8, ge=1, description="open at once (one container each)")
    idle_timeout_s: float = Field(600.0, gt=0, description="an unused session is closed")


class ToolCallFunction(BaseModel):
    name: str
    arguments: Any  # a JSON string (OpenAI) or an object


class ToolCall(BaseModel):
    id: str | None = None
    type: str = "function"
    function: ToolCallFunction


class CallRequest(BaseModel):
    """``{"code": "..."}`` or ``{"tool_call": {"id", "type": "function", "function": ...}}``."""

    model_config = ConfigDict(extra="forbid")

    code: str | None = None
    tool_call: ToolCall | None = None

    @model_validator(mode="after")
    def _one(self) -> CallRequest:
        if (self.code is None) == (self.tool_call is None):
            raise ValueError("give exactly one of 'code' or 'tool_call'")
        return self

    def source(self) -> str:
        if self.code is not None:
            return self.code
        assert self.tool_call is not None  # the validator allows exactly one of the two
        function = self.tool_call.function
        if function.name != "run_python":
            raise HTTPException(400, f"unknown tool {function.name!r}; this service has "
                                "'run_python' (GET /v1/tools)")
        arguments = function.arguments
        if isinstance(arguments, str):
            try:
                arguments = json.loads(arguments)
            except ValueError:
                raise HTTPException(400, "tool_call.function.arguments is not valid JSON") from None
        if not isinstance(arguments, dict) or not isinstance(arguments.get("code"), str):
            raise HTTPException(400, "tool_call.function.arguments needs a string 'code'")
        return arguments["code"]


class SessionRegistry:
    """Open sessions by id, each a `PythonEnvironment`; closes idle ones."""

    def __init__(self, settings: ToolServiceSettings) -> None:
        self.settings = settings
        self._sessions: dict[str, tuple[Any, float]] = {}
        self._lock = threading.Lock()
        self._tool_settings: Any = None

    def tool_settings(self) -> Any:
        from rewardkit_sandbox.tool import ToolSettings

        s = self.settings
        return ToolSettings(s.timeout, s.memory_mb, s.max_output_chars, s.max_calls,
                            s.max_sessions, wait=5.0)

    def open(self) -> str:
        from rewardkit_sandbox.tool import PythonEnvironment

        self.close_idle()
        with self._lock:
            if len(self._sessions) >= self.settings.max_sessions:
                raise HTTPException(503, f"{self.settings.max_sessions} sessions are open (the "
                                    "limit); close one (DELETE /v1/sessions/ID) and retry",
                                    {"Retry-After": "1"})
            if self._tool_settings is None:
                self._tool_settings = self.tool_settings()
            session_id = secrets.token_hex(12)
            environment = PythonEnvironment(self._tool_settings)
            environment.reset()
            self._sessions[session_id] = (environment, time.monotonic())
        return session_id

    def get(self, session_id: str) -> Any:
        with self._lock:
            found = self._sessions.get(session_id)
            if found is None:
                raise HTTPException(404, f"no open session {session_id!r} (closed, idle past "
                                    f"{self.settings.idle_timeout_s:g} s, or never opened)")
            self._sessions[session_id] = (found[0], time.monotonic())
            return found[0]

    def close(self, session_id: str) -> Any:
        with self._lock:
            found = self._sessions.pop(session_id, None)
        if found is None:
            raise HTTPException(404, f"no open session {session_id!r}")
        found[0]._end_session()
        return found[0]

    def close_idle(self) -> None:
        cutoff = time.monotonic() - self.settings.idle_timeout_s
        with self._lock:
            idle = [k for k, (_, used) in self._sessions.items() if used < cutoff]
            closing = [self._sessions.pop(k)[0] for k in idle]
        for environment in closing:
            environment._end_session()

    def close_all(self) -> None:
        with self._lock:
            closing = [env for env, _ in self._sessions.values()]
            self._sessions.clear()
        for environment in closing:
            environment._end_session()


def tool_schema() -> dict[str, Any]:
    """``run_python`` in OpenAI's function-calling format."""
    from rewardkit_sandbox.tool import RUN_PYTHON_SCHEMA

    return RUN_PYTHON_SCHEMA


def add_session_routes(app: FastAPI, settings: ToolServiceSettings,
                       authorize: Callable[..., None]) -> SessionRegistry:
    """Add the session endpoints (module docstring) to `app`."""
    registry = SessionRegistry(settings)
    guard = [Depends(authorize)]
    app.state.tool_sessions = registry

    @app.get("/v1/tools", dependencies=guard)
    async def tools() -> dict[str, Any]:
        """The tool this service runs, in OpenAI's function-calling format."""
        return {"tools": [tool_schema()],
                "limits": settings.model_dump()}

    @app.post("/v1/sessions", dependencies=guard, status_code=201)
    async def open_session() -> dict[str, Any]:
        """Open a session: a fresh interpreter whose state persists across its calls."""
        session_id = await asyncio.to_thread(registry.open)
        return {"session_id": session_id, "limits": settings.model_dump()}

    @app.post("/v1/sessions/{session_id}/call", dependencies=guard)
    async def call(session_id: str, body: CallRequest) -> dict[str, Any]:
        """Run code in the session; the answer is never an HTTP error for the code's own errors."""
        environment = registry.get(session_id)
        code = body.source()
        output = await asyncio.to_thread(environment.run_python, code)
        record = environment.tool_calls[-1]
        answer = {"status": record.status, "output": output, "seconds": record.seconds,
                  "calls_left": max(0, settings.max_calls - len(environment.tool_calls))}
        if body.tool_call is not None:
            answer["message"] = {"role": "tool", "tool_call_id": body.tool_call.id,
                                 "name": "run_python", "content": output}
        return answer

    @app.delete("/v1/sessions/{session_id}", dependencies=guard)
    async def close_session(session_id: str) -> dict[str, Any]:
        """Close the session (its container is wiped); returns its call record."""
        environment = await asyncio.to_thread(registry.close, session_id)
        return {"closed": True, "tool_calls": [c.to_dict() for c in environment.tool_calls]}

    return registry
