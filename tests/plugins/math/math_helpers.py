"""Helpers for the math plugin tests (a unique module name: tests share sys.path)."""

import os

import psutil

from rewardkit_math import MathParams
from rewardkit_math.pipeline import run as _run
from rewardkit_math.policy import policy_from


def judge(pred: str, gold: str, **params) -> dict:
    """Run the pipeline in this process (no worker): fast, for policy tests."""
    params.setdefault("answer_from", "whole")
    return _run(gold, pred, policy_from(MathParams(**params)))


def descendants(pid: int | None = None) -> set[int]:
    """Every live (not zombie) process below `pid` (default: this one)."""
    found = set()
    for child in psutil.Process(pid or os.getpid()).children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE:
                found.add(child.pid)
        except psutil.NoSuchProcess:
            continue
    return found


def cmdline(pid: int) -> str:
    """The command line of `pid` ("" when it is gone)."""
    try:
        return " ".join(psutil.Process(pid).cmdline())
    except psutil.Error:
        return ""
