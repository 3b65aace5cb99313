"""Build one variant in this process: ``python -m bench.child VARIANT COUNT OUTDIR``.

The runner starts a fresh interpreter with this module for every measured
run, so that each figure includes start-up. Only the chosen variant's modules
are imported, so the PyYAML baseline never loads cdk8s, jsii or Node.js.

After the build, this process prints one JSON line to stdout: the peak RSS
(``VmHWM``) of itself and of each descendant that is still running, which
for the jsii variants are the two Node.js processes.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path

VARIANTS = {
    "library": "bench.library_app",
    "library-netpol": "bench.library_netpol_app",
    "cdk8s-plus": "bench.plus_app",
    "pyyaml": "bench.plain",
    "empty-app": "bench.empty_app",
    "project": "bench.project_app",
}
"""Variant name to the module whose ``build(count, outdir)`` runs it."""


def main(argv: list[str]) -> int:
    variant, count, outdir = argv[0], int(argv[1]), Path(argv[2])
    module = importlib.import_module(VARIANTS[variant])
    module.build(count, outdir)
    print(json.dumps({"peak_rss_kib": peak_rss_kib()}))
    return 0


def peak_rss_kib() -> dict[str, int]:
    """Return ``VmHWM`` in KiB of this process and each of its live descendants, by pid.

    ``VmHWM`` restarts at ``exec``, unlike ``ru_maxrss`` of a child, which keeps
    the RSS that the child had when it was forked from the benchmark runner.
    """
    peaks: dict[str, int] = {}
    pending = [os.getpid()]
    while pending:
        pid = pending.pop()
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as stream:
                for line in stream:
                    if line.startswith("VmHWM:"):
                        peaks[str(pid)] = int(line.split()[1])
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as stream:
                    pending.extend(int(child) for child in stream.read().split())
        except FileNotFoundError:  # the process exited while being read
            continue
    return peaks


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
