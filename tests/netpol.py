"""A small NetworkPolicy evaluator: which connections do synthesized policies allow?

It applies the ``networking.k8s.io/v1`` rules to the fields that the library
renders. A connection is allowed when the source's egress and the
destination's ingress both allow it. A pod is isolated in a direction when a
policy of its namespace selects it and lists that direction in
``policyTypes``, and then only the union of those policies' rules admits
traffic. A peer with only a ``podSelector`` matches pods in the policy's own
namespace. Pods match ``namespaceSelector`` by the
``kubernetes.io/metadata.name`` label of their namespace, and external
addresses match only ``ipBlock``. Pods never match an ``ipBlock`` here,
although some network plugins match pod IPs too. Traffic from a node to its
own pods is not modelled.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Manifest = dict[str, Any]

NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"
DEFAULT_NAMESPACE = "default"
"""Namespace of objects that have none, as ``kubectl apply`` would place them."""
WORKLOAD_KINDS = frozenset({"Deployment", "StatefulSet", "Job"})


@dataclass(frozen=True)
class Node:
    """A pod of a workload, or an address outside the cluster when ``ip`` is set."""

    name: str
    namespace: str = DEFAULT_NAMESPACE
    labels: Mapping[str, str] = field(default_factory=dict)
    ports: tuple[tuple[int, str], ...] = ()
    """Ports that the node listens on, as (number, protocol)."""
    ip: str | None = None


Connection = tuple[str, str, int, str]
"""(source name, destination name, port, protocol)."""


def workload_nodes(manifests: Iterable[Manifest]) -> list[Node]:
    """Return one node per workload's pod template, named by ``app.kubernetes.io/name``."""
    nodes: list[Node] = []
    for manifest in manifests:
        if manifest["kind"] not in WORKLOAD_KINDS:
            continue
        template = manifest["spec"]["template"]
        labels = template["metadata"]["labels"]
        ports = tuple(
            (port["containerPort"], port.get("protocol", "TCP"))
            for container in template["spec"]["containers"]
            for port in container.get("ports", [])
        )
        nodes.append(
            Node(
                name=labels["app.kubernetes.io/name"],
                namespace=manifest["metadata"].get("namespace", DEFAULT_NAMESPACE),
                labels=labels,
                ports=ports,
            )
        )
    return nodes


def policies_of(manifests: Iterable[Manifest]) -> list[Manifest]:
    return [m for m in manifests if m["kind"] == "NetworkPolicy"]


def policy_namespace(policy: Manifest) -> str:
    namespace: str = policy["metadata"].get("namespace", DEFAULT_NAMESPACE)
    return namespace


def selects(policy: Manifest, node: Node) -> bool:
    """Return whether ``policy`` applies to ``node``'s pods."""
    if node.ip is not None or policy_namespace(policy) != node.namespace:
        return False
    match_labels = policy["spec"]["podSelector"].get("matchLabels", {})
    return bool(match_labels.items() <= node.labels.items())


def allowed_connections(
    manifests: Sequence[Manifest], nodes: Sequence[Node], workloads: Sequence[Node]
) -> set[Connection]:
    """Return every allowed connection to a listening port where one side is in ``workloads``."""
    policies = policies_of(manifests)
    names = {workload.name for workload in workloads}
    allowed: set[Connection] = set()
    for source in nodes:
        for destination in nodes:
            if source.name not in names and destination.name not in names:
                continue
            for port, protocol in destination.ports:
                if _allows(policies, source, destination, port, protocol):
                    allowed.add((source.name, destination.name, port, protocol))
    return allowed


def _allows(
    policies: Sequence[Manifest], source: Node, destination: Node, port: int, protocol: str
) -> bool:
    egress = _direction_allows(policies, source, destination, "Egress", port, protocol)
    ingress = _direction_allows(policies, destination, source, "Ingress", port, protocol)
    return egress and ingress


def _direction_allows(
    policies: Sequence[Manifest], subject: Node, peer: Node, kind: str, port: int, protocol: str
) -> bool:
    isolating = [p for p in policies if selects(p, subject) and kind in p["spec"]["policyTypes"]]
    if not isolating:
        return True
    key, peers_key = ("egress", "to") if kind == "Egress" else ("ingress", "from")
    return any(
        _rule_admits(rule, peers_key, peer, policy_namespace(policy), port, protocol)
        for policy in isolating
        for rule in policy["spec"].get(key, [])
    )


def _rule_admits(
    rule: Manifest, peers_key: str, peer: Node, namespace: str, port: int, protocol: str
) -> bool:
    ports = rule.get("ports", [])
    if ports and not any(
        entry["port"] == port and entry.get("protocol", "TCP") == protocol for entry in ports
    ):
        return False
    peers = rule.get(peers_key, [])
    return not peers or any(_peer_matches(entry, peer, namespace) for entry in peers)


def _peer_matches(entry: Manifest, node: Node, policy_namespace: str) -> bool:
    if "ipBlock" in entry:
        if node.ip is None:
            return False
        address = ipaddress.ip_address(node.ip)
        block = entry["ipBlock"]
        excepted = [ipaddress.ip_network(cidr) for cidr in block.get("except", [])]
        return address in ipaddress.ip_network(block["cidr"]) and not any(
            address in network for network in excepted
        )
    if node.ip is not None:
        return False
    namespace_selector = entry.get("namespaceSelector")
    if namespace_selector is None:
        namespace_ok = node.namespace == policy_namespace
    else:
        namespace_labels = {NAMESPACE_NAME_LABEL: node.namespace}
        namespace_ok = namespace_selector.get("matchLabels", {}).items() <= namespace_labels.items()
    pod_selector = entry.get("podSelector")
    pod_ok = pod_selector is None or (
        pod_selector.get("matchLabels", {}).items() <= node.labels.items()
    )
    return bool(namespace_ok and pod_ok)


def surrounding_nodes(namespace: str | None) -> list[Node]:
    """Return pods and an address around a chart's workloads in ``namespace``.

    They are the ingress-nginx controller, a CoreDNS pod, an unrelated pod in
    the same namespace, a pod in another namespace, and an internet address
    from the documentation range 203.0.113.0/24.
    """
    same_namespace = namespace if namespace is not None else DEFAULT_NAMESPACE
    return [
        Node(
            "ingress-controller",
            "ingress-nginx",
            {
                "app.kubernetes.io/name": "ingress-nginx",
                "app.kubernetes.io/instance": "ingress-nginx",
                "app.kubernetes.io/component": "controller",
            },
            ports=((80, "TCP"), (443, "TCP")),
        ),
        Node(
            "kube-dns",
            "kube-system",
            {"k8s-app": "kube-dns"},
            ports=((53, "UDP"), (53, "TCP"), (9153, "TCP")),
        ),
        Node("stranger", same_namespace, {"app.kubernetes.io/name": "stranger"}, ((8080, "TCP"),)),
        Node("other-namespace", "elsewhere", {"app": "other"}, ((8080, "TCP"),)),
        Node("internet", ip="203.0.113.10", ports=((443, "TCP"), (587, "TCP"))),
    ]
