"""Persistent Python sessions in sandbox containers (Docker; see conftest.py)."""

from __future__ import annotations

import pytest
from rewardkit_sandbox import Limits, SandboxPool
from rewardkit_sandbox.session import PythonSession

pytestmark = pytest.mark.docker

COUNT_MY_PROCESSES = (  # live ones: a killed process stays a zombie until PID 1 reaps it
    "import os\n"
    "def live(p):\n"
    "    try:\n"
    "        return open(f'/proc/{p}/stat').read().rsplit(')', 1)[1].split()[0] != 'Z'\n"
    "    except OSError:\n"
    "        return False\n"
    "sum(1 for p in os.listdir('/proc') if p.isdigit() and "
    "os.stat('/proc/' + p).st_uid == os.getuid() and live(p))")


@pytest.fixture(scope="module")
def session_pool(docker_client, sandbox_image):
    with SandboxPool(size=2, image=sandbox_image, client=docker_client,
                     limits=Limits(memory_mb=256, pids=64)) as pool:
        yield pool


@pytest.fixture
def session(session_pool):
    with PythonSession(session_pool, timeout=1.5, output_bytes=4096, wait=60) as s:
        yield s


def test_variables_imports_and_files_persist_across_calls(session):
    assert session.run("import math\nx = math.factorial(20)").ok
    assert session.run("open('notes.txt', 'w').write(str(x))").ok
    result = session.run("print(open('notes.txt').read()); x % 1000")
    assert result.ok and result.stdout == "2432902008176640000\n0\n"


def test_a_final_expression_is_printed_like_a_notebook_cell(session):
    assert session.run("2 ** 70").stdout == "1180591620717411303424\n"
    assert session.run("None").stdout == ""


def test_an_exception_comes_back_as_an_error_with_its_traceback(session):
    session.run("y = 1")
    result = session.run("y / 0")
    assert result.status == "error" and "ZeroDivisionError" in result.detail
    assert "Traceback" in result.stderr and 'File "<cell>"' in result.stderr
    assert session.run("y").stdout == "1\n"


def test_sessions_are_isolated_from_each_other(session_pool):
    with PythonSession(session_pool, timeout=2) as a, PythonSession(session_pool, timeout=2) as b:
        a.run("secret = 42\nopen('/tmp/sb/secret.txt', 'w').write('42')")
        assert b.run("secret").status == "error"
        assert b.run("import os; os.path.exists('/tmp/sb/secret.txt')").stdout == "False\n"
        assert a.run("secret").stdout == "42\n"


def test_a_closed_session_leaves_nothing_for_the_next_one(docker_client, sandbox_image):
    with SandboxPool(size=1, image=sandbox_image, client=docker_client) as pool:
        with PythonSession(pool) as first:
            first.run("open('left.txt', 'w').write('x')")
            used = first._container.id
        with PythonSession(pool) as second:
            assert second.run("import os; os.listdir('.')").stdout == "[]\n"
            assert second._container.id == used  # the same container, wiped


def test_an_infinite_loop_times_out_and_the_state_before_it_survives(session):
    session.run("counter = 7")
    result = session.run("counter = 0\nwhile True:\n    counter += 1")
    assert result.status == "timeout"
    assert session.run("counter").stdout == "7\n"


def test_big_integer_arithmetic_in_c_is_killed_at_the_limit(session):
    session.run("kept = 'yes'")
    assert session.run("10 ** 10 ** 9").status == "timeout"
    assert session.run("kept").stdout == "'yes'\n"


def test_exhausting_memory_is_reported_and_the_session_goes_on(session_pool):
    with PythonSession(session_pool, timeout=5, memory_mb=128) as s:
        s.run("small = [1, 2]")
        result = s.run("big = bytearray(1 << 30)")
        assert result.status in ("error", "memory_limit")
        assert "Memory" in result.detail or result.status == "memory_limit"
        assert s.run("small").stdout == "[1, 2]\n"


def test_without_an_address_space_limit_the_cgroup_oom_is_reported(session_pool):
    with PythonSession(session_pool, timeout=10) as s:
        s.run("small = 3")
        result = s.run("chunks = []\nwhile True:\n    chunks.append(bytearray(16 << 20))")
        assert result.status == "memory_limit"
        assert s.run("small").stdout == "3\n"


def test_an_output_flood_is_capped(session):
    result = session.run("print('a' * 100_000)")
    assert result.ok and result.truncated
    assert len(result.stdout) == 4096 and result.stdout_bytes == 100_001
    flood = session.run("while True:\n    print('x' * 1000)")
    assert flood.status == "timeout" and len(flood.stdout) <= 4096
    assert session.run("1 + 1").stdout == "2\n"


def test_a_fork_bomb_is_contained_and_its_processes_are_gone_after_the_call(session):
    session.run("alive = True")
    session.run("import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n"
                "        pass")
    assert session.run("alive").stdout == "True\n"
    # the holder kept from before this call, plus the child running it: nothing else
    assert int(session.run(COUNT_MY_PROCESSES).stdout) <= 2


def test_a_background_daemon_does_not_outlive_its_call(session):
    started = session.run("import subprocess\n"
                          "subprocess.Popen(['sleep', '600'], start_new_session=True).pid")
    assert started.ok
    assert int(session.run(COUNT_MY_PROCESSES).stdout) <= 2


def test_the_network_is_unreachable(session):
    result = session.run("import socket\nsocket.create_connection(('1.1.1.1', 53), timeout=1)")
    assert result.status == "error" and "OSError" in result.detail


def test_ending_the_interpreter_rolls_back_to_the_previous_state(session):
    session.run("z = 'before'")
    assert session.run("import os\nz = 'after'\nos._exit(3)").status == "crashed"
    assert session.run("z").stdout == "'before'\n"


def test_other_sessions_processes_are_invisible(session_pool):
    with PythonSession(session_pool, timeout=2) as a, PythonSession(session_pool, timeout=2) as b:
        a.run("import subprocess\np = subprocess.Popen(['sleep', '30'])")
        listed = b.run("import os\nsorted(open(f'/proc/{p}/cmdline').read() for p in "
                       "os.listdir('/proc') if p.isdigit() and os.path.exists(f'/proc/{p}/cmdline'))")
        assert listed.ok and "sleep" not in listed.stdout


def test_a_killed_container_is_an_error_then_a_fresh_session(session_pool, docker_client):
    with PythonSession(session_pool, timeout=2) as s:
        s.run("v = 1")
        docker_client.containers.get(s._container.id).kill()
        assert s.run("v").status in ("sandbox_error", "timeout")
        fresh = s.run("1 + 1")
        assert fresh.ok and fresh.restarted and fresh.stdout == "2\n"
