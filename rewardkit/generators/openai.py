"""The `openai` backend: any OpenAI-compatible /v1/chat/completions or /v1/completions server.

vLLM, TGI, llama.cpp, SGLang and hosted APIs speak it. The client is async (httpx):

* at most `concurrency` requests in flight per event loop;
* `requests_per_minute` spaces request starts evenly (shared across threads and loops);
* 429, 408 and 5xx replies, timeouts and connection errors are retried with exponential
  backoff and jitter; a ``Retry-After`` header sets the wait instead;
* `timeout` bounds each attempt and `deadline` the whole request, retries included;
* the API key is read from the environment variable named by `api_key_env`, so it never
  sits in a config file, a pickle or a cache key.

Any failure raises `GenerationError` with the reason (status, body excerpt, attempts).
"""

from __future__ import annotations

import asyncio
import email.utils
import os
import random
import threading
import time
from typing import Any, AsyncIterator, Literal, Sequence

from pydantic import BaseModel, ConfigDict, Field

from rewardkit.errors import ConfigError
from rewardkit.generators.base import BaseGenerator, GenerationError, check_n, cut_at_stop
from rewardkit.runtime_state import runtime

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


class OpenAIConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    base_url: str = Field(description="e.g. http://127.0.0.1:8000/v1")
    model: str
    endpoint: Literal["chat", "completions"] = "chat"
    api_key_env: str | None = Field(None, description="environment variable holding the key")
    system_prompt: str | None = None
    concurrency: int = Field(16, ge=1, description="requests in flight at once")
    requests_per_minute: float | None = Field(None, gt=0)
    max_retries: int = Field(4, ge=0)
    backoff: float = Field(0.5, ge=0, description="first retry delay in seconds, doubling")
    max_backoff: float = Field(30.0, ge=0)
    timeout: float = Field(60.0, gt=0, description="seconds per attempt")
    deadline: float | None = Field(None, gt=0, description="seconds per request, retries included")
    n_per_request: bool = Field(True, description="False: one request per text, for servers "
                                "that ignore 'n'")
    headers: dict[str, str] = Field(default_factory=dict)
    extra_body: dict[str, Any] = Field(default_factory=dict)
    sampling: dict[str, Any] = Field(default_factory=dict, description="default sampling")


class RateLimiter:
    """Spaces events evenly at `per_minute`; thread-safe and independent of event loops."""

    def __init__(self, per_minute: float) -> None:
        self.interval = 60.0 / per_minute
        self._next = 0.0
        self._lock = threading.Lock()

    def reserve(self) -> float:
        """Book the next slot; returns how many seconds to wait for it."""
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next)
            self._next = slot + self.interval
            return slot - now


def retry_after_seconds(value: str | None) -> float | None:
    """A ``Retry-After`` header (seconds or an HTTP date) in seconds, or None."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class _Failure(Exception):
    """One failed attempt that may be retried."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class OpenAIGenerator(BaseGenerator):
    """An OpenAI-compatible HTTP endpoint (chat or completions), async with retries."""

    name = "openai"
    Config = OpenAIConfig

    def __init__(self, **config: Any) -> None:
        super().__init__(**config)
        env = self.config.api_key_env
        if env and not os.environ.get(env):
            raise ConfigError(f"generator 'openai': api_key_env names ${env}, which is not set; "
                              f"export {env}=<key>, or drop api_key_env for a server without auth")

    @runtime
    def _limiter(self) -> RateLimiter | None:
        rpm = self.config.requests_per_minute
        return RateLimiter(rpm) if rpm else None

    @runtime
    def _sessions(self) -> dict[Any, tuple[Any, Any, asyncio.Semaphore]]:
        return {}

    # -- one client per event loop, closed when the loop shuts down ----------------------

    async def _session(self) -> tuple[Any, asyncio.Semaphore]:
        loop = asyncio.get_running_loop()
        for other in [lp for lp in self._sessions if lp.is_closed()]:
            self._sessions.pop(other, None)
        if loop not in self._sessions:
            keeper = self._keep_client(loop)
            client = await keeper.__anext__()
            self._sessions[loop] = (keeper, client, asyncio.Semaphore(self.config.concurrency))
        _, client, gate = self._sessions[loop]
        return client, gate

    async def _keep_client(self, loop: Any) -> AsyncIterator[Any]:
        """Holds the loop's client open; asyncio closes it at loop shutdown (shutdown_asyncgens)."""
        try:
            import httpx
        except ImportError as exc:
            raise ConfigError("the 'openai' generator needs httpx: pip install httpx") from exc
        headers = {"Content-Type": "application/json", **self.config.headers}
        if self.config.api_key_env:
            headers["Authorization"] = f"Bearer {os.environ.get(self.config.api_key_env, '')}"
        limits = httpx.Limits(max_connections=self.config.concurrency,
                              max_keepalive_connections=self.config.concurrency)
        try:
            async with httpx.AsyncClient(base_url=self.config.base_url.rstrip("/") + "/",
                                         headers=headers, limits=limits) as client:
                yield client
                await asyncio.Event().wait()  # pragma: no cover - closed from outside
        finally:
            self._sessions.pop(loop, None)

    async def aclose(self) -> None:
        """Close this event loop's client now (it is closed at loop shutdown otherwise)."""
        entry = self._sessions.pop(asyncio.get_running_loop(), None)
        if entry is not None:
            await entry[0].aclose()

    # -- generation ----------------------------------------------------------------------

    async def agenerate(self, prompts: Sequence[str], n: int = 1,
                        **sampling: Any) -> list[list[str]]:
        prompts = check_n(prompts, n)
        params = self.sampling(sampling)
        client, gate = await self._session()
        if self.config.n_per_request:
            jobs = [self._request(client, gate, p, n, params) for p in prompts]
            return list(await asyncio.gather(*jobs))
        jobs = [self._request(client, gate, p, 1, params) for p in prompts for _ in range(n)]
        flat = await asyncio.gather(*jobs)
        return [[t for texts in flat[i * n:(i + 1) * n] for t in texts]
                for i in range(len(prompts))]

    def _body(self, prompt: str, n: int, params: Any) -> dict[str, Any]:
        body: dict[str, Any] = {"model": self.config.model, "n": n, "max_tokens": params.max_tokens,
                                "temperature": params.temperature, "top_p": params.top_p}
        if self.config.endpoint == "chat":
            system = [{"role": "system", "content": self.config.system_prompt}] \
                if self.config.system_prompt else []
            body["messages"] = [*system, {"role": "user", "content": prompt}]
        else:
            body["prompt"] = prompt
        for key in ("top_k", "seed", "stop"):
            if getattr(params, key) is not None:
                body[key] = getattr(params, key)
        return {**body, **self.config.extra_body}

    async def _request(self, client: Any, gate: asyncio.Semaphore, prompt: str, n: int,
                       params: Any) -> list[str]:
        cfg = self.config
        path = "chat/completions" if cfg.endpoint == "chat" else "completions"
        body = self._body(prompt, n, params)
        deadline = time.monotonic() + cfg.deadline if cfg.deadline else None
        self.stats.requests += 1
        for attempt in range(cfg.max_retries + 1):
            try:
                if self._limiter is not None:
                    await self._sleep(self._limiter.reserve(), deadline, "waiting for a rate slot")
                async with gate:
                    texts = await self._attempt(client, path, body, n, deadline)
                self.stats.texts += len(texts)
                return [cut_at_stop(t, params.stop) for t in texts]
            except _Failure as failure:
                last = failure
            except GenerationError:
                self.stats.failures += 1
                raise
            if attempt == cfg.max_retries:
                break
            delay = last.retry_after
            if delay is None:
                delay = min(cfg.max_backoff, cfg.backoff * 2 ** attempt) * random.uniform(0.5, 1.0)
            self.stats.retries += 1
            try:
                await self._sleep(delay, deadline, f"retrying after: {last}")
            except GenerationError:
                self.stats.failures += 1
                raise
        self.stats.failures += 1
        raise GenerationError(f"{cfg.base_url}/{path}: gave up after {cfg.max_retries + 1} "
                              f"attempts; last: {last}")

    async def _sleep(self, delay: float, deadline: float | None, doing: str) -> None:
        if deadline is not None and time.monotonic() + delay >= deadline:
            raise GenerationError(f"request deadline of {self.config.deadline:g} s would pass "
                                  f"{doing} ({delay:.2f} s)")
        if delay > 0:
            await asyncio.sleep(delay)

    async def _attempt(self, client: Any, path: str, body: dict[str, Any], n: int,
                       deadline: float | None) -> list[str]:
        import httpx

        timeout = self.config.timeout
        if deadline is not None:
            timeout = min(timeout, deadline - time.monotonic())
            if timeout <= 0:
                raise GenerationError(f"request deadline of {self.config.deadline:g} s passed")
        try:
            response = await client.post(path, json=body, timeout=timeout)
        except httpx.TimeoutException:
            if deadline is not None and time.monotonic() >= deadline - 1e-3:
                raise GenerationError(f"request deadline of {self.config.deadline:g} s passed "
                                      "while waiting for the server") from None
            raise _Failure(f"no reply within {timeout:.3g} s") from None
        except httpx.TransportError as exc:
            raise _Failure(f"connection failed: {type(exc).__name__}: {exc}") from None
        if response.status_code in RETRY_STATUSES or response.status_code >= 500:
            raise _Failure(f"HTTP {response.status_code}: {_excerpt(response.text)}",
                           retry_after_seconds(response.headers.get("retry-after")))
        if response.status_code != 200:
            hint = " (check the key in $" + str(self.config.api_key_env) + ")" \
                if response.status_code in (401, 403) else ""
            raise GenerationError(f"{self.config.base_url}/{path}: HTTP {response.status_code}"
                                  f"{hint}: {_excerpt(response.text)}")
        return self._parse(response, n)

    def _parse(self, response: Any, n: int) -> list[str]:
        try:
            data = response.json()
            choices = sorted(data["choices"], key=lambda c: c.get("index", 0))
            if self.config.endpoint == "chat":
                texts = [c["message"].get("content") or "" for c in choices]
            else:
                texts = [c["text"] for c in choices]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise GenerationError(f"the server's reply is not an OpenAI {self.config.endpoint} "
                                  f"completion ({type(exc).__name__}: {exc}): "
                                  f"{_excerpt(response.text)}") from None
        if len(texts) != n:
            raise GenerationError(f"the server returned {len(texts)} choices for n={n}; set "
                                  "n_per_request: false for servers that ignore 'n'")
        usage = data.get("usage") or {}
        if isinstance(usage.get("completion_tokens"), int):
            self.stats.tokens += usage["completion_tokens"]
        return [str(t) for t in texts]


def _excerpt(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."
