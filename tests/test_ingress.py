"""ExposedService with an Ingress: the Ingress it renders and the settings it rejects."""

from __future__ import annotations

from typing import Any

import pytest
from cdk8s import Chart

from constructs_lib import (
    ContainerPort,
    ExposedService,
    Ingress,
    IngressPath,
    IngressTls,
    InvalidPropError,
    NetworkPeer,
    PathType,
    Protocol,
    ServicePort,
    StatelessApp,
)
from constructs_lib.testing import synth_manifests
from tests.schema import schema_errors


def expose(chart: Chart, ingress: Ingress) -> ExposedService:
    web = StatelessApp(
        chart,
        "web",
        name="web",
        image="ghcr.io/example/web:1.4.2",
        ports=[ContainerPort("http", 8000), ContainerPort("metrics", 9090)],
    )
    return ExposedService(
        chart,
        "svc",
        app=web,
        name="web",
        ports=[ServicePort("http", port=80), ServicePort("metrics")],
        ingress=ingress,
    )


def ingress_of(chart: Chart) -> dict[str, Any]:
    (ingress,) = [m for m in synth_manifests(chart) if m["kind"] == "Ingress"]
    return ingress


def test_defaults_route_host_to_first_port(chart: Chart) -> None:
    expose(chart, Ingress(host="comic.example.com"))
    ingress = ingress_of(chart)
    assert ingress["metadata"]["name"] == "web"
    assert ingress["spec"]["ingressClassName"] == "nginx"
    assert "tls" not in ingress["spec"]
    assert ingress["spec"]["rules"] == [
        {
            "host": "comic.example.com",
            "http": {
                "paths": [
                    {
                        "path": "/",
                        "pathType": "Prefix",
                        "backend": {"service": {"name": "web", "port": {"name": "http"}}},
                    }
                ]
            },
        }
    ]


def test_no_legacy_class_annotation(chart: Chart) -> None:
    expose(chart, Ingress(host="comic.example.com"))
    assert "annotations" not in ingress_of(chart)["metadata"]


def test_paths_with_types_and_ports(chart: Chart) -> None:
    paths = [
        IngressPath("/", PathType.PREFIX),
        IngressPath("/metrics", PathType.EXACT, port="metrics"),
        IngressPath("/api/(v1|v2)", PathType.IMPLEMENTATION_SPECIFIC),
    ]
    expose(chart, Ingress(host="comic.example.com", paths=paths))
    rendered = ingress_of(chart)["spec"]["rules"][0]["http"]["paths"]
    assert [(p["path"], p["pathType"]) for p in rendered] == [
        ("/", "Prefix"),
        ("/metrics", "Exact"),
        ("/api/(v1|v2)", "ImplementationSpecific"),
    ]
    assert rendered[1]["backend"]["service"]["port"] == {"name": "metrics"}


def test_tls_with_cluster_issuer(chart: Chart) -> None:
    tls = IngressTls(secret_name="comic-tls", cluster_issuer="letsencrypt")
    expose(chart, Ingress(host="comic.example.com", tls=tls))
    ingress = ingress_of(chart)
    assert ingress["spec"]["tls"] == [{"hosts": ["comic.example.com"], "secretName": "comic-tls"}]
    assert ingress["metadata"]["annotations"] == {"cert-manager.io/cluster-issuer": "letsencrypt"}


def test_tls_without_issuer_has_no_annotation(chart: Chart) -> None:
    expose(chart, Ingress(host="comic.example.com", tls=IngressTls("comic-tls")))
    assert "annotations" not in ingress_of(chart)["metadata"]


def test_body_size_annotation(chart: Chart) -> None:
    expose(chart, Ingress(host="comic.example.com", proxy_body_size="20m"))
    annotations = ingress_of(chart)["metadata"]["annotations"]
    assert annotations == {"nginx.ingress.kubernetes.io/proxy-body-size": "20m"}


def test_name_class_and_wildcard_host(chart: Chart) -> None:
    expose(chart, Ingress(host="*.example.com", name="web-wild", class_name="internal"))
    ingress = ingress_of(chart)
    assert ingress["metadata"]["name"] == "web-wild"
    assert ingress["spec"]["ingressClassName"] == "internal"
    assert ingress["spec"]["rules"][0]["host"] == "*.example.com"


def policy_ingress(chart: Chart) -> list[dict[str, Any]]:
    (policy,) = [m for m in synth_manifests(chart) if m["kind"] == "NetworkPolicy"]
    rules: list[dict[str, Any]] = policy["spec"]["ingress"]
    return rules


def test_controller_admitted_on_backend_port(chart: Chart) -> None:
    expose(chart, Ingress(host="comic.example.com"))
    assert policy_ingress(chart) == [
        {
            "from": [
                {
                    "namespaceSelector": {
                        "matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}
                    },
                    "podSelector": {
                        "matchLabels": {
                            "app.kubernetes.io/name": "ingress-nginx",
                            "app.kubernetes.io/component": "controller",
                        }
                    },
                }
            ],
            "ports": [{"port": 8000, "protocol": "TCP"}],
        }
    ]


def test_controller_admitted_on_every_routed_port(chart: Chart) -> None:
    paths = [IngressPath("/"), IngressPath("/metrics", port="metrics"), IngressPath("/api")]
    expose(chart, Ingress(host="comic.example.com", paths=paths))
    (rule,) = policy_ingress(chart)
    assert rule["ports"] == [{"port": 8000, "protocol": "TCP"}, {"port": 9090, "protocol": "TCP"}]


def test_custom_controller_peer(chart: Chart) -> None:
    traefik = NetworkPeer(namespace="traefik", pod_labels={"app.kubernetes.io/name": "traefik"})
    expose(chart, Ingress(host="comic.example.com", class_name="traefik", controller=traefik))
    (rule,) = policy_ingress(chart)
    assert rule["from"] == [
        {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "traefik"}},
            "podSelector": {"matchLabels": {"app.kubernetes.io/name": "traefik"}},
        }
    ]


@pytest.mark.parametrize(
    ("service_ports", "paths", "prop"),
    [
        (None, [IngressPath("/", port="dns")], "ingress.paths[0].port"),
        ([ServicePort("dns"), ServicePort("http")], [IngressPath("/")], "ingress.paths[0].port"),
        (None, [IngressPath("/"), IngressPath("/dns", port="dns")], "ingress.paths[1].port"),
    ],
)
def test_ingress_rejects_udp_backend(
    chart: Chart, service_ports: list[ServicePort] | None, paths: list[IngressPath], prop: str
) -> None:
    web = StatelessApp(
        chart,
        "web",
        name="web",
        image="ghcr.io/example/web:1.4.2",
        ports=[ContainerPort("http", 8000), ContainerPort("dns", 5353, Protocol.UDP)],
    )
    with pytest.raises(InvalidPropError) as caught:
        ExposedService(
            chart,
            "svc",
            app=web,
            name="web",
            ports=service_ports,
            ingress=Ingress(host="a.com", paths=paths),
        )
    assert caught.value.prop == prop
    assert "'dns', which is UDP, not TCP" in str(caught.value)


def test_ingress_passes_strict_schema(chart: Chart) -> None:
    tls = IngressTls(secret_name="comic-tls", cluster_issuer="letsencrypt")
    expose(chart, Ingress(host="comic.example.com", tls=tls, proxy_body_size="0"))
    assert schema_errors(synth_manifests(chart)) == []


@pytest.mark.parametrize(
    ("ingress", "prop", "fragment"),
    [
        (Ingress(host="Comic.example.com"), "ingress.host", "lower case"),
        (Ingress(host="comic..example.com"), "ingress.host", "alphanumeric"),
        (Ingress(host="*.*.example.com"), "ingress.host", "after '*.' must be a DNS subdomain"),
        (Ingress(host="10.0.0.1"), "ingress.host", "not an IP address"),
        (Ingress(host="a.com", paths=[]), "ingress.paths", "non-empty"),
        (Ingress(host="a.com", paths=[IngressPath("media")]), "ingress.paths[0].path", "'/'"),
        (Ingress(host="a.com", paths=[IngressPath("/a//b")]), "ingress.paths[0].path", "'//'"),
        (
            Ingress(host="a.com", paths=[IngressPath("/media/..", PathType.EXACT)]),
            "ingress.paths[0].path",
            "must not",
        ),
        (
            Ingress(host="a.com", paths=[IngressPath("/(.*)")]),
            "ingress.paths[0].path",
            "ingress-nginx",
        ),
        (
            Ingress(host="a.com", paths=[IngressPath("/", path_type="Prefix")]),  # type: ignore[arg-type]
            "ingress.paths[0].path_type",
            "PathType",
        ),
        (
            Ingress(host="a.com", paths=[IngressPath("/"), IngressPath("/")]),
            "ingress.paths[1].path",
            "twice",
        ),
        (
            Ingress(host="a.com", paths=[IngressPath("/", port="admin")]),
            "ingress.paths[0].port",
            "not a port",
        ),
        (Ingress(host="a.com", class_name="Nginx_Internal"), "ingress.class_name", "lower case"),
        (Ingress(host="a.com", name="Web"), "ingress.name", "lower case"),
        (Ingress(host="a.com", proxy_body_size="20MB"), "ingress.proxy_body_size", "nginx size"),
        (Ingress(host="a.com", proxy_body_size="-1"), "ingress.proxy_body_size", "nginx size"),
        (
            Ingress(host="a.com", tls=IngressTls("Comic_TLS")),
            "ingress.tls.secret_name",
            "lower case",
        ),
        (
            Ingress(host="a.com", tls=IngressTls("tls", cluster_issuer="Lets Encrypt")),
            "ingress.tls.cluster_issuer",
            "lower case",
        ),
        (
            Ingress(host="a.com", annotations={"kubernetes.io/ingress.class": "nginx"}),
            "ingress.annotations",
            "deprecated",
        ),
        (Ingress(host="a.com", controller=NetworkPeer()), "ingress.controller", "selects nothing"),
        ("comic.example.com", "ingress", "must be an Ingress"),
        (
            Ingress(host="a.com", annotations={"example.com/a": "\ud800"}),
            "ingress.annotations",
            "lone surrogate",
        ),
        (
            Ingress(host="a.com", annotations={"example.com/timeout": 60}),  # type: ignore[dict-item]
            "ingress.annotations",
            "must be a string",
        ),
        (
            Ingress(host="a.com", paths=[IngressPath("/a\x00", PathType.IMPLEMENTATION_SPECIFIC)]),
            "ingress.paths[0].path",
            "NUL",
        ),
        (
            Ingress(host="a.com", paths=[IngressPath("/\ud800", PathType.IMPLEMENTATION_SPECIFIC)]),
            "ingress.paths[0].path",
            "lone surrogate",
        ),
        (
            Ingress(host="a.com", annotations={"example.com/retries": 1}),  # type: ignore[dict-item]
            "ingress.annotations",
            "must be a string, not int",
        ),
        (
            Ingress(host="a.com", annotations={1: "x"}),  # type: ignore[dict-item]
            "ingress.annotations",
            "keys must be strings",
        ),
        (Ingress(host="a.com", annotations={"a/b/c": "x"}), "ingress.annotations", "prefix"),
        (
            Ingress(host="a.com", annotations=["example.com/a"]),  # type: ignore[arg-type]
            "ingress.annotations",
            "must be a mapping",
        ),
        (
            Ingress(host="a.com", annotations={"example.com/a": "x" * 256 * 1024}),
            "ingress.annotations",
            "262144",
        ),
    ],
)
def test_bad_setting_raises_clear_error(
    chart: Chart, ingress: Ingress, prop: str, fragment: str
) -> None:
    with pytest.raises(InvalidPropError) as caught:
        expose(chart, ingress)
    error = caught.value
    assert error.construct == "ExposedService"
    assert error.path == "test/svc"
    assert error.prop == prop
    assert fragment in str(error)
    assert error.fix
    kinds = {m["kind"] for m in synth_manifests(chart)}
    assert kinds == {"NetworkPolicy", "Deployment"}
