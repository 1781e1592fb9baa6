"""Helpers for the math plugin tests (a unique module name: tests share sys.path)."""

import os

from rewardkit_math import MathParams
from rewardkit_math.pipeline import run as _run
from rewardkit_math.policy import policy_from


def judge(pred: str, gold: str, **params) -> dict:
    """Run the pipeline in this process (no worker): fast, for policy tests."""
    params.setdefault("answer_from", "whole")
    return _run(gold, pred, policy_from(MathParams(**params)))


def descendants(pid: int | None = None) -> set[int]:
    """Every live process below `pid` (default: this one), from /proc."""
    pid = pid or os.getpid()
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found
