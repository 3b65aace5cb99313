"""Start-up of this repository: synthesize every chart that ``main.py`` defines."""

from __future__ import annotations

from pathlib import Path

import main


def build(count: int, outdir: Path) -> None:
    """Synthesize main.py's apps into ``outdir``, as ``make synth`` does; ``count`` is ignored."""
    for app in main.build(outdir):
        app.synth()
