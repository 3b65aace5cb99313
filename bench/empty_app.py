"""Start-up reference: start jsii, load cdk8s and synthesize an app with no charts."""

from __future__ import annotations

from pathlib import Path

from cdk8s import App


def build(count: int, outdir: Path) -> None:
    """Synthesize an empty app into ``outdir``; ``count`` is ignored."""
    App(outdir=str(outdir)).synth()
