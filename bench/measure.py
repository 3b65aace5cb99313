"""Run one variant in a fresh interpreter and measure its time and memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True, slots=True)
class Measurement:
    """One run of one variant."""

    wall_s: float
    """Wall time from start to exit of the child interpreter, in seconds."""
    cpu_s: float
    """User plus system CPU time of the child and the processes it waited for
    (its Node.js processes), in seconds."""
    max_rss_kib: int
    """Peak RSS of the largest single process (Python or one of its Node.js
    processes), in KiB."""
    sum_rss_kib: int
    """Sum of the peak RSS of every process of the run, in KiB. An upper bound
    of the run's memory, because the processes need not peak at the same time."""


def run_variant(variant: str, count: int, outdir: Path) -> Measurement:
    """Build ``count`` apps with ``variant`` into ``outdir`` in a fresh interpreter.

    Raises:
        RuntimeError: the child exited with a non-zero status; its stderr is included.
    """
    command = [sys.executable, "-m", "bench.child", variant, str(count), str(outdir)]
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout, stderr = child.communicate()
    wall = time.perf_counter() - start
    if child.returncode != 0:
        raise RuntimeError(
            f"{variant} with {count} apps failed with exit status {child.returncode}:\n"
            + stderr.decode(errors="replace")
        )
    peaks = json.loads(stdout.decode().strip().splitlines()[-1])["peak_rss_kib"]
    return Measurement(
        wall_s=wall,
        cpu_s=_children_cpu_s(),
        max_rss_kib=max(peaks.values()),
        sum_rss_kib=sum(peaks.values()),
    )


_cpu_seen = 0.0


def _children_cpu_s() -> float:
    """Return the CPU time of children reaped since the last call, in seconds."""
    global _cpu_seen  # noqa: PLW0603 - RUSAGE_CHILDREN only grows, so keep the last total
    usage = os.times()
    total = usage.children_user + usage.children_system
    spent = total - _cpu_seen
    _cpu_seen = total
    return spent
