"""Peak memory of a bench run: this process tree, read through psutil."""

from __future__ import annotations

import os
import subprocess
import sys

from rewardkit.bench.memory import PeakMemory, descendants, rss_bytes


def test_descendants_are_this_process_and_its_children():
    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                             stdin=subprocess.PIPE)
    try:
        found = descendants(os.getpid())
        assert found[0] == os.getpid() and child.pid in found
    finally:
        child.communicate(b"", timeout=30)
    assert child.pid not in descendants(os.getpid())


def test_a_process_that_is_gone_has_no_memory_and_no_children():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait(timeout=30)
    assert rss_bytes(child.pid) == 0
    assert descendants(child.pid) == [child.pid]


def test_peak_memory_covers_what_the_block_allocated():
    with PeakMemory() as memory:
        block = bytearray(64 * 2**20)
        block[::4096] = b"x" * len(block[::4096])  # touch every page
    assert memory.peak_mb >= rss_bytes(os.getpid()) / 2**20 - 1
    assert memory.peak_mb >= 64
    del block
