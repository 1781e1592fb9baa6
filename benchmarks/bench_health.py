"""Reward health: its overhead on a GRPO step, the canary cost, and false alarms over seeds.

1. Overhead: the same short GRPO job (tiny model, toy task, same seed) through
   `rewardkit train` with the health monitor on and off, alternating runs; the goal is a
   median step-time overhead under 2 %. The monitor's own work per batch (the observer's
   statistics) and per log (the alert rules) is also timed directly, as a share of the
   median step, since two full runs differ by more noise than that on a shared machine.
2. Canary cost: one check of every probe (examples/toy/canaries.jsonl and
   benchmarks/probes/format.jsonl) through the toy rubric, and its cost per step at K=10.
3. No false alarm: examples/train-toy.yaml (the normal demo) over several seeds; every
   alert raised is listed.

    python benchmarks/bench_health.py [--steps 20] [--repeats 3] [--seeds 5] [--demo-steps 200]
        [--skip-overhead] [--skip-demo] [--results FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "health.json"
PANEL = ROOT / "docs" / "health-demo-d.png"
TOY = ROOT / "examples" / "toy"
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_train import load_average, rubric, trl_settings  # noqa: E402


def short_config(steps: int, health: bool):
    from rewardkit.train import load_config

    return load_config(data={
        "model": {"name": "tiny"}, "dataset": {"path": str(TOY / "train.jsonl")},
        "rubric": {"criteria": [{"reward": "rewardkit_shaping:overlong"}]},  # replaced
        "trl": trl_settings(steps), "seed": 0,
        "health": {"enabled": health,
                   "canaries": [{"path": str(TOY / "canaries.jsonl")}] if health else []}})


def run_once(steps: int, health: bool, out: Path) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each step after the first (which includes warm-up)."""
    from transformers import TrainerCallback

    from rewardkit.train.runner import train

    class StepClock(TrainerCallback):
        def __init__(self) -> None:
            self.cpu: list[float] = []
            self._start = 0.0

        def on_step_begin(self, args, state, control, **kwargs):
            self._start = time.process_time()

        def on_step_end(self, args, state, control, **kwargs):
            self.cpu.append(time.process_time() - self._start)

    clock = StepClock()
    result = train(short_config(steps, health), out, progress=False, rubric=rubric(),
                   on_alert=lambda alert: None, callbacks=[clock])
    return [r["step_time"] for r in result.rows][1:], clock.cpu[1:]


def direct_costs(batch: int = 64, logs: int = 50) -> dict:
    """The observer's statistics per batch and the alert rules per log, in CPU ms."""
    from types import SimpleNamespace

    from rewardkit.health.alerts import Monitor
    from rewardkit.health.observer import BatchObserver
    from rewardkit.health.series import to_point
    from rewardkit.trl import to_trl

    funcs, _ = to_trl(rubric())
    observer = BatchObserver(funcs[0].scorer.rubric, group_size=8).attach(funcs)
    prompts = [f"max {i} 2 3\n" for i in range(batch // 8) for _ in range(8)]
    completions = [f"<think>{i}</think><answer>{i % 9}</answer>" for i in range(batch)]
    samples = [SimpleNamespace(prompt_text=p, completion_text=c, metadata={})
               for p, c in zip(prompts, completions)]
    scorer = funcs[0].scorer
    rows = scorer.rubric.score([{"prompt": p, "completion": c, "reference": "3"}
                                for p, c in zip(prompts, completions)]).rows
    logged: dict = {}
    began = time.process_time()  # CPU time: robust to other processes' load
    for _ in range(logs):
        observer(scorer, samples, rows, {"log_metric": logged.__setitem__})
    per_batch = (time.process_time() - began) / logs * 1000
    monitor = Monitor()
    point = to_point({"reward": 0.5, **logged})
    began = time.process_time()
    for step in range(logs):
        monitor.update(step, dict(point))
    per_log = (time.process_time() - began) / logs * 1000
    return {"observer_ms_per_batch": per_batch, "rules_ms_per_log": per_log,
            "batch": batch, "logged_per_batch": len(logged)}


def canary_cost(repeats: int = 5) -> dict:
    from rewardkit.health.canaries import CanaryWatch, load_canaries

    rub = rubric()
    canaries = (load_canaries(TOY / "canaries.jsonl", None, rub.names)
                + load_canaries(ROOT / "benchmarks" / "probes" / "format.jsonl", "format",
                                rub.names))
    watch = CanaryWatch(rub, canaries)
    watch.check()  # warm
    times = []
    for _ in range(repeats):
        began = time.process_time()
        watch.check()
        times.append(time.process_time() - began)
    return {"canaries": len(canaries), "cpu_ms_per_check": statistics.median(times) * 1000}


def overhead(steps: int, repeats: int) -> dict:
    work = Path(tempfile.mkdtemp(prefix="bench_health_"))
    runs: dict[str, dict[str, list[float]]] = {m: {"wall": [], "cpu": []} for m in ("on", "off")}
    try:
        for i in range(repeats):
            for mode in ("on", "off"):
                wall, cpu = run_once(steps, mode == "on", work / f"{mode}{i}")
                runs[mode]["wall"].append(statistics.median(wall))
                runs[mode]["cpu"].append(statistics.median(cpu))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out: dict = {"steps": steps, "repeats": repeats, "runs": runs}
    for clock in ("wall", "cpu"):
        on, off = (statistics.median(runs[m][clock]) for m in ("on", "off"))
        out[f"median_{clock}_step_s"] = {"on": on, "off": off}
        out[f"{clock}_overhead_pct"] = 100.0 * (on - off) / off
    return out


def demo_seeds(seeds: int, steps: int, save=lambda part: None) -> dict:
    from rewardkit.train import load_config
    from rewardkit.train.runner import train

    out: dict = {"steps": steps, "seeds": {}}
    for seed in range(seeds):
        work = Path(tempfile.mkdtemp(prefix=f"bench_health_seed{seed}_"))
        began = time.perf_counter()
        config = load_config(ROOT / "examples" / "train-toy.yaml",
                             [f"seed={seed}", f"trl.max_steps={steps}"])
        result = train(config, work, progress=False, on_alert=lambda alert: None)
        if seed == 0 and result.health_plot:
            shutil.copy(result.health_plot, PANEL)
        out["seeds"][seed] = {"alerts": [a["line"] for a in result.health["alerts"]],
                              "reward_last_fifth": result.summary()["reward"]["last"],
                              "seconds": time.perf_counter() - began}
        shutil.rmtree(work, ignore_errors=True)
        out["false_alarms"] = sum(len(s["alerts"]) for s in out["seeds"].values())
        save(out)  # partial results survive an interrupted run
    return out


def table(result: dict) -> str:
    lines = []
    if "overhead" in result:
        o, d = result["overhead"], result["direct"]
        wall, cpu = o["median_wall_step_s"], o["median_cpu_step_s"]
        work = d["observer_ms_per_batch"] + d["rules_ms_per_log"]
        lines += ["| GRPO step (tiny model, toy task, 64 completions) | wall time | CPU time |",
                  "| --- | --- | --- |",
                  f"| health monitor off | {wall['off'] * 1000:.0f} ms | "
                  f"{cpu['off'] * 1000:.0f} ms |",
                  f"| health monitor on (2 canaries every 10 steps) | {wall['on'] * 1000:.0f} ms"
                  f" | {cpu['on'] * 1000:.0f} ms |",
                  f"| **overhead, whole runs** | **{o['wall_overhead_pct']:+.1f} %** | "
                  f"**{o['cpu_overhead_pct']:+.1f} %** |",
                  f"| monitor work timed directly (statistics per batch + rules per log) | | "
                  f"{d['observer_ms_per_batch']:.2f} + {d['rules_ms_per_log']:.2f} ms = "
                  f"**{100 * work / (cpu['off'] * 1000):.2f} %** of a step |", "",
                  f"Medians of each run's median step, {o['steps']} steps × {o['repeats']} "
                  "alternating runs per mode; CPU time is the process's (all threads). "
                  "Goal: under 2 %."]
    if "canaries" in result:
        c = result["canaries"]
        cpu = result.get("overhead", {}).get("median_cpu_step_s", {}).get("off")
        per_step = f"; at K=10 that is {100 * c['cpu_ms_per_check'] / 10 / (cpu * 1000):.2f} " \
            "% of a step's CPU time" if cpu else ""
        lines += ["", f"Canary cost: one check of {c['canaries']} canaries through the toy "
                      f"rubric takes {c['cpu_ms_per_check']:.1f} ms of CPU{per_step}."]
    if "demo" in result:
        d = result["demo"]
        lines += ["", "| seed | alerts | mean reward, last fifth | wall time |",
                  "| --- | --- | --- | --- |"]
        for seed, s in d["seeds"].items():
            lines.append(f"| {seed} | {len(s['alerts'])} | {s['reward_last_fifth']:.3f} | "
                         f"{s['seconds']:.0f} s |")
        lines += ["", f"examples/train-toy.yaml with trl.max_steps={d['steps']}: "
                      f"{d['false_alarms']} false alarms over {len(d['seeds'])} seeds."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--demo-steps", type=int, default=200)
    parser.add_argument("--skip-overhead", action="store_true")
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    result: dict = {"machine": {"cpus": os.cpu_count(), "load_average_at_start": load_average()}}
    if not args.skip_overhead:
        result["direct"] = direct_costs()
        result["canaries"] = canary_cost()
        result["overhead"] = overhead(args.steps, args.repeats)
    def save(demo: dict | None = None) -> dict:
        if demo is not None:
            result["demo"] = demo
        result["machine"]["load_average_at_end"] = load_average()
        previous = json.loads(args.results.read_text()) if args.results.exists() else {}
        merged = {**previous, **result}
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(json.dumps(merged, indent=2) + "\n")
        return merged

    if not args.skip_demo:
        demo_seeds(args.seeds, args.demo_steps, save)
    print(table(save()))


if __name__ == "__main__":
    sys.exit(main())
