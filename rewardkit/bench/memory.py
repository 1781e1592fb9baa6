"""Peak memory of a bench run: this process plus its worker processes.

On Linux a background thread samples the resident set size (RSS) of this process and of
every process descending from it (the engine's worker processes live under a
forkserver child), and this process's own high-water mark (``VmHWM``, reset at the start
when the kernel allows) covers spikes between samples. Elsewhere the fallback is
``resource.getrusage`` of this process, which is a lifetime maximum.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any

_PROC = Path("/proc")
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in _PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])  # comm may hold spaces
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it."""
    children = _children_map()
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def rss_bytes(pid: int) -> int:
    """Resident set size of `pid` in bytes (0 when it is gone)."""
    try:
        return int((_PROC / str(pid) / "statm").read_text().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _own_high_water_mark() -> int:
    try:
        for line in (_PROC / "self" / "status").read_text().splitlines():
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
        self._linux = (_PROC / "self" / "statm").exists()

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
        if self._linux:
            try:  # "5" resets this process's VmHWM (Linux >= 4.0)
                (_PROC / "self" / "clear_refs").write_text("5")
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
