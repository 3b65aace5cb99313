"""Immutable fields stay byte-stable: rebuilding, or changing image, replicas or env, keeps them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cdk8s import App, Chart

from charts.staafu import StaafuChart, StaafuSettings
from constructs_lib import StatelessApp
from constructs_lib.testing import IMMUTABLE_FIELDS, synth_manifests
from tests.manifests import Manifest, all_built_manifests


def _field(manifest: Manifest, dotted: str) -> Any:
    value: Any = manifest
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def immutable_parts(manifests: list[Manifest]) -> dict[str, str]:
    """Return each object's immutable fields as canonical JSON, keyed by kind/name."""
    parts = {}
    for manifest in manifests:
        fields = IMMUTABLE_FIELDS.get(manifest["kind"], ())
        chosen = {field: _field(manifest, field) for field in fields}
        chosen = {field: value for field, value in chosen.items() if value is not None}
        if chosen:
            key = f"{manifest['kind']}/{manifest['metadata']['name']}"
            parts[key] = json.dumps(chosen, sort_keys=True)
    return parts


def test_build_is_deterministic(tmp_path: Path) -> None:
    first = all_built_manifests(tmp_path / "first")
    second = all_built_manifests(tmp_path / "second")
    assert json.dumps(first) == json.dumps(second)


def test_built_workloads_have_immutable_fields(tmp_path: Path) -> None:
    parts = immutable_parts(all_built_manifests(tmp_path))
    assert parts, "main.build() produced no workload with a selector"


def test_built_selectors_match_templates(tmp_path: Path) -> None:
    for manifest in all_built_manifests(tmp_path):
        selector = _field(manifest, "spec.selector.matchLabels")
        labels = _field(manifest, "spec.template.metadata.labels")
        if selector is None or labels is None:
            continue
        assert selector.items() <= labels.items(), manifest["metadata"]["name"]


@pytest.mark.parametrize(
    "settings",
    [
        StaafuSettings(image="ghcr.io/example/staafu:2.0.1"),
        StaafuSettings(replicas=5),
        StaafuSettings(image="ghcr.io/example/staafu@sha256:" + "b" * 64, replicas=1),
        StaafuSettings(public_port=8443),
    ],
    ids=["image", "replicas", "digest", "port"],
)
def test_staafu_settings_keep_immutable_fields(settings: StaafuSettings) -> None:
    before = synth_manifests(StaafuChart(App(), "staafu", StaafuSettings()))
    after = synth_manifests(StaafuChart(App(), "staafu", settings))
    assert immutable_parts(before) == immutable_parts(after)


def stateless_app_manifests(**props: Any) -> list[Manifest]:
    chart = Chart(App(), "test", disable_resource_name_hashes=True)
    arguments: dict[str, Any] = {"name": "web", "image": "ghcr.io/example/web:1.0.0", **props}
    StatelessApp(chart, "web", **arguments)
    return synth_manifests(chart)


@pytest.mark.parametrize(
    "props",
    [
        {"image": "ghcr.io/example/web:2.0.0"},
        {"replicas": 7},
        {"env": {"MODE": "debug", "LEVEL": "3"}},
        {"image": "ghcr.io/example/web:2.0.0", "replicas": 0, "env": {"A": "b"}},
        {"version": "2.0.0", "labels": {"team": "blue"}, "component": "api"},
    ],
    ids=["image", "replicas", "env", "all", "mutable-labels"],
)
def test_stateless_app_inputs_keep_selector(props: dict[str, Any]) -> None:
    before = stateless_app_manifests()
    after = stateless_app_manifests(**props)
    assert immutable_parts(before) == immutable_parts(after)
    assert immutable_parts(before)
