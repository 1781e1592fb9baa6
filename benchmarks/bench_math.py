"""Math answer equivalence: rewardkit `math` against Math-Verify 0.9.0, same cases, one run.

    python benchmarks/bench_math.py [--sets dev,test,...] [--no-peer] [--show-wrong]

Data: benchmarks/data/math (bench case format, answer_from=whole; README there gives each
file's source, licence and side of the dev/test split). Sets: the three older sets one by
one, `dev` (every dev_*.jsonl) and `test` (every test_*.jsonl, held out from tuning).
Math-Verify runs in this interpreter when it is installed (the `bench` extra), else in
its own virtualenv (benchmarks/.venvs/math-verify, created on first use), behind a small
driver that answers one JSON line per case; a case that hangs it is killed after
--peer-timeout seconds, counted as a timeout, and the driver restarted. The two run in lock-step, case by
case, so both see the same machine load: rewardkit timed end to end around `score()`
(worker-process round trip included), Math-Verify by its own in-process clock. Writes
benchmarks/results/math.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data" / "math"
VENV = ROOT / ".venvs" / "math-verify"
RESULT = ROOT / "results" / "math.json"
SETS = ("hardverify_dev", "hard_cases", "math_verify_tests", "dev", "test")

DRIVER = r'''
import json, sys, time
from math_verify import parse, verify

DELIMITED = ("$", "\\(", "\\[", "\\boxed", "\\fbox")


def read(text):
    # the labeled sets hold bare answers: Math-Verify only extracts LaTeX inside $...$
    # (or \boxed{}), so a bare answer is wrapped first and read raw only if that fails
    if not any(d in text for d in DELIMITED):
        found = parse("$" + text + "$")
        if found:
            return found
    return parse(text)

while True:
    line = sys.stdin.readline()
    if not line:
        break
    case = json.loads(line)
    start = time.perf_counter()
    try:
        gold = read(case["reference"])
        pred = read(case["completion"])
        value = bool(verify(gold, pred)) if gold else None
        status = "ok" if gold else "unverifiable"
    except Exception as exc:
        value, status = None, "error"
    ms = (time.perf_counter() - start) * 1000
    print(json.dumps({"id": case["id"], "value": value, "status": status, "ms": ms}), flush=True)
'''


def load(name: str) -> list[dict]:
    """One set: a file, or every dev_*/test_* file pooled (ids are unique across files)."""
    files = sorted(DATA.glob(f"{name}_*.jsonl")) if name in ("dev", "test") else \
        [DATA / f"{name}.jsonl"]
    cases = []
    for path in files:
        with open(path, encoding="utf-8") as f:
            cases += [json.loads(line) for line in f if line.strip()]
    return cases


def ensure_venv() -> Path:
    try:  # installed with the bench extra: same interpreter, no virtualenv
        import math_verify  # noqa: F401

        return Path(sys.executable)
    except ImportError:
        pass
    python = VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {VENV} (math-verify==0.9.0)...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "math-verify==0.9.0"],
                       check=True)
    return python


class Peer:
    """Math-Verify in its own virtualenv, one case at a time; a hung case is killed."""

    def __init__(self, timeout: float) -> None:
        self.python = ensure_venv()
        self.timeout = timeout
        with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
            f.write(DRIVER)
            self.driver = f.name
        self.proc: subprocess.Popen | None = None

    def _start(self) -> None:
        self.proc = subprocess.Popen([str(self.python), self.driver], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True, bufsize=1)
        self.run({"id": "warmup", "completion": "$1$", "reference": "$1$"}, budget=120)

    def run(self, case: dict, budget: float | None = None) -> dict:
        import selectors

        if self.proc is None:
            self._start()
        start = time.perf_counter()
        self.proc.stdin.write(json.dumps(case) + "\n")
        self.proc.stdin.flush()
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        if not sel.select(budget or self.timeout):
            self.close()
            return {"value": None, "status": "timeout", "ms": (budget or self.timeout) * 1000}
        line = self.proc.stdout.readline()
        if not line:
            self.close()
            return {"value": None, "status": "error", "ms": 0.0}
        row = json.loads(line)
        row["round_trip_ms"] = (time.perf_counter() - start) * 1000  # through its pipe
        return row

    def close(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    def __del__(self) -> None:
        try:
            os.unlink(self.driver)
        except OSError:
            pass


class Ours:
    """rewardkit's `math`, one `score()` call per case (worker isolation included)."""

    def __init__(self) -> None:
        sys.path.insert(0, str(ROOT.parent / "plugins" / "math"))
        from rewardkit_math import MathReward

        self.reward = MathReward(answer_from="whole")
        self.run({"completion": "1", "reference": "1"})  # start the worker before timing

    def run(self, case: dict) -> dict:
        from rewardkit import Sample

        start = time.perf_counter()
        score = self.reward.score([Sample(case["completion"], reference=case["reference"])])[0]
        ms = (time.perf_counter() - start) * 1000
        return {"value": None if score.value is None else score.value >= 0.5,
                "status": score.status.value, "ms": ms,
                "rule": score.info.get("rule"), "reason": score.info.get("reason")}


def metrics(cases: list[dict], results: dict[str, dict]) -> dict:
    """Accuracy counts an undecided case as wrong; coverage and accuracy on the decided
    cases show how much of that is honest abstention."""
    rows = [(c, results[c["id"]]) for c in cases]
    times = sorted(r["ms"] for _, r in rows)
    decided = [(c, r) for c, r in rows if r["value"] is not None]
    correct = sum(1 for c, r in decided if r["value"] == c["expected"])
    negatives = sum(1 for c in cases if not c["expected"])
    fp = sum(1 for c, r in decided if r["value"] is True and not c["expected"])
    return {
        "cases": len(rows),
        "accuracy": round(correct / len(rows), 4),
        "false_positives": fp,
        "fp_rate": round(fp / negatives, 4) if negatives else 0.0,
        "false_negatives": sum(1 for c, r in decided if r["value"] is False and c["expected"]),
        "coverage": round(len(decided) / len(rows), 4),
        "accuracy_on_decided": round(correct / len(decided), 4) if decided else 0.0,
        "unverifiable": sum(1 for _, r in rows if r["status"] in ("unverifiable", "error")),
        "timeouts": sum(1 for _, r in rows if r["status"] == "timeout"),
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 2),
        "wrong": [c["id"] for c, r in rows if r["value"] != c["expected"]],
    } | ({"median_round_trip_ms": round(statistics.median(
        r.get("round_trip_ms", r["ms"]) for _, r in rows), 2)}
         if any("round_trip_ms" in r for _, r in rows) else {})


def _pooled(times: list[float]) -> dict:
    times = sorted(times)
    return {"cases": len(times), "median_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 2)}


def table(report: dict) -> str:
    lines = ["| set | verifier | accuracy | FP (rate) | FN | coverage | accuracy on decided | "
             "unverifiable | timeouts | median ms | p95 ms |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, entry in report["sets"].items():
        for who in ("rewardkit", "math_verify"):
            m = entry.get(who)
            if m:
                lines.append(f"| {name} ({m['cases']}) | {who} | {m['accuracy']:.3f} | "
                             f"{m['false_positives']} ({m['fp_rate']:.3f}) | "
                             f"{m['false_negatives']} | {m['coverage']:.3f} | "
                             f"{m['accuracy_on_decided']:.3f} | {m['unverifiable']} | "
                             f"{m['timeouts']} | {m['median_ms']:.1f} | {m['p95_ms']:.1f} |")
    pooled = report.get("all_cases", {})
    if "median_ratio" in pooled:
        ours, theirs = pooled["rewardkit"], pooled["math_verify"]
        lines.append(f"| all ({ours['cases']}) | rewardkit / math_verify median ms | "
                     f"ratio {pooled['median_ratio']:.2f} | | | | | | | "
                     f"{ours['median_ms']:.1f} / {theirs['median_ms']:.1f} | "
                     f"{ours['p95_ms']:.1f} / {theirs['p95_ms']:.1f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--no-peer", action="store_true", help="skip Math-Verify")
    parser.add_argument("--peer-timeout", type=float, default=20.0)
    parser.add_argument("--show-wrong", action="store_true")
    args = parser.parse_args()
    report: dict = {"peer": "math-verify==0.9.0", "sets": {},
                    "timing": "lock-step: each case runs through rewardkit (end to end, worker "
                              "round trip included) and then Math-Verify (its own in-process "
                              "time), so both see the same machine load"}
    ours = Ours()
    peer = None if args.no_peer else Peer(args.peer_timeout)
    all_mine: list[float] = []
    all_theirs: list[float] = []
    for name in args.sets.split(","):
        cases = load(name)
        mine, theirs = {}, {}
        for case in cases:
            mine[case["id"]] = ours.run(case)
            if peer is not None:
                theirs[case["id"]] = peer.run(case)
        all_mine += [r["ms"] for r in mine.values()]
        all_theirs += [r["ms"] for r in theirs.values()]
        entry = {"rewardkit": metrics(cases, mine)}
        if peer is not None:
            entry["math_verify"] = metrics(cases, theirs)
            entry["median_ratio"] = round(entry["rewardkit"]["median_ms"]
                                          / entry["math_verify"]["median_ms"], 3)
        report["sets"][name] = entry
        if args.show_wrong:
            for c in cases:
                r = mine[c["id"]]
                if r["value"] != c["expected"]:
                    print(f"{c['id']} exp={c['expected']} got={r['value']} {r['status']} "
                          f"rule={r['rule']} reason={(r['reason'] or '')[:150]}\n"
                          f"    pred={c['completion'][-150:]!r}\n    gold={c['reference'][-150:]!r}")
    ours.reward.close()
    if peer is not None:
        peer.close()
    pooled = {"rewardkit": _pooled(all_mine)}
    if peer is not None:
        pooled["math_verify"] = _pooled(all_theirs)
        pooled["median_ratio"] = round(pooled["rewardkit"]["median_ms"]
                                       / pooled["math_verify"]["median_ms"], 3)
    report["all_cases"] = pooled
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(report, indent=2) + "\n")
    print(table(report))


if __name__ == "__main__":
    main()
