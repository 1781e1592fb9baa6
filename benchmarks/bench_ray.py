"""Local vs Ray scoring throughput on this machine, and a paper projection over nodes.

Measured side by side, same worker count, rounds interleaved so machine load hits both:

* the local executor (``WorkerPool`` of N worker processes) against the Ray executor
  (N actors, each with one worker process) on a local Ray instance;
* rewards: a synthetic CPU-bound reward burning a fixed 5 ms of CPU per sample, a no-op one
  (pure per-sample overhead), and the `math` reward on the Math-Verify cases (after a
  warm-up on the hard sets; split into disjoint slices, each executor scoring each slice
  once: the math reward caches parses per process, so a repeated case would be free);
* Ray's one-time costs: ``ray.init`` and starting the actors;
* the per-core rate of `math` (one local worker).

The projection multiplies the per-core rate by the cores of N nodes and by the Ray
efficiency measured here (Ray throughput / local throughput on the same cores, 5 ms
reward). The code reward is I/O-bound (containers): its per-core rate is the sandbox
benchmark's warm-pool rate (``results/sandbox.json``) when present, else ``--code-ms``.
See the assumptions printed under the table.

    python benchmarks/bench_ray.py [--samples 400] [--workers 2] [--repeats 3]
                                   [--cores-per-node 32] [--code-ms 120]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results" / "ray.json"
CASES = ROOT / "benchmarks" / "data" / "math"
NODES = [1, 2, 4, 8, 16, 32, 64]

if __name__ == "__main__":  # rewards must pickle by a module name workers can import
    sys.path.insert(0, str(HERE))

from rewardkit import Reward, RewardParams, Sample, Score  # noqa: E402


class Burn(Reward):
    """CPU-bound: spins for `ms` milliseconds of CPU per sample."""

    name = "burn"
    cpu_bound = True

    class Params(RewardParams):
        ms: float = 5.0

    def score_one(self, sample: Sample) -> Score:
        end = time.thread_time() + self.params.ms / 1000
        x = 0
        while time.thread_time() < end:
            x += 1
        return Score(float(len(sample.completion_text)))


def math_slices(count: int) -> tuple[list[Sample], list[list[Sample]]]:
    """Warm-up cases (the hard sets) and `count` disjoint slices of the Math-Verify cases.

    A math worker imports parts of sympy lazily, the first time it meets a construct, so
    every worker first scores the hard sets; and the reward caches parses per process, so
    no executor may see a measured case twice: each scores every slice once (`measure`).
    """
    def load(name: str) -> list[Sample]:
        rows = [json.loads(line) for line in (CASES / name).read_text().splitlines() if line]
        return [Sample(r["completion"], reference=r["reference"]) for r in rows]

    warmup = load("hardverify_dev.jsonl") + load("hard_cases.jsonl")
    work = load("math_verify_tests.jsonl")
    size = len(work) // count
    return warmup, [work[i * size:(i + 1) * size] for i in range(count)]


def measure(executors: dict[str, Any], reward: Any, slices: list[list[Sample]]) -> dict:
    """Samples/s per executor over all slices; in round r executor k scores slice r+k, so
    load on the machine hits every executor alike and each sees each slice once."""
    done = {name: [0, 0.0] for name in executors}
    for r in range(len(slices)):
        for k, (name, executor) in enumerate(executors.items()):
            batch = slices[(r + k) % len(slices)]
            start = time.perf_counter()
            scores = executor.map(reward, batch, 30.0)
            done[name][1] += time.perf_counter() - start
            done[name][0] += len(batch)
            assert len(scores) == len(batch)
    return {name: round(n / t, 1) for name, (n, t) in done.items()}


def code_per_core(assumed_ms: float) -> tuple[float, str]:
    """Programs/s per core for the code reward: the sandbox benchmark's warm-pool rate
    (results/sandbox.json, programs of 5 tests) when it exists, else an assumption."""
    path = HERE / "results" / "sandbox.json"
    try:
        data = json.loads(path.read_text())
        rate = data["methods"]["pool"]["programs_per_s"] / data["workers"]
        return round(rate, 1), (f"measured by bench_sandbox: warm pool, {data['workers']} "
                                f"workers, {data['tests_per_program']} tests a program")
    except (OSError, KeyError, ValueError, ZeroDivisionError):
        return round(1000 / assumed_ms, 1), f"assumed {assumed_ms:g} ms a program"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=400)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cores-per-node", type=int, default=32)
    parser.add_argument("--code-ms", type=float, default=120.0,
                        help="ms per program for the code reward when results/sandbox.json "
                        "is missing")
    args = parser.parse_args()

    import ray

    from bench_ray import Burn as ImportableBurn  # the module name, not __main__
    from rewardkit.executors import ExecutorConfig, LocalExecutor
    from rewardkit.executors.ray import RayExecutor
    from rewardkit.registry import build_reward

    math_reward = build_reward("math", {"answer_from": "whole", "timeout": 30})
    synthetic = [Sample("x" * (i % 50)) for i in range(args.samples)]
    math_warmup, math_work = math_slices(args.repeats)

    t0 = time.perf_counter()
    ray.init(num_cpus=args.workers, include_dashboard=False, log_to_driver=False)
    init_s = time.perf_counter() - t0
    local = LocalExecutor(args.workers)
    on_ray = RayExecutor(ExecutorConfig(kind="ray", actors=args.workers))
    t0 = time.perf_counter()
    on_ray.map(ImportableBurn(ms=0.0), synthetic[: args.workers], 30)  # starts the actors
    actors_s = time.perf_counter() - t0
    one_core = LocalExecutor(1)

    plans = {"burn 5 ms": (ImportableBurn(ms=5.0), synthetic[:40], [synthetic] * args.repeats),
             "no-op": (ImportableBurn(ms=0.0), synthetic[:40], [synthetic] * args.repeats),
             "math": (math_reward, math_warmup, math_work)}
    measured: dict[str, dict[str, float]] = {}
    for name, (reward, warmup, work) in plans.items():
        executors = {"local": local, "ray": on_ray}
        if name == "math":
            executors["one_core"] = one_core
        for executor in executors.values():  # warm every worker (imports, sympy)
            executor.map(reward, warmup, 60)
        measured[name] = measure(executors, reward, work)
        measured[name]["ray_efficiency"] = round(measured[name]["ray"] / measured[name]["local"], 3)
    chunk_size = min(64, -(-len(synthetic) // (args.workers * 4)))  # the executor's default
    chunks = -(-len(synthetic) // chunk_size)
    noop = measured["no-op"]
    extra_s = len(synthetic) / noop["ray"] - len(synthetic) / noop["local"]
    dispatch = {"chunk_size": chunk_size, "chunks_per_batch": chunks,
                "ray_extra_ms_per_chunk": round(extra_s / chunks * 1000, 2)}
    for ex in (local, on_ray, one_core):
        ex.close()
    ray.shutdown()

    efficiency = min(1.0, measured["burn 5 ms"]["ray_efficiency"])
    code_rate, code_source = code_per_core(args.code_ms)
    per_core = {"math": measured["math"]["one_core"], "code": code_rate}
    projection = {kind: {n: round(n * args.cores_per_node * rate * efficiency) for n in NODES}
                  for kind, rate in per_core.items()}
    top = max(projection["math"].values())
    result = {"machine_cpus": os.cpu_count(), "load_avg_1m": round(os.getloadavg()[0], 1),
              "workers": args.workers, "samples": args.samples,
              "ray_init_s": round(init_s, 2), "ray_actor_start_s": round(actors_s, 2),
              "throughput_samples_per_s": measured, "dispatch": dispatch,
              "projection": {"cores_per_node": args.cores_per_node, "efficiency": efficiency,
                             "per_core_samples_per_s": per_core, "code_rate_source": code_source,
                             "driver_chunks_per_s_needed_at_max": round(top / 64),
                             "samples_per_s_by_nodes": projection}}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")

    print(f"| reward ({args.workers} workers; math: {sum(map(len, math_work))} distinct cases) "
          "| local samples/s "
          "| Ray samples/s | Ray / local |\n| --- | --- | --- | --- |")
    for name, m in measured.items():
        print(f"| {name} | {m['local']} | {m['ray']} | {m['ray_efficiency']:.2f} |")
    print(f"\nRay one-time costs: `ray.init` {init_s:.1f} s, {args.workers} actors started in "
          f"{actors_s:.1f} s. Ray's extra wall time per chunk of {chunk_size} (no-op reward): "
          f"{dispatch['ray_extra_ms_per_chunk']} ms. Load average at the end: "
          f"{result['load_avg_1m']} on {os.cpu_count()} cores.\n")
    print(f"| samples/s on N nodes × {args.cores_per_node} cores | "
          + " | ".join(f"N={n}" for n in NODES) + " |\n| --- |" + " --- |" * len(NODES))
    for kind, row in projection.items():
        label = (f"math ({per_core['math']}/s per core, measured above)" if kind == "math"
                 else f"code ({per_core['code']} programs/s per core, {code_source})")
        print(f"| {label} | " + " | ".join(f"{v:,}" for v in row.values()) + " |")
    print(f"\nProjection = N × {args.cores_per_node} cores × per-core rate × Ray efficiency "
          f"{efficiency:.2f} (the 5 ms burn reward's Ray/local ratio here). Assumes samples are "
          "independent (they are), one actor per core, batches large enough to give every actor "
          f"work (≥ 4 chunks per actor), and one driver keeping up: {top / 64:,.0f} chunks/s of "
          "64 samples at the largest math point.")


if __name__ == "__main__":
    main()
