"""Synthesize a chart in memory, as ``cdk8s synth`` would write it."""

from __future__ import annotations

from typing import Any

from cdk8s import Chart, Testing

from constructs_lib._yaml import dump_manifests

Manifest = dict[str, Any]


def synth_manifests(chart: Chart) -> list[Manifest]:
    """Return the chart's objects in output order, as plain dicts."""
    documents: list[Manifest] = Testing.synth(chart)
    return documents


def synth_yaml(chart: Chart) -> str:
    """Return the chart as the multi-document YAML text that ``synth_app`` writes."""
    return dump_manifests(synth_manifests(chart))
