"""`rewardkit train` against bare TRL, side by side in one run, plus the toy demo's curve.

1. Overhead: the same GRPO job (tiny model, toy task, same seed, same reward logic)
   through the `rewardkit train` machinery (rubric -> `to_trl`, the engine, metrics.jsonl,
   progress bar) and through a bare `GRPOTrainer` with plain reward functions. The runs
   alternate (rewardkit, bare, rewardkit, bare, ...) so load from other processes hits
   both alike; the goal is a step-time overhead under 5 %.
2. The demo: examples/train-toy.yaml end to end (cold start + GRPO, format + math
   plugins); its reward plot is copied to benchmarks/train_reward.png.

    python benchmarks/bench_train.py [--steps 30] [--repeats 3] [--skip-demo]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "train.json"
PLOT = ROOT / "benchmarks" / "train_reward.png"
TOY = ROOT / "examples" / "toy"
TAGGED = re.compile(r"^<think>.+</think><answer>(.+)</answer>$", re.DOTALL)
ANSWER = re.compile(r"<answer>(.*?)</answer>", re.DOTALL)


# -- the reward logic, once as plain TRL functions and once as rewardkit rewards ------


def plain_format(prompts, completions, **kwargs):
    return [1.0 if TAGGED.match(c.strip()) else 0.0 for c in completions]


def plain_math(prompts, completions, reference, **kwargs):
    out = []
    for completion, gold in zip(completions, reference):
        found = ANSWER.search(completion)
        out.append(1.0 if found and found.group(1).strip() == gold else 0.0)
    return out


def rubric():
    from rewardkit import Rubric, criterion, per_sample

    @per_sample
    def format(sample):
        return bool(TAGGED.match(sample.completion_text.strip()))

    @per_sample
    def math(sample):
        found = ANSWER.search(sample.completion_text)
        return bool(found and found.group(1).strip() == sample.reference)

    return Rubric([criterion(format, weight=0.2), criterion(math, weight=0.8)])


def trl_settings(steps: int) -> dict:
    return {"max_steps": steps, "learning_rate": 2e-3, "per_device_train_batch_size": 64,
            "num_generations": 8, "max_completion_length": 16, "logging_steps": 1,
            "save_strategy": "no", "report_to": "none", "disable_tqdm": True, "bf16": False}


def cold_started_model(work: Path):
    """The tiny model after the demo's cold start, saved once and reloaded by every run."""
    from rewardkit.train import load_config
    from rewardkit.train.runner import _cold_start, load_model, prepare

    config = load_config(data={
        "model": {"name": "tiny"}, "dataset": {"path": str(TOY / "train.jsonl")},
        "rubric": {"criteria": [{"reward": "rewardkit_shaping:overlong"}]},
        "cold_start": {"path": str(TOY / "demos.jsonl"),
                       "trl": {"num_train_epochs": 18, "learning_rate": 3e-3,
                               "per_device_train_batch_size": 8}},
        "trl": {"max_steps": 1}})
    plan = prepare(config, work / "prep")
    model, tokenizer = load_model(config)
    model = _cold_start(plan, model, tokenizer, progress=False)
    model.save_pretrained(work / "start")
    tokenizer.save_pretrained(work / "start")
    return work / "start"


def run_bare(start: Path, steps: int, out: Path) -> dict:
    import transformers
    from datasets import load_dataset
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.trainer_callback import PrinterCallback
    from trl import GRPOConfig, GRPOTrainer

    transformers.set_seed(0)
    model = AutoModelForCausalLM.from_pretrained(start)
    tokenizer = AutoTokenizer.from_pretrained(start)
    data = load_dataset("json", data_files=str(TOY / "train.jsonl"), split="train")
    began = time.perf_counter()
    args = GRPOConfig(output_dir=str(out), seed=0, reward_weights=[0.2, 0.8],
                      **trl_settings(steps))
    trainer = GRPOTrainer(model=model, processing_class=tokenizer, args=args,
                          reward_funcs=[plain_format, plain_math], train_dataset=data)
    trainer.remove_callback(PrinterCallback)
    trainer.train()
    seconds = time.perf_counter() - began
    logs = [h for h in trainer.state.log_history if "reward" in h]
    return {"seconds": seconds, "step_times": [h["step_time"] for h in logs],
            "rewards": [h["reward"] for h in logs]}


def run_rewardkit(start: Path, steps: int, out: Path) -> dict:
    from rewardkit.train import load_config
    from rewardkit.train.runner import train

    config = load_config(data={
        "model": {"name": str(start)}, "dataset": {"path": str(TOY / "train.jsonl")},
        "rubric": {"criteria": [{"reward": "rewardkit_shaping:overlong"}]},  # replaced below
        "trl": trl_settings(steps), "seed": 0})
    config.model.dtype = "float32"
    result = train(config, out, progress=True, rubric=rubric())
    return {"seconds": result.phase_seconds["grpo"],
            "step_times": [r["step_time"] for r in result.rows],
            "rewards": [r["reward"] for r in result.rows]}


def overhead(steps: int, repeats: int) -> dict:
    work = Path(tempfile.mkdtemp(prefix="bench_train_"))
    try:
        start = cold_started_model(work)
        runs: dict[str, list[dict]] = {"rewardkit": [], "bare": []}
        for i in range(repeats):
            runs["rewardkit"].append(run_rewardkit(start, steps, work / f"rk{i}"))
            runs["bare"].append(run_bare(start, steps, work / f"bare{i}"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out: dict = {"steps": steps, "repeats": repeats}
    for name, rs in runs.items():
        # median over runs of each run's median step time (step 1 includes warm-up)
        out[name] = {"median_step_s": statistics.median(
                         statistics.median(r["step_times"][1:]) for r in rs),
                     "median_run_s": statistics.median(r["seconds"] for r in rs),
                     "same_rewards_as_bare": None}
    out["rewardkit"]["same_rewards_as_bare"] = all(
        [round(x, 5) for x in a["rewards"]] == [round(x, 5) for x in b["rewards"]]
        for a, b in zip(runs["rewardkit"], runs["bare"]))
    bare, rk = out["bare"]["median_step_s"], out["rewardkit"]["median_step_s"]
    out["step_overhead_pct"] = 100.0 * (rk - bare) / bare
    out["run_overhead_pct"] = 100.0 * (out["rewardkit"]["median_run_s"]
                                       - out["bare"]["median_run_s"]) / out["bare"]["median_run_s"]
    return out


def demo() -> dict:
    from rewardkit.train import load_config
    from rewardkit.train.runner import train

    out = Path(tempfile.mkdtemp(prefix="bench_demo_"))
    began = time.perf_counter()
    result = train(load_config(ROOT / "examples" / "train-toy.yaml"), out, progress=True)
    seconds = time.perf_counter() - began
    if result.plot:
        shutil.copy(result.plot, PLOT)
    summary = result.summary()
    shutil.rmtree(out, ignore_errors=True)
    return {"seconds": seconds, "phase_seconds": result.phase_seconds,
            "steps": result.rows[-1]["step"], "summary": summary,
            "goal_met": (summary["reward"]["last"] >= 0.8 and summary["reward"]["rise"] >= 0.3
                         and all(v["rise"] > 0 for k, v in summary.items() if k != "reward"))}


def load_average() -> float | None:
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-demo", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import torch
    import trl

    result = {"machine": {"cpus": os.cpu_count(), "torch_threads": torch.get_num_threads(),
                          "python": platform.python_version(), "torch": torch.__version__,
                          "trl": trl.__version__, "load_average_at_start": load_average()}}
    result["overhead"] = overhead(args.steps, args.repeats)
    if not args.skip_demo:
        result["demo"] = demo()
    result["machine"]["load_average_at_end"] = load_average()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(table(result))


def table(result: dict) -> str:
    o = result["overhead"]
    lines = ["| GRPO job (tiny model, toy task) | median step time | median run time |",
             "| --- | --- | --- |",
             f"| bare `GRPOTrainer`, plain reward functions | {o['bare']['median_step_s']*1000:.1f} ms"
             f" | {o['bare']['median_run_s']:.1f} s |",
             f"| `rewardkit train` (rubric via `to_trl`) | {o['rewardkit']['median_step_s']*1000:.1f}"
             f" ms | {o['rewardkit']['median_run_s']:.1f} s |",
             f"| **overhead** | **{o['step_overhead_pct']:+.1f} %** | {o['run_overhead_pct']:+.1f} % |",
             "",
             f"{o['steps']} steps × {o['repeats']} alternating runs each; identical rewards "
             f"logged by both: {o['rewardkit']['same_rewards_as_bare']}. Load average "
             f"{result['machine']['load_average_at_start']} at start, "
             f"{result['machine']['load_average_at_end']} at end, {result['machine']['cpus']} CPUs."]
    if "demo" in result:
        d = result["demo"]
        lines += ["", "| demo `examples/train-toy.yaml` | first fifth | last fifth | change |",
                  "| --- | --- | --- | --- |"]
        for key, v in d["summary"].items():
            lines.append(f"| {key} | {v['first']:.3f} | {v['last']:.3f} | {v['rise']:+.3f} |")
        phases = ", ".join(f"{k} {v:.1f} s" for k, v in d["phase_seconds"].items())
        lines += ["", f"{d['steps']} GRPO steps, wall time {d['seconds']:.1f} s ({phases}); "
                      f"goal met: {d['goal_met']}."]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
