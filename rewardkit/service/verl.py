"""A verl custom reward function that scores through a running `rewardkit serve`.

verl loads this file by path; it imports only the standard library, httpx and rewardkit's
light core (`rewardkit.retry`, which retries with tenacity: the ``serve`` extra installs
both). In the verl config (see docs/service.md)::

    custom_reward_function.path=/path/to/rewardkit/service/verl.py
    custom_reward_function.name=compute_score        # default reward manager: one sample a call
    # or one HTTP request per batch:
    reward_model.reward_manager=batch custom_reward_function.name=compute_score_batch

Each call returns a dict per sample: ``score`` (the rubric total; ``0.0`` when it is
``None``, flagged by ``total_missing``), ``gated``, and for every criterion its value
(``0.0`` when ``None``) and ``<criterion>_failed`` (1.0 where it erred or timed out). verl
logs the extra keys. ``ground_truth`` becomes the sample's reference; ``data_source`` and
``extra_info`` its metadata; ``extra_info["prompt"]``, when present, its prompt.

Environment: ``REWARDKIT_URL`` (default ``http://127.0.0.1:8000``), ``REWARDKIT_TOKEN``,
``REWARDKIT_TIMEOUT`` (seconds per request, default 300), ``REWARDKIT_RETRIES`` (default
5; connection errors and 429/502/503/504 are retried under `rewardkit.retry.RetryPolicy`,
honouring ``Retry-After`` up to 30 s) and ``REWARDKIT_RETRY_DELAY`` (first back-off in
seconds, default 0.5, doubling up to 10, with jitter). A 500 is not retried: the service
sends it when a criterion with ``on_error: raise`` failed, which a retry would repeat.
"""

from __future__ import annotations

import os
import threading
from typing import Any, Sequence

from rewardkit.retry import GaveUp, Retriable, RetryPolicy

FAILED = ("error", "timeout")
RETRYABLE = frozenset({429, 502, 503, 504})
_clients: dict[str, Any] = {}
_lock = threading.Lock()


def compute_score(data_source: Any, solution_str: str, ground_truth: Any,
                  extra_info: Any = None, **kwargs: Any) -> dict[str, float]:
    """verl's per-sample reward function signature; one request per call."""
    return compute_score_batch([data_source], [solution_str], [ground_truth], [extra_info])[0]


def compute_score_batch(data_sources: Sequence[Any], solution_strs: Sequence[str],
                        ground_truths: Sequence[Any], extra_infos: Sequence[Any] | None = None,
                        **kwargs: Any) -> list[dict[str, float]]:
    """verl's batched signature (``reward_manager=batch``); one request per batch."""
    extra_infos = list(extra_infos) if extra_infos is not None else [None] * len(solution_strs)
    samples = [to_sample(*row) for row in zip(data_sources, solution_strs, ground_truths,
                                              extra_infos)]
    payload = post("/v1/score", {"samples": samples})
    return [to_result(row, payload["criteria"]) for row in payload["results"]]


def to_sample(data_source: Any, solution: str, ground_truth: Any, extra_info: Any) -> dict:
    extra = plain(extra_info) if isinstance(extra_info, dict) else {}
    sample = {"completion": solution, "reference": plain(ground_truth),
              "metadata": {**extra, "data_source": plain(data_source)}}
    if isinstance(extra.get("prompt"), (str, list)):
        sample["prompt"] = extra["prompt"]
    return sample


def to_result(row: dict[str, Any], criteria: Sequence[str]) -> dict[str, float]:
    """The per-sample dict verl expects: the same keys for every sample."""
    total = row["total"]
    out = {"score": 0.0 if total is None else float(total),
           "total_missing": float(total is None), "gated": float(row["gated"])}
    for name in criteria:
        component = row["components"][name]
        out[name] = 0.0 if component["value"] is None else float(component["value"])
        out[f"{name}_failed"] = float(component["status"] in FAILED)
    return out


def plain(value: Any) -> Any:
    """JSON-ready copies of numpy scalars and arrays (what verl's batches hold)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return plain(value.tolist())
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _client(base: str) -> Any:
    import httpx

    with _lock:
        if base not in _clients:
            _clients[base] = httpx.Client(base_url=base)
        return _clients[base]


def post(path: str, payload: dict[str, Any]) -> dict[str, Any]:
    """POST to the service with retries; raises RuntimeError saying why it gave up."""
    import httpx

    base = os.environ.get("REWARDKIT_URL", "http://127.0.0.1:8000").rstrip("/")
    token = os.environ.get("REWARDKIT_TOKEN")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    timeout = float(os.environ.get("REWARDKIT_TIMEOUT", "300"))
    policy = RetryPolicy(retries=int(os.environ.get("REWARDKIT_RETRIES", "5")),
                         backoff=float(os.environ.get("REWARDKIT_RETRY_DELAY", "0.5")),
                         max_backoff=10.0, max_retry_after=30.0, statuses=RETRYABLE)

    def attempt() -> dict[str, Any]:
        try:
            reply = _client(base).post(path, json=payload, headers=headers, timeout=timeout)
        except httpx.TransportError as exc:
            raise Retriable(f"cannot reach the rewardkit service at {base}: "
                            f"{type(exc).__name__}: {exc}") from None
        if reply.status_code == 200:
            return _body(reply, base)
        problem = f"the rewardkit service at {base} answered {reply.status_code}: " \
                  f"{_detail(reply)}"
        if policy.retries_status(reply.status_code):
            raise Retriable.from_reply(problem, reply.headers)
        raise RuntimeError(problem)

    try:
        return policy.call(attempt)
    except GaveUp as exc:
        raise RuntimeError(f"{exc.last} (gave up after {exc.attempts} attempts; is `rewardkit "
                           "serve` running there? set REWARDKIT_URL)") from None


def _body(reply: Any, base: str) -> dict[str, Any]:
    try:
        body = reply.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise RuntimeError(f"the rewardkit service at {base} answered 200 with a body that is "
                           f"not a JSON object: {reply.text[:300]!r}; is REWARDKIT_URL a "
                           "`rewardkit serve`?")
    return body


def _detail(reply: Any) -> str:
    try:
        return str(reply.json().get("detail", reply.text))
    except (ValueError, AttributeError):
        return reply.text[:500]
