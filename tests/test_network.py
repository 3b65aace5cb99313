"""NetworkPolicy value types: how peers render, and the peers, rules and settings rejected."""

from __future__ import annotations

from typing import Any

import pytest
from cdk8s import Chart

from constructs_lib import (
    InvalidPropError,
    NetworkPeer,
    NetworkPolicyPort,
    NetworkPolicySettings,
    NetworkRule,
    StatelessApp,
)
from constructs_lib.network import INGRESS_NGINX_CONTROLLER, KUBE_DNS
from constructs_lib.testing import synth_manifests

IMAGE = "ghcr.io/example/web:1.4.2"


def ingress_rules_of(chart: Chart, *peers: NetworkPeer) -> list[dict[str, Any]]:
    rules = [NetworkRule(peers=[peer], ports=[]) for peer in peers]
    StatelessApp(
        chart,
        "web",
        name="web",
        image=IMAGE,
        network_policy=NetworkPolicySettings(extra_ingress=rules),
    )
    (policy,) = [m for m in synth_manifests(chart) if m["kind"] == "NetworkPolicy"]
    ingress: list[dict[str, Any]] = policy["spec"]["ingress"]
    return ingress


def test_peer_selectors_render(chart: Chart) -> None:
    rules = ingress_rules_of(
        chart,
        NetworkPeer(pod_labels={"app": "api"}),
        NetworkPeer(pod_labels={}),
        NetworkPeer(namespace="monitoring"),
        NetworkPeer(namespace="monitoring", pod_labels={"app": "prom"}),
    )
    namespace = {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}
    assert [rule["from"] for rule in rules] == [
        [{"podSelector": {"matchLabels": {"app": "api"}}}],
        [{"podSelector": {}}],
        [{"namespaceSelector": namespace}],
        [{"namespaceSelector": namespace, "podSelector": {"matchLabels": {"app": "prom"}}}],
    ]


def test_ip_blocks_render(chart: Chart) -> None:
    rules = ingress_rules_of(
        chart,
        NetworkPeer(cidr="192.0.2.0/24"),
        NetworkPeer(cidr="2001:db8::/32", except_cidrs=["2001:db8:1::/48"]),
    )
    assert [rule["from"] for rule in rules] == [
        [{"ipBlock": {"cidr": "192.0.2.0/24"}}],
        [{"ipBlock": {"cidr": "2001:db8::/32", "except": ["2001:db8:1::/48"]}}],
    ]


def test_default_peers_are_valid(chart: Chart) -> None:
    rules = ingress_rules_of(chart, KUBE_DNS, INGRESS_NGINX_CONTROLLER)
    assert rules[0]["from"][0]["podSelector"] == {"matchLabels": {"k8s-app": "kube-dns"}}
    assert rules[1]["from"][0]["namespaceSelector"] == {
        "matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}
    }


def rule(*peers: NetworkPeer, ports: Any = ()) -> NetworkRule:
    return NetworkRule(peers=list(peers), ports=ports)


@pytest.mark.parametrize(
    ("settings", "prop", "fragment"),
    [
        (
            NetworkPolicySettings(extra_egress=rule()),  # type: ignore[arg-type]
            "network_policy.extra_egress",
            "list of",
        ),
        (
            NetworkPolicySettings(extra_egress=["smtp"]),  # type: ignore[list-item]
            "network_policy.extra_egress[0]",
            "must be a NetworkRule",
        ),
        (
            NetworkPolicySettings(extra_ingress=[NetworkRule(NetworkPeer(pod_labels={}), [])]),  # type: ignore[arg-type]
            "network_policy.extra_ingress[0].peers",
            "list of NetworkPeer",
        ),
        (
            NetworkPolicySettings(extra_ingress=[rule(NetworkPeer())]),
            "network_policy.extra_ingress[0].peers[0]",
            "selects nothing",
        ),
        (
            NetworkPolicySettings(extra_ingress=[rule("10.0.0.0/8")]),  # type: ignore[arg-type]
            "network_policy.extra_ingress[0].peers[0]",
            "must be a NetworkPeer",
        ),
        (
            NetworkPolicySettings(extra_egress=[rule(NetworkPeer(cidr="10.1.2.3/8"))]),
            "network_policy.extra_egress[0].peers[0].cidr",
            "host bits set",
        ),
        (
            NetworkPolicySettings(extra_egress=[rule(NetworkPeer(cidr="10.0.0.0"))]),
            "network_policy.extra_egress[0].peers[0].cidr",
            "prefix length",
        ),
        (
            NetworkPolicySettings(
                extra_egress=[rule(NetworkPeer(cidr="10.0.0.0/8", except_cidrs=["192.0.2.0/24"]))]
            ),
            "network_policy.extra_egress[0].peers[0].except_cidrs[0]",
            "strict subset",
        ),
        (
            NetworkPolicySettings(
                extra_egress=[rule(NetworkPeer(cidr="10.0.0.0/8", except_cidrs=["10.0.0.0/8"]))]
            ),
            "network_policy.extra_egress[0].peers[0].except_cidrs[0]",
            "strict subset",
        ),
        (
            NetworkPolicySettings(
                extra_egress=[rule(NetworkPeer(cidr="10.0.0.0/8", except_cidrs=["::/64"]))]
            ),
            "network_policy.extra_egress[0].peers[0].except_cidrs[0]",
            "strict subset",
        ),
        (
            NetworkPolicySettings(
                extra_egress=[rule(NetworkPeer(cidr="10.0.0.0/8", except_cidrs="10.1.0.0/16"))]
            ),
            "network_policy.extra_egress[0].peers[0].except_cidrs",
            "list of CIDR blocks",
        ),
        (
            NetworkPolicySettings(
                extra_egress=[rule(NetworkPeer(cidr="10.0.0.0/8", namespace="data"))]
            ),
            "network_policy.extra_egress[0].peers[0]",
            "together with pod_labels or namespace",
        ),
        (
            NetworkPolicySettings(
                extra_egress=[rule(NetworkPeer(namespace="data", except_cidrs=["10.0.0.0/8"]))]
            ),
            "network_policy.extra_egress[0].peers[0].except_cidrs",
            "only together with cidr",
        ),
        (
            NetworkPolicySettings(extra_egress=[rule(NetworkPeer(namespace="Data_1"))]),
            "network_policy.extra_egress[0].peers[0].namespace",
            "lower case",
        ),
        (
            NetworkPolicySettings(extra_egress=[rule(NetworkPeer(pod_labels={"bad key": "x"}))]),
            "network_policy.extra_egress[0].peers[0].pod_labels",
            "name",
        ),
        (
            NetworkPolicySettings(extra_egress=[rule(NetworkPeer(pod_labels={"app": "a b"}))]),
            "network_policy.extra_egress[0].peers[0].pod_labels['app']",
            "alphanumeric",
        ),
        (
            NetworkPolicySettings(extra_egress=[rule(NetworkPeer(pod_labels=["app"]))]),  # type: ignore[arg-type]
            "network_policy.extra_egress[0].peers[0].pod_labels",
            "mapping",
        ),
        (
            NetworkPolicySettings(extra_egress=[rule(ports=NetworkPolicyPort(443))]),
            "network_policy.extra_egress[0].ports",
            "list of NetworkPolicyPort",
        ),
        (
            NetworkPolicySettings(extra_egress=[rule(ports=[443])]),
            "network_policy.extra_egress[0].ports[0]",
            "must be a NetworkPolicyPort",
        ),
        (
            NetworkPolicySettings(extra_egress=[rule(ports=[NetworkPolicyPort(0)])]),
            "network_policy.extra_egress[0].ports[0].port",
            "between 1 and 65535",
        ),
        (
            NetworkPolicySettings(extra_egress=[rule(ports=[NetworkPolicyPort(53, "UDP")])]),  # type: ignore[arg-type]
            "network_policy.extra_egress[0].ports[0].protocol",
            "must be a Protocol",
        ),
        (
            NetworkPolicySettings(restrict_egress="no"),  # type: ignore[arg-type]
            "network_policy.restrict_egress",
            "must be a bool",
        ),
        (
            NetworkPolicySettings(dns=NetworkPeer(cidr="169.254.20.10")),
            "network_policy.dns.cidr",
            "prefix length",
        ),
    ],
)
def test_bad_setting_raises_clear_error(
    chart: Chart, settings: NetworkPolicySettings, prop: str, fragment: str
) -> None:
    with pytest.raises(InvalidPropError) as caught:
        StatelessApp(chart, "web", name="web", image=IMAGE, network_policy=settings)
    error = caught.value
    assert error.construct == "StatelessApp"
    assert error.prop == prop
    assert fragment in str(error)
    assert error.fix
    assert synth_manifests(chart) == []
