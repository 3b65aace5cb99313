"""Synthesize apps into a staging directory, then publish it as dist/ in one step.

``cdk8s synth`` deletes its output directory before it runs the app, so a
failing app would leave no manifests at all. :func:`synth_and_publish` writes
into a staging directory instead and replaces the published directory only
after every app synthesized, so a failed run leaves the previous manifests in
place and a successful one leaves exactly the current ones.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from cdk8s import App

__all__ = ["STAGING_ENV", "synth_and_publish"]

STAGING_ENV = "CDK8S_OUTDIR"
"""Variable through which ``cdk8s synth`` passes its output directory."""

BuildApps = Callable[[Path], Sequence[App]]


def synth_and_publish(build: BuildApps, dist: Path, staging: Path | None = None) -> list[Path]:
    """Build and synthesize every app, then replace ``dist`` with the result.

    Args:
        build: Creates the apps, each with its ``outdir`` inside the directory
            it receives.
        dist: Directory to publish to, such as ``dist``.
        staging: Where to synthesize. Default: ``$CDK8S_OUTDIR`` when the cdk8s
            CLI runs the app, else a temporary directory. Its manifests are
            left there, because the CLI lists them after the run.

    Returns:
        The published manifest files, relative to ``dist``, sorted.

    Raises:
        Whatever ``build`` or synthesis raises; ``dist`` is then unchanged.
    """
    if staging is None:
        from_cli = os.environ.get(STAGING_ENV)
        staging = Path(from_cli) if from_cli else Path(tempfile.mkdtemp(prefix="synth-"))
    staging = staging.resolve()
    dist = dist.resolve()
    if staging == dist:
        raise ValueError(
            f"staging directory {staging} must differ from the published directory, "
            "because publishing replaces the published directory"
        )
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)

    for app in build(staging):
        app.synth()

    # Copy next to dist so the final renames stay on one filesystem.
    dist.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{dist.name}-new-", dir=dist.parent))
    fresh.chmod(0o755)
    shutil.copytree(staging, fresh, dirs_exist_ok=True)
    _swap(fresh, dist)
    return sorted(path.relative_to(dist) for path in dist.rglob("*.yaml"))


def _swap(fresh: Path, dist: Path) -> None:
    """Replace ``dist`` with ``fresh``; ``dist`` is missing only between two renames."""
    if not dist.exists():
        fresh.rename(dist)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{dist.name}-old-", dir=dist.parent))
    old.rmdir()
    dist.rename(old)
    fresh.rename(dist)
    shutil.rmtree(old)
