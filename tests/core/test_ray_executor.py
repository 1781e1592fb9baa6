"""The Ray executor on a real local Ray instance: same scores, statuses and errors as local."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter

import pytest

from rewardkit import Rubric, Sample, criterion
from rewardkit.engine import Engine
from rewardkit.errors import ConfigError
from rewardkit.executors import ExecutorConfig, LocalExecutor, make_executor
from rewardkit.executors.ray import (actor_options, chunk_bounds, fits_some_node,
                                     fitting_count, init_kwargs)
from tests.core.rewards_for_scale import pid
from tests.core.rewards_for_tests import AsyncReward, length, misbehave

TEXTS = ["a", "spin", "bb", "raise", "die", "ccc", "", "dddd", "raise", "eeeee", "ffffff"]
TIMEOUT = 2.0  # generous: replacement workers start inside the next sample's deadline


@pytest.fixture(scope="module")
def ray_cluster():
    ray = pytest.importorskip("ray")
    started = not ray.is_initialized()
    if started:
        # 4 logical CPUs on any machine: room for the shared executor's two actors plus
        # one more executor's at a time
        ray.init(num_cpus=4, include_dashboard=False, log_to_driver=False)
    yield ray
    if started:
        ray.shutdown()


@pytest.fixture(scope="module")
def executor(ray_cluster):
    config = ExecutorConfig(kind="ray", actors=2, chunk_size=2, max_in_flight=3)
    ex = make_executor(config)
    yield ex
    ex.close()


@pytest.fixture(scope="module")
def local_scores():
    ex = LocalExecutor(workers=2)
    try:
        yield ex.map(misbehave(), [Sample(t) for t in TEXTS], TIMEOUT)
    finally:
        ex.close()


def summary(scores):
    return [(s.value, s.status.value, s.info.get("reason")) for s in scores]


def test_ray_gives_the_same_scores_statuses_and_reasons_as_local(executor, local_scores):
    scores = executor.map(misbehave(), [Sample(t) for t in TEXTS], TIMEOUT)
    assert summary(scores) == summary(local_scores)
    assert Counter(s.status.value for s in scores) == {"ok": 7, "error": 3, "timeout": 1}
    assert scores[1].info["reason"] == "timed out after 2 s; worker killed"
    assert "ValueError: bad sample" in scores[3].info["reason"]
    assert "exit code 7" in scores[4].info["reason"]


def test_results_keep_input_order_under_back_pressure(executor):
    samples = [Sample("x" * i) for i in range(25)]
    scores = executor.map(misbehave(), samples, TIMEOUT)
    assert [s.value for s in scores] == [float(i) for i in range(25)]
    assert 1 <= executor.peak_in_flight <= 3


def test_a_dead_actor_is_replaced_and_its_chunk_retried(executor, ray_cluster):
    executor.map(misbehave(), [Sample("warm")], TIMEOUT)
    for group in executor._groups.values():
        for actor in group.actors:
            ray_cluster.kill(actor)
    scores = executor.map(misbehave(), [Sample("ab"), Sample("abc"), Sample("raise")], TIMEOUT)
    assert summary(scores)[:2] == [(2.0, "ok", None), (3.0, "ok", None)]
    assert scores[2].status.value == "error"


def test_an_empty_batch_starts_nothing(executor):
    assert executor.map(misbehave(), [], TIMEOUT) == []


def test_resources_no_node_can_hold_are_a_config_error(executor):
    with pytest.raises(ConfigError, match="no Ray node can hold"):
        executor.map(misbehave(), [Sample("a")], TIMEOUT, resources={"num_cpus": 64})
    with pytest.raises(ConfigError, match="no Ray node can hold"):
        executor.map(misbehave(), [Sample("a")], TIMEOUT, resources={"sandbox_slot": 1})


def test_no_schedulable_actor_is_a_config_error_not_a_hang(executor):
    executor.map(misbehave(), [Sample("a")], TIMEOUT)  # its two actors hold 2 of the 4 CPUs
    greedy = make_executor(ExecutorConfig(kind="ray", num_cpus=3, startup_timeout=1))
    try:
        with pytest.raises(ConfigError, match="no scoring actor could be scheduled within 1 s"):
            greedy.map(misbehave(), [Sample("a")], TIMEOUT)
    finally:
        greedy.close()


def test_actors_that_cannot_be_scheduled_get_no_work(executor):
    executor.map(misbehave(), [Sample("a")], TIMEOUT)  # its two actors hold 2 of the 4 CPUs
    crowded = make_executor(ExecutorConfig(kind="ray", actors=3, chunk_size=1))  # 1 must wait
    try:
        scores = crowded.map(misbehave(), [Sample("x" * i) for i in range(8)], TIMEOUT)
        assert [s.value for s in scores] == [float(i) for i in range(8)]
        assert next(iter(crowded._groups.values())).starting  # the third is still waiting
    finally:
        crowded.close()


def test_io_bound_rewards_run_per_node_with_local_statuses(executor):
    samples = [Sample(t) for t in ["ok", "sleep", "raise", "fine"]]
    local = Engine().run(AsyncReward(), samples, 1.0)
    on_nodes = executor.map_per_node(AsyncReward(), samples, 1.0)
    assert summary(on_nodes) == summary(local)
    assert [s.status.value for s in on_nodes] == ["ok", "timeout", "error", "ok"]


def test_a_per_node_reward_lives_in_one_process_per_node(executor, ray_cluster):
    first = executor.map_per_node(pid(), [Sample("a")] * 6, None)
    again = executor.map_per_node(pid(), [Sample("b")] * 3, None)
    pids = {s.value for s in first + again}
    assert len(pids) == len(ray_cluster.nodes()) == 1  # one node here: one process
    assert pids != {float(os.getpid())}


def test_rubric_on_ray_matches_rubric_on_local(ray_cluster):
    def rubric(executor):
        return Rubric([criterion(length, name="len", weight=1.0),
                       criterion(misbehave, name="flaky", weight=0.5, timeout=TIMEOUT)],
                      workers=2, executor=executor)

    samples = [Sample(t) for t in ["ab", "raise", "die", "abcd"]]  # timeouts: test above
    with rubric({"kind": "ray", "num_cpus": 1}) as on_ray, rubric("local") as local:
        ray_result, local_result = on_ray.score(samples), local.score(samples)
        assert type(on_ray.engine.executor).__name__ == "RayExecutor"
    assert ray_result.totals == local_result.totals == [3.0, 5.0, 3.0, 6.0]
    for name in ("len", "flaky"):
        assert summary(ray_result.component(name)) == summary(local_result.component(name))
        assert (ray_result.summary[name].status_counts
                == local_result.summary[name].status_counts)


def test_score_command_runs_on_ray(ray_cluster, tmp_path):
    from typer.testing import CliRunner

    from rewardkit.cli.app import build_app

    rubric = tmp_path / "rubric.yaml"
    rubric.write_text("criteria:\n  - name: flaky\n    reward: tests.core.rewards_for_tests:"
                      "misbehave\n    timeout: 1\n")
    data = tmp_path / "in.jsonl"
    data.write_text("".join(json.dumps({"completion": t}) + "\n" for t in ["ab", "raise", "die"]))
    out = tmp_path / "out.jsonl"
    args = ["score", "-r", str(rubric), "-i", str(data), "-o", str(out), "--executor", "ray",
            "--json"]
    result = CliRunner().invoke(build_app(args), args)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["components"]["flaky"]["status"] for r in rows] == ["ok", "error", "error"]
    assert rows[0]["total"] == 2.0


def test_bench_command_runs_on_ray_with_the_same_metrics(ray_cluster, tmp_path):
    from typer.testing import CliRunner

    from rewardkit.cli.app import build_app

    cases = tmp_path / "cases.jsonl"
    rows = [("a", "ab", True), ("b", "raise", False), ("c", "", False), ("d", "abcd", True)]
    cases.write_text("".join(json.dumps({"id": i, "completion": c, "expected": e}) + "\n"
                             for i, c, e in rows))
    results = {}
    for executor in ("local", "ray"):
        args = ["bench", "tests.core.rewards_for_tests:misbehave", "--cases", str(cases),
                "--executor", executor, "--timeout", "5", "--json"]
        result = CliRunner().invoke(build_app(args), args)
        assert result.exit_code == 0, result.output
        (summary,) = json.loads(result.stdout[result.stdout.index("["):])
        results[executor] = {k: summary[k] for k in ("tp", "fp", "tn", "fn", "status_counts")}
    assert results["ray"] == results["local"]
    assert results["ray"]["status_counts"]["error"] == 1


def test_bench_rejects_an_unknown_executor(tmp_path):
    from typer.testing import CliRunner

    from rewardkit.cli.app import build_app

    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps({"id": "a", "completion": "x", "expected": True}) + "\n")
    args = ["bench", "tests.core.rewards_for_tests:length", "--cases", str(cases),
            "--executor", "spark"]
    result = CliRunner().invoke(build_app(args), args)
    assert result.exit_code == 2 and "Invalid value for '--executor'" in result.output


def test_actor_options_map_resources_to_ray_options():
    config = ExecutorConfig(kind="ray", num_cpus=0.5)
    assert actor_options(config, None) == {"num_cpus": 0.5}
    assert actor_options(config, {"num_cpus": 2, "num_gpus": 1, "memory": 1e9, "sandbox": 1}) == {
        "num_cpus": 2.0, "num_gpus": 1, "memory": 1e9, "resources": {"sandbox": 1.0}}


def test_fitting_count_is_bounded_by_the_scarcest_resource():
    free = {"CPU": 8.0, "sandbox": 2.0, "GPU": 0.0}
    assert fitting_count({"num_cpus": 1.0}, free) == 8
    assert fitting_count({"num_cpus": 1.0, "resources": {"sandbox": 1.0}}, free) == 2
    assert fitting_count({"num_cpus": 1.0, "num_gpus": 1}, free) == 1  # at least one
    assert fitting_count({"num_cpus": 0}, free) == 8


def test_fits_some_node_checks_every_requested_resource():
    nodes = [{"Alive": True, "Resources": {"CPU": 2.0, "sandbox": 1.0}},
             {"Alive": False, "Resources": {"CPU": 64.0}}]
    assert fits_some_node({"num_cpus": 2.0, "resources": {"sandbox": 1.0}}, nodes)
    assert not fits_some_node({"num_cpus": 4.0}, nodes)  # only a dead node has 64
    assert not fits_some_node({"num_cpus": 1.0, "num_gpus": 1}, nodes)


def test_chunks_cover_the_batch_about_four_per_actor():
    assert chunk_bounds(10, 2, 4) == [(0, 4), (4, 8), (8, 10)]
    assert chunk_bounds(80, 2) == [(i, i + 10) for i in range(0, 80, 10)]
    assert chunk_bounds(3, 8) == [(0, 1), (1, 2), (2, 3)]
    assert chunk_bounds(100_000, 1)[0] == (0, 64)


def test_init_joins_an_address_or_starts_a_quiet_local_instance():
    assert init_kwargs(ExecutorConfig(kind="ray", address="ray://head:10001")) == {
        "address": "ray://head:10001", "log_to_driver": False}
    local = init_kwargs(ExecutorConfig(kind="ray"))
    assert local["include_dashboard"] is False and local["num_cpus"] >= 1


def test_executor_config_rejects_unknown_keys():
    with pytest.raises(ConfigError, match="executor.*unknown key"):
        Rubric.from_dict({"criteria": [{"reward": "tests.core.rewards_for_tests:length"}],
                          "executor": {"kind": "ray", "cpus": 2}})


def test_missing_ray_is_a_config_error_naming_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now raises ImportError
    with pytest.raises(ConfigError, match=r"rewardkit\[ray\]"):
        make_executor("ray")


def test_nothing_imports_ray_unless_the_ray_executor_is_chosen(tmp_path):
    code = ("import sys, rewardkit, rewardkit.engine, rewardkit.rubric, rewardkit.executors; "
            "from rewardkit import Rubric, Sample, criterion; "
            "from tests.core.rewards_for_tests import misbehave; "
            "r = Rubric([criterion(misbehave, name='m')], workers=1); r.score([Sample('ab')]); "
            "r.close(); print('ray' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=str(__import__("pathlib").Path(__file__).parents[2]), check=True)
    assert out.stdout.strip() == "False"


def test_an_address_ray_cannot_join_is_a_config_error():
    code = ("from rewardkit.executors import make_executor\n"
            "try:\n    make_executor({'kind': 'ray', 'address': 'not-a-ray-address'})\n"
            "except Exception as exc:\n    print(type(exc).__name__, exc)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.startswith("ConfigError could not start or join Ray at not-a-ray-address")
    assert "executor.address" in out.stdout


def test_engine_sends_per_node_rewards_to_the_node_actors(executor):
    reward = pid()
    reward.per_node = True
    on_ray = Engine(executor=executor).run(reward, [Sample("a")] * 3)
    assert {s.value for s in on_ray} != {float(os.getpid())}
    local = Engine().run(reward, [Sample("a")] * 3)  # the local executor scores in place
    assert {s.value for s in local} == {float(os.getpid())}
