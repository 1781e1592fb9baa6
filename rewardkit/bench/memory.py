"""Peak memory of a bench run: this process plus its worker processes.

A background thread samples (with psutil) the resident set size (RSS) of this process
and of every process descending from it (the engine's worker processes live under a
forkserver child). On Linux this process's own high-water mark (``VmHWM``, reset at the
start when the kernel allows; psutil has no reading of it) covers spikes between
samples; elsewhere ``resource.getrusage`` of this process, a lifetime maximum, does.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any

_PROC_SELF = Path("/proc/self")


def descendants(pid: int) -> list[int]:
    """`pid` and every live process below it."""
    import psutil

    try:
        return [pid, *(child.pid for child in psutil.Process(pid).children(recursive=True))]
    except psutil.Error:
        return [pid]


def rss_bytes(pid: int) -> int:
    """Resident set size of `pid` in bytes (0 when it is gone)."""
    import psutil

    try:
        return int(psutil.Process(pid).memory_info().rss)
    except psutil.Error:
        return 0


def _own_high_water_mark() -> int:
    try:
        for line in (_PROC_SELF / "status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


class PeakMemory:
    """Context manager measuring peak RSS (MB) of this process tree while a block runs."""

    def __init__(self, interval: float = 0.05, rescan: float = 0.25) -> None:
        self.interval = interval
        self.rescan = rescan
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def peak_mb(self) -> float:
        return round(self.peak_bytes / 2**20, 1)

    def _sample(self) -> None:
        pids = descendants(os.getpid())
        since_scan = 0.0
        while True:
            self.peak_bytes = max(self.peak_bytes, sum(rss_bytes(pid) for pid in pids))
            if self._stop.wait(self.interval):
                return
            since_scan += self.interval
            if since_scan >= self.rescan:
                pids, since_scan = descendants(os.getpid()), 0.0

    def __enter__(self) -> "PeakMemory":
        try:  # "5" resets this process's VmHWM (Linux >= 4.0)
            (_PROC_SELF / "clear_refs").write_text("5")
        except OSError:
            pass
        self._thread = threading.Thread(target=self._sample, daemon=True,
                                        name="rewardkit-bench-memory")
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.peak_bytes = max(self.peak_bytes, _own_high_water_mark())
