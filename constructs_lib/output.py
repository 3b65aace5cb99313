"""Synthesize apps into a staging directory, then publish it as dist/ in one step.

``cdk8s synth`` deletes its output directory before it runs the app, so a
failing app would leave no manifests at all. :func:`synth_and_publish` writes
into a staging directory instead and replaces the published directory only
after every app synthesized, so a failed run leaves the previous manifests in
place and a successful one leaves exactly the current ones.

Every manifest file is written by :func:`constructs_lib._yaml.dump_manifests`
rather than by cdk8s's YAML writer, so strings such as ``=`` or ``0o17`` load
back as strings (see :mod:`constructs_lib._yaml`). :func:`synth_app` does the
same for a single app without staging.

With the default output type and no dependencies between charts,
:func:`synth_app` validates the app and writes its files without
``app.synth()``, so no YAML is rendered in Node.js. Any other app is
synthesized by ``app.synth()``, and each file is then mapped back to its
documents and written again.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from cdk8s import App, Yaml

from constructs_lib._render import ChartFile, chart_files, chart_manifests
from constructs_lib._uniqueness import check_unique_objects
from constructs_lib._yaml import dump_manifests
from constructs_lib.errors import OutputError

__all__ = ["STAGING_ENV", "BuildApps", "synth_and_publish", "synth_app"]

STAGING_ENV = "CDK8S_OUTDIR"
"""Variable through which ``cdk8s synth`` passes its output directory."""

BuildApps = Callable[[Path], Sequence[App]]
"""Creates the apps to synthesize, each with its ``outdir`` inside the given directory."""
Manifest = dict[str, Any]


def synth_app(app: App) -> list[Path]:
    """Synthesize ``app`` into its ``outdir``, each file written by the safe writer.

    Use this in place of ``app.synth()``. The files have the names and
    documents that ``app.synth()`` gives them, whatever the app's
    ``yaml_output_type``. For the default ``FILE_PER_CHART`` with no
    dependencies between charts, the files are written here directly, after
    the construct validation that ``app.synth()`` runs.

    Returns:
        The files written, sorted.

    Raises:
        DuplicateObjectError: two objects of the app have the same kind,
            namespace and name, or a chart's namespace is invalid. With the
            default output type no file is then written. With another,
            ``app.synth()`` has written the files, which are not rewritten.
        OutputError: cdk8s failed to synthesize, for example because a
            construct's validation failed, or ``outdir`` contains a manifest
            file of no chart, such as a file left there by hand.
    """
    try:
        planned = chart_files(app)
        if planned is None:
            app.synth()
    except RuntimeError as err:
        # jsii raises RuntimeError for every JavaScript error.
        raise OutputError(f"cdk8s failed to synthesize the app: {err}") from err
    if planned is None:
        return _rewrite_manifests(app)
    if planned.errors:
        # The message of app.synth() in cdk8s 2.70 for the same errors.
        errors = "\n  ".join(planned.errors)
        raise OutputError(
            "cdk8s failed to synthesize the app: "
            f"Validation failed with the following errors:\n  {errors}"
        )
    return _write_chart_files(app, planned.files)


def _write_chart_files(app: App, files: list[ChartFile]) -> list[Path]:
    check_unique_objects(
        (document for file in files for document in file.documents), f"app {app.outdir!r}"
    )
    outdir = Path(app.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    # Written in chart order, so that of two charts with the same file name
    # the later one wins, as with app.synth().
    for file in files:
        (outdir / file.name).write_text(dump_manifests(file.documents), encoding="utf-8")

    expected = {outdir / file.name for file in files}
    written = sorted(outdir.rglob(f"*{app.output_file_extension}"))
    for path in written:
        if path not in expected:
            raise OutputError(
                f"{path} is not the file of any chart of the app. "
                f"Remove other files from {outdir} and synthesize again."
            )
    return written


def _rewrite_manifests(app: App) -> list[Path]:
    # cdk8s writes each file as Yaml.stringify of one chart's documents, of
    # every chart's documents or of a single document, depending on the output
    # type. Matching the file text to those renderings maps each file back to
    # its documents without copying cdk8s's file naming. The per-chart
    # renderings cover the default output type and cost one jsii request.
    # The others cost a request per document, so they are made only when a
    # file matches no chart.
    charts = chart_manifests(app)
    check_unique_objects(
        (document for documents, _ in charts for document in documents), f"app {app.outdir!r}"
    )
    renderings: dict[str, list[Manifest]] = {text: documents for documents, text in charts}
    complete = False

    outdir = Path(app.outdir)
    written = sorted(outdir.rglob(f"*{app.output_file_extension}"))
    for path in written:
        text = path.read_text(encoding="utf-8")
        if text not in renderings and not complete:
            renderings.update(_other_renderings(charts))
            complete = True
        matched = renderings.get(text)
        if matched is None:
            raise OutputError(
                f"{path} does not hold the documents of any chart of the app, so it cannot be "
                f"rewritten safely. Remove other files from {outdir} and synthesize again."
            )
        path.write_text(dump_manifests(matched), encoding="utf-8")
    return written


def _other_renderings(charts: list[tuple[list[Manifest], str]]) -> dict[str, list[Manifest]]:
    """Return the renderings of each single document and of every chart's documents together."""
    renderings: dict[str, list[Manifest]] = {}
    every_document: list[Manifest] = []
    for documents, _ in charts:
        every_document.extend(documents)
        for document in documents:
            renderings[Yaml.stringify(document)] = [document]
    renderings[Yaml.stringify(*every_document)] = every_document
    return renderings


def synth_and_publish(build: BuildApps, dist: Path, staging: Path | None = None) -> list[Path]:
    """Build and synthesize every app, then replace ``dist`` with the result.

    Args:
        build: Creates the apps, each with its ``outdir`` inside the directory
            it receives.
        dist: Directory to publish to, such as ``dist``.
        staging: Where to synthesize. Default: ``$CDK8S_OUTDIR`` when the cdk8s
            CLI runs the app, else a temporary directory that is removed
            afterwards. Manifests in ``$CDK8S_OUTDIR`` are left there, because
            the CLI lists them after the run.

    Returns:
        The published manifest files, relative to ``dist``, sorted.

    Raises:
        Whatever ``build`` or synthesis raises; ``dist`` is then unchanged.
    """
    temporary = False
    if staging is None:
        from_cli = os.environ.get(STAGING_ENV)
        temporary = not from_cli
        staging = Path(from_cli) if from_cli else Path(tempfile.mkdtemp(prefix="synth-"))
    staging = staging.resolve()
    dist = dist.resolve()
    if staging == dist:
        raise ValueError(
            f"staging directory {staging} must differ from the published directory, "
            "because publishing replaces the published directory"
        )
    try:
        return _stage_and_publish(build, dist, staging)
    finally:
        if temporary:
            shutil.rmtree(staging, ignore_errors=True)


def _stage_and_publish(build: BuildApps, dist: Path, staging: Path) -> list[Path]:
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)

    for app in build(staging):
        synth_app(app)

    # Copy next to dist so the final renames stay on one filesystem.
    dist.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{dist.name}-new-", dir=dist.parent))
    try:
        fresh.chmod(0o755)
        shutil.copytree(staging, fresh, dirs_exist_ok=True)
        _swap(fresh, dist)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return sorted(path.relative_to(dist) for path in dist.rglob("*.yaml"))


def _swap(fresh: Path, dist: Path) -> None:
    """Replace ``dist`` with ``fresh``; ``dist`` is missing only between two renames."""
    if not dist.exists():
        fresh.rename(dist)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{dist.name}-old-", dir=dist.parent))
    old.rmdir()
    dist.rename(old)
    try:
        fresh.rename(dist)
    except OSError:
        old.rename(dist)
        raise
    shutil.rmtree(old)
