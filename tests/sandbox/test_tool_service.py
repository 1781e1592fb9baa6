"""The Python tool over HTTP (`rewardkit serve --tools`): create -> call -> close."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")

from rewardkit_sandbox import tool as tool_module  # noqa: E402
from rewardkit_sandbox.session import CallResult  # noqa: E402

from rewardkit import Rubric  # noqa: E402
from rewardkit.service.app import ServiceSettings  # noqa: E402
from rewardkit.service.server import running_server  # noqa: E402
from rewardkit.service.sessions import ToolServiceSettings  # noqa: E402

TOKEN = "t0ken"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
RUBRIC = {"criteria": [{"name": "len", "reward": "tests.core.rewards_for_scale:matches"}]}


class EchoSession:
    """A fake PythonSession: prints the code back, remembers it like state would be kept."""

    def __init__(self, pool, **kwargs):
        self.history = []

    def run(self, code):
        self.history.append(code)
        if code == "boom":
            return CallResult("error", stderr="NameError: boom\n", detail="NameError: boom")
        return CallResult("ok", stdout=f"{len(self.history)}:{code}\n")

    def close(self):
        pass


def serve(monkeypatch, **limits):
    monkeypatch.setattr(tool_module, "PythonSession", EchoSession)
    monkeypatch.setattr(tool_module, "session_pool", lambda settings: None)
    settings = ServiceSettings(token=TOKEN, tools=ToolServiceSettings(**limits))
    return running_server(Rubric.from_dict(RUBRIC), settings)


def test_create_call_close(monkeypatch):
    with serve(monkeypatch) as url, httpx.Client(base_url=url, headers=AUTH, timeout=60) as client:
        opened = client.post("/v1/sessions")
        assert opened.status_code == 201
        sid = opened.json()["session_id"]
        first = client.post(f"/v1/sessions/{sid}/call", json={"code": "x = 1"}).json()
        second = client.post(f"/v1/sessions/{sid}/call", json={"code": "x"}).json()
        assert first == {"status": "ok", "output": "[ok]\n1:x = 1\n", "seconds": 0.0,
                         "calls_left": 31}
        assert second["output"] == "[ok]\n2:x\n"
        closed = client.delete(f"/v1/sessions/{sid}").json()
        assert closed["closed"] and [c["code"] for c in closed["tool_calls"]] == ["x = 1", "x"]
        assert client.post(f"/v1/sessions/{sid}/call", json={"code": "x"}).status_code == 404


def test_an_openai_tool_call_gets_a_tool_message_back(monkeypatch):
    with serve(monkeypatch) as url, httpx.Client(base_url=url, headers=AUTH, timeout=60) as client:
        sid = client.post("/v1/sessions").json()["session_id"]
        call = {"id": "call_1", "type": "function",
                "function": {"name": "run_python", "arguments": json.dumps({"code": "boom"})}}
        answer = client.post(f"/v1/sessions/{sid}/call", json={"tool_call": call}).json()
        assert answer["status"] == "error"
        assert answer["message"] == {"role": "tool", "tool_call_id": "call_1",
                                     "name": "run_python", "content": "[error]\nNameError: boom\n"}
        wrong = {**call, "function": {"name": "run_bash", "arguments": "{}"}}
        reply = client.post(f"/v1/sessions/{sid}/call", json={"tool_call": wrong})
        assert reply.status_code == 400 and "unknown tool 'run_bash'" in reply.json()["detail"]
        bad = {**call, "function": {"name": "run_python", "arguments": "{not json"}}
        assert client.post(f"/v1/sessions/{sid}/call", json={"tool_call": bad}).status_code == 400


def test_the_tool_schema_is_published(monkeypatch):
    with serve(monkeypatch) as url, httpx.Client(base_url=url, headers=AUTH, timeout=60) as client:
        body = client.get("/v1/tools").json()
        function = body["tools"][0]["function"]
        assert function["name"] == "run_python"
        assert function["parameters"]["required"] == ["code"]
        assert body["limits"]["max_sessions"] == 8


def test_every_session_route_needs_the_token(monkeypatch):
    with serve(monkeypatch) as url, httpx.Client(base_url=url, timeout=60) as client:
        assert client.post("/v1/sessions").status_code == 401
        assert client.get("/v1/tools").status_code == 401
        assert client.post("/v1/sessions/x/call", json={"code": "1"}).status_code == 401
        assert client.delete("/v1/sessions/x").status_code == 401


def test_limits_on_sessions_and_calls(monkeypatch):
    with serve(monkeypatch, max_sessions=1, max_calls=1) as url, \
            httpx.Client(base_url=url, headers=AUTH, timeout=60) as client:
        sid = client.post("/v1/sessions").json()["session_id"]
        full = client.post("/v1/sessions")
        assert full.status_code == 503 and "1 sessions are open" in full.json()["detail"]
        assert client.post(f"/v1/sessions/{sid}/call", json={"code": "1"}).json()["calls_left"] == 0
        refused = client.post(f"/v1/sessions/{sid}/call", json={"code": "2"}).json()
        assert refused["status"] == "budget" and refused["output"].startswith("[budget]")
        client.delete(f"/v1/sessions/{sid}")
        assert client.post("/v1/sessions").status_code == 201


def test_a_request_needs_code_or_a_tool_call(monkeypatch):
    with serve(monkeypatch) as url, httpx.Client(base_url=url, headers=AUTH, timeout=60) as client:
        sid = client.post("/v1/sessions").json()["session_id"]
        reply = client.post(f"/v1/sessions/{sid}/call", json={})
        assert reply.status_code == 422 and "exactly one of 'code' or 'tool_call'" in reply.text


@pytest.mark.docker
def test_a_real_session_keeps_state_over_http(sandbox_image):
    settings = ServiceSettings(tools=ToolServiceSettings(max_sessions=1, timeout=3))
    with running_server(Rubric.from_dict(RUBRIC), settings) as url, \
            httpx.Client(base_url=url, timeout=120) as client:
        sid = client.post("/v1/sessions").json()["session_id"]
        client.post(f"/v1/sessions/{sid}/call", json={"code": "n = 2 ** 100"})
        answer = client.post(f"/v1/sessions/{sid}/call", json={"code": "n % 1000"}).json()
        assert answer == {**answer, "status": "ok", "output": "[ok]\n376\n"}
        looping = client.post(f"/v1/sessions/{sid}/call", json={"code": "while True: pass"})
        assert looping.json()["status"] == "timeout"
        assert client.delete(f"/v1/sessions/{sid}").json()["closed"]
