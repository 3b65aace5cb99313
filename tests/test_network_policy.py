"""WorkloadNetworkPolicy: the rules it renders, and the rules that wiring adds to it."""

from __future__ import annotations

from typing import Any

import pytest
from cdk8s import App, Chart

from constructs_lib import (
    ContainerPort,
    EnvVars,
    InvalidPropError,
    NetworkPeer,
    NetworkPolicyPort,
    NetworkPolicySettings,
    NetworkRule,
    OneShotJob,
    PostgresEngine,
    Protocol,
    RecommendedLabels,
    SecretEnv,
    ServiceEndpoint,
    StatefulDatabase,
    StatelessApp,
    WiringError,
    WorkloadNetworkPolicy,
)
from constructs_lib.connections import PostgresConnection
from constructs_lib.testing import synth_manifests
from tests.schema import schema_errors

IMAGE = "ghcr.io/example/web:1.4.2"
LABELS = RecommendedLabels(name="web", instance="web", component="web", part_of="shop")
SELECTOR = {"app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "web"}
DNS_RULE = {
    "to": [
        {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
            "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
        }
    ],
    "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}],
}
SMTP = NetworkRule(
    peers=[NetworkPeer(cidr="0.0.0.0/0", except_cidrs=["10.0.0.0/8"])],
    ports=[NetworkPolicyPort(587)],
)
SMTP_RULE = {
    "to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8"]}}],
    "ports": [{"port": 587, "protocol": "TCP"}],
}
PROMETHEUS = NetworkRule(
    peers=[NetworkPeer(namespace="monitoring", pod_labels={"app.kubernetes.io/name": "prom"})],
    ports=[NetworkPolicyPort(9090)],
)
PROMETHEUS_RULE = {
    "from": [
        {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}},
            "podSelector": {"matchLabels": {"app.kubernetes.io/name": "prom"}},
        }
    ],
    "ports": [{"port": 9090, "protocol": "TCP"}],
}
DB_SELECTOR = {"app.kubernetes.io/name": "db", "app.kubernetes.io/instance": "db"}


def policies(chart: Chart) -> dict[str, dict[str, Any]]:
    return {
        m["metadata"]["name"]: m for m in synth_manifests(chart) if m["kind"] == "NetworkPolicy"
    }


def postgres(chart: Chart, **props: Any) -> StatefulDatabase[PostgresConnection]:
    secret = SecretEnv(chart, "db-secret", name="db", keys=["username", "password"])
    return StatefulDatabase(
        chart, "db", name="db", engine=PostgresEngine(), credentials=secret, **props
    )


def test_defaults_deny_all_but_dns(chart: Chart) -> None:
    WorkloadNetworkPolicy(chart, "policy", name="web", labels=LABELS)
    policy = policies(chart)["web"]
    assert policy["apiVersion"] == "networking.k8s.io/v1"
    assert policy["metadata"]["labels"] == LABELS.all
    assert policy["spec"] == {
        "podSelector": {"matchLabels": SELECTOR},
        "policyTypes": ["Ingress", "Egress"],
        "ingress": [],
        "egress": [DNS_RULE],
    }


def test_extra_rules_follow_dns(chart: Chart) -> None:
    settings = NetworkPolicySettings(extra_ingress=[PROMETHEUS], extra_egress=[SMTP])
    WorkloadNetworkPolicy(chart, "policy", name="web", labels=LABELS, settings=settings)
    spec = policies(chart)["web"]["spec"]
    assert spec["ingress"] == [PROMETHEUS_RULE]
    assert spec["egress"] == [DNS_RULE, SMTP_RULE]


def test_open_egress_lists_ingress_only(chart: Chart) -> None:
    settings = NetworkPolicySettings(restrict_egress=False, extra_egress=[SMTP])
    policy = WorkloadNetworkPolicy(chart, "policy", name="web", labels=LABELS, settings=settings)
    policy.allow_egress(SMTP)
    spec = policies(chart)["web"]["spec"]
    assert spec["policyTypes"] == ["Ingress"]
    assert "egress" not in spec
    assert policy.restricts_egress is False


def test_dns_none_denies_all_egress(chart: Chart) -> None:
    settings = NetworkPolicySettings(dns=None)
    WorkloadNetworkPolicy(chart, "policy", name="web", labels=LABELS, settings=settings)
    assert policies(chart)["web"]["spec"]["egress"] == []


def test_custom_dns_server(chart: Chart) -> None:
    settings = NetworkPolicySettings(dns=NetworkPeer(cidr="169.254.20.10/32"))
    WorkloadNetworkPolicy(chart, "policy", name="web", labels=LABELS, settings=settings)
    assert policies(chart)["web"]["spec"]["egress"] == [
        {
            "to": [{"ipBlock": {"cidr": "169.254.20.10/32"}}],
            "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}],
        }
    ]


def test_allowed_rules_append_once_in_order(chart: Chart) -> None:
    policy = WorkloadNetworkPolicy(chart, "policy", name="web", labels=LABELS)
    any_source = NetworkRule(peers=[], ports=[NetworkPolicyPort(8080)])
    policy.allow_ingress(PROMETHEUS)
    policy.allow_ingress(any_source)
    policy.allow_ingress(PROMETHEUS)
    policy.allow_egress(SMTP)
    policy.allow_egress(SMTP)
    spec = policies(chart)["web"]["spec"]
    assert spec["ingress"] == [PROMETHEUS_RULE, {"ports": [{"port": 8080, "protocol": "TCP"}]}]
    assert spec["egress"] == [DNS_RULE, SMTP_RULE]
    assert policy.manifest["spec"] == spec


def test_rule_without_peers_or_ports_admits_all(chart: Chart) -> None:
    policy = WorkloadNetworkPolicy(chart, "policy", name="web", labels=LABELS)
    policy.allow_ingress(NetworkRule(peers=[], ports=[]))
    assert policies(chart)["web"]["spec"]["ingress"] == [{}]


def test_policy_passes_strict_schema(chart: Chart) -> None:
    settings = NetworkPolicySettings(
        extra_ingress=[PROMETHEUS, NetworkRule([NetworkPeer(pod_labels={})], [])],
        extra_egress=[
            SMTP,
            NetworkRule([NetworkPeer(cidr="2001:db8::/32")], [NetworkPolicyPort(53, Protocol.UDP)]),
            NetworkRule([NetworkPeer(namespace="logging")], [NetworkPolicyPort(24224)]),
        ],
    )
    policy = WorkloadNetworkPolicy(chart, "policy", name="web", labels=LABELS, settings=settings)
    policy.allow_ingress(NetworkRule(peers=[], ports=[NetworkPolicyPort(8080)]))
    assert schema_errors(synth_manifests(chart)) == []


@pytest.mark.parametrize(
    ("props", "prop", "fragment"),
    [
        ({"name": "Web"}, "name", "lower case"),
        ({"labels": SELECTOR}, "labels", "must be RecommendedLabels"),
        (
            {"labels": RecommendedLabels("web", "web", "web", "a b")},
            "labels.part_of",
            "alphanumeric",
        ),
        (
            {"labels": RecommendedLabels("web", "web", "web", "shop", extra={"team": "a b"})},
            "labels.extra['team']",
            "alphanumeric",
        ),
        (
            {
                "labels": RecommendedLabels(
                    "web", "web", "web", "shop", extra={"app.kubernetes.io/name": "x"}
                )
            },
            "labels.extra",
            "set labels.name instead",
        ),
        ({"settings": "strict"}, "settings", "must be a NetworkPolicySettings"),
        (
            {"settings": NetworkPolicySettings(dns=NetworkPeer())},
            "settings.dns",
            "selects nothing",
        ),
    ],
)
def test_bad_prop_raises_clear_error(
    chart: Chart, props: dict[str, Any], prop: str, fragment: str
) -> None:
    arguments: dict[str, Any] = {"name": "web", "labels": LABELS, **props}
    with pytest.raises(InvalidPropError) as caught:
        WorkloadNetworkPolicy(chart, "policy", **arguments)
    error = caught.value
    assert error.construct == "WorkloadNetworkPolicy"
    assert error.path == "test/policy"
    assert error.prop == prop
    assert fragment in str(error)
    assert synth_manifests(chart) == []


def test_invalid_allowed_rule_is_rejected(chart: Chart) -> None:
    policy = WorkloadNetworkPolicy(chart, "policy", name="web", labels=LABELS)
    with pytest.raises(InvalidPropError, match="between 1 and 65535") as caught:
        policy.allow_ingress(NetworkRule(peers=[], ports=[NetworkPolicyPort(70000)]))
    assert caught.value.prop == "ingress rule.ports[0].port"
    assert policies(chart)["web"]["spec"]["ingress"] == []


def test_consumer_and_server_gain_rules(chart: Chart) -> None:
    database = postgres(chart)
    StatelessApp(
        chart, "web", name="web", image=IMAGE, env_from=[database.connection().django_env()]
    )
    found = policies(chart)
    assert found["web"]["spec"]["egress"] == [
        DNS_RULE,
        {
            "to": [{"podSelector": {"matchLabels": DB_SELECTOR}}],
            "ports": [{"port": 5432, "protocol": "TCP"}],
        },
    ]
    assert found["db"]["spec"]["ingress"] == [
        {
            "from": [{"podSelector": {"matchLabels": SELECTOR}}],
            "ports": [{"port": 5432, "protocol": "TCP"}],
        }
    ]


def test_wait_step_wires_job_once(chart: Chart) -> None:
    connection = postgres(chart).connection()
    OneShotJob(
        chart,
        "migrate",
        name="migrate",
        image=IMAGE,
        command=["migrate"],
        env_from=[connection.django_env()],
        wait_for=[connection.wait_step()],
    )
    found = policies(chart)
    assert len(found["migrate"]["spec"]["egress"]) == 2
    assert found["migrate"]["spec"]["egress"][1]["to"] == [
        {"podSelector": {"matchLabels": DB_SELECTOR}}
    ]
    (rule,) = found["db"]["spec"]["ingress"]
    assert rule["from"] == [
        {
            "podSelector": {
                "matchLabels": {
                    "app.kubernetes.io/name": "migrate",
                    "app.kubernetes.io/instance": "migrate",
                }
            }
        }
    ]


def test_variables_only_opens_no_path(chart: Chart) -> None:
    database = postgres(chart)
    env = database.connection().django_env().variables_only()
    StatelessApp(chart, "web", name="web", image=IMAGE, env_from=[env])
    found = policies(chart)
    assert found["web"]["spec"]["egress"] == [DNS_RULE]
    assert found["db"]["spec"]["ingress"] == []


def test_consumer_without_policy_still_admitted(chart: Chart) -> None:
    database = postgres(chart)
    env = database.connection().django_env()
    StatelessApp(chart, "web", name="web", image=IMAGE, env_from=[env], network_policy=False)
    found = policies(chart)
    assert list(found) == ["db"]
    assert found["db"]["spec"]["ingress"][0]["from"] == [{"podSelector": {"matchLabels": SELECTOR}}]


def test_server_without_policy_still_reached(chart: Chart) -> None:
    database = postgres(chart, network_policy=False)
    StatelessApp(
        chart, "web", name="web", image=IMAGE, env_from=[database.connection().django_env()]
    )
    found = policies(chart)
    assert list(found) == ["web"]
    assert found["web"]["spec"]["egress"][1]["to"] == [
        {"podSelector": {"matchLabels": DB_SELECTOR}}
    ]


def test_open_egress_consumer_wires_server_only(chart: Chart) -> None:
    database = postgres(chart)
    StatelessApp(
        chart,
        "web",
        name="web",
        image=IMAGE,
        env_from=[database.connection().django_env()],
        network_policy=NetworkPolicySettings(restrict_egress=False),
    )
    found = policies(chart)
    assert "egress" not in found["web"]["spec"]
    assert len(found["db"]["spec"]["ingress"]) == 1


def test_rules_across_namespaces_name_both(app: App) -> None:
    data = Chart(app, "data", namespace="data", disable_resource_name_hashes=True)
    shop = Chart(app, "shop", namespace="shop", disable_resource_name_hashes=True)
    database = postgres(data)
    StatelessApp(
        shop, "web", name="web", image=IMAGE, env_from=[database.connection().django_env()]
    )
    egress = policies(shop)["web"]["spec"]["egress"][1]
    ingress = policies(data)["db"]["spec"]["ingress"][0]
    assert egress["to"] == [
        {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "data"}},
            "podSelector": {"matchLabels": DB_SELECTOR},
        }
    ]
    assert ingress["from"] == [
        {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "shop"}},
            "podSelector": {"matchLabels": SELECTOR},
        }
    ]


@pytest.mark.parametrize(
    ("server_namespace", "consumer_namespace", "fragment"),
    [
        (None, "shop", "the chart of Service 'db' has no namespace"),
        ("data", None, "this workload's chart has no namespace"),
    ],
)
def test_unknown_namespace_raises_wiring_error(
    app: App, server_namespace: str | None, consumer_namespace: str | None, fragment: str
) -> None:
    data = Chart(app, "data", namespace=server_namespace, disable_resource_name_hashes=True)
    shop = Chart(app, "shop", namespace=consumer_namespace, disable_resource_name_hashes=True)
    database = postgres(data)
    with pytest.raises(WiringError, match="Give both charts a namespace") as caught:
        StatelessApp(
            shop, "web", name="web", image=IMAGE, env_from=[database.connection().django_env()]
        )
    assert str(caught.value).startswith("StatelessApp 'shop/web': ")
    assert fragment in str(caught.value)
    assert synth_manifests(shop) == []
    assert policies(data)["db"]["spec"]["ingress"] == []


def test_endpoint_without_selector_raises_wiring_error(chart: Chart) -> None:
    external = ServiceEndpoint("legacy-db", None, 5432, ContainerPort("postgres", 5432))
    env = EnvVars(({"name": "DATABASE_HOST", "value": "legacy-db"},), (external,))
    with pytest.raises(WiringError, match="no pod selector"):
        StatelessApp(chart, "web", name="web", image=IMAGE, env_from=[env])
    assert synth_manifests(chart) == []


def test_endpoint_without_selector_allowed_with_open_egress(chart: Chart) -> None:
    external = ServiceEndpoint("legacy-db", None, 5432, ContainerPort("postgres", 5432))
    env = EnvVars(({"name": "DATABASE_HOST", "value": "legacy-db"},), (external,))
    settings = NetworkPolicySettings(restrict_egress=False)
    StatelessApp(chart, "web", name="web", image=IMAGE, env_from=[env], network_policy=settings)
    assert policies(chart)["web"]["spec"]["policyTypes"] == ["Ingress"]


def test_wired_charts_pass_strict_schema(app: App) -> None:
    data = Chart(app, "data", namespace="data", disable_resource_name_hashes=True)
    shop = Chart(app, "shop", namespace="shop", disable_resource_name_hashes=True)
    database = postgres(data)
    StatelessApp(
        shop, "web", name="web", image=IMAGE, env_from=[database.connection().django_env()]
    )
    assert schema_errors([*synth_manifests(data), *synth_manifests(shop)]) == []
