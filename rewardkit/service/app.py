"""The reward service's ASGI app (FastAPI): a rubric behind HTTP.

Endpoints (see docs/service.md):

* ``POST /v1/score``: native; samples in, totals + components + statuses + summary out.
* ``POST /get_reward``: OpenRLHF's remote reward model protocol (`rewardkit.service.openrlhf`).
* ``POST /remote_rm`` and ``/remote_rm/dict``: slime's / miles' remote reward model
  (`rewardkit.service.slime`).
* ``POST /verify``: NeMo-Gym's resources-server verify (`rewardkit.service.nemo_gym`).
* ``GET /health``: liveness (always answers while the process serves; reports requests in
  flight). ``GET /ready``: readiness (the rubric's CPU-bound criteria have warmed their
  workers); 503 until then.

Scoring runs on a thread, off the event loop, so ``/health`` stays responsive while
batches score; requests that arrive while a batch scores are merged into the next one
(`rewardkit.service.batcher`). At most `max_concurrency` scoring requests are in flight
(scoring or queued); one more gets a 503 with ``Retry-After``. With a `token`, scoring
endpoints need ``Authorization: Bearer <token>``, except those listed in `open_paths`
(health and readiness stay open for probes).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Callable, Optional

from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from rewardkit.errors import RewardkitError
from rewardkit.rubric import Rubric
from rewardkit.service import nemo_gym, slime
from rewardkit.service.batcher import Batcher
from rewardkit.service.drain import CloseWhenDraining
from rewardkit.service.limits import BodyLimit
from rewardkit.service.models import ScoreRequest, score_payload, to_json
from rewardkit.service.openrlhf import RewardRequest, reward_payload, to_samples
from rewardkit.service.sessions import ToolServiceSettings, add_session_routes
from rewardkit.types import Sample
from rewardkit.validation import problems

log = logging.getLogger("uvicorn.error")  # shown in uvicorn's own log format
SCORING_PATHS = ("/v1/score", "/get_reward", "/remote_rm", "/remote_rm/dict", "/verify")


class ServiceSettings(BaseModel):
    """How the service admits requests."""

    model_config = ConfigDict(extra="forbid")

    token: Optional[str] = Field(None, description="bearer token the scoring endpoints require")
    open_paths: list[str] = Field(default_factory=list, description="scoring endpoints served "
                                  "without the token (e.g. /get_reward, for trainers that "
                                  "send no Authorization header)")
    max_concurrency: int = Field(8, ge=1, description="scoring requests in flight (scoring "
                                 "or queued for the next batch); more get 503")
    max_body_mb: float = Field(16.0, gt=0, description="largest request body, in MB")
    retry_after_s: int = Field(1, ge=0, description="the Retry-After a 503 sends")
    tools: Optional[ToolServiceSettings] = Field(None, description="serve the sandbox's "
                                                 "Python tool as sessions (docs/tools.md)")

    @field_validator("open_paths")
    @classmethod
    def _known_paths(cls, paths: list[str]) -> list[str]:
        unknown = sorted(set(paths) - set(SCORING_PATHS))
        if unknown:
            raise ValueError(f"{', '.join(unknown)} is not a scoring endpoint (choose among "
                             f"{', '.join(SCORING_PATHS)})")
        return paths


class _State:
    def __init__(self, rubric: Rubric, settings: ServiceSettings) -> None:
        self.rubric = rubric
        self.settings = settings
        self.in_flight = 0
        self.ready = False
        self.draining = False  # set on SIGTERM (`rewardkit.service.drain`)
        self.failed: str | None = None
        self.pool: ThreadPoolExecutor | None = None
        self.batcher = Batcher(rubric, self.run)

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.pool, fn, *args)

    async def warm_up(self) -> None:
        try:
            await self.run(warm_up, self.rubric)
            self.ready = True
            log.info("rewardkit service ready: %r", self.rubric)
        except Exception as exc:  # noqa: BLE001 - reported by /ready and every request
            self.failed = f"{type(exc).__name__}: {exc}"
            log.error("rewardkit service failed to warm up: %s", self.failed)


def warm_up(rubric: Rubric) -> None:
    """Build the engine and start the rubric's workers before any request, on one
    thread, so concurrent requests find them built (`Rubric.warm_up`)."""
    rubric.warm_up()


def _json(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(to_json(payload), status, headers, media_type="application/json")


def create_app(rubric: Rubric, settings: ServiceSettings | None = None) -> FastAPI:
    """The service for `rubric`; the app owns the rubric and closes it at shutdown."""
    settings = settings or ServiceSettings()
    state = _State(rubric, settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state.pool = ThreadPoolExecutor(2, thread_name_prefix="rewardkit-score")
        warming = asyncio.create_task(state.warm_up())
        try:
            yield
        finally:
            await asyncio.wait([warming])
            await state.run(rubric.close)
            state.pool.shutdown(wait=False)
            log.info("rewardkit service stopped; reward workers closed")

    app = FastAPI(title="rewardkit reward service", lifespan=lifespan)
    app.state.rewardkit = state
    app.add_middleware(BodyLimit, max_bytes=int(settings.max_body_mb * 1024 ** 2))
    app.add_middleware(CloseWhenDraining, draining=lambda: state.draining)

    def authorize(request: Request, authorization: Optional[str] = Header(None)) -> None:
        if settings.token is None or request.url.path in settings.open_paths:
            return
        challenge = {"WWW-Authenticate": "Bearer"}
        if not authorization or not authorization.lower().startswith("bearer "):
            raise HTTPException(401, "missing bearer token: send the header "
                                "'Authorization: Bearer <token>'", challenge)
        if not hmac.compare_digest(authorization[7:].strip().encode(), settings.token.encode()):
            raise HTTPException(401, "invalid bearer token", challenge)

    @asynccontextmanager
    async def admitted() -> AsyncIterator[None]:
        retry = {"Retry-After": str(settings.retry_after_s)}
        if state.draining:
            raise HTTPException(503, "the service is shutting down; retry against another "
                                "replica or once it is back", {**retry, "Connection": "close"})
        if state.failed:
            raise HTTPException(503, f"the service failed to start: {state.failed}")
        if not state.ready:
            raise HTTPException(503, "the service is warming up its reward workers; retry "
                                "shortly (GET /ready says when)", retry)
        if state.in_flight >= settings.max_concurrency:
            raise HTTPException(503, f"the service is at its concurrency limit "
                                f"({settings.max_concurrency} scoring requests in flight); "
                                f"retry after {settings.retry_after_s} s, or start it with a "
                                "larger --max-concurrency", retry)
        state.in_flight += 1
        try:
            yield
        finally:
            state.in_flight -= 1

    async def score(samples: list[Sample]) -> Any:
        async with admitted():
            try:
                return await state.batcher.score(samples)
            except RewardkitError as exc:
                raise HTTPException(500, str(exc)) from None

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        bad_json = [e for e in errors if e.get("type") == "json_invalid"]
        if bad_json:
            ctx = bad_json[0].get("ctx") or {}
            where = ".".join(str(p) for p in bad_json[0].get("loc", ())[1:])
            return JSONResponse({"detail": f"the request body is not valid JSON "
                                 f"({ctx.get('error', 'parse error')} at {where})"}, 400)
        lines = problems(errors)
        if "json" not in request.headers.get("content-type", ""):
            lines.append("send the body as JSON with the header 'Content-Type: application/json'")
        return JSONResponse({"detail": "invalid request: " + "; ".join(lines),
                             "errors": [{"loc": list(e.get("loc", ())), "msg": e.get("msg"),
                                         "type": e.get("type")} for e in errors]}, 422)

    @app.get("/health")
    async def health() -> dict[str, Any]:
        """Liveness: the process serves requests."""
        return {"status": "ok", "ready": state.ready, "in_flight": state.in_flight}

    @app.get("/ready")
    async def ready() -> Response:
        """Readiness: the rubric is built and its workers are warm."""
        if state.ready:
            return _json({"status": "ready", "criteria": rubric.names})
        if state.failed:
            return _json({"status": "failed", "detail": state.failed}, 503)
        return _json({"status": "warming_up"}, 503, {"Retry-After": "1"})

    @app.post("/v1/score", dependencies=[Depends(authorize)])
    async def score_native(body: ScoreRequest) -> Response:
        """Score a batch: one result per sample, in order, plus a summary."""
        result = await score([s.to_sample() for s in body.samples])
        return _json(score_payload(result))

    @app.post("/get_reward", dependencies=[Depends(authorize)])
    async def get_reward(body: RewardRequest) -> Response:
        """OpenRLHF's remote reward model protocol."""
        samples, found = to_samples(body)
        result = await score(samples)
        return _json(reward_payload(result, found))

    for wire in (slime, nemo_gym):  # other trainers' wire formats, one module each
        wire.register(app, score, _json, [Depends(authorize)])
    if settings.tools is not None:
        add_session_routes(app, settings.tools, authorize)
    return app
