"""Synthesize a chart in memory, as ``cdk8s synth`` would write it."""

from __future__ import annotations

from typing import Any

from cdk8s import Chart, Testing, Yaml

Manifest = dict[str, Any]


def synth_manifests(chart: Chart) -> list[Manifest]:
    """Return the chart's objects in output order, as plain dicts."""
    documents: list[Manifest] = Testing.synth(chart)
    return documents


def synth_yaml(chart: Chart) -> str:
    """Return the chart as the multi-document YAML text that ``cdk8s synth`` writes."""
    text: str = Yaml.stringify(*synth_manifests(chart))
    return text
