"""The `openai` backend: any OpenAI-compatible /v1/chat/completions or /v1/completions server.

vLLM, TGI, llama.cpp, SGLang and hosted APIs speak it. The client is async (httpx):

* at most `concurrency` requests in flight per event loop;
* `requests_per_minute` spaces request starts evenly (shared across threads and loops);
* 429, 408 and 5xx replies, timeouts and connection errors are retried under
  `rewardkit.retry.RetryPolicy` (exponential backoff with jitter, or the server's
  ``Retry-After``); other replies fail at once;
* `timeout` bounds each attempt and `deadline` the whole request, retries included;
  `retry_policy` (built from the config) may be replaced, e.g. with a recording sleep;
* the API key is read from the environment variable named by `api_key_env`, so it never
  sits in a config file, a pickle or a cache key.

Any failure raises `GenerationError` with the reason (status, body excerpt, attempts).
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from typing import Any, AsyncIterator, Literal, Sequence

from pydantic import BaseModel, ConfigDict, Field

from rewardkit.errors import ConfigError
from rewardkit.generators.base import BaseGenerator, GenerationError, check_n, cut_at_stop
from rewardkit.retry import GaveUp, Retriable, RetryPolicy
from rewardkit.runtime_state import runtime


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
    def retry_policy(self) -> RetryPolicy:
        """Built from the config; assign one to change it (a test's recording sleep)."""
        cfg = self.config
        return RetryPolicy(retries=cfg.max_retries, backoff=cfg.backoff,
                           max_backoff=cfg.max_backoff)

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
            raise ConfigError("the 'openai' generator needs httpx and tenacity: pip install "
                              "httpx tenacity") from exc
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
        policy = self.retry_policy
        deadline = policy.clock() + cfg.deadline if cfg.deadline else None
        self.stats.requests += 1

        async def attempt() -> list[str]:
            if self._limiter is not None:
                await self._wait_for_slot(self._limiter.reserve(), deadline)
            async with gate:
                return await self._attempt(client, path, body, n, deadline)

        try:
            texts = await policy.acall(attempt, deadline, on_retry=self._count_retry)
        except GaveUp as exc:
            self.stats.failures += 1
            if exc.wait is not None:
                raise GenerationError(f"request deadline of {cfg.deadline:g} s would pass "
                                      f"retrying after: {exc.last} ({exc.wait:.2f} s)") from None
            raise GenerationError(f"{cfg.base_url}/{path}: gave up after {exc.attempts} "
                                  f"attempts; last: {exc.last}") from None
        except GenerationError:
            self.stats.failures += 1
            raise
        self.stats.texts += len(texts)
        return [cut_at_stop(t, params.stop) for t in texts]

    def _count_retry(self, failure: Retriable, wait: float) -> None:
        self.stats.retries += 1

    async def _wait_for_slot(self, delay: float, deadline: float | None) -> None:
        policy = self.retry_policy
        if deadline is not None and policy.clock() + delay >= deadline:
            raise GenerationError(f"request deadline of {self.config.deadline:g} s would pass "
                                  f"waiting for a rate slot ({delay:.2f} s)")
        if delay > 0:
            await policy.asleep(delay)

    async def _attempt(self, client: Any, path: str, body: dict[str, Any], n: int,
                       deadline: float | None) -> list[str]:
        import httpx

        timeout = self.config.timeout
        clock = self.retry_policy.clock
        if deadline is not None:
            timeout = min(timeout, deadline - clock())
            if timeout <= 0:
                raise GenerationError(f"request deadline of {self.config.deadline:g} s passed")
        try:
            response = await client.post(path, json=body, timeout=timeout)
        except httpx.TimeoutException:
            if deadline is not None and clock() >= deadline - 1e-3:
                raise GenerationError(f"request deadline of {self.config.deadline:g} s passed "
                                      "while waiting for the server") from None
            raise Retriable(f"no reply within {timeout:.3g} s") from None
        except httpx.TransportError as exc:
            raise Retriable(f"connection failed: {type(exc).__name__}: {exc}") from None
        if self.retry_policy.retries_status(response.status_code):
            raise Retriable.from_reply(f"HTTP {response.status_code}: "
                                       f"{_excerpt(response.text)}", response.headers)
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
