"""Sandbox throughput: the warm pool against a fresh container per program and bare subprocess.

256 small Python programs (all correct), 5 stdin/stdout tests each, run three ways with
the same number of concurrent workers:

* pool: `SandboxPool` (warm containers, one long-lived runner exec each, a fork per test);
* fresh container per program: create and start a container with the same limits, run
  the same runner job in it, remove it (what `docker run` per program costs);
* bare subprocess: `python3 program.py` per test on the host, no isolation (upper bound).

The programs are split into rounds and the three methods alternate round by round, so
load from other processes on the machine hits all three alike. Goals: the pool at least
5x the container-per-program throughput and at least half of bare subprocess.

    python benchmarks/bench_sandbox.py [--programs 256] [--workers N] [--rounds 4]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

RESULTS = Path(__file__).parent / "results" / "sandbox.json"

TASKS = [  # (source template with {k}, expected output for an input line)
    ("print(sum(map(int, input().split())) + {k})", lambda s, k: str(sum(map(int, s.split())) + k)),
    ("s = input()\nprint(s[::-1] + '{k}')", lambda s, k: s[::-1] + str(k)),
    ("n = int(input())\na, b = 0, 1\nfor _ in range(n + {k}):\n    a, b = b, a + b\nprint(a)",
     lambda s, k: str(_fib(int(s) + k))),
    ("xs = sorted(map(int, input().split()))\nprint(' '.join(str(x + {k}) for x in xs))",
     lambda s, k: " ".join(str(x + k) for x in sorted(map(int, s.split())))),
    ("print(sum(1 for c in input() if c in 'aeiou') * {k})",
     lambda s, k: str(sum(1 for c in s if c in "aeiou") * k)),
]
INPUTS = ["3 4 5", "hello world", "12", "9 1 8 2 7", "education", "10 20", "abcdef", "25"]


def _fib(n: int) -> int:
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def make_programs(n: int) -> list[tuple[str, dict]]:
    programs = []
    for i in range(n):
        template, answer = TASKS[i % len(TASKS)]
        k = i // len(TASKS) + 1
        inputs = [INPUTS[(i + j) % len(INPUTS)] for j in range(5)]
        if i % len(TASKS) in (0, 3):
            inputs = [" ".join(str((i * 7 + j * 3 + m) % 50) for m in range(4)) for j in range(5)]
        if i % len(TASKS) == 2:
            inputs = [str((i + j) % 20) for j in range(5)]
        tests = [{"input": s + "\n", "output": answer(s, k) + "\n"} for s in inputs]
        programs.append((template.format(k=k) + "\n", {"language": "python", "tests": tests}))
    return programs


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def timed_map(fn: Callable, items: list, workers: int) -> tuple[float, list[float], list[float]]:
    """(wall seconds, per-item latencies, per-item pass rates) running fn over items."""
    def one(item):
        start = time.perf_counter()
        rate = fn(item)
        return time.perf_counter() - start, rate

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as ex:
        out = list(ex.map(one, items))
    return time.perf_counter() - start, [o[0] for o in out], [o[1] for o in out]


def bare_subprocess(item: tuple[str, dict]) -> float:
    source, suite = item
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(source)
        path = f.name
    try:
        passed = 0
        for test in suite["tests"]:
            proc = subprocess.run([sys.executable, "-I", "-S", path], input=test["input"],
                                  capture_output=True, text=True, timeout=10)
            passed += proc.returncode == 0 and proc.stdout.split() == test["output"].split()
        return passed / len(suite["tests"])
    finally:
        os.unlink(path)


def fresh_container(client, image: str, limits) -> Callable:
    from rewardkit_sandbox import TestSuite
    from rewardkit_sandbox.container import Session, create_container
    from rewardkit_sandbox.pool import build_job, to_result

    def run(item: tuple[str, dict]) -> float:
        source, suite = item
        parsed = TestSuite.parse(suite)
        container = create_container(client, image, limits)
        try:
            session = Session(client, container.id)
            lines, finished = session.run(build_job(source, parsed, limits),
                                          limits.job_timeout(len(parsed.tests)))
            session.close()
            return to_result(lines, len(parsed.tests), 0.0, finished, limits).pass_rate
        finally:
            container.remove(force=True)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", type=int, default=256)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()

    from rewardkit_sandbox import Limits, SandboxPool, docker_client, ensure_image

    client = docker_client()
    image = ensure_image(client, build=True, log=lambda m: print(m, file=sys.stderr))
    limits = Limits()
    programs = make_programs(args.programs)
    start = time.perf_counter()
    pool = SandboxPool(size=args.workers, image=image, limits=limits, client=client)
    startup = time.perf_counter() - start
    methods = {
        "pool": lambda item: pool.run(*item).pass_rate,
        "fresh container per program": fresh_container(client, image, limits),
        "bare subprocess (no isolation)": bare_subprocess,
    }
    stats = {name: {"wall": 0.0, "latencies": [], "rates": []} for name in methods}
    size = -(-len(programs) // args.rounds)
    for r in range(args.rounds):
        chunk = programs[r * size:(r + 1) * size]
        for name, fn in methods.items():
            wall, latencies, rates = timed_map(fn, chunk, args.workers)
            stats[name]["wall"] += wall
            stats[name]["latencies"] += latencies
            stats[name]["rates"] += rates
        print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)
    pool.close()

    rows = {}
    for name, s in stats.items():
        rows[name] = {
            "programs": len(s["rates"]),
            "programs_per_s": len(s["rates"]) / s["wall"],
            "p50_ms": 1000 * statistics.median(s["latencies"]),
            "p99_ms": 1000 * percentile(s["latencies"], 0.99),
            "all_tests_passed": sum(rate == 1.0 for rate in s["rates"]),
        }
    pool_rate = rows["pool"]["programs_per_s"]
    ratios = {
        "pool_vs_fresh_container": pool_rate / rows["fresh container per program"]["programs_per_s"],
        "pool_vs_bare_subprocess": pool_rate / rows["bare subprocess (no isolation)"]["programs_per_s"],
    }
    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(),
                    "docker": client.version().get("Version")},
        "programs": args.programs, "tests_per_program": 5, "workers": args.workers,
        "rounds": args.rounds, "pool_startup_s": startup, "methods": rows, "ratios": ratios,
        "goals": {"pool_vs_fresh_container": ">= 5", "pool_vs_bare_subprocess": ">= 0.5"},
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")

    print(f"{args.programs} Python programs x 5 stdin/stdout tests, {args.workers} workers, "
          f"{os.cpu_count()} CPUs; pool startup {startup:.2f} s (not counted)\n")
    print("| method | programs/s | p50 latency (ms) | p99 latency (ms) | programs with all tests passed |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, row in rows.items():
        print(f"| {name} | {row['programs_per_s']:.1f} | {row['p50_ms']:.0f} | "
              f"{row['p99_ms']:.0f} | {row['all_tests_passed']}/{row['programs']} |")
    print(f"\npool / fresh container: **{ratios['pool_vs_fresh_container']:.1f}x** (goal >= 5x); "
          f"pool / bare subprocess: **{ratios['pool_vs_bare_subprocess']:.2f}** (goal >= 0.5)")


if __name__ == "__main__":
    main()
