"""RestrictedNamespace: the Namespace and its Pod Security labels."""

from __future__ import annotations

import pytest
from cdk8s import App, Chart

from constructs_lib import InvalidPropError, RestrictedNamespace
from constructs_lib.testing import synth_manifests
from tests.schema import schema_errors


def test_enforces_restricted_profile(chart: Chart) -> None:
    RestrictedNamespace(chart, "ns", name="comic", labels={"team": "comic"})
    (namespace,) = synth_manifests(chart)
    labels = namespace["metadata"]["labels"]
    assert namespace["kind"] == "Namespace"
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"
    assert labels["pod-security.kubernetes.io/enforce-version"] == "latest"
    assert labels["team"] == "comic"


def test_has_no_namespace_in_namespaced_chart(app: App) -> None:
    chart = Chart(app, "comic", namespace="comic", disable_resource_name_hashes=True)
    RestrictedNamespace(chart, "ns", name="comic")
    (namespace,) = synth_manifests(chart)
    assert "namespace" not in namespace["metadata"]
    assert schema_errors([namespace]) == []


@pytest.mark.parametrize(
    ("name", "labels", "prop"),
    [
        ("Comic", None, "name"),
        ("comic.dev", None, "name"),
        ("comic", {"team": "a b"}, "labels['team']"),
        ("comic", {"pod-security.kubernetes.io/enforce": "baseline"}, "labels"),
        ("comic", {"pod-security.kubernetes.io/enforce-version": "v1.30"}, "labels"),
        ("comic", {"app.kubernetes.io/managed-by": "helm"}, "labels"),
    ],
)
def test_bad_prop_raises_clear_error(
    chart: Chart, name: str, labels: dict[str, str] | None, prop: str
) -> None:
    with pytest.raises(InvalidPropError) as caught:
        RestrictedNamespace(chart, "ns", name=name, labels=labels)
    assert caught.value.construct == "RestrictedNamespace"
    assert caught.value.prop == prop
    assert caught.value.fix
    assert synth_manifests(chart) == []
