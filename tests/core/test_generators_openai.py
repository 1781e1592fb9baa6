"""The `openai` backend against a real OpenAI-compatible server on loopback."""

from __future__ import annotations

import asyncio
import dataclasses
import email.utils
import pickle
import time
from datetime import datetime, timedelta, timezone

import pytest

from rewardkit.errors import ConfigError
from rewardkit.generators import GenerationError, build_generator
from rewardkit.generators.openai import RateLimiter
from rewardkit.generators.testing import LoopbackServer, Reply, completion, prompt_of

FAST = {"backoff": 0.0, "max_backoff": 0.0}


def backend(server, **config):
    return build_generator("openai", {"base_url": server.url, "model": "m", **config})


def echo(path, body, attempt):
    texts = [f"{prompt_of(body)}#{i}" for i in range(body.get("n", 1))]
    return Reply(completion(texts, chat="messages" in body))


def test_chat_request_carries_model_messages_and_sampling():
    with LoopbackServer(echo) as server:
        texts = backend(server, system_prompt="be brief").generate(
            ["hi", "yo"], n=2, temperature=0.5, max_tokens=7, seed=3)
    assert texts == [["hi#0", "hi#1"], ["yo#0", "yo#1"]]
    body = next(b for b in server.requests if b["messages"][-1]["content"] == "hi")
    assert body["messages"] == [{"role": "system", "content": "be brief"},
                                {"role": "user", "content": "hi"}]
    assert (body["model"], body["n"], body["temperature"], body["max_tokens"], body["seed"]) \
        == ("m", 2, 0.5, 7, 3)
    assert "top_k" not in body


def test_completions_endpoint_sends_a_prompt_and_reads_text_choices():
    with LoopbackServer(echo) as server:
        gen = backend(server, endpoint="completions", extra_body={"min_p": 0.1})
        assert gen.generate(["abc"], top_k=5) == [["abc#0"]]
    assert server.requests[0]["prompt"] == "abc" and server.requests[0]["top_k"] == 5
    assert server.requests[0]["min_p"] == 0.1


def test_stop_strings_are_sent_and_applied():
    with LoopbackServer(lambda p, b, a: Reply(completion(["one\n\ntwo"]))) as server:
        assert backend(server).generate(["x"], stop=["\n\n"]) == [["one"]]
    assert server.requests[0]["stop"] == ["\n\n"]


def test_the_api_key_comes_from_the_named_environment_variable(monkeypatch):
    monkeypatch.setenv("LOOPBACK_KEY", "s3cret")
    with LoopbackServer(echo) as server:
        gen = backend(server, api_key_env="LOOPBACK_KEY")
        gen.generate(["x"])
        assert server.headers[0]["Authorization"] == "Bearer s3cret"
        assert b"s3cret" not in pickle.dumps(gen) and "s3cret" not in gen.fingerprint()


def test_a_missing_api_key_variable_is_a_config_error(monkeypatch):
    monkeypatch.delenv("LOOPBACK_MISSING_KEY", raising=False)
    with pytest.raises(ConfigError, match=r"\$LOOPBACK_MISSING_KEY, which is not set"):
        build_generator("openai", {"base_url": "http://127.0.0.1:9/v1", "model": "m",
                                   "api_key_env": "LOOPBACK_MISSING_KEY"})


def test_server_errors_are_retried_until_success():
    def flaky(path, body, attempt):
        return Reply({"error": "overloaded"}, status=503) if attempt < 2 else echo(path, body, 0)

    with LoopbackServer(flaky) as server:
        gen = backend(server, **FAST)
        assert gen.generate(["x"]) == [["x#0"]]
    assert len(server.requests) == 3 and gen.stats.retries == 2 and gen.stats.failures == 0


def test_retries_give_up_with_the_last_reason():
    with LoopbackServer(lambda p, b, a: Reply({"error": "down"}, status=500)) as server:
        gen = backend(server, max_retries=2, **FAST)
        with pytest.raises(GenerationError, match=r"gave up after 3 attempts; last: HTTP 500"):
            gen.generate(["x"])
    assert len(server.requests) == 3 and gen.stats.failures == 1


def recording_sleep(gen):
    """Replace the backend's retry sleep with one that records the waits and returns at once."""
    waits = []

    async def record(seconds):
        waits.append(seconds)

    gen.retry_policy = dataclasses.replace(gen.retry_policy, asleep=record)
    return waits


@pytest.mark.parametrize("retry_after, wait", [
    ("12", 12.0), (email.utils.format_datetime(datetime.now(timezone.utc) + timedelta(hours=1),
                                                usegmt=True), 60.0)])
def test_rate_limit_replies_honour_retry_after_up_to_its_cap(retry_after, wait):
    def limited(path, body, attempt):
        if attempt == 0:
            return Reply({"error": "slow down"}, status=429, headers={"Retry-After": retry_after})
        return echo(path, body, 0)

    with LoopbackServer(limited) as server:
        gen = backend(server)
        waits = recording_sleep(gen)
        assert gen.generate(["x"]) == [["x#0"]]
    assert waits == [pytest.approx(wait, abs=2.0)] and len(server.requests) == 2


def test_a_bad_request_is_not_retried():
    with LoopbackServer(lambda p, b, a: Reply({"error": "max_tokens too large"}, status=400)) \
            as server:
        gen = backend(server)
        waits = recording_sleep(gen)
        with pytest.raises(GenerationError, match="HTTP 400: .*max_tokens too large"):
            gen.generate(["x"])
    assert len(server.requests) == 1 and waits == [] and gen.stats.retries == 0


def test_a_retry_after_beyond_the_deadline_fails_at_once():
    with LoopbackServer(lambda p, b, a: Reply({}, status=429, headers={"Retry-After": "60"})) \
            as server:
        with pytest.raises(GenerationError, match="deadline of 2 s would pass"):
            backend(server, deadline=2).generate(["x"])
    assert len(server.requests) == 1


def test_client_errors_are_not_retried_and_quote_the_server():
    with LoopbackServer(lambda p, b, a: Reply({"error": "unknown model m"}, status=404)) as server:
        with pytest.raises(GenerationError, match="HTTP 404.*unknown model m"):
            backend(server).generate(["x"])
    assert len(server.requests) == 1


def test_an_auth_failure_points_at_the_key_variable(monkeypatch):
    monkeypatch.setenv("LOOPBACK_KEY", "wrong")
    with LoopbackServer(lambda p, b, a: Reply({"error": "bad key"}, status=401)) as server:
        with pytest.raises(GenerationError, match=r"HTTP 401 \(check the key in \$LOOPBACK_KEY\)"):
            backend(server, api_key_env="LOOPBACK_KEY").generate(["x"])


def test_a_slow_reply_times_out_and_is_retried():
    def slow_once(path, body, attempt):  # the first reply far past the timeout, then at once
        reply = echo(path, body, 0)
        reply.delay = 6.0 if attempt == 0 else 0.0
        return reply

    with LoopbackServer(slow_once) as server:  # a timeout a loaded machine's echo never hits
        gen = backend(server, timeout=1.5, **FAST)
        assert gen.generate(["x"]) == [["x#0"]]
    assert gen.stats.retries == 1


def test_the_deadline_bounds_a_request_across_retries():
    with LoopbackServer(lambda p, b, a: Reply(completion(["late"]), delay=1.5)) as server:
        with pytest.raises(GenerationError, match="deadline of 0.5 s"):
            backend(server, timeout=0.3, deadline=0.5, **FAST).generate(["x"])
    assert len(server.requests) <= 2


def test_an_unreachable_server_is_a_connection_failure():
    with LoopbackServer(echo) as server:
        url = server.url
    gen = build_generator("openai", {"base_url": url, "model": "m", "max_retries": 1, **FAST})
    with pytest.raises(GenerationError, match="connection failed"):
        gen.generate(["x"])


@pytest.mark.parametrize("body", ["<html>oops</html>", {"choices": [{"nope": 1}]}, {"x": 1}])
def test_a_malformed_reply_is_a_generation_error(body):
    with LoopbackServer(lambda p, b, a: Reply(body)) as server:
        with pytest.raises(GenerationError, match="not an OpenAI chat completion"):
            backend(server).generate(["x"])


def test_a_server_that_ignores_n_is_detected_and_can_be_fanned_out():
    def one(path, body, attempt):  # ignores n: always one choice
        return Reply(completion([f"{prompt_of(body)}-{len(server.requests)}"]))

    with LoopbackServer(one) as server:
        with pytest.raises(GenerationError, match="n_per_request: false"):
            backend(server).generate(["x"], n=3)
        texts = backend(server, n_per_request=False).generate(["x", "y"], n=2)
    assert [len(t) for t in texts] == [2, 2] and all(t.startswith("x-") for t in texts[0])
    assert all(body["n"] == 1 for body in server.requests[1:])


def test_concurrency_is_capped():
    with LoopbackServer(lambda p, b, a: Reply(completion(["ok"]), delay=0.05)) as server:
        texts = backend(server, concurrency=3).generate([f"p{i}" for i in range(12)])
    assert texts == [["ok"]] * 12
    assert 1 < server.max_in_flight <= 3


def test_requests_per_minute_spaces_request_starts():
    limiter = RateLimiter(per_minute=600)
    waits = [limiter.reserve() for _ in range(3)]
    assert waits[0] == pytest.approx(0.0, abs=0.05)
    assert waits[2] - waits[1] == pytest.approx(0.1, abs=0.05)
    stamps = []
    with LoopbackServer(lambda p, b, a: (stamps.append(time.monotonic()), echo(p, b, a))[1]) \
            as server:
        backend(server, requests_per_minute=300).generate(["a", "b", "c"])
    assert sorted(stamps)[-1] - sorted(stamps)[0] >= 0.35  # 3 starts, 0.2 s apart


def test_the_client_is_reused_within_a_loop_and_closed_with_it():
    gen = None
    with LoopbackServer(echo) as server:
        gen = backend(server)

        async def main():
            await gen.agenerate(["a"])
            first = gen._sessions[asyncio.get_running_loop()][1]
            await gen.agenerate(["b"])
            return first, gen._sessions[asyncio.get_running_loop()][1]

        first, second = asyncio.run(main())
    assert first is second and first.is_closed and gen._sessions == {}


def test_the_backend_pickles_and_works_after():
    with LoopbackServer(echo) as server:
        gen = pickle.loads(pickle.dumps(backend(server, requests_per_minute=6000)))
        assert gen.generate(["x"]) == [["x#0"]]


def test_a_crashing_responder_is_a_server_error_the_client_reports():
    def broken(path, body, attempt):
        raise KeyError("scripted bug")

    with LoopbackServer(broken) as server:
        with pytest.raises(GenerationError, match="HTTP 500.*scripted bug"):
            backend(server, max_retries=0).generate(["x"])


def test_the_default_loopback_responder_echoes_the_last_word():
    with LoopbackServer() as server:
        assert backend(server).generate(["say hello"], n=2) == [["hello", "hello"]]
