"""The reward service under load on loopback, side by side with in-process scoring.

A `rewardkit serve` process (rubric: `math` on the Math-Verify cases + `overlong`, two
reward workers) takes 32 concurrent clients for 30 s, each sending GRPO-group-sized
requests (8 samples) back to back. Clients honour 503 + Retry-After and retry, as the
verl client does; a request is *lost* when it never gets a 200 with one result per sample.
Two admission settings: ``--max-concurrency 32`` (every client admitted) and the
default 8 (the service sheds load with 503s). The peers are the same rubric scoring the
same samples in this process, with no HTTP, 8 and 256 samples a `rubric.score` call.

    python benchmarks/bench_service.py [--duration 30] [--clients 32]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results" / "service.json"
CASES = ROOT / "benchmarks" / "data" / "math" / "math_verify_tests.jsonl"
BATCH = 8
RUBRIC = """
workers: 2
criteria:
  - name: math
    reward: math
    params: {answer_from: whole}
  - name: overlong
    reward: overlong
    params: {max_length: 100, buffer: 40, unit: words}
    weight: 0.2
"""


def batches() -> list[list[dict]]:
    rows = [json.loads(line) for line in CASES.read_text().splitlines() if line.strip()]
    samples = [{"completion": r["completion"], "reference": r["reference"]} for r in rows]
    return [samples[i:i + BATCH] for i in range(0, len(samples) - BATCH + 1, BATCH)]


def start_server(rubric: Path, max_concurrency: int) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "rewardkit", "serve", "--rubric", str(rubric),
                             "--port", "0", "--max-concurrency", str(max_concurrency)],
                            cwd=ROOT, text=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stderr], daemon=True).start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            found = re.search(r"running on (http://[\d.]+:\d+)", lines.get(timeout=1))
        except queue.Empty:
            continue
        if found:
            return proc, found.group(1)
    proc.kill()
    raise SystemExit("rewardkit serve did not start")


def wait_ready(url: str) -> None:
    import httpx

    while httpx.get(f"{url}/ready", timeout=10).status_code != 200:
        time.sleep(0.1)
    # warm the math workers (sympy import) outside the measurement
    httpx.post(f"{url}/v1/score", json={"samples": batches()[0]}, timeout=120)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def load(url: str, clients: int, duration: float) -> dict:
    import httpx

    work = batches()
    stats = {"sent": 0, "ok": 0, "lost": 0, "rejected_503": 0, "samples": 0, "errors": []}
    latencies: list[float] = []
    deadline = time.monotonic() + duration

    async def client_loop(client: httpx.AsyncClient, index: int) -> None:
        while time.monotonic() < deadline:
            body = {"samples": work[index % len(work)]}
            index += clients
            stats["sent"] += 1
            start = time.perf_counter()
            while True:
                try:
                    reply = await client.post("/v1/score", json=body)
                except httpx.HTTPError as exc:
                    stats["lost"] += 1
                    stats["errors"].append(f"{type(exc).__name__}: {exc}")
                    break
                if reply.status_code == 503:
                    stats["rejected_503"] += 1
                    await asyncio.sleep(float(reply.headers.get("Retry-After", "1")))
                    continue
                if reply.status_code != 200 or len(reply.json()["results"]) != BATCH:
                    stats["lost"] += 1
                    stats["errors"].append(f"HTTP {reply.status_code}: {reply.text[:200]}")
                    break
                latencies.append(time.perf_counter() - start)
                stats["ok"] += 1
                stats["samples"] += BATCH
                break

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    started, cpu = time.perf_counter(), time.process_time()
    async with httpx.AsyncClient(base_url=url, timeout=300, limits=limits) as client:
        await asyncio.gather(*(client_loop(client, i) for i in range(clients)))
    elapsed = time.perf_counter() - started
    stats["errors"] = stats["errors"][:5]
    client_cpu = time.process_time() - cpu  # the load generator shares the machine's cores
    return {**stats, "clients": clients, "elapsed_s": round(elapsed, 2),
            "client_cpu_share": round(client_cpu / (elapsed * (os.cpu_count() or 1)), 3),
            "load_avg_1m": round(os.getloadavg()[0], 2),
            "requests_per_s": round(stats["ok"] / elapsed, 2),
            "samples_per_s": round(stats["samples"] / elapsed, 1),
            "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
            "p99_ms": round(percentile(latencies, 0.99) * 1000, 1)}


def in_process(rubric_path: Path, duration: float, per_call: int) -> dict:
    """The peer: the same rubric and samples, `per_call` samples a `rubric.score` call."""
    from rewardkit import Rubric, Sample

    samples = [Sample(**s) for batch in batches() for s in batch]
    calls = [samples[i:i + per_call] for i in range(0, len(samples) - per_call + 1, per_call)]
    with Rubric.from_yaml(rubric_path) as rubric:
        rubric.score(calls[0][:BATCH])  # warm the workers
        done = scored = 0
        latencies = []
        start = time.perf_counter()
        while time.perf_counter() - start < duration:
            t = time.perf_counter()
            call = calls[done % len(calls)]
            rubric.score(call)
            latencies.append(time.perf_counter() - t)
            done += 1
            scored += len(call)
        elapsed = time.perf_counter() - start
    return {"per_call": per_call, "calls": done, "elapsed_s": round(elapsed, 2),
            "samples_per_s": round(scored / elapsed, 1),
            "p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
            "p99_ms": round(percentile(latencies, 0.99) * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=32)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rubric = Path(tmp) / "rubric.yaml"
        rubric.write_text(RUBRIC)
        runs = {}
        for max_concurrency in (args.clients, 8):
            proc, url = start_server(rubric, max_concurrency)
            try:
                wait_ready(url)
                runs[f"max_concurrency={max_concurrency}"] = asyncio.run(
                    load(url, args.clients, args.duration))
            finally:
                proc.terminate()
                proc.wait(timeout=60)
        peers = [in_process(rubric, min(args.duration, 15.0), n) for n in (BATCH, 256)]
    result = {"duration_s": args.duration, "clients": args.clients, "batch": BATCH,
              "rubric": "math (answer_from=whole, 2 workers) + overlong", "cpus": os.cpu_count(),
              "service": runs, "in_process": peers}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print("| setting | requests sent | ok | lost | 503s (retried) | requests/s | samples/s "
          "| p50 | p99 | load generator's CPU share |\n|" + " --- |" * 10)
    for name, r in runs.items():
        print(f"| service, {args.clients} clients, {name} | {r['sent']} | {r['ok']} | "
              f"{r['lost']} | {r['rejected_503']} | {r['requests_per_s']} | "
              f"{r['samples_per_s']} | {r['p50_ms']} ms | {r['p99_ms']} ms | "
              f"{r['client_cpu_share']:.0%} |")
    for peer in peers:
        print(f"| peer: in-process `rubric.score`, {peer['per_call']} samples a call, no HTTP "
              f"| - | {peer['calls']} calls | - | - | - | {peer['samples_per_s']} | "
              f"{peer['p50_ms']} ms | {peer['p99_ms']} ms | - |")

if __name__ == "__main__":
    main()
