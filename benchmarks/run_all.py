"""Regenerate every benchmark in the repository: ``make bench`` runs this.

    python benchmarks/run_all.py [--only TOPIC ...] [--timeout SECONDS] [--no-probes]
                                 [--probes-only] [--no-readme] [--list]

1. Runs each ``benchmarks/bench_<topic>.py`` in its own subprocess, one after the other
   (so no two compete for the CPU), streaming its output. Each script writes
   ``benchmarks/results/<topic>.json`` and prints a Markdown table.
2. Runs every hack-probe file ``benchmarks/probes/<reward>.jsonl`` through
   ``rewardkit bench`` (see benchmarks/probes/README.md) into ``results/probes.json``.
3. Writes ``results/summary.json`` (machine, per-script status, time, result file) and
   ``results/RESULTS.md`` (every script's Markdown output, verbatim).
4. Updates benchmarks/README.md: the run summary between ``<!-- BEGIN run_all -->`` and
   ``<!-- END run_all -->``, the probes table between ``<!-- BEGIN probes table -->`` and
   ``<!-- END probes table -->``, and, for every topic whose section holds the markers
   ``<!-- BEGIN <topic> table -->`` / ``<!-- END <topic> table -->``, the Markdown tables
   its script printed. Nothing else in the README is touched.

Exit status: 0 when every script and probe ran, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
README = HERE / "README.md"
PROBES = HERE / "probes"
CLI = [sys.executable, "-c", "from rewardkit.cli import main; main()"]


def discover() -> dict[str, Path]:
    """Topic name -> script, for every benchmarks/bench_<topic>.py."""
    return {p.stem.removeprefix("bench_"): p for p in sorted(HERE.glob("bench_*.py"))}


def machine() -> dict[str, object]:
    """What the numbers were measured on."""
    info: dict[str, object] = {"python": platform.python_version(),
                               "platform": platform.platform(), "cpus": os.cpu_count()}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
        info["cpu"] = model.group(1).strip() if model else platform.processor()
    except OSError:  # no /proc/cpuinfo (psutil does not name the CPU model)
        info["cpu"] = platform.processor()
    info["memory_gib"] = round(psutil.virtual_memory().total / 2**30, 1)
    try:
        gpus = subprocess.run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"],
                              capture_output=True, text=True, timeout=20)
        info["gpu"] = ", ".join(gpus.stdout.split("\n")).strip(", ") or None
    except (OSError, subprocess.SubprocessError):
        info["gpu"] = None
    return info


def run_script(topic: str, script: Path, timeout: float) -> dict[str, object]:
    """Run one benchmark script in its own process; stream and keep its output."""
    print(f"\n=== {topic}: python {script.relative_to(ROOT)}", flush=True)
    started = time.time()
    lines: list[str] = []
    proc = subprocess.Popen([sys.executable, str(script)], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=1,
                            start_new_session=True)

    def echo_stderr() -> None:  # shown live, kept out of the README block
        assert proc.stderr is not None
        for line in proc.stderr:
            print(line, end="", file=sys.stderr, flush=True)

    stderr_reader = threading.Thread(target=echo_stderr, daemon=True)
    stderr_reader.start()
    killed = threading.Event()

    def kill() -> None:
        killed.set()
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the script and anything it started
        except ProcessLookupError:
            pass

    watchdog = threading.Timer(timeout, kill)
    watchdog.start()
    assert proc.stdout is not None
    for line in proc.stdout:
        print(line, end="", flush=True)
        lines.append(line.rstrip("\n"))
    proc.wait()
    stderr_reader.join(timeout=5)
    watchdog.cancel()
    status = "ok"
    if killed.is_set():
        status = f"timeout after {timeout:g} s"
    elif proc.returncode != 0:
        status = f"failed (exit {proc.returncode})"
    seconds = time.time() - started
    result = RESULTS / f"{topic}.json"
    fresh = result.exists() and result.stat().st_mtime >= started - 1
    if status == "ok" and not fresh:
        status = f"no fresh results/{topic}.json"
    print(f"=== {topic}: {status} in {seconds:.1f} s", flush=True)
    return {"topic": topic, "script": str(script.relative_to(ROOT)), "status": status,
            "seconds": round(seconds, 1), "result": str(result.relative_to(ROOT)) if fresh
            else None, "markdown": markdown_report(lines)}


def markdown_report(lines: list[str]) -> str:
    """What a script reports, from its standard output: its tables, the caption line set
    off by a blank line above the first table, and every line after it (ratios, goals,
    assumptions). Progress lines before that are left out; blank runs collapse to one."""
    first = next((i for i, line in enumerate(lines) if line.lstrip().startswith("|")), None)
    if first is None:
        return ""
    caption = first >= 2 and not lines[first - 1].strip() and lines[first - 2].strip()
    start = first - 2 if caption else first
    kept: list[str] = []
    for line in lines[start:]:
        line = line.strip() if line.lstrip().startswith("|") else line.rstrip()
        if line or (kept and kept[-1]):
            kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept)


def probe_reward(stem: str) -> str:
    """The reward a probe file is for: a reward of that name, else the only reward of the
    plugin of that name (``language.jsonl`` -> ``language:language_purity``)."""
    try:
        from rewardkit.plugins import get_host

        entries = get_host().registered("rewards")
    except Exception:  # noqa: BLE001 - rewardkit bench will report the real problem
        return stem
    owned = [e for e in entries if e.plugin == stem]
    if any(e.name == stem for e in entries) or len(owned) != 1:
        return stem
    return owned[0].qualified


def run_probe(path: Path, timeout: float) -> dict[str, object]:
    """``rewardkit bench`` over one probe file; the reward is named by the file (or a YAML)."""
    reward = probe_reward(path.stem.split(".")[0])
    spec = path.with_suffix(".yaml")
    args = [*CLI, "bench", str(spec) if spec.exists() else reward, "--cases", str(path),
            "--json"]
    row: dict[str, object] = {"file": str(path.relative_to(ROOT)), "reward": reward}
    try:
        proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {**row, "status": f"timeout after {timeout:g} s"}
    if proc.returncode != 0:
        reason = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        missing = "no reward named" in proc.stderr
        return {**row, "status": "not installed" if missing else f"failed: {reason}"}
    (summary,) = json.loads(proc.stdout)
    keys = ("n", "accuracy", "tp", "fp", "tn", "fn", "status_counts", "false_positives",
            "false_negatives", "cases_per_s")
    return {**row, "reward": summary["reward"], "status": "ok",
            **{k: summary[k] for k in keys}}


def probes_table(probes: list[dict[str, object]]) -> str:
    lines = ["| probe file | reward | cases | caught | hacks rewarded (fp) | honest rejected "
             "(fn) | not ok | status |", "|---|---|---|---|---|---|---|---|"]
    for p in probes:
        if p["status"] != "ok":
            lines.append(f"| `{p['file']}` | {p['reward']} | | | | | | {p['status']} |")
            continue
        not_ok = ", ".join(f"{k} {v}" for k, v in p["status_counts"].items()  # type: ignore
                           if k != "ok" and v) or "–"
        lines.append(f"| `{p['file']}` | {p['reward']} | {p['n']} | {p['accuracy']:.3f} | "
                     f"{p['fp']} | {p['fn']} | {not_ok} | ok |")
    return "\n".join(lines)


def replace_block(text: str, name: str, body: str) -> str:
    """Replace what lies between ``<!-- BEGIN name -->`` and ``<!-- END name -->``."""
    begin, end = re.escape(f"<!-- BEGIN {name} -->"), re.escape(f"<!-- END {name} -->")
    pattern = re.compile(rf"({begin}\n).*?({end})", re.S)
    return pattern.sub(lambda m: m.group(1) + body.rstrip() + "\n" + m.group(2), text, count=1)


def update_readme(runs: list[dict[str, object]], probes: list[dict[str, object]] | None,
                  info: dict[str, object], stamp: str) -> None:
    text = README.read_text(encoding="utf-8")
    rows = ["| topic | script | status | seconds |", "|---|---|---|---|"]
    rows += [f"| {r['topic']} | `{r['script']}` | {r['status']} | {r['seconds']} |" for r in runs]
    gpu = f", GPU {info['gpu']}" if info.get("gpu") else ", no GPU"
    summary = (f"Last run: {stamp} on {info.get('cpu')} ({info.get('cpus')} CPUs, "
               f"{info.get('memory_gib')} GiB{gpu}), Python {info['python']}.\n\n"
               + "\n".join(rows))
    if runs:  # a probes-only run leaves the last script summary as it was
        text = replace_block(text, "run_all", summary)
    if probes is not None:
        text = replace_block(text, "probes table", probes_table(probes))
    for run in runs:
        if run["markdown"] and run["status"] == "ok":
            text = replace_block(text, f"{run['topic']} table", str(run["markdown"]))
    README.write_text(text, encoding="utf-8")


def write_results(runs: list[dict[str, object]], probes: list[dict[str, object]] | None,
                  info: dict[str, object], stamp: str) -> None:
    """summary.json and RESULTS.md; a probes-only run keeps the last scripts' results."""
    path = RESULTS / "summary.json"
    summary = {"generated": stamp, "machine": info, "runs": runs, "probes": probes}
    if not runs and path.exists():
        summary = {**json.loads(path.read_text()), "probes": probes}
    path.write_text(json.dumps(summary, indent=2) + "\n")
    runs = summary["runs"]  # type: ignore[assignment]
    (RESULTS / "RESULTS.md").write_text(
        f"# Benchmark results, {summary['generated']}\n\n" + "".join(
            f"## {r['topic']} ({r['status']})\n\n{r['markdown'] or '(no table printed)'}\n\n"
            for r in runs) + (f"## probes ({stamp})\n\n{probes_table(probes)}\n"
                              if probes else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", metavar="TOPIC", help="run only these topics")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per script")
    parser.add_argument("--no-probes", action="store_true", help="skip the hack probes")
    parser.add_argument("--probes-only", action="store_true", help="run only the hack probes")
    parser.add_argument("--no-readme", action="store_true", help="leave README.md alone")
    parser.add_argument("--list", action="store_true", help="list the topics and exit")
    args = parser.parse_args(argv)
    scripts = discover()
    if args.list:
        print("\n".join(f"{t}\t{p.relative_to(ROOT)}" for t, p in scripts.items()))
        return 0
    unknown = sorted(set(args.only or []) - set(scripts))
    if unknown:
        parser.error(f"no benchmarks/bench_<topic>.py for {', '.join(unknown)} "
                     f"(topics: {', '.join(scripts)})")
    chosen = {t: p for t, p in scripts.items()
              if not args.probes_only and (not args.only or t in args.only)}
    RESULTS.mkdir(exist_ok=True)
    info = machine()
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    runs = [run_script(topic, script, args.timeout) for topic, script in chosen.items()]
    probes = None
    if not args.no_probes:
        print("\n=== probes", flush=True)
        probes = [run_probe(p, args.timeout) for p in sorted(PROBES.glob("*.jsonl"))]
        (RESULTS / "probes.json").write_text(json.dumps(probes, indent=2) + "\n")
        print(probes_table(probes), flush=True)
    write_results(runs, probes, info, stamp)
    if not args.no_readme and README.exists():
        update_readme(runs, probes, info, stamp)
    print("\n=== summary")
    for run in runs:
        print(f"{run['topic']:>12}: {run['status']} ({run['seconds']} s)")
    failed = [r for r in runs if r["status"] != "ok"]
    failed += [p for p in probes or [] if p["status"] not in ("ok", "not installed")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
