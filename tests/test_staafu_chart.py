"""The staafu chart: objects, wiring, schema validity and a YAML snapshot."""

from __future__ import annotations

from pathlib import Path

from cdk8s import App
from syrupy.assertion import SnapshotAssertion

from charts.staafu import StaafuChart, StaafuSettings
from constructs_lib.testing import (
    assert_immutable_fields_unchanged,
    assert_workload_basics,
    synth_manifests,
    synth_yaml,
)
from tests.netpol import allowed_connections, surrounding_nodes, workload_nodes
from tests.schema import schema_errors

SNAPSHOT = Path(__file__).parent / "__snapshots__" / "test_staafu_chart" / "test_yaml_snapshot.yaml"


def test_objects_are_policy_deployment_and_two_services(app: App) -> None:
    manifests = synth_manifests(StaafuChart(app, "staafu", StaafuSettings()))
    kinds = [(m["kind"], m["metadata"]["name"]) for m in manifests]
    assert kinds == [
        ("NetworkPolicy", "staafu"),
        ("Deployment", "staafu"),
        ("Service", "staafu"),
        ("Service", "staafu-public"),
    ]


def test_services_reach_the_deployment(app: App) -> None:
    manifests = synth_manifests(StaafuChart(app, "staafu", StaafuSettings()))
    _, deployment, internal, public = manifests
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    port_names = {
        p["name"] for p in deployment["spec"]["template"]["spec"]["containers"][0]["ports"]
    }
    assert internal["spec"]["type"] == "ClusterIP"
    assert public["spec"]["type"] == "LoadBalancer"
    for service in (internal, public):
        assert service["spec"]["selector"].items() <= pod_labels.items()
        assert {p["targetPort"] for p in service["spec"]["ports"]} <= port_names


def test_settings_change_image_and_replicas(app: App) -> None:
    settings = StaafuSettings(image="ghcr.io/example/staafu:2.0.1", replicas=3)
    deployment = synth_manifests(StaafuChart(app, "staafu", settings))[1]
    assert deployment["spec"]["replicas"] == 3
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "ghcr.io/example/staafu:2.0.1"


def test_policy_admits_nginx_port_from_anywhere(app: App) -> None:
    manifests = synth_manifests(StaafuChart(app, "staafu", StaafuSettings()))
    workloads = workload_nodes(manifests)
    nodes = [*workloads, *surrounding_nodes(None)]
    outside = {node.name for node in nodes} - {"staafu"}
    assert allowed_connections(manifests, nodes, workloads) == {
        *((source, "staafu", 8080, "TCP") for source in outside),
        ("staafu", "kube-dns", 53, "UDP"),
        ("staafu", "kube-dns", 53, "TCP"),
    }


def test_network_policy_can_be_turned_off(app: App) -> None:
    settings = StaafuSettings(network_policy=False)
    kinds = [m["kind"] for m in synth_manifests(StaafuChart(app, "staafu", settings))]
    assert kinds == ["Deployment", "Service", "Service"]


def test_passes_strict_schema(app: App) -> None:
    manifests = synth_manifests(StaafuChart(app, "staafu", StaafuSettings()))
    assert schema_errors(manifests) == []


def test_workloads_have_probes_resources_non_root(app: App) -> None:
    assert_workload_basics(synth_manifests(StaafuChart(app, "staafu", StaafuSettings())))


def test_immutable_fields_match_snapshot(app: App) -> None:
    """Selectors must match the reviewed snapshot, because the API server rejects changing them.

    Syrupy rewrites snapshots only when the session ends, so under
    ``--snapshot-update`` this still compares with the stored file.
    """
    current = synth_yaml(StaafuChart(app, "staafu", StaafuSettings("ghcr.io/example/staafu:9.9.9")))
    assert_immutable_fields_unchanged(SNAPSHOT.read_text(encoding="utf-8"), current)


def test_yaml_snapshot(app: App, yaml_snapshot: SnapshotAssertion) -> None:
    assert synth_yaml(StaafuChart(app, "staafu", StaafuSettings())) == yaml_snapshot
