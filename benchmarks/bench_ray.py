"""Local vs Ray scoring throughput on this machine, and a paper projection over nodes.

Measured side by side (repeats interleaved, best kept), same batch, same worker count:

* the local executor (``WorkerPool`` of N worker processes) against the Ray executor
  (N actors, each with one worker process) on a local Ray instance;
* rewards: a synthetic CPU-bound reward burning a fixed ~5 ms per sample, a no-op one (pure
  per-sample overhead), and the `math` reward on the Math-Verify cases;
* Ray's one-time costs: ``ray.init`` and starting the actors;
* the per-core rate of `math` (one local worker).

The projection multiplies the per-core rate by the cores of N nodes and by the Ray
efficiency measured here (Ray throughput / local throughput on the same cores), capped by
how many chunks per second one driver can dispatch (measured with the no-op reward). See
the assumptions printed under the table.

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

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results" / "ray.json"
CASES = ROOT.parent / "shared" / "data" / "math_equiv" / "math_verify_tests.jsonl"
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


def math_samples(n: int) -> list[Sample]:
    rows = [json.loads(line) for line in CASES.read_text().splitlines() if line.strip()]
    return [Sample(rows[i % len(rows)]["completion"], reference=rows[i % len(rows)]["reference"])
            for i in range(n)]


def throughput(executor, reward, samples, timeout: float = 30.0) -> float:
    start = time.perf_counter()
    scores = executor.map(reward, samples, timeout)
    elapsed = time.perf_counter() - start
    assert len(scores) == len(samples)
    return len(samples) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=400)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cores-per-node", type=int, default=32)
    parser.add_argument("--code-ms", type=float, default=120.0,
                        help="assumed ms per program for the code reward (not measured here)")
    args = parser.parse_args()

    import ray

    from bench_ray import Burn as ImportableBurn  # the module name, not __main__
    from rewardkit.executors import ExecutorConfig, LocalExecutor
    from rewardkit.executors.ray import RayExecutor
    from rewardkit.registry import build_reward

    math_reward = build_reward("math", {"answer_from": "whole", "timeout": 30})
    rewards = {"burn 5 ms": ImportableBurn(ms=5.0), "no-op": ImportableBurn(ms=0.0),
               "math": math_reward}
    synthetic = [Sample("x" * (i % 50)) for i in range(args.samples)]
    batches = {"burn 5 ms": synthetic, "no-op": synthetic, "math": math_samples(args.samples)}

    t0 = time.perf_counter()
    ray.init(num_cpus=args.workers, include_dashboard=False, log_to_driver=False)
    init_s = time.perf_counter() - t0
    local = LocalExecutor(args.workers)
    on_ray = RayExecutor(ExecutorConfig(kind="ray", actors=args.workers))
    t0 = time.perf_counter()
    on_ray.map(rewards["no-op"], synthetic[: args.workers], 30)  # starts the actors
    actors_s = time.perf_counter() - t0
    one_core = LocalExecutor(1)

    measured: dict[str, dict[str, float]] = {}
    for name, reward in rewards.items():
        samples = batches[name]
        for ex in (local, on_ray, one_core):  # warm every worker (imports, sympy)
            ex.map(reward, samples[: 4 * args.workers], 30)
        runs: dict[str, list[float]] = {"local": [], "ray": [], "one_core": []}
        for _ in range(args.repeats):
            runs["local"].append(throughput(local, reward, samples))
            runs["ray"].append(throughput(on_ray, reward, samples))
            if name == "math":
                runs["one_core"].append(throughput(one_core, reward, samples))
        measured[name] = {k: round(max(v), 1) for k, v in runs.items() if v}
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
    per_core = {"math": measured["math"]["one_core"], "code": round(1000 / args.code_ms, 1)}
    projection = {kind: {n: round(n * args.cores_per_node * rate * efficiency) for n in NODES}
                  for kind, rate in per_core.items()}
    top = max(projection["math"].values())
    result = {"machine_cpus": os.cpu_count(), "workers": args.workers, "samples": args.samples,
              "ray_init_s": round(init_s, 2), "ray_actor_start_s": round(actors_s, 2),
              "throughput_samples_per_s": measured, "dispatch": dispatch,
              "projection": {"cores_per_node": args.cores_per_node, "efficiency": efficiency,
                             "per_core_samples_per_s": per_core, "code_ms_assumed": args.code_ms,
                             "driver_chunks_per_s_needed_at_max": round(top / 64),
                             "samples_per_s_by_nodes": projection}}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")

    print(f"| reward ({args.samples} samples, {args.workers} workers) | local samples/s "
          "| Ray samples/s | Ray / local |\n| --- | --- | --- | --- |")
    for name, m in measured.items():
        print(f"| {name} | {m['local']} | {m['ray']} | {m['ray_efficiency']:.2f} |")
    print(f"\nRay one-time costs: `ray.init` {init_s:.1f} s, {args.workers} actors started in "
          f"{actors_s:.1f} s. Ray's extra wall time per chunk of {chunk_size} (no-op reward): "
          f"{dispatch['ray_extra_ms_per_chunk']} ms.\n")
    print(f"| samples/s on N nodes × {args.cores_per_node} cores | "
          + " | ".join(f"N={n}" for n in NODES) + " |\n| --- |" + " --- |" * len(NODES))
    for kind, row in projection.items():
        label = (f"math ({per_core['math']}/s per core, measured)" if kind == "math"
                 else f"code ({per_core['code']}/s per core, assumed {args.code_ms:g} ms)")
        print(f"| {label} | " + " | ".join(f"{v:,}" for v in row.values()) + " |")
    print(f"\nProjection = N × {args.cores_per_node} cores × per-core rate × Ray efficiency "
          f"{efficiency:.2f} (the 5 ms burn reward's Ray/local ratio here). Assumes samples are "
          "independent (they are), one actor per core, batches large enough to give every actor "
          f"work (≥ 4 chunks per actor), and one driver keeping up: {top / 64:,.0f} chunks/s of "
          "64 samples at the largest math point.")


if __name__ == "__main__":
    main()
