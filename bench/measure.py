"""Run one variant in a fresh interpreter and measure its wall time and memory."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_INTERVAL_S = 0.02
"""Period of the process-tree RSS sampler, in seconds."""

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True, slots=True)
class Measurement:
    """One run of one variant."""

    wall_s: float
    """Wall time from start to exit of the child interpreter, in seconds."""
    max_rss_kib: int
    """``ru_maxrss`` from ``wait4``: the peak RSS of the largest single process
    (Python or one of its Node.js processes), in KiB."""
    tree_rss_kib: int
    """Peak of the summed RSS of the child and all its descendants, sampled
    every SAMPLE_INTERVAL_S, in KiB. An estimate: it can miss short peaks."""


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    pending = [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except FileNotFoundError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as stream:
                    pending.extend(int(child) for child in stream.read().split())
            except FileNotFoundError:
                continue
    return found


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as stream:
            for line in stream:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


class _TreeSampler(threading.Thread):
    """Samples the summed RSS of a process tree until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kib = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(SAMPLE_INTERVAL_S):
            total = sum(_rss_kib(pid) for pid in _descendants(self.pid))
            self.peak_kib = max(self.peak_kib, total)


def run_variant(variant: str, count: int, outdir: Path) -> Measurement:
    """Build ``count`` apps with ``variant`` into ``outdir`` in a fresh interpreter.

    Raises:
        RuntimeError: the child exited with a non-zero status; its stderr is included.
    """
    command = [sys.executable, "-m", "bench.child", variant, str(count), str(outdir)]
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = _TreeSampler(child.pid)
    sampler.start()
    assert child.stderr is not None
    stderr = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    sampler.stopped.set()
    sampler.join()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(
            f"{variant} with {count} apps failed with exit status {child.returncode}:\n"
            + stderr.decode(errors="replace")
        )
    return Measurement(wall, usage.ru_maxrss, max(sampler.peak_kib, usage.ru_maxrss))
