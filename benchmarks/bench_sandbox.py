"""Sandbox throughput per language: the warm pool against a fresh container per program
and against bare compile-and-run on the host.

Small, correct, distinct programs in Python, C++ and Java (each with its own constant),
5 stdin/stdout tests each, run three ways with the same number of concurrent workers:

* pool: `SandboxPool` (warm containers, one long-lived runner exec each, the program
  compiled once per job, a fork per test);
* fresh container per program: create and start a container with the same limits, run
  the same runner job in it, remove it (what `docker run` per program costs);
* bare compile-and-run: compile on the host (`g++ -O2`, `javac`) and run each test as a
  subprocess, no isolation (an upper bound).

The programs are split into rounds and the three methods alternate round by round, so
load from other processes on the machine hits all three alike. Goals: the pool at least
5x the container-per-program throughput and at least half of bare compile-and-run.
Then a CodeContests-style program (150 tests) in Python and C++, timed the same three ways
(Java's 150 JVM starts would dominate the run; its per-test cost shows in the table).

    python benchmarks/bench_sandbox.py [--programs 96] [--workers N] [--rounds 4]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

RESULTS = Path(__file__).parent / "results" / "sandbox.json"
LANGUAGES = ("python", "cpp", "java")
CONTEST_LANGUAGES = ("python", "cpp")
SHARE = {"python": 1.0, "cpp": 0.5, "java": 0.25}  # of --programs: compiles are slower
SUM_K = {  # read integers, print their sum plus k
    "python": "print(sum(map(int, input().split())) + {k})\n",
    "cpp": "#include <iostream>\nint main(){{long long s={k},x;while(std::cin>>x)s+=x;"
           "std::cout<<s<<std::endl;}}\n",
    "java": "import java.io.*;\nimport java.util.*;\npublic class Main {{ public static void"
            " main(String[] a) throws IOException {{ BufferedReader r = new BufferedReader(new"
            " InputStreamReader(System.in)); StringTokenizer t = new StringTokenizer("
            "r.readLine()); long s = {k}; while (t.hasMoreTokens()) s +="
            " Long.parseLong(t.nextToken()); System.out.println(s); }} }}\n",
}
JAVA_FLAGS = ["-Xmx256m", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-XX:TieredStopAtLevel=1"]


def make_programs(language: str, n: int, tests: int = 5) -> list[tuple[str, dict]]:
    programs = []
    for i in range(n):
        k = i + 1
        rows = [[(i * 7 + j * 3 + m) % 50 for m in range(4)] for j in range(tests)]
        suite = [{"input": " ".join(map(str, row)) + "\n", "output": f"{sum(row) + k}\n"}
                 for row in rows]
        programs.append((SUM_K[language].format(k=k), {"language": language, "tests": suite}))
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


def bare(item: tuple[str, dict]) -> float:
    """Compile on the host (no isolation), run every test as a subprocess; the pass rate."""
    source, suite = item
    language = suite["language"]
    with tempfile.TemporaryDirectory(prefix="rk-bench-") as tmp:
        if language == "python":
            Path(tmp, "p.py").write_text(source)
            argv = [sys.executable, "-I", "-S", f"{tmp}/p.py"]
        elif language == "cpp":
            Path(tmp, "p.cpp").write_text(source)
            subprocess.run(["g++", "-std=gnu++17", "-O2", "-pipe", "-o", f"{tmp}/p",
                            f"{tmp}/p.cpp"], check=True, capture_output=True, timeout=60)
            argv = [f"{tmp}/p"]
        else:
            Path(tmp, "Main.java").write_text(source)
            subprocess.run(["javac", "-J-Xmx256m", "-d", tmp, f"{tmp}/Main.java"], check=True,
                           capture_output=True, timeout=60)
            argv = ["java", *JAVA_FLAGS, "-cp", tmp, "Main"]
        passed = 0
        for test in suite["tests"]:
            proc = subprocess.run(argv, input=test["input"], capture_output=True, text=True,
                                  timeout=20)
            passed += proc.returncode == 0 and proc.stdout.split() == test["output"].split()
    return passed / len(suite["tests"])


def fresh_container(client, image: str, limits) -> Callable:
    from rewardkit_sandbox import TestSuite
    from rewardkit_sandbox.container import Session, create_container
    from rewardkit_sandbox.pool import build_job, job_timeout, to_result

    def run(item: tuple[str, dict]) -> float:
        source, suite = item
        parsed = TestSuite.parse(suite)
        container = create_container(client, image, limits)
        try:
            session = Session(client, container.id)
            deadline = job_timeout(parsed, limits)
            lines, finished = session.run(build_job(source, parsed, limits), deadline)
            session.close()
            return to_result(lines, len(parsed.tests), 0.0, finished, deadline).pass_rate
        finally:
            container.remove(force=True)

    return run


def compare(methods: dict[str, Callable], programs: list, workers: int, rounds: int) -> dict:
    stats = {name: {"wall": 0.0, "latencies": [], "rates": []} for name in methods}
    size = -(-len(programs) // rounds)
    for r in range(rounds):
        chunk = programs[r * size:(r + 1) * size]
        for name, fn in methods.items():
            wall, latencies, rates = timed_map(fn, chunk, workers)
            stats[name]["wall"] += wall
            stats[name]["latencies"] += latencies
            stats[name]["rates"] += rates
    return {name: {"programs": len(s["rates"]), "programs_per_s": len(s["rates"]) / s["wall"],
                   "p50_ms": 1000 * statistics.median(s["latencies"]),
                   "p99_ms": 1000 * percentile(s["latencies"], 0.99),
                   "all_tests_passed": sum(rate == 1.0 for rate in s["rates"])}
            for name, s in stats.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", type=int, default=96,
                        help="Python programs; C++ gets half as many, Java a quarter")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--contest-runs", type=int, default=2)
    args = parser.parse_args()
    missing = [tool for tool in ("g++", "javac", "java") if shutil.which(tool) is None]
    if missing:
        sys.exit(f"bare compile-and-run needs {', '.join(missing)} on the host")

    from rewardkit_sandbox import Limits, SandboxPool, docker_client, ensure_image

    client = docker_client()
    image = ensure_image(client, build=True, log=lambda m: print(m, file=sys.stderr))
    limits = Limits()
    start = time.perf_counter()
    pool = SandboxPool(size=args.workers, image=image, limits=limits, client=client)
    startup = time.perf_counter() - start
    methods = {"pool": lambda item: pool.run(*item).pass_rate,
               "fresh container per program": fresh_container(client, image, limits),
               "bare compile-and-run (no isolation)": bare}
    by_language, contest = {}, {}
    for language in LANGUAGES:
        count = max(args.rounds, int(args.programs * SHARE[language]))
        by_language[language] = compare(methods, make_programs(language, count), args.workers,
                                        args.rounds)
        print(f"{language}: done", file=sys.stderr)
        if language in CONTEST_LANGUAGES:
            contest[language] = compare(methods, make_programs(language, args.contest_runs, 150),
                                        1, args.contest_runs)
            print(f"{language}: 150-test program done", file=sys.stderr)
    pool.close()

    ratios = {lang: {"pool_vs_fresh_container": rows["pool"]["programs_per_s"]
                     / rows["fresh container per program"]["programs_per_s"],
                     "pool_vs_bare": rows["pool"]["programs_per_s"]
                     / rows["bare compile-and-run (no isolation)"]["programs_per_s"]}
              for lang, rows in by_language.items()}
    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(), "docker": client.version().get("Version"),
                    "load_average": os.getloadavg()},
        "tests_per_program": 5, "workers": args.workers, "rounds": args.rounds,
        "pool_startup_s": startup, "languages": by_language, "ratios": ratios,
        "methods": by_language["python"],  # the Python rows, as bench_ray reads them
        "contest_150_tests": contest,
        "goals": {"pool_vs_fresh_container": ">= 5", "pool_vs_bare": ">= 0.5"},
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    report(result, args)


def table(header: list[str], rows: list[list[str]]) -> None:
    """A Markdown table; columns after the first two are right-aligned numbers."""
    print("| " + " | ".join(header) + " |")
    print("| " + " | ".join("---" if i < 2 else "---:" for i in range(len(header))) + " |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def report(result: dict, args: argparse.Namespace) -> None:
    print(f"Small programs x 5 stdin/stdout tests, {args.workers} workers, "
          f"{os.cpu_count()} CPUs; pool startup {result['pool_startup_s']:.2f} s (not counted)\n")
    table(["language", "method", "programs/s", "p50 latency (ms)", "p99 latency (ms)",
           "all tests passed"],
          [[language, name, f"{row['programs_per_s']:.2f}", f"{row['p50_ms']:.0f}",
            f"{row['p99_ms']:.0f}", f"{row['all_tests_passed']}/{row['programs']}"]
           for language, rows in result["languages"].items() for name, row in rows.items()])
    print()
    for language, ratio in result["ratios"].items():
        print(f"{language}: pool / fresh container **{ratio['pool_vs_fresh_container']:.1f}x** "
              f"(goal >= 5x); pool / bare compile-and-run **{ratio['pool_vs_bare']:.2f}** "
              "(goal >= 0.5)  ")
    print(f"\nOne CodeContests-style program with 150 stdin/stdout tests, "
          f"{args.contest_runs} runs each, one at a time\n")
    table(["language", "method", "seconds per program (p50)", "all tests passed"],
          [[language, name, f"{row['p50_ms'] / 1000:.2f}",
            f"{row['all_tests_passed']}/{row['programs']}"]
           for language, rows in result["contest_150_tests"].items()
           for name, row in rows.items()])


if __name__ == "__main__":
    main()
