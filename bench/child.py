"""Build one variant in this process: ``python -m bench.child VARIANT COUNT OUTDIR``.

The runner starts a fresh interpreter with this module for every measured
run, so that each figure includes start-up. Only the chosen variant's modules
are imported, so the PyYAML baseline never loads cdk8s, jsii or Node.js.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

VARIANTS = {
    "library": "bench.library_app",
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
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
