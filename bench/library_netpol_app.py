"""The library variant with its default NetworkPolicy per app, as extra information.

Its output has one NetworkPolicy per app more than the other variants, so the
runner checks it against the baseline's kinds plus those NetworkPolicies.
"""

from __future__ import annotations

from pathlib import Path

from bench import library_app

add_apps = library_app.add_apps_with_policies


def build(count: int, outdir: Path) -> None:
    """Synthesize ``count`` apps, each with its NetworkPolicy, into ``outdir``."""
    library_app.build(count, outdir, network_policy=True)
