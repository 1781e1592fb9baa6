"""The TRL environment around a Python session, and the watchdog (fakes, then Docker)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time

import pytest
from rewardkit_sandbox import tool as tool_module
from rewardkit_sandbox.session import CallResult
from rewardkit_sandbox.tool import (
    PythonEnvironment,
    ToolSettings,
    python_environment,
    render,
)
from rewardkit_sandbox.watchdog import remove_owned, wait_for_owner


class FakeSession:
    """Stands in for PythonSession: answers from a script, records what it ran."""

    def __init__(self, pool, **kwargs):
        self.ran, self.closed = [], False
        self.script = list(pool)

    def run(self, code):
        self.ran.append(code)
        answer = self.script.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def close(self):
        self.closed = True


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr(tool_module, "PythonSession", FakeSession)

    def make(*answers, **settings):
        env = PythonEnvironment(ToolSettings(**settings), pool=list(answers))
        env.reset(prompt="p", reference="1")
        return env

    return make


def test_the_tool_returns_the_status_tag_then_the_output(fake):
    env = fake(CallResult("ok", stdout="42\n"))
    assert env.run_python("6 * 7") == "[ok]\n42\n"
    assert env.tool_calls[0].status == "ok" and env.tool_calls[0].code == "6 * 7"


def test_an_error_shows_the_traceback(fake):
    env = fake(CallResult("error", stderr="Traceback ...\nNameError: x\n", detail="NameError: x"))
    assert env.run_python("x") == "[error]\nTraceback ...\nNameError: x\n"


def test_a_timeout_without_output_shows_its_detail(fake):
    env = fake(CallResult("timeout", detail="ran past the 1 s limit"))
    assert env.run_python("while 1: pass") == "[timeout]\nran past the 1 s limit\n"


def test_long_output_is_cut_for_the_model(fake):
    env = fake(CallResult("ok", stdout="a" * 100), max_output_chars=16)
    assert env.run_python("print('a' * 100)") == "[ok]\n" + "a" * 16 + "\n... [84 more characters cut]\n"


def test_a_restarted_session_is_announced(fake):
    env = fake(CallResult("ok", stdout="1\n", restarted=True))
    assert "session was restarted" in env.run_python("1")


def test_calls_past_the_budget_are_refused_without_running(fake):
    env = fake(CallResult("ok"), CallResult("ok"), max_calls=2)
    env.run_python("1")
    env.run_python("2")
    assert env.run_python("3").startswith("[budget]\nno calls left: at most 2")
    assert env._session.ran == ["1", "2"]
    assert [c.status for c in env.tool_calls] == ["ok", "ok", "budget"]


def test_a_session_that_raises_becomes_a_sandbox_error_message(fake):
    env = fake(RuntimeError("daemon gone"))
    assert env.run_python("1") == "[sandbox_error]\nRuntimeError: daemon gone\n"


def test_reset_ends_the_previous_session_and_clears_the_record(fake):
    env = fake(CallResult("ok"))
    env.run_python("1")
    session = env._session
    env.reset(prompt="next")
    assert session.closed and env._session is None and env.tool_calls == []
    assert env.row == {"prompt": "next"}


def test_trl_sees_one_tool_with_a_schema():
    from transformers.utils import get_json_schema

    env = python_environment()()
    public = [name for name in dir(type(env)) if not name.startswith("_")
              and callable(getattr(type(env), name))]
    assert sorted(public) == ["reset", "run_python"]  # TRL exposes public methods as tools
    schema = get_json_schema(env.run_python)
    assert schema["function"]["name"] == "run_python"
    assert schema == tool_module.RUN_PYTHON_SCHEMA  # the copy the HTTP service publishes


def test_the_factory_pickles_and_checks_its_settings():
    factory = pickle.loads(pickle.dumps(python_environment(timeout=3, max_calls=2)))
    assert factory().settings.max_calls == 2
    with pytest.raises(ValueError, match="max_calls=0 is out of range"):
        python_environment(max_calls=0)


def test_render_keeps_output_and_detail_apart():
    assert render(CallResult("crashed", stdout="partial\n", detail="the interpreter exited"),
                  100) == "[crashed]\npartial\nthe interpreter exited\n"


# -- the watchdog ------------------------------------------------------------------


def test_the_watchdog_wakes_when_the_owner_pipe_closes():
    read_end, write_end = os.pipe()
    os.close(write_end)
    wait_for_owner(os.getpid(), read_end, poll=30)  # returns at once: end of file
    os.close(read_end)


def test_the_watchdog_wakes_when_the_owner_pid_is_gone():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    read_end, write_end = os.pipe()
    wait_for_owner(child.pid, read_end, poll=0.01)
    os.close(read_end)
    os.close(write_end)


def test_remove_owned_removes_only_the_owners_containers():
    class Container:
        def __init__(self):
            self.removed = False

        def remove(self, force):
            self.removed = True

    class Containers:
        def __init__(self):
            self.mine = [Container(), Container()]

        def list(self, all, filters):
            assert filters == {"label": "rewardkit.sandbox.owner=host:1"}
            return self.mine

    client = type("Client", (), {"containers": Containers()})()
    assert remove_owned(client, "host:1") == 2
    assert all(c.removed for c in client.containers.mine)


KILLED_TRAINER = """
import os, sys
from rewardkit_sandbox.tool import python_environment
env = python_environment(sessions=1)()
env.reset()
print(env.run_python("1 + 1"), flush=True)
os.kill(os.getpid(), 9)
"""


@pytest.mark.docker
def test_containers_of_a_killed_trainer_are_removed(docker_client, sandbox_image):
    from rewardkit_sandbox.container import OWNER_LABEL

    proc = subprocess.Popen([sys.executable, "-c", KILLED_TRAINER], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == -9 and "[ok]\n2" in stdout, stderr
    owner = f"{os.uname().nodename}:{proc.pid}"
    labelled = {"label": f"{OWNER_LABEL}={owner}"}
    deadline = time.monotonic() + 60
    while docker_client.containers.list(all=True, filters=labelled):
        assert time.monotonic() < deadline, "the watchdog did not remove the containers"
        time.sleep(0.2)


def test_an_environment_with_a_reward_scores_its_rollout_with_the_rubric(monkeypatch):
    monkeypatch.setattr(tool_module, "PythonSession", FakeSession)
    factory = python_environment(reward={"criteria": [{"reward": "tool_use"}]})
    env = factory()
    assert type(env).__name__ == "ScoredPythonEnvironment" and callable(env.get_reward)
    env._pool = [CallResult("ok", stdout="1\n"), CallResult("timeout")]
    env.reset(prompt="p", reference="1")
    env.run_python("1")
    env.run_python("while 1: pass")
    assert env.get_reward() == 0.5
    env.reset(prompt="q")
    assert env.get_reward() is None  # no calls: tool_use does not apply
    assert pickle.loads(pickle.dumps(factory))().rubric.criteria[0].name == "tool_use"


def test_an_environment_without_a_reward_has_no_get_reward():
    assert not hasattr(python_environment()(), "get_reward")
