"""ExposedService: the Service it renders and the props it rejects."""

from __future__ import annotations

from typing import Any

import pytest
from cdk8s import Chart

from constructs_lib import (
    ContainerPort,
    ExposedService,
    InvalidPropError,
    ServicePort,
    ServiceType,
    StatelessApp,
)
from constructs_lib.testing import synth_manifests
from tests.schema import schema_errors


def web_app(chart: Chart) -> StatelessApp:
    return StatelessApp(
        chart,
        "web",
        name="web",
        image="ghcr.io/example/web:1.4.2",
        ports=[ContainerPort("http", 8080), ContainerPort("metrics", 9090)],
    )


def services_of(chart: Chart) -> dict[str, dict[str, Any]]:
    return {m["metadata"]["name"]: m for m in synth_manifests(chart) if m["kind"] == "Service"}


def test_defaults_expose_every_port_as_cluster_ip(chart: Chart) -> None:
    ExposedService(chart, "svc", app=web_app(chart), name="web")
    spec = services_of(chart)["web"]["spec"]
    assert spec["type"] == "ClusterIP"
    assert spec["ports"] == [
        {"name": "http", "port": 8080, "targetPort": "http", "protocol": "TCP"},
        {"name": "metrics", "port": 9090, "targetPort": "metrics", "protocol": "TCP"},
    ]


def test_selector_is_identity_labels(chart: Chart) -> None:
    ExposedService(chart, "svc", app=web_app(chart), name="web")
    service = services_of(chart)["web"]
    assert service["spec"]["selector"] == {
        "app.kubernetes.io/name": "web",
        "app.kubernetes.io/instance": "web",
    }
    assert service["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "cdk8s"


def test_load_balancer_with_chosen_port(chart: Chart) -> None:
    ExposedService(
        chart,
        "public",
        app=web_app(chart),
        name="web-public",
        service_type=ServiceType.LOAD_BALANCER,
        ports=[ServicePort("http", port=80)],
    )
    spec = services_of(chart)["web-public"]["spec"]
    assert spec["type"] == "LoadBalancer"
    assert spec["ports"] == [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}]


def test_node_port_is_rendered(chart: Chart) -> None:
    ExposedService(
        chart,
        "node",
        app=web_app(chart),
        name="web-node",
        service_type=ServiceType.NODE_PORT,
        ports=[ServicePort("http", port=80, node_port=30080)],
    )
    port = services_of(chart)["web-node"]["spec"]["ports"][0]
    assert port["nodePort"] == 30080


def test_port_number_looks_up_by_target(chart: Chart) -> None:
    service = ExposedService(
        chart, "svc", app=web_app(chart), name="web", ports=[ServicePort("http", port=80)]
    )
    assert service.port_number("http") == 80
    with pytest.raises(KeyError, match="metrics"):
        service.port_number("metrics")


def test_services_pass_strict_schema(chart: Chart) -> None:
    app = web_app(chart)
    ExposedService(chart, "svc", app=app, name="web")
    ExposedService(
        chart, "public", app=app, name="web-public", service_type=ServiceType.LOAD_BALANCER
    )
    assert schema_errors(synth_manifests(chart)) == []


@pytest.mark.parametrize(
    ("props", "prop", "fragment"),
    [
        ({"name": "1web"}, "name", "start with a letter"),
        ({"name": "web.public"}, "name", "alphanumeric"),
        ({"ports": [ServicePort("admin")]}, "ports[0].target", "not a container port"),
        ({"ports": [ServicePort("http", port=70000)]}, "ports[0].port", "between 1 and 65535"),
        ({"ports": [ServicePort("http", node_port=30080)]}, "ports[0].node_port", "only for"),
        (
            {
                "service_type": ServiceType.NODE_PORT,
                "ports": [ServicePort("http", node_port=8080)],
            },
            "ports[0].node_port",
            "30000-32767",
        ),
        (
            {"ports": [ServicePort("http", port=80), ServicePort("metrics", port=80)]},
            "ports",
            "used twice",
        ),
        ({"service_type": "ClusterIP"}, "service_type", "must be a ServiceType"),
    ],
)
def test_bad_prop_raises_clear_error(
    chart: Chart, props: dict[str, Any], prop: str, fragment: str
) -> None:
    app = web_app(chart)
    arguments: dict[str, Any] = {"app": app, "name": "web", **props}
    with pytest.raises(InvalidPropError) as caught:
        ExposedService(chart, "svc", **arguments)
    assert caught.value.construct == "ExposedService"
    assert caught.value.prop == prop
    assert fragment in str(caught.value)
