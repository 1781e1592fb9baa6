"""The reward service on loopback, driven by a real HTTP client (httpx)."""

from __future__ import annotations

import json
import threading

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

from rewardkit import Rubric  # noqa: E402
from rewardkit.service.app import ServiceSettings  # noqa: E402
from rewardkit.service.models import to_json  # noqa: E402
from rewardkit.service.openrlhf import split_query  # noqa: E402
from rewardkit.service.server import running_server  # noqa: E402
from tests.polling import wait_until  # noqa: E402

TOKEN = "s3cret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
RUBRIC = {
    "workers": 1,
    "criteria": [
        {"name": "match", "reward": "tests.core.rewards_for_scale:matches", "weight": 1.0},
        {"name": "flaky", "reward": "tests.core.rewards_for_tests:misbehave", "weight": 0.5,
         "timeout": 2},
        {"name": "pause", "reward": "tests.core.rewards_for_scale:pause", "weight": 0.0},
    ],
}


@pytest.fixture(scope="module")
def url():
    settings = ServiceSettings(token=TOKEN, max_concurrency=2, max_body_mb=0.05)
    with running_server(Rubric.from_dict(RUBRIC), settings) as base:
        yield base


@pytest.fixture
def client(url):
    with httpx.Client(base_url=url, timeout=30) as c:
        yield c


def score(client, samples, **kw):
    return client.post("/v1/score", json={"samples": samples}, headers=AUTH, **kw)


def test_health_and_ready_answer_without_a_token(client):
    assert client.get("/health").json() == {"status": "ok", "ready": True, "in_flight": 0}
    ready = client.get("/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "criteria": ["match", "flaky", "pause"]}


def test_native_endpoint_gives_totals_components_and_a_summary_in_order(client):
    reply = score(client, [
        {"completion": "4", "reference": "4"},
        {"completion": [{"role": "assistant", "content": "ab"}], "reference": "ab",
         "prompt": [{"role": "user", "content": "say ab"}], "metadata": {"topic": "t"}},
        {"completion": "7", "reference": "8"},
    ])
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["criteria"] == ["match", "flaky", "pause"]
    assert [r["total"] for r in body["results"]] == [1.5, 2.0, 0.5]
    first = body["results"][0]
    assert first["gated"] is False
    assert first["components"]["match"] == {"value": 1.0, "status": "ok", "info": {}}
    assert first["components"]["flaky"]["value"] == 1.0
    assert body["summary"]["match"]["n"] == 3 and body["summary"]["match"]["ok"] == 3
    assert body["summary"]["total"]["mean"] == pytest.approx(4 / 3)


def test_a_reward_that_raises_still_gives_one_entry_per_sample(client):
    reply = score(client, [{"completion": "raise", "reference": "raise"},
                           {"completion": "ok", "reference": "ok"},
                           {"completion": "raise"}])
    assert reply.status_code == 200
    results = reply.json()["results"]
    assert len(results) == 3
    flaky = [r["components"]["flaky"] for r in results]
    assert [c["status"] for c in flaky] == ["error", "ok", "error"]
    assert "ValueError: bad sample" in flaky[0]["info"]["reason"]
    assert [r["total"] for r in results] == [1.0, 2.0, None]  # None: nothing had a value
    assert reply.json()["summary"]["flaky"]["error"] == 2


def test_an_empty_batch_gets_an_empty_result(client):
    reply = score(client, [])
    assert reply.status_code == 200 and reply.json()["results"] == []


def test_openrlhf_endpoint_strips_the_prompt_and_reports_rewards_and_logs(client):
    reply = client.post("/get_reward", headers=AUTH, json={
        "query": ["Q: 2+2? A: 4", "Q: 1+1? A: raise", "<s>Q: 3? A: 3", "unrelated"],
        "prompts": ["Q: 2+2? A: ", "Q: 1+1? A: ", "Q: 3? A: ", "Q: 5? A: "],
        "labels": ["4", None, "3", "5"],
        "some_new_field": "ignored"})
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["rewards"] == body["scores"] == [1.5, 0.0, 1.5, 4.5]
    assert body["totals"] == [1.5, None, 1.5, 4.5]  # the None is sent as 0.0 above
    logs = body["extra_logs"]
    assert logs["total_missing"] == [0.0, 1.0, 0.0, 0.0]
    assert logs["flaky_failed"] == [0.0, 1.0, 0.0, 0.0]
    assert logs["prompt_not_prefix"] == [0.0, 0.0, 0.0, 1.0]
    assert logs["match"] == [1.0, 0.0, 1.0, 0.0]
    assert logs["flaky"] == [1.0, 0.0, 1.0, 9.0]  # the whole query, when no prompt matches
    assert body["statuses"]["match"] == ["ok", "not_applicable", "ok", "ok"]
    assert all(len(v) == 4 and all(isinstance(x, float) for x in v) for v in logs.values())


def test_openrlhf_endpoint_accepts_the_old_query_only_request(client):
    reply = client.post("/get_reward", headers=AUTH, json={"query": ["abc"]})
    assert reply.status_code == 200
    assert reply.json()["rewards"] == [1.5]  # no label: match n/a; flaky = len("abc") * 0.5


def test_query_and_prompt_lists_of_different_lengths_are_a_422(client):
    reply = client.post("/get_reward", headers=AUTH, json={"query": ["a", "b"], "prompts": ["a"]})
    assert reply.status_code == 422
    assert "'prompts' has 1 entries but 'query' has 2" in reply.json()["detail"]


def test_bad_json_is_a_400_that_says_so(client):
    reply = client.post("/v1/score", headers={**AUTH, "Content-Type": "application/json"},
                        content=b'{"samples": [')
    assert reply.status_code == 400
    assert "not valid JSON" in reply.json()["detail"]


def test_a_sample_without_a_completion_is_a_422_naming_the_field(client):
    reply = score(client, [{"completion": "a"}, {"prompt": "p"}])
    assert reply.status_code == 422
    assert "key 'body.samples.1.completion': Field required" in reply.json()["detail"]


def test_a_body_not_sent_as_json_is_a_422_saying_how_to_send_it(client):
    reply = client.post("/v1/score", headers={**AUTH, "Content-Type": "text/plain"},
                        content=b'{"samples": []}')
    assert reply.status_code == 422
    assert "'Content-Type: application/json'" in reply.json()["detail"]


def test_unknown_sample_keys_are_a_422(client):
    reply = score(client, [{"completion": "a", "referenec": "typo"}])
    assert reply.status_code == 422
    assert "samples.0.referenec" in reply.json()["detail"]


def test_an_oversized_body_is_a_413(client):
    big = [{"completion": "x" * 1000}] * 100  # ~100 KB against a 0.05 MB limit
    reply = score(client, big)
    assert reply.status_code == 413
    assert "over the 0.05 MB limit" in reply.json()["detail"]


def test_an_oversized_chunked_body_is_a_413(client):
    def chunks():
        yield b'{"samples": ['
        for _ in range(100):
            yield json.dumps({"completion": "x" * 1000}).encode() + b","
        yield b'{"completion": "x"}]}'

    reply = client.post("/v1/score", headers={**AUTH, "Content-Type": "application/json"},
                        content=chunks())
    assert reply.status_code == 413


@pytest.mark.parametrize("headers, reason", [
    ({}, "missing bearer token"),
    ({"Authorization": "Bearer wrong"}, "invalid bearer token"),
    ({"Authorization": TOKEN}, "missing bearer token"),
])
def test_a_missing_or_wrong_token_is_a_401(client, headers, reason):
    for path, body in [("/v1/score", {"samples": []}), ("/get_reward", {"query": []})]:
        reply = client.post(path, json=body, headers=headers)
        assert reply.status_code == 401
        assert reason in reply.json()["detail"]
        assert reply.headers["WWW-Authenticate"] == "Bearer"


def test_over_the_concurrency_limit_is_a_503_with_retry_after(client, url):
    replies = []

    def slow():
        with httpx.Client(base_url=url, timeout=30) as c:
            replies.append(score(c, [{"completion": "a", "metadata": {"sleep": 1.5}}]))

    threads = [threading.Thread(target=slow) for _ in range(2)]
    for t in threads:
        t.start()
    wait_until(lambda: client.get("/health").json()["in_flight"] >= 2,  # /health answers while scoring
               what="two requests in flight")
    refused = score(client, [{"completion": "a"}])
    for t in threads:
        t.join()
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "1"
    assert "concurrency limit (2 scoring requests in flight)" in refused.json()["detail"]
    assert [r.status_code for r in replies] == [200, 200]
    assert score(client, [{"completion": "a"}]).status_code == 200


def test_ready_is_503_while_workers_warm_up():
    rubric = Rubric.from_dict({"workers": 1, "criteria": [
        {"name": "slow", "reward": "tests.core.rewards_for_scale:slow_start"}]})
    with running_server(rubric, wait_ready=False) as base, httpx.Client(base_url=base) as c:
        assert c.get("/health").json()["ready"] is False
        warming = c.get("/ready")
        assert warming.status_code == 503 and warming.json()["status"] == "warming_up"
        early = c.post("/v1/score", json={"samples": [{"completion": "ab"}]})
        assert early.status_code == 503 and "warming up" in early.json()["detail"]
        wait_until(lambda: c.get("/ready").status_code != 503, what="the service to be ready")
        reply = c.post("/v1/score", json={"samples": [{"completion": "ab"}]})
        assert reply.json()["results"][0]["total"] == 2.0


def test_a_failed_warm_up_is_reported_by_ready_and_every_request(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    rubric = Rubric.from_dict({"cache": str(blocker / "cache.db"), "criteria": [
        {"name": "flaky", "reward": "tests.core.rewards_for_tests:misbehave"}]})
    with running_server(rubric, wait_ready=False) as base, httpx.Client(base_url=base) as c:
        wait_until(lambda: c.get("/ready").json()["status"] != "warming_up",
                   what="the warm-up to end")
        ready = c.get("/ready")
        assert ready.status_code == 503 and ready.json()["status"] == "failed"
        reply = c.post("/v1/score", json={"samples": [{"completion": "ab"}]})
        assert reply.status_code == 503
        assert "the service failed to start" in reply.json()["detail"]
    with pytest.raises(RuntimeError, match="did not become ready"):
        with running_server(Rubric.from_dict({"cache": str(blocker / "c.db"), "criteria": [
                {"reward": "tests.core.rewards_for_tests:misbehave"}]})):
            pass


def test_on_error_raise_is_a_500_naming_the_criterion():
    rubric = Rubric.from_dict({"workers": 1, "criteria": [
        {"name": "strict", "reward": "tests.core.rewards_for_tests:misbehave",
         "on_error": "raise"}]})
    with running_server(rubric) as base, httpx.Client(base_url=base) as c:
        reply = c.post("/v1/score", json={"samples": [{"completion": "raise"}]})
        assert reply.status_code == 500
        assert "criterion 'strict' failed on sample 0" in reply.json()["detail"]


def test_split_query_removes_the_prompt_prefix():
    assert split_query("PROMPT answer", "PROMPT ") == ("answer", True)
    assert split_query("<bos>PROMPT answer", "PROMPT ") == ("answer", True)
    assert split_query("something else", "PROMPT") == ("something else", False)
    assert split_query("answer", "") == ("answer", True)


def test_to_json_keeps_every_payload_encodable():
    payload = {"value": 1.0, "info": {"big": float("inf"), "obj": object, "n": [1, None]}}
    decoded = json.loads(to_json(payload))
    assert decoded["info"]["big"] is None and decoded["info"]["n"] == [1, None]
    assert decoded["info"]["obj"].startswith("<class")
