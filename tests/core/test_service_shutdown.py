"""Issue 14.10: SIGTERM under load: every accepted request gets a whole answer, or a 503
with ``Connection: close``; none has its connection closed with no reply."""

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from tests.core.sigterm_load import run_once

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("keep_alive", [True, False], ids=["keep-alive", "new-connections"])
def test_sigterm_under_a_64_client_load_leaves_no_request_without_an_answer(tmp_path,
                                                                            keep_alive):
    outcomes = run_once(tmp_path, clients=64, keep_alive=keep_alive)
    assert outcomes["dropped"] == 0, outcomes
    assert outcomes["ok"] > 0 and outcomes["refused"] > 0, outcomes  # load, then refusal
    assert set(outcomes) <= {"ok", "busy", "draining", "refused", "server_exit"}, outcomes
    assert outcomes["server_exit"] in (0, -15), outcomes  # a clean exit after draining


def test_a_request_during_the_drain_gets_a_503_that_closes_its_connection():
    import asyncio

    from rewardkit import Rubric, criterion
    from rewardkit.service.app import create_app
    from tests.core.rewards_for_scale import pause

    app = create_app(Rubric([criterion(pause)]))
    app.state.rewardkit.ready = True
    app.state.rewardkit.draining = True
    sent = []

    async def receive():
        return {"type": "http.request", "body": b'{"samples": [{"completion": "a"}]}',
                "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/v1/score", "raw_path": b"/v1/score",
             "query_string": b"", "headers": [(b"content-type", b"application/json")],
             "http_version": "1.1", "scheme": "http", "server": ("t", 1), "client": ("c", 2),
             "root_path": "", "asgi": {"version": "3.0"}}
    asyncio.run(app(scope, receive, send))
    start = sent[0]
    headers = dict(start["headers"])
    assert start["status"] == 503 and headers[b"connection"] == b"close"
    assert b"retry-after" in headers
    assert b"shutting down" in sent[1]["body"]
