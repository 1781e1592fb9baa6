"""`rewardkit bench`: can this verifier be trusted? Accuracy, speed, failures on labelled cases.

  cases    load and validate a JSONL case file (errors name the line)
  specs    REWARD arguments (``name``, ``name:key=value``, YAML) and their parameters
  runner   run each reward through the scoring engine, timing every case
  metrics  confusion counts, accuracy / precision / recall / F1, MAE, latency percentiles
  memory   peak memory of this process and its worker processes
  report   Markdown report and PNG plots

>>> from rewardkit.bench import load_cases, parse_specs, run_bench  # doctest: +SKIP
>>> runs = run_bench(parse_specs(["math"]), load_cases("cases.jsonl"))  # doctest: +SKIP
>>> runs[0].summary()["f1"]  # doctest: +SKIP
"""

from __future__ import annotations

from rewardkit.bench.cases import Case, CaseFileError, load_cases
from rewardkit.bench.metrics import CaseResult
from rewardkit.bench.runner import BenchError, RewardRun, run_bench, run_reward
from rewardkit.bench.specs import RewardSpec, parse_specs

__all__ = ["Case", "CaseFileError", "CaseResult", "BenchError", "RewardRun", "RewardSpec",
           "load_cases", "parse_specs", "run_bench", "run_reward"]
