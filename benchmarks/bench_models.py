"""Model-based rewards, measured side by side with their peers in one run.

1. PRM rollout throughput: the `prm` reward end to end (step splitting, one batched call
   to the `hf` backend for every prefix x K, decoding, grading) in generated tokens/s,
   against plain batched `model.generate` on the same prompts, pre-tokenised and padded
   outside the timer (goal: >= 0.8 of it). Both sample with the same settings and count
   new tokens the same way (up to and including the first eos).
2. Binary search to the first error against evaluating every prefix: rollouts per sample.
3. Judge throughput against a loopback OpenAI-compatible server that answers after a
   fixed latency: the `judge` reward with 32 requests in flight, the same with one at a
   time, and a bare httpx loop (one request at a time) as the peer.

    python benchmarks/bench_models.py [--repeats 3] [--latency 0.05] [--judgements 200]

The model is a random-init GPT-2 built here (no download); on a GPU machine the same
script runs it on cuda. On CPU both sides use `--threads` torch threads (default 1, so a
shared machine disturbs them alike).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "models.json"
sys.path.insert(0, str(HERE))  # so "bench_models:answer_is_ten" imports this file

WORDS = [f"w{i}" for i in range(400)] + [str(i) for i in range(20)] + ["Step", "="]


def answer_is_ten(sample):
    """The benchmark's verifier: cheap, so the measurement is about rollouts."""
    from rewardkit.extract import last_number

    return float(last_number(sample.completion_text) == "10")


def make_solutions(n: int, steps: int, rng: random.Random) -> list[str]:
    out = []
    for _ in range(n):
        parts = [f"Step {k}: " + " ".join(rng.choice(WORDS) for _ in range(12))
                 for k in range(1, steps + 1)]
        out.append("\n\n".join(parts) + " = 11")
    return out


def prm_throughput(model_dir: str, args: argparse.Namespace) -> dict[str, object]:
    import torch

    from rewardkit import Sample, build_reward
    from rewardkit.generators.hf import _count_new_tokens

    rng = random.Random(0)
    samples = [Sample(text, "Solve it.\n", "10")
               for text in make_solutions(args.solutions, args.steps, rng)]
    config = {"model": model_dir, "batch_size": args.batch_size}
    params = {"verifier": "bench_models:answer_is_ten", "backend": "hf",
              "backend_config": config, "rollouts": args.k, "max_tokens": args.max_tokens,
              "temperature": 1.0, "seed": 0}
    reward = build_reward("prm", params)
    backend = reward.backend
    model, tokenizer = backend.load()

    # the peer: the same prompts, n copies each, pre-tokenised and padded outside the timer
    prompts = []
    for s in samples:
        text = s.completion_text
        from rewardkit_prm.steps import split_steps

        for _, end in split_steps(text)[:-1]:
            prompts.append("Solve it.\n" + text[:end])
    ids = tokenizer(prompts)["input_ids"]
    order = sorted(range(len(prompts)), key=lambda i: len(ids[i]))
    per_batch = max(1, args.batch_size // args.k)
    batches = []
    for start in range(0, len(order), per_batch):
        rows = [ids[i] for i in order[start:start + per_batch] for _ in range(args.k)]
        batch = tokenizer.pad({"input_ids": rows}, return_tensors="pt")
        batches.append({k: v.to(model.device) for k, v in batch.items()})
    options = {"max_new_tokens": args.max_tokens, "do_sample": True, "temperature": 1.0,
               "top_p": 1.0, "top_k": 0, "pad_token_id": tokenizer.pad_token_id,
               "eos_token_id": tokenizer.eos_token_id}

    def plain() -> tuple[float, int]:
        torch.manual_seed(0)
        start, tokens = time.perf_counter(), 0
        with torch.inference_mode():
            for batch in batches:
                out = model.generate(**batch, **options)
                tokens += _count_new_tokens(out[:, batch["input_ids"].shape[1]:],
                                            tokenizer.eos_token_id)
        return time.perf_counter() - start, tokens

    def through_prm() -> tuple[float, int]:
        before = backend.stats.tokens
        start = time.perf_counter()
        scores = reward.score(samples)
        seconds = time.perf_counter() - start
        assert all(s.ok for s in scores), [s.info.get("reason") for s in scores if not s.ok]
        return seconds, backend.stats.tokens - before

    plain(), through_prm()  # warm-up: kernels, allocator, the verifier's threads
    runs = {"plain": [], "prm": []}
    for _ in range(args.repeats):  # interleaved, best of each kept
        runs["plain"].append(plain())
        runs["prm"].append(through_prm())
    best = {k: min(v) for k, v in runs.items()}
    tps = {k: tokens / seconds for k, (seconds, tokens) in best.items()}

    binary = build_reward("prm", {**params, "search": "binary"})
    binary.backend = backend  # same loaded model
    long = [Sample(t, "Solve it.\n", "10") for t in make_solutions(4, 16, rng)]
    rollouts = {mode: sum(s.info["rollouts"] for s in r.score(long)) / len(long)
                for mode, r in (("all", reward), ("binary", binary))}
    reward.close()
    binary.close()
    return {
        "device": str(model.device), "solutions": args.solutions, "steps": args.steps,
        "k": args.k, "max_tokens": args.max_tokens, "batch_size": args.batch_size,
        "prompts": len(prompts), "plain_tokens": best["plain"][1], "prm_tokens": best["prm"][1],
        "plain_seconds": best["plain"][0], "prm_seconds": best["prm"][0],
        "plain_tokens_per_s": tps["plain"], "prm_tokens_per_s": tps["prm"],
        "ratio": tps["prm"] / tps["plain"],
        "rollouts_per_sample_16_steps": rollouts,
    }


def judge_throughput(args: argparse.Namespace) -> dict[str, object]:
    import re

    import httpx

    from rewardkit import Sample, build_reward
    from rewardkit.engine import Engine
    from rewardkit.generators.testing import LoopbackServer, Reply, completion, prompt_of

    key = re.compile(r"VERDICT ([0-9A-F]{12}): N\s*$", re.MULTILINE)

    def judge_server(path, body, attempt):
        found = key.findall(prompt_of(body))
        text = f"VERDICT {found[-1]}: 4" if found else "4"
        return Reply(completion([text]), delay=args.latency)

    samples = [Sample(f"answer number {i}", f"question {i}") for i in range(args.judgements)]
    out: dict[str, object] = {"judgements": args.judgements, "latency_s": args.latency}
    with LoopbackServer(judge_server) as server:
        for label, concurrency in (("concurrent", 32), ("sequential", 1)):
            reward = build_reward("judge", {"cache": False, "backend_config": {
                "base_url": server.url, "model": "judge", "concurrency": concurrency}})
            start = time.perf_counter()
            scores = Engine(concurrency=32).run(reward, samples)
            seconds = time.perf_counter() - start
            assert all(s.value == 0.75 for s in scores), scores[0]
            out[label] = {"seconds": seconds, "per_s": len(samples) / seconds,
                          "peak_in_flight": server.max_in_flight}
            server.max_in_flight = 0
        body = {"model": "judge", "messages": [{"role": "user", "content": "x"}]}
        start = time.perf_counter()
        with httpx.Client() as client:
            for _ in samples:
                client.post(server.url + "/chat/completions", json=body).raise_for_status()
        seconds = time.perf_counter() - start
        out["bare_httpx_sequential"] = {"seconds": seconds, "per_s": len(samples) / seconds}
    out["speedup"] = out["concurrent"]["per_s"] / out["sequential"]["per_s"]  # type: ignore
    return out


def table(prm: dict, judge: dict) -> str:
    searched = prm["rollouts_per_sample_16_steps"]
    rows = [
        "| measure | rewardkit | peer | ratio | goal |",
        "| --- | --- | --- | --- | --- |",
        f"| PRM rollouts, {prm['prompts']} prefixes x K={prm['k']}, {prm['max_tokens']} new "
        f"tokens each, {prm['device']} (best of {prm['repeats']}) | "
        f"{prm['prm_tokens_per_s']:,.0f} tokens/s ({prm['prm_tokens']:,} tokens, "
        f"{prm['prm_seconds']:.2f} s, grading included) | plain batched `model.generate`: "
        f"{prm['plain_tokens_per_s']:,.0f} tokens/s ({prm['plain_tokens']:,} tokens, "
        f"{prm['plain_seconds']:.2f} s) | {prm['ratio']:.2f} | >= 0.8 |",
        f"| PRM rollouts per sample, 16-step wrong solutions, K={prm['k']} | binary search: "
        f"{searched['binary']:.0f} | every prefix: {searched['all']:.0f} | "
        f"{searched['binary'] / searched['all']:.2f} | fewer |",
        f"| judge, {judge['judgements']} judgements, server latency "
        f"{judge['latency_s'] * 1000:.0f} ms | 32 in flight: {judge['concurrent']['per_s']:.0f} "
        f"/s ({judge['concurrent']['seconds']:.2f} s) | one at a time: "
        f"{judge['sequential']['per_s']:.1f} /s; bare httpx loop: "
        f"{judge['bare_httpx_sequential']['per_s']:.1f} /s | {judge['speedup']:.1f}x | "
        "concurrency pays |",
    ]
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--solutions", type=int, default=8)
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--k", type=int, default=8)
    parser.add_argument("--max-tokens", type=int, default=32)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--width", type=int, default=256)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads (both sides)")
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--judgements", type=int, default=200)
    args = parser.parse_args()

    import torch

    from rewardkit.generators.testing import tiny_causal_lm

    torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = str(tiny_causal_lm(tmp, WORDS, layers=args.layers, width=args.width,
                                       heads=4, positions=512))
        prm = prm_throughput(model_dir, args)
    prm["repeats"] = args.repeats
    prm["torch_threads"] = args.threads
    prm["model"] = f"random GPT-2, {args.layers} layers, width {args.width}, vocab {len(WORDS) + 2}"
    judge = judge_throughput(args)
    result = {"machine": {"python": platform.python_version(), "platform": platform.platform()},
              "prm": prm, "judge": judge}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(table(prm, judge))


if __name__ == "__main__":
    main()
