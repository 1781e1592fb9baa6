"""The pool: containment settings, concurrency, recycling and leaked-container cleanup."""

from __future__ import annotations

import asyncio
import threading

import pytest

from rewardkit_sandbox import Limits, SandboxError, SandboxPool
from rewardkit_sandbox.container import LABEL, OWNER_LABEL, create_container

ADD = "print(sum(map(int, input().split())))"


def add_tests(a: int, b: int) -> dict:
    return {"tests": [{"input": f"{a} {b}", "output": str(a + b)}]}


@pytest.mark.docker
def test_every_container_is_locked_down(pool):
    config = pool.client.api.inspect_container(pool.containers()[0])
    host = config["HostConfig"]
    assert host["NetworkMode"] == "none"
    assert host["ReadonlyRootfs"] is True
    assert host["CapDrop"] == ["ALL"]
    assert set(host["CapAdd"]) == {"SETUID", "SETGID", "KILL"}
    assert "no-new-privileges" in host["SecurityOpt"]
    assert host["Memory"] == host["MemorySwap"] == pool.limits.memory_mb << 20
    assert host["PidsLimit"] == pool.limits.pids
    assert host["NanoCpus"] == int(pool.limits.cpus * 1e9)
    assert host["LogConfig"]["Type"] == "none"
    assert "size=" in host["Tmpfs"]["/tmp"]
    assert config["Config"]["Labels"][LABEL] == "1"
    assert host["Sysctls"] == {"net.ipv4.tcp_max_tw_buckets": "0"}


@pytest.mark.docker
def test_programs_run_as_an_unprivileged_user_without_capabilities(pool):
    source = ("import os\nstatus = open('/proc/self/status').read()\n"
              "caps = [l.split()[1] for l in status.splitlines()\n"
              "        if l.startswith(('CapInh', 'CapPrm', 'CapEff', 'CapAmb'))]\n"
              "print(os.getuid(), os.getgid(), os.getgroups(), set(caps))\n")
    result = pool.run(source, {"tests": [{"output": "10001 10001 [] {'0000000000000000'}"}]})
    assert result.pass_rate == 1.0, result.results[0]


@pytest.mark.docker
def test_threads_share_the_pool(pool):
    results: dict[int, float] = {}

    def work(i: int) -> None:
        results[i] = pool.run(ADD, add_tests(i, i)).pass_rate

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {i: 1.0 for i in range(8)}


@pytest.mark.docker
def test_asyncio_callers_run_concurrently(pool):
    async def main():
        return await asyncio.gather(*(pool.arun(ADD, add_tests(i, 1)) for i in range(6)))

    assert [r.pass_rate for r in asyncio.run(main())] == [1.0] * 6


@pytest.mark.docker
def test_a_container_that_timed_out_is_replaced(docker_client, sandbox_image):
    with SandboxPool(size=1, image=sandbox_image, client=docker_client,
                     limits=Limits(test_timeout=1.0)) as small:
        before = small.containers()
        assert small.run("while True: pass", add_tests(1, 1)).results[0].status.value == "timeout"
        assert small.run(ADD, add_tests(1, 1)).pass_rate == 1.0
        assert small.recycled == 1 and small.containers() != before
        assert docker_client.containers.list(all=True, filters={"id": before[0]}) == []


@pytest.mark.docker
def test_many_tests_run_in_one_job_on_one_container(pool):
    tests = {"tests": [{"input": f"{i} {i}", "output": str(2 * i)} for i in range(40)]}
    result = pool.run(ADD, tests)
    assert result.passed == 40


@pytest.mark.docker
def test_leaked_containers_of_dead_processes_are_removed(docker_client, sandbox_image):
    import socket

    leaked = create_container(docker_client, sandbox_image, Limits())
    ours = create_container(docker_client, sandbox_image, Limits())
    try:
        # Labels are immutable: recreate the first as owned by a process that is gone.
        leaked.remove(force=True)
        leaked = docker_client.containers.run(
            sandbox_image, ["sleep", "600"], detach=True, network_mode="none",
            labels={LABEL: "1", OWNER_LABEL: f"{socket.gethostname()}:999999999"})
        from rewardkit_sandbox import remove_leaked

        assert remove_leaked(docker_client) >= 1
        remaining = {c.id for c in docker_client.containers.list(all=True,
                                                                 filters={"label": LABEL})}
        assert leaked.id not in remaining and ours.id in remaining
    finally:
        for c in (leaked, ours):
            try:
                c.remove(force=True)
            except Exception:  # noqa: BLE001
                pass


@pytest.mark.docker
def test_closing_the_pool_removes_its_containers(docker_client, sandbox_image):
    small = SandboxPool(size=1, image=sandbox_image, client=docker_client)
    ids = small.containers()
    small.close()
    assert docker_client.containers.list(all=True, filters={"id": ids[0]}) == []
    with pytest.raises(SandboxError, match="closed"):
        small.run(ADD, add_tests(1, 2))


def test_unreachable_daemon_is_a_clear_error(monkeypatch):
    from rewardkit_sandbox import docker_client

    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    with pytest.raises(SandboxError, match="Docker is not reachable.*rewardkit sandbox check"):
        docker_client(timeout=2)


@pytest.mark.docker
def test_host_side_job_deadline_recycles_the_container(docker_client, sandbox_image,
                                                       monkeypatch):
    limits = Limits(test_timeout=20.0)
    with SandboxPool(size=1, image=sandbox_image, client=docker_client, limits=limits) as small:
        monkeypatch.setattr(Limits, "job_timeout", lambda self, tests, *args: 1.0)
        result = small.run("import time\ntime.sleep(30)", add_tests(1, 1))
        assert result.results[0].status.value == "timeout"
        assert any("ran past" in note for note in result.notes)
        monkeypatch.undo()
        assert small.run(ADD, add_tests(2, 2)).pass_rate == 1.0
        assert small.recycled == 1


@pytest.mark.docker
def test_a_pool_that_cannot_replace_containers_says_so(docker_client, sandbox_image,
                                                       monkeypatch):
    with SandboxPool(size=1, image=sandbox_image, client=docker_client,
                     limits=Limits(test_timeout=0.5)) as small:
        import rewardkit_sandbox.pool as pool_module

        def broken(*args, **kwargs):
            raise RuntimeError("daemon out of disk")

        monkeypatch.setattr(pool_module, "create_container", broken)
        small.run("while True: pass", add_tests(1, 1))
        with pytest.raises(SandboxError, match="no containers left.*daemon out of disk"):
            small.run(ADD, add_tests(1, 1))


@pytest.mark.docker
def test_buffered_stdin_and_stdout_work_like_the_interpreter(pool):
    source = ("import sys\ndata = sys.stdin.buffer.readline().split()\n"
              "sys.stdout.buffer.write(b'%d\\n' % sum(map(int, data)))\n"
              "print(sys.stdin.readline().strip()[::-1])\n")
    result = pool.run(source, {"tests": [{"input": "1 2 3\nabc\n", "output": "6\ncba\n"}]})
    assert result.pass_rate == 1.0, result.results[0]


@pytest.mark.docker
def test_a_pool_that_cannot_start_cleans_up_and_says_why(docker_client):
    with pytest.raises(SandboxError, match="starting sandbox containers from "
                                           "rewardkit-sandbox:does-not-exist failed"):
        SandboxPool(size=2, image="rewardkit-sandbox:does-not-exist", client=docker_client)


def test_job_timeout_counts_builds_start_up_and_checkers():
    from rewardkit_sandbox import TestSuite
    from rewardkit_sandbox.pool import job_timeout

    limits = Limits(test_timeout=2.0, compile_timeout=10.0)
    plain = TestSuite.parse({"language": "cpp", "tests": [{"output": "1"}] * 3})
    assert job_timeout(plain, limits) == limits.job_timeout(3)
    java = TestSuite.parse({"language": "java", "tests": [{"code": "a"}, {"code": "b"},
                                                          {"code": "a"}]})
    assert job_timeout(java, limits) == limits.job_timeout(3, builds=3, per_test=1.0)
    checked = TestSuite.parse({"tests": [{"input": "1"}], "checker": {"source": "x"}})
    assert job_timeout(checked, limits) == limits.job_timeout(1, builds=2, per_test=5.0)


def test_an_unverifiable_line_from_the_runner_raises():
    from rewardkit_sandbox import UnverifiableSuite
    from rewardkit_sandbox.pool import to_result

    with pytest.raises(UnverifiableSuite, match="checker does not compile"):
        to_result([{"unverifiable": "the checker does not compile: x"}, {"done": True}],
                  1, 0.1, True, 10.0)


def test_compiler_outputs_of_every_build_are_kept():
    from rewardkit_sandbox.pool import to_result

    lines = [{"compile_output": "", "variant": "main"},
             {"compile_output": "warning: x", "variant": "t0"},
             {"test": 0, "status": "pass"}, {"done": True}]
    result = to_result(lines, 1, 0.1, True, 10.0)
    assert result.compile_output == "warning: x" and result.passed == 1
