"""Start-up of this repository: synthesize every chart that ``main.py`` defines."""

from __future__ import annotations

from pathlib import Path

import main
from constructs_lib.output import synth_app


def build(count: int, outdir: Path) -> None:
    """Synthesize main.py's apps into ``outdir`` with the safe YAML writer; ignore ``count``.

    This is what ``make synth`` does, without staging and publishing to dist/.
    """
    for app in main.build(outdir):
        synth_app(app)
