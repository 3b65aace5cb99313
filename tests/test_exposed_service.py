"""ExposedService: the Service it renders and the props it rejects."""

from __future__ import annotations

from typing import Any

import pytest
from cdk8s import App, Chart

from constructs_lib import (
    ConstructsLibError,
    ContainerPort,
    EnvVars,
    ExposedService,
    InvalidPropError,
    NotFoundError,
    Probe,
    Protocol,
    ServicePort,
    ServiceType,
    StatelessApp,
    WiringError,
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


def policy_ingress(chart: Chart) -> list[dict[str, Any]]:
    (policy,) = [m for m in synth_manifests(chart) if m["kind"] == "NetworkPolicy"]
    rules: list[dict[str, Any]] = policy["spec"]["ingress"]
    return rules


@pytest.mark.parametrize("service_type", [ServiceType.LOAD_BALANCER, ServiceType.NODE_PORT])
def test_external_service_admits_any_source(chart: Chart, service_type: ServiceType) -> None:
    ExposedService(
        chart,
        "public",
        app=web_app(chart),
        name="web-public",
        service_type=service_type,
        ports=[ServicePort("http", port=80)],
    )
    assert policy_ingress(chart) == [{"ports": [{"port": 8080, "protocol": "TCP"}]}]


def test_cluster_ip_admits_nothing(chart: Chart) -> None:
    ExposedService(chart, "svc", app=web_app(chart), name="web")
    assert policy_ingress(chart) == []


def test_app_without_policy_gets_no_rule(chart: Chart) -> None:
    app = StatelessApp(
        chart, "web", name="web", image="ghcr.io/example/web:1.4.2", network_policy=False
    )
    ExposedService(
        chart, "public", app=app, name="web-public", service_type=ServiceType.LOAD_BALANCER
    )
    kinds = [m["kind"] for m in synth_manifests(chart)]
    assert kinds == ["Deployment", "Service"]


def test_endpoint_wires_client_to_app(chart: Chart) -> None:
    service = ExposedService(
        chart, "svc", app=web_app(chart), name="web", ports=[ServicePort("http", port=80)]
    )
    endpoint = service.endpoint("http")
    env = EnvVars(({"name": "API_URL", "value": f"http://{service.dns_name}"},), (endpoint,))
    StatelessApp(
        chart, "client", name="client", image="ghcr.io/example/client:2.0.0", env_from=[env]
    )
    found = {
        m["metadata"]["name"]: m["spec"]
        for m in synth_manifests(chart)
        if m["kind"] == "NetworkPolicy"
    }
    assert endpoint.port == 80
    assert endpoint.target_port == ContainerPort("http", 8080)
    assert found["web"]["ingress"] == [
        {
            "from": [
                {
                    "podSelector": {
                        "matchLabels": {
                            "app.kubernetes.io/name": "client",
                            "app.kubernetes.io/instance": "client",
                        }
                    }
                }
            ],
            "ports": [{"port": 8080, "protocol": "TCP"}],
        }
    ]
    assert found["client"]["egress"][1]["ports"] == [{"port": 8080, "protocol": "TCP"}]


def test_port_number_looks_up_by_target(chart: Chart) -> None:
    service = ExposedService(
        chart, "svc", app=web_app(chart), name="web", ports=[ServicePort("http", port=80)]
    )
    assert service.port_number("http") == 80
    with pytest.raises(KeyError, match="metrics"):
        service.port_number("metrics")


@pytest.mark.parametrize("lookup", ["port_number", "endpoint"])
def test_unknown_port_is_library_error(chart: Chart, lookup: str) -> None:
    service = ExposedService(
        chart, "svc", app=web_app(chart), name="web", ports=[ServicePort("http", port=80)]
    )
    with pytest.raises(NotFoundError) as caught:
        getattr(service, lookup)("metrics")
    assert isinstance(caught.value, ConstructsLibError)
    assert isinstance(caught.value, KeyError)
    assert (
        str(caught.value)
        == "ExposedService 'web' exposes no port named 'metrics'. Its ports: 'http'."
    )


@pytest.mark.parametrize(
    ("first", "second", "protocol"),
    [
        (ServiceType.NODE_PORT, ServiceType.NODE_PORT, Protocol.TCP),
        (ServiceType.NODE_PORT, ServiceType.LOAD_BALANCER, Protocol.TCP),
        (ServiceType.LOAD_BALANCER, ServiceType.LOAD_BALANCER, Protocol.TCP),
        (ServiceType.NODE_PORT, ServiceType.NODE_PORT, Protocol.UDP),
    ],
)
def test_node_port_taken_in_chart(
    chart: Chart, first: ServiceType, second: ServiceType, protocol: Protocol
) -> None:
    app = web_app(chart)
    dns = StatelessApp(
        chart,
        "dns",
        name="dns",
        image="ghcr.io/example/dns:1.0",
        ports=[ContainerPort("dns", 5353, protocol)],
        readiness_probe=None,
        liveness_probe=None,
    )
    ExposedService(
        chart,
        "one",
        app=app,
        name="one",
        service_type=first,
        ports=[ServicePort("http", node_port=30080)],
    )
    with pytest.raises(InvalidPropError) as caught:
        ExposedService(
            chart,
            "two",
            app=dns,
            name="two",
            service_type=second,
            ports=[ServicePort("dns", node_port=30080)],
        )
    assert caught.value.prop == "ports"
    assert "already used by ExposedService 'test/one'" in str(caught.value)
    assert set(services_of(chart)) == {"one"}


def test_node_port_free_in_other_chart(app: App) -> None:
    node_ports = []
    for chart_id in ("staging", "production"):
        chart = Chart(app, chart_id, disable_resource_name_hashes=True)
        ExposedService(
            chart,
            "svc",
            app=web_app(chart),
            name="web",
            service_type=ServiceType.NODE_PORT,
            ports=[ServicePort("http", node_port=30080)],
        )
        (service,) = [m for m in synth_manifests(chart) if m["kind"] == "Service"]
        node_ports.append(service["spec"]["ports"][0]["nodePort"])
    assert node_ports == [30080, 30080]


def test_node_port_free_after_failed_service(chart: Chart) -> None:
    app = web_app(chart)
    with pytest.raises(InvalidPropError):
        ExposedService(
            chart,
            "one",
            app=app,
            name="one",
            service_type=ServiceType.NODE_PORT,
            ports=[ServicePort("http", node_port=30080)],
            annotations={"example.com/a": 1},  # type: ignore[dict-item]
        )
    ExposedService(
        chart,
        "two",
        app=app,
        name="two",
        service_type=ServiceType.NODE_PORT,
        ports=[ServicePort("http", node_port=30080)],
    )
    assert set(services_of(chart)) == {"two"}


@pytest.mark.parametrize(
    ("app_namespace", "service_namespace"),
    [("a", "b"), (None, "b"), ("a", None)],
)
def test_service_in_other_namespace_than_app(
    app: App, app_namespace: str | None, service_namespace: str | None
) -> None:
    app_chart = Chart(app, "apps", namespace=app_namespace, disable_resource_name_hashes=True)
    service_chart = Chart(
        app, "edge", namespace=service_namespace, disable_resource_name_hashes=True
    )
    web = web_app(app_chart)
    with pytest.raises(WiringError, match="selects only pods of its own namespace") as caught:
        ExposedService(service_chart, "svc", app=web, name="web")
    assert "'edge/svc'" in str(caught.value)
    assert "'apps/web'" in str(caught.value)


def test_service_in_app_namespace_of_other_chart(app: App) -> None:
    app_chart = Chart(app, "apps", namespace="a", disable_resource_name_hashes=True)
    service_chart = Chart(app, "edge", namespace="a", disable_resource_name_hashes=True)
    ExposedService(service_chart, "svc", app=web_app(app_chart), name="web")
    assert [m["kind"] for m in synth_manifests(service_chart)] == ["Service"]


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
        (
            {
                "service_type": ServiceType.NODE_PORT,
                "ports": [ServicePort("http", node_port=29999)],
            },
            "ports[0].node_port",
            "30000-32767",
        ),
        (
            {
                "service_type": ServiceType.NODE_PORT,
                "ports": [ServicePort("http", node_port=32768)],
            },
            "ports[0].node_port",
            "30000-32767",
        ),
        (
            {
                "service_type": ServiceType.NODE_PORT,
                "ports": [
                    ServicePort("http", node_port=30080),
                    ServicePort("metrics", node_port=30080),
                ],
            },
            "ports",
            "node port 30080/TCP is used twice",
        ),
        ({"ports": [ServicePort("http", port=0)]}, "ports[0].port", "between 1 and 65535"),
        ({"ports": "http"}, "ports", "must be a list"),
        ({"ports": ["http"]}, "ports[0]", "must be a ServicePort"),
        ({"annotations": {"a/b/c": "x"}}, "annotations", "prefix"),
        ({"annotations": {"x": "y" * 300_000}}, "annotations", "262144 bytes"),
        ({"name": "a" * 64}, "name", "63"),
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


@pytest.mark.parametrize(("node_port", "port"), [(30000, 1), (32767, 65535)])
def test_node_port_boundaries_pass_schema(chart: Chart, node_port: int, port: int) -> None:
    ExposedService(
        chart,
        "node",
        app=web_app(chart),
        name="a" * 63,
        service_type=ServiceType.NODE_PORT,
        ports=[ServicePort("http", port=port, node_port=node_port)],
    )
    assert schema_errors(synth_manifests(chart)) == []


def test_node_port_reused_across_protocols(chart: Chart) -> None:
    dns = StatelessApp(
        chart,
        "dns",
        name="dns",
        image="ghcr.io/example/dns:1.0.0",
        ports=[ContainerPort("dns-tcp", 5353), ContainerPort("dns-udp", 5353, Protocol.UDP)],
        readiness_probe=Probe.tcp(),
        liveness_probe=Probe.tcp(),
    )
    ExposedService(
        chart,
        "svc",
        app=dns,
        name="dns",
        service_type=ServiceType.NODE_PORT,
        ports=[
            ServicePort("dns-tcp", port=53, node_port=30053),
            ServicePort("dns-udp", port=53, node_port=30053),
        ],
    )
    ports = services_of(chart)["dns"]["spec"]["ports"]
    assert [(p["nodePort"], p["protocol"]) for p in ports] == [(30053, "TCP"), (30053, "UDP")]
    assert schema_errors(synth_manifests(chart)) == []
