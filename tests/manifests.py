"""Access to every manifest this repository synthesizes, for checks that cover all charts.

The checks iterate over what ``main.build()`` produces, so a chart added to
``main.py`` is covered without touching the tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import main

Manifest = dict[str, Any]

WORKLOAD_KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"})
"""Kinds whose pod template is at ``spec.template``."""


@dataclass(frozen=True)
class PodTemplate:
    """A pod spec found in a manifest, with where it was found."""

    where: str
    """``Kind/name``, for messages."""
    metadata: Manifest
    spec: Manifest


def built_manifests(outdir: Path) -> dict[str, list[Manifest]]:
    """Return each chart's manifests from ``main.build(outdir)``, keyed by chart path."""
    charts: dict[str, list[Manifest]] = {}
    for app in main.build(outdir):
        for chart in app.charts:
            charts[chart.node.path] = list(chart.to_json())
    return charts


def all_built_manifests(outdir: Path) -> list[Manifest]:
    """Return the manifests of every chart of ``main.build(outdir)``, in order."""
    return [m for manifests in built_manifests(outdir).values() for m in manifests]


def pod_templates(manifest: Manifest) -> Iterator[PodTemplate]:
    """Yield the pod spec of a Pod, a workload or a CronJob; nothing for other kinds."""
    kind = manifest.get("kind")
    where = f"{kind}/{manifest.get('metadata', {}).get('name')}"
    if kind == "Pod":
        yield PodTemplate(where, manifest.get("metadata", {}), manifest["spec"])
    elif kind in WORKLOAD_KINDS:
        template = manifest["spec"]["template"]
        yield PodTemplate(where, template.get("metadata", {}), template["spec"])
    elif kind == "CronJob":
        template = manifest["spec"]["jobTemplate"]["spec"]["template"]
        yield PodTemplate(where, template.get("metadata", {}), template["spec"])
