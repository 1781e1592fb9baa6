"""Python tool calls: sandbox sessions through the warm pool against a bare subprocess per call.

Concurrent rollouts (threads), each making a few `run_python` calls, run two ways:

* pool sessions: one `PythonSession` per rollout on a warm `SandboxPool` (a container per
  rollout, state kept across its calls, each call a fork of the session's interpreter,
  with limits, rollback and cleanup); the session is closed (container wiped and
  returned) at the end of the rollout, and that is counted;
* bare subprocess: ``python3 -I -S -c CODE`` per call on the host: no isolation and no
  state (the upper bound a stateless executor without a sandbox reaches).

The calls are the same small, independent snippets for both (so both print the same
outputs, checked). Rounds alternate between the two methods so machine load hits both
alike. Latency is per call; throughput is calls per second of wall time.

    python benchmarks/bench_tools.py [--rollouts 8] [--calls 4] [--rounds 4]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "tools.json"
SNIPPETS = [
    ("12345 * 6789", "83810205"),
    ("sum(i * i for i in range(1000))", "332833500"),
    ("import math; math.comb(40, 20)", "137846528820"),
    ("sorted('tool calls')[-3:]", "['o', 's', 't']"),
    ("len(str(2 ** 1000))", "302"),
    ("'-'.join(str(n) for n in range(5))", "'0-1-2-3-4'"),
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def rollout_calls(index: int, calls: int) -> list[tuple[str, str]]:
    return [SNIPPETS[(index + j) % len(SNIPPETS)] for j in range(calls)]


def pool_rollout(pool, calls: list[tuple[str, str]]) -> tuple[list[float], int]:
    from rewardkit_sandbox.session import PythonSession

    latencies, correct = [], 0
    session = PythonSession(pool, timeout=10)
    try:
        for code, expected in calls:
            start = time.perf_counter()
            result = session.run(code)
            latencies.append(time.perf_counter() - start)
            correct += result.ok and result.stdout.strip() == expected
    finally:
        start = time.perf_counter()
        session.close()
        latencies[-1] += time.perf_counter() - start  # closing belongs to the rollout
    return latencies, correct


def bare_rollout(calls: list[tuple[str, str]]) -> tuple[list[float], int]:
    latencies, correct = [], 0
    for code, expected in calls:
        *body, last = code.split("; ")
        script = "\n".join([*body, f"print(repr({last}))"])
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-I", "-S", "-c", script], capture_output=True,
                              text=True, timeout=30, check=False)
        latencies.append(time.perf_counter() - start)
        correct += proc.returncode == 0 and proc.stdout.strip() == expected
    return latencies, correct


def run_round(fn, rollouts: int, calls: int, offset: int) -> tuple[float, list[float], int]:
    with ThreadPoolExecutor(rollouts) as executor:
        start = time.perf_counter()
        results = list(executor.map(lambda i: fn(rollout_calls(offset + i, calls)),
                                    range(rollouts)))
        wall = time.perf_counter() - start
    return wall, [lat for lats, _ in results for lat in lats], sum(c for _, c in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rollouts", type=int, default=8, help="concurrent rollouts")
    parser.add_argument("--calls", type=int, default=4, help="tool calls per rollout")
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()

    from rewardkit_sandbox import Limits, SandboxPool

    start = time.perf_counter()
    pool = SandboxPool(args.rollouts, limits=Limits(memory_mb=256))
    startup = time.perf_counter() - start
    methods = {"pool sessions": lambda calls: pool_rollout(pool, calls),
               "bare subprocess (no isolation, no state)": bare_rollout}
    totals = {name: {"wall": 0.0, "latencies": [], "correct": 0} for name in methods}
    try:
        for fn in methods.values():  # warm-up round, not counted
            run_round(fn, args.rollouts, 1, 0)
        for r in range(args.rounds):
            order = list(methods.items()) if r % 2 == 0 else list(methods.items())[::-1]
            for name, fn in order:
                wall, latencies, correct = run_round(fn, args.rollouts, args.calls,
                                                     r * args.rollouts)
                totals[name]["wall"] += wall
                totals[name]["latencies"] += latencies
                totals[name]["correct"] += correct
    finally:
        pool.close()
    count = args.rollouts * args.calls * args.rounds
    rows = {}
    for name, t in totals.items():
        rows[name] = {"calls_per_s": count / t["wall"],
                      "p50_ms": 1000 * statistics.median(t["latencies"]),
                      "p99_ms": 1000 * percentile(t["latencies"], 0.99),
                      "correct": t["correct"], "calls": count}
    pool_row, bare_row = rows["pool sessions"], rows["bare subprocess (no isolation, no state)"]
    ratio = pool_row["calls_per_s"] / bare_row["calls_per_s"]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average": os.getloadavg()},
        "rollouts": args.rollouts, "calls_per_rollout": args.calls, "rounds": args.rounds,
        "pool_startup_s": startup, "methods": rows, "pool_over_bare": ratio}, indent=2))
    print(f"{args.rollouts} concurrent rollouts x {args.calls} calls x {args.rounds} rounds, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; pool startup "
          f"{startup:.2f} s (not counted)\n")
    print("| method | calls/s | p50 latency per call (ms) | p99 (ms) | correct outputs |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, row in rows.items():
        print(f"| {name} | {row['calls_per_s']:.1f} | {row['p50_ms']:.0f} | {row['p99_ms']:.0f} "
              f"| {row['correct']}/{row['calls']} |")
    print(f"\npool sessions / bare subprocess throughput: **{ratio:.2f}x**")


if __name__ == "__main__":
    main()
