"""The cdk8s app of this repository: synthesizes every chart into dist/.

staafu goes to dist/staafu.k8s.yaml, and comic to dist/<environment>/comic.k8s.yaml
for each environment of charts/environments.py.

Run it through ``make synth`` (which runs ``cdk8s synth``) or directly with
``python main.py``. Either way the manifests are staged first and dist/ is
replaced only when every chart synthesized.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from cdk8s import App

import constructs_lib
from charts.comic import ComicChart
from charts.environments import environments
from charts.staafu import StaafuChart, StaafuSettings
from constructs_lib.output import BuildApps, synth_and_publish

DIST = Path(__file__).resolve().parent / "dist"


def build(outdir: Path) -> Sequence[App]:
    """Create one app per output directory, each holding its charts."""
    app = App(outdir=str(outdir))
    StaafuChart(app, "staafu", StaafuSettings())
    apps = [app]
    for environment in environments():
        environment_app = App(outdir=str(outdir / environment.name))
        ComicChart(environment_app, "comic", environment.comic, namespace=environment.namespace)
        apps.append(environment_app)
    return apps


def main(build_apps: BuildApps = build, dist: Path = DIST) -> int:
    """Synthesize the apps of ``build_apps``, publish them to ``dist`` and return the exit code."""
    try:
        published = synth_and_publish(build_apps, dist)
    except constructs_lib.ConstructsLibError as err:
        print(f"error: {err}", file=sys.stderr)
        print(f"{dist.name}/ was left unchanged.", file=sys.stderr)
        return 1
    # On stderr, because the cdk8s CLI swallows its app's stdout.
    print(f"Published {len(published)} manifest files to {dist.name}/:", file=sys.stderr)
    for manifest in published:
        print(f"  - {dist.name}/{manifest}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
