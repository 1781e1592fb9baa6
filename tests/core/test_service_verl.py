"""verl's custom reward function (rewardkit/service/verl.py) against the real service."""

from __future__ import annotations

import importlib.util
import socket

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
pytest.importorskip("httpx")
np = pytest.importorskip("numpy")

from rewardkit import Rubric  # noqa: E402
from rewardkit.generators.testing import LoopbackServer, Reply  # noqa: E402
from rewardkit.service import verl as verl_module  # noqa: E402
from rewardkit.service.app import ServiceSettings  # noqa: E402
from rewardkit.service.server import running_server  # noqa: E402

RUBRIC = {"workers": 1, "criteria": [
    {"name": "match", "reward": "tests.core.rewards_for_scale:matches"},
    {"name": "flaky", "reward": "tests.core.rewards_for_tests:misbehave", "weight": 0.5}]}
KEYS = {"score", "total_missing", "gated", "match", "match_failed", "flaky", "flaky_failed"}


@pytest.fixture(scope="module")
def verl():
    """The module loaded from its file, the way verl's custom_reward_function.path does."""
    spec = importlib.util.spec_from_file_location("custom_reward", verl_module.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def url():
    with running_server(Rubric.from_dict(RUBRIC), ServiceSettings(token="t0k")) as base:
        yield base


@pytest.fixture
def env(url, monkeypatch):
    monkeypatch.setenv("REWARDKIT_URL", url)
    monkeypatch.setenv("REWARDKIT_TOKEN", "t0k")
    monkeypatch.setenv("REWARDKIT_RETRY_DELAY", "0.01")


def test_compute_score_returns_the_total_and_every_component(verl, env):
    result = verl.compute_score("gsm8k", "4", "4", {"prompt": "2+2?", "index": 3})
    assert result == {"score": 1.5, "total_missing": 0.0, "gated": 0.0, "match": 1.0,
                      "match_failed": 0.0, "flaky": 1.0, "flaky_failed": 0.0}


def test_compute_score_batch_takes_verl_numpy_columns_and_keeps_keys_uniform(verl, env):
    results = verl.compute_score_batch(
        data_sources=np.array(["gsm8k", "math", "math"], dtype=object),
        solution_strs=["12", "raise", "raise"],
        ground_truths=[np.int64(12), "x", None],
        extra_infos=np.array([{"split": "train", "n": np.float32(1.5)}, None, {}], dtype=object))
    assert [set(r) for r in results] == [KEYS] * 3
    assert [r["score"] for r in results] == [2.0, 0.0, 0.0]
    assert [r["flaky_failed"] for r in results] == [0.0, 1.0, 1.0]
    assert [r["total_missing"] for r in results] == [0.0, 0.0, 1.0]  # match n/a, flaky failed


def test_a_warming_service_is_retried_until_ready(verl, monkeypatch):
    rubric = Rubric.from_dict({"workers": 1, "criteria": [
        {"name": "slow", "reward": "tests.core.rewards_for_scale:slow_start"}]})
    with running_server(rubric, wait_ready=False) as base:
        monkeypatch.setenv("REWARDKIT_URL", base)
        monkeypatch.delenv("REWARDKIT_TOKEN", raising=False)
        assert verl.compute_score("d", "abc", None)["score"] == 3.0


def test_an_unreachable_service_fails_with_the_reason_after_the_retries(verl, monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again below: nothing listens there
    monkeypatch.setenv("REWARDKIT_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("REWARDKIT_RETRIES", "2")
    monkeypatch.setenv("REWARDKIT_RETRY_DELAY", "0.01")
    with pytest.raises(RuntimeError, match=r"cannot reach .*\(gave up after 3 attempts"):
        verl.compute_score("d", "a", "a")


def test_a_wrong_token_fails_at_once_with_the_service_message(verl, env, monkeypatch):
    monkeypatch.setenv("REWARDKIT_TOKEN", "nope")
    with pytest.raises(RuntimeError, match="answered 401: invalid bearer token"):
        verl.compute_score("d", "a", "a")


@pytest.fixture
def waits(verl, monkeypatch):
    """verl's retries sleep nothing; the list records the waits they asked for."""
    asked = []
    policy = verl.RetryPolicy
    monkeypatch.setattr(verl, "RetryPolicy", lambda **rules: policy(sleep=asked.append, **rules))
    return asked


def scripted_service(verl, monkeypatch, responder):
    server = LoopbackServer(responder)
    monkeypatch.setenv("REWARDKIT_URL", server.url.removesuffix("/v1"))
    monkeypatch.delenv("REWARDKIT_TOKEN", raising=False)
    return server


SCORED = {"criteria": ["match"], "results": [
    {"total": 1.0, "gated": False, "components": {"match": {"value": 1.0, "status": "ok"}}}]}


def test_a_busy_service_is_waited_for_as_its_retry_after_says(verl, monkeypatch, waits):
    def busy_twice(path, body, attempt):
        if attempt < 2:
            return Reply({"detail": "saturated"}, status=503 if attempt else 429,
                         headers={"Retry-After": str(attempt + 2)})
        return Reply(SCORED)

    with scripted_service(verl, monkeypatch, busy_twice) as server:
        assert verl.compute_score("d", "4", "4")["score"] == 1.0
    assert waits == [2.0, 3.0] and len(server.requests) == 3


@pytest.mark.parametrize("status", [400, 500])
def test_a_client_error_or_a_failed_scoring_is_not_retried(verl, monkeypatch, waits, status):
    reply = Reply({"detail": "criterion 'match' raised"}, status=status)
    with scripted_service(verl, monkeypatch, lambda p, b, a: reply) as server:
        with pytest.raises(RuntimeError, match=f"answered {status}: criterion 'match' raised"):
            verl.compute_score("d", "4", "4")
    assert len(server.requests) == 1 and waits == []


def test_a_reply_that_is_not_json_says_so(verl, monkeypatch, waits):
    with scripted_service(verl, monkeypatch, lambda p, b, a: Reply("<html>proxy</html>")) \
            as server:
        with pytest.raises(RuntimeError, match="200 with a body that is not a JSON object"):
            verl.compute_score("d", "4", "4")
    assert len(server.requests) == 1 and waits == []


def test_a_hanging_service_times_out_each_attempt_then_gives_up(verl, monkeypatch, waits):
    monkeypatch.setenv("REWARDKIT_TIMEOUT", "0.2")
    monkeypatch.setenv("REWARDKIT_RETRIES", "1")
    with scripted_service(verl, monkeypatch, lambda p, b, a: Reply(SCORED, delay=1.0)) as server:
        with pytest.raises(RuntimeError, match=r"ReadTimeout.*gave up after 2 attempts"):
            verl.compute_score("d", "4", "4")
    assert len(server.requests) == 2 and len(waits) == 1
