"""Core overheads, measured side by side with their peers in one run.

1. `rewardkit --help` wall time against a bare `python -c pass` (goal: under 0.5 s).
2. Scoring-engine overhead: a rubric of cheap rewards over 10,000 samples against calling
   the same functions in a plain Python loop (goal: under 10 %).

    python benchmarks/bench_core.py [--samples 10000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "core.json"


def wall(command: list[str], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def make_samples(n: int):
    from rewardkit import Sample

    rng = random.Random(0)
    vocab = [f"w{i}" for i in range(60)]
    samples = []
    for _ in range(n):
        # GRPO completions of R1-style runs: a few hundred words of reasoning
        words = [rng.choice(vocab) for _ in range(rng.randint(100, 600))]
        samples.append(Sample(completion=" ".join(words), prompt="q", reference="1"))
    return samples


def scoring_overhead(n: int, repeats: int) -> dict[str, float]:
    from rewardkit import Rubric, criterion
    from rewardkit_shaping import overlong, repetition

    samples = make_samples(n)
    params = {"overlong": dict(max_length=100, buffer=40, unit="words"),
              "repetition": dict(ngram_size=3, max_penalty=-1.0)}
    fns = {"overlong": overlong.fn, "repetition": repetition.fn}
    weights = {"overlong": 1.0, "repetition": 0.5}

    def plain_loop() -> list[float]:
        totals = []
        for s in samples:
            total = 0.0
            for name, fn in fns.items():
                value = fn(s, **params[name])
                total += weights[name] * (value.value if hasattr(value, "value") else value)
            totals.append(total)
        return totals

    rubric = Rubric([criterion(overlong, weight=1.0, **params["overlong"]),
                     criterion(repetition, weight=0.5, **params["repetition"])])

    def engine() -> list[float]:
        return rubric.score(samples).totals

    assert [round(x, 9) for x in plain_loop()] == [round(x, 9) for x in engine()]
    loop_t, engine_t = [], []
    for _ in range(repeats):  # interleaved, so load on the machine hits both alike
        start = time.perf_counter()
        plain_loop()
        loop_t.append(time.perf_counter() - start)
        start = time.perf_counter()
        engine()
        engine_t.append(time.perf_counter() - start)
    loop_s, engine_s = min(loop_t), min(engine_t)
    calls = n * len(fns)
    return {"samples": n, "plain_loop_s": loop_s, "rubric_s": engine_s,
            "overhead_pct": 100 * (engine_s / loop_s - 1),
            "overhead_us_per_sample_criterion": 1e6 * (engine_s - loop_s) / calls}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    help_t = wall([sys.executable, "-m", "rewardkit", "--help"], args.repeats)
    bare_t = wall([sys.executable, "-c", "pass"], args.repeats)
    result = {"help_median_s": statistics.median(help_t),
              "python_startup_median_s": statistics.median(bare_t),
              "scoring": scoring_overhead(args.samples, args.repeats)}
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    sc = result["scoring"]
    print("| measure | rewardkit | peer | ratio | goal |")
    print("| --- | --- | --- | --- | --- |")
    print(f"| `rewardkit --help` wall time (median of {args.repeats}) | "
          f"{result['help_median_s']:.3f} s | `python -c pass`: "
          f"{result['python_startup_median_s']:.3f} s | "
          f"{result['help_median_s'] / result['python_startup_median_s']:.1f}x | < 0.5 s |")
    print(f"| rubric of 2 cheap rewards over {sc['samples']:,} samples (best of "
          f"{args.repeats}) | {sc['rubric_s']:.3f} s | plain loop: {sc['plain_loop_s']:.3f} s | "
          f"overhead {sc['overhead_pct']:+.1f} % "
          f"({sc['overhead_us_per_sample_criterion']:.1f} µs per sample and criterion) | < 10 % |")


if __name__ == "__main__":
    main()
