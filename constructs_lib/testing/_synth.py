"""Synthesize a chart in memory, as ``cdk8s synth`` would write it."""

from __future__ import annotations

from typing import Any

from cdk8s import Chart, Testing

from constructs_lib._uniqueness import check_unique_objects
from constructs_lib._yaml import dump_manifests

Manifest = dict[str, Any]


def synth_manifests(chart: Chart) -> list[Manifest]:
    """Return the chart's objects in output order, as plain dicts.

    Raises:
        DuplicateObjectError: two objects have the same kind, namespace and
            name, as :func:`constructs_lib.output.synth_app` would report.
    """
    documents: list[Manifest] = Testing.synth(chart)
    check_unique_objects(documents, f"chart {chart.node.id!r}")
    return documents


def synth_yaml(chart: Chart) -> str:
    """Return the chart as the multi-document YAML text that ``synth_app`` writes."""
    return dump_manifests(synth_manifests(chart))
