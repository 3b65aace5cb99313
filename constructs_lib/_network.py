"""Validation and rendering of NetworkPolicy rules, and the rules that wiring adds.

A workload that consumes a connection, through an :class:`EnvVars` in its
``env_from`` or a :class:`WaitStep` in its ``wait_for``, is wired to the
connection's :class:`ServiceEndpoint`. Each wire gives two rules: egress from
the consumer's pods to the server's pods, and ingress to the server's pods
from the consumer's pods, both on the server's container port.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from constructs_lib import validation
from constructs_lib._props import PropChecker
from constructs_lib.connections import EnvVars, ServiceEndpoint, WaitStep
from constructs_lib.env import EnvSource
from constructs_lib.errors import WiringError
from constructs_lib.network import (
    NAMESPACE_NAME_LABEL,
    NetworkPeer,
    NetworkPolicyPort,
    NetworkPolicySettings,
    NetworkRule,
)
from constructs_lib.ports import Protocol

Json = dict[str, Any]
Direction = Literal["from", "to"]

DNS_PORTS = (NetworkPolicyPort(53, Protocol.UDP), NetworkPolicyPort(53, Protocol.TCP))


def resolve_policy_settings(
    check: PropChecker, value: bool | NetworkPolicySettings
) -> NetworkPolicySettings | None:
    """Validate a workload's ``network_policy`` prop and return its settings, or ``None``."""
    if value is True:
        return NetworkPolicySettings()
    if value is False:
        return None
    if not isinstance(value, NetworkPolicySettings):
        raise check.fail(
            "network_policy",
            value,
            "must be True, False or a NetworkPolicySettings",
            "Pass network_policy=NetworkPolicySettings(...), or False for no NetworkPolicy.",
        )
    check_settings(check, "network_policy", value)
    return value


def check_settings(check: PropChecker, prop: str, settings: NetworkPolicySettings) -> None:
    """Raise InvalidPropError for the first invalid rule or peer of ``settings``."""
    for field_name, rules in (
        ("extra_ingress", settings.extra_ingress),
        ("extra_egress", settings.extra_egress),
    ):
        if isinstance(rules, NetworkRule | str) or not isinstance(rules, Sequence):
            raise check.fail(
                f"{prop}.{field_name}",
                rules,
                "must be a list of NetworkRule",
                f"Pass {field_name}=[NetworkRule(...)].",
            )
        for index, rule in enumerate(rules):
            check_rule(check, f"{prop}.{field_name}[{index}]", rule)
    if not isinstance(settings.restrict_egress, bool):
        raise check.fail(
            f"{prop}.restrict_egress", settings.restrict_egress, "must be a bool", "Pass True."
        )
    if settings.dns is not None:
        check_peer(check, f"{prop}.dns", settings.dns)


def check_rule(check: PropChecker, prop: str, rule: NetworkRule) -> None:
    """Raise InvalidPropError unless ``rule`` is a NetworkRule with valid peers and ports."""
    if not isinstance(rule, NetworkRule):
        raise check.fail(
            prop, rule, "must be a NetworkRule", "Pass NetworkRule(peers=[...], ports=[...])."
        )
    if isinstance(rule.peers, NetworkPeer | str) or not isinstance(rule.peers, Sequence):
        raise check.fail(
            f"{prop}.peers",
            rule.peers,
            "must be a list of NetworkPeer",
            "Pass peers=[NetworkPeer(...)], or peers=[] for every address.",
        )
    for index, peer in enumerate(rule.peers):
        check_peer(check, f"{prop}.peers[{index}]", peer)
    ports = rule.ports
    if isinstance(ports, NetworkPolicyPort | str) or not isinstance(ports, Sequence):
        raise check.fail(
            f"{prop}.ports",
            ports,
            "must be a list of NetworkPolicyPort",
            "Pass ports=[NetworkPolicyPort(443)], or ports=[] for every port.",
        )
    for index, port in enumerate(ports):
        if not isinstance(port, NetworkPolicyPort):
            raise check.fail(
                f"{prop}.ports[{index}]",
                port,
                "must be a NetworkPolicyPort",
                "Pass NetworkPolicyPort(443).",
            )
        check.port_number(f"{prop}.ports[{index}].port", port.port)
        if not isinstance(port.protocol, Protocol):
            raise check.fail(
                f"{prop}.ports[{index}].protocol",
                port.protocol,
                "must be a Protocol",
                "Pass Protocol.TCP, Protocol.UDP or Protocol.SCTP.",
            )


def check_peer(check: PropChecker, prop: str, peer: NetworkPeer) -> None:
    """Raise InvalidPropError unless ``peer`` selects pods or an IP range, validly."""
    if not isinstance(peer, NetworkPeer):
        raise check.fail(
            prop,
            peer,
            "must be a NetworkPeer",
            "Pass NetworkPeer(namespace=..., pod_labels=...) or NetworkPeer(cidr=...).",
        )
    if peer.cidr is not None:
        _check_ip_block(check, prop, peer, peer.cidr)
        return
    if peer.except_cidrs:
        raise check.fail(
            f"{prop}.except_cidrs",
            peer.except_cidrs,
            "is allowed only together with cidr",
            "Set cidr, or remove except_cidrs.",
        )
    if peer.pod_labels is None and peer.namespace is None:
        raise check.fail(
            prop,
            peer,
            "selects nothing, because it has no pod_labels, namespace or cidr",
            "Set pod_labels, namespace or cidr.",
        )
    if peer.namespace is not None:
        check.dns_label(f"{prop}.namespace", peer.namespace)
    if peer.pod_labels is not None:
        if not isinstance(peer.pod_labels, Mapping):
            raise check.fail(
                f"{prop}.pod_labels",
                peer.pod_labels,
                "must be a mapping of label keys to values",
                "Pass pod_labels={'app.kubernetes.io/name': 'web'}.",
            )
        for key, value in peer.pod_labels.items():
            check.label_key(f"{prop}.pod_labels", key)
            check.label_value(f"{prop}.pod_labels[{key!r}]", value)


def _check_ip_block(check: PropChecker, prop: str, peer: NetworkPeer, cidr: str) -> None:
    if peer.pod_labels is not None or peer.namespace is not None:
        raise check.fail(
            prop,
            peer,
            "sets cidr together with pod_labels or namespace, which Kubernetes rejects",
            "Use one NetworkPeer for the IP range and another for the pods.",
        )
    fix = "Pass a block such as '0.0.0.0/0' or '10.0.0.0/8'."
    check.rule(f"{prop}.cidr", cidr, validation.cidr_problems, fix)
    if isinstance(peer.except_cidrs, str):
        raise check.fail(
            f"{prop}.except_cidrs", peer.except_cidrs, "must be a list of CIDR blocks", fix
        )
    for index, excepted in enumerate(peer.except_cidrs):
        check.rule(
            f"{prop}.except_cidrs[{index}]",
            excepted,
            lambda value: validation.except_cidr_problems(value, cidr),
            f"Pass a smaller block inside {cidr!r}.",
        )


def render_peer(peer: NetworkPeer) -> Json:
    """Return ``peer`` as a ``NetworkPolicyPeer`` object."""
    if peer.cidr is not None:
        block: Json = {"cidr": peer.cidr}
        if peer.except_cidrs:
            block["except"] = list(peer.except_cidrs)
        return {"ipBlock": block}
    rendered: Json = {}
    if peer.namespace is not None:
        rendered["namespaceSelector"] = {"matchLabels": {NAMESPACE_NAME_LABEL: peer.namespace}}
    if peer.pod_labels is not None:
        rendered["podSelector"] = {"matchLabels": dict(peer.pod_labels)} if peer.pod_labels else {}
    return rendered


def render_rule(rule: NetworkRule, direction: Direction) -> Json:
    """Return ``rule`` as an ingress (``from``) or egress (``to``) rule object.

    Empty peers or ports are left out, which Kubernetes reads as "any".
    """
    rendered: Json = {}
    if rule.peers:
        rendered[direction] = [render_peer(peer) for peer in rule.peers]
    if rule.ports:
        rendered["ports"] = [
            {"port": port.port, "protocol": str(port.protocol)} for port in rule.ports
        ]
    return rendered


def dns_rule(servers: NetworkPeer) -> NetworkRule:
    """Return the egress rule to the DNS ``servers`` on port 53, over UDP and TCP."""
    return NetworkRule(peers=(servers,), ports=DNS_PORTS)


def endpoints_of(
    env_from: Sequence[EnvSource], wait_for: Sequence[WaitStep] = ()
) -> list[ServiceEndpoint]:
    """Return the endpoints that ``env_from`` and ``wait_for`` connect to, each once, in order."""
    found: list[ServiceEndpoint] = []
    candidates: list[ServiceEndpoint] = []
    for source in env_from:
        if isinstance(source, EnvVars):
            candidates.extend(source.endpoints)
    for step in wait_for:
        if isinstance(step, WaitStep) and step.endpoint is not None:
            candidates.append(step.endpoint)
    for endpoint in candidates:
        if endpoint not in found:
            found.append(endpoint)
    return found


@dataclass(frozen=True, slots=True)
class Wire:
    """The two rules of one connection from a consumer to a server."""

    endpoint: ServiceEndpoint
    egress: NetworkRule
    """Egress of the consumer's pods to the server's pods."""
    ingress: NetworkRule
    """Ingress of the server's pods from the consumer's pods."""


def plan_wiring(
    check: PropChecker,
    consumer_selector: Mapping[str, str],
    consumer_namespace: str | None,
    endpoints: Sequence[ServiceEndpoint],
    settings: NetworkPolicySettings | None,
) -> list[Wire]:
    """Return the rules that connect a consumer's pods to each endpoint.

    An endpoint gets no wire when the consumer's egress is open and the
    server has no policy, because then no rule is needed on either side.

    Raises:
        WiringError: a rule cannot be written, because exactly one side has a
            namespace, or because the consumer denies egress and the endpoint
            has no pod selector.
    """
    restricts_egress = settings is not None and settings.restrict_egress
    wires: list[Wire] = []
    for endpoint in endpoints:
        if not restricts_egress and endpoint.policy is None:
            continue
        if (consumer_namespace is None) != (endpoint.namespace is None):
            if endpoint.namespace is None:
                namespaces = (
                    f"the chart of Service {endpoint.service!r} has no namespace, and this "
                    f"workload is in {consumer_namespace!r}"
                )
            else:
                namespaces = (
                    "this workload's chart has no namespace, and Service "
                    f"{endpoint.service!r} is in {endpoint.namespace!r}"
                )
            raise WiringError(
                f"{_location(check)}: cannot write NetworkPolicy rules for the connection to "
                f"Service {endpoint.service!r}, because {namespaces}, so whether they share a "
                "namespace is unknown. Give both charts a namespace."
            )
        if restricts_egress and not endpoint.selector:
            raise WiringError(
                f"{_location(check)}: cannot allow egress to Service {endpoint.service!r}, "
                "because its ServiceEndpoint has no pod selector. Set ServiceEndpoint.selector "
                "to the labels of its pods, or pass the variables through "
                "EnvVars.variables_only() and allow the traffic in "
                "NetworkPolicySettings.extra_egress."
            )
        same_namespace = consumer_namespace == endpoint.namespace
        port = NetworkPolicyPort(endpoint.target_port.number, endpoint.target_port.protocol)
        server = NetworkPeer(
            pod_labels=dict(endpoint.selector),
            namespace=None if same_namespace else endpoint.namespace,
        )
        if restricts_egress:
            check_peer(check, f"connection to {endpoint.service!r}", server)
        client = NetworkPeer(
            pod_labels=dict(consumer_selector),
            namespace=None if same_namespace else consumer_namespace,
        )
        wires.append(
            Wire(
                endpoint=endpoint,
                egress=NetworkRule(peers=(server,), ports=(port,)),
                ingress=NetworkRule(peers=(client,), ports=(port,)),
            )
        )
    return wires


def _location(check: PropChecker) -> str:
    # The path costs jsii requests, so it is looked up only for an error.
    return f"{check.construct} {check.path!r}" if check.path else check.construct
