"""NetworkPolicy value types: peers, ports, rules, and the policy settings of a workload.

The names follow the NetworkPolicy API (``networking.k8s.io/v1``): a rule admits
traffic from or to a list of peers on a list of ports, and an empty list means
"any", as it does in Kubernetes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from constructs_lib.ports import Protocol

__all__ = [
    "INGRESS_NGINX_CONTROLLER",
    "KUBE_DNS",
    "NAMESPACE_NAME_LABEL",
    "NetworkPeer",
    "NetworkPolicyPort",
    "NetworkPolicySettings",
    "NetworkRule",
]

NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"
"""Label that the API server sets on every Namespace to its name, since Kubernetes 1.21."""


@dataclass(frozen=True, slots=True)
class NetworkPeer:
    """Pods or an IP range that a rule admits, as a ``NetworkPolicyPeer``.

    Give ``pod_labels``, ``namespace`` or both to select pods, or ``cidr``
    alone to select addresses. Pods are matched by their labels and by the
    ``kubernetes.io/metadata.name`` label of their namespace.

    Example::

        NetworkPeer(namespace="monitoring", pod_labels={"app.kubernetes.io/name": "prometheus"})
        NetworkPeer(cidr="0.0.0.0/0", except_cidrs=("10.0.0.0/8",))
    """

    pod_labels: Mapping[str, str] | None = None
    """Labels that the pods must have (``podSelector.matchLabels``). ``{}``
    selects every pod. Default: ``None``, which also selects every pod when
    ``namespace`` is set."""
    namespace: str | None = None
    """Name of the pods' namespace. Default: ``None``, the namespace of the
    NetworkPolicy itself."""
    cidr: str | None = None
    """IP range (``ipBlock.cidr``) such as ``0.0.0.0/0``, instead of pods. The
    Kubernetes documentation advises ranges outside the cluster, because pod
    IPs are ephemeral, and whether a plugin matches pod IPs is not defined."""
    except_cidrs: Sequence[str] = ()
    """Ranges inside ``cidr`` that are not admitted (``ipBlock.except``)."""


@dataclass(frozen=True, slots=True)
class NetworkPolicyPort:
    """A destination port and protocol of a rule, as a ``NetworkPolicyPort``.

    For ingress it is the port on the selected pods, and for egress the port on
    the peer. Traffic through a Service is matched after the Service forwards
    it, so this is the container port, not the Service port.
    """

    port: int
    """Port number, from 1 to 65535."""
    protocol: Protocol = Protocol.TCP
    """Transport protocol. Default: TCP."""


@dataclass(frozen=True, slots=True)
class NetworkRule:
    """Traffic that a NetworkPolicy allows: from or to ``peers``, on ``ports``.

    Example, SMTP submission to any address outside the cluster's private range::

        NetworkRule(
            peers=[NetworkPeer(cidr="0.0.0.0/0", except_cidrs=("10.0.0.0/8",))],
            ports=[NetworkPolicyPort(587)],
        )
    """

    peers: Sequence[NetworkPeer]
    """Sources of ingress or destinations of egress. An empty sequence admits
    every address, as an empty ``from`` or ``to`` does in Kubernetes."""
    ports: Sequence[NetworkPolicyPort]
    """Destination ports. An empty sequence admits every port."""


KUBE_DNS = NetworkPeer(
    namespace="kube-system", pod_labels=MappingProxyType({"k8s-app": "kube-dns"})
)
"""The cluster DNS pods in ``kube-system``. The CoreDNS manifests of the
Kubernetes cluster addons, of the coredns/deployment repository and of k3s
label them ``k8s-app: kube-dns``."""

INGRESS_NGINX_CONTROLLER = NetworkPeer(
    namespace="ingress-nginx",
    pod_labels=MappingProxyType(
        {"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller"}
    ),
)
"""The ingress-nginx controller pods in namespace ``ingress-nginx``, where both
minikube's ``ingress`` addon and the Helm command of the ingress-nginx
deployment guide (https://kubernetes.github.io/ingress-nginx/deploy/) run them.
The ``app.kubernetes.io/instance`` label is left out because Helm sets it to
the release name."""


@dataclass(frozen=True, slots=True)
class NetworkPolicySettings:
    """The NetworkPolicy that a workload construct creates for its own pods.

    The policy denies all ingress and, unless ``restrict_egress`` is False,
    all egress. It then allows DNS, the connections the workload is wired
    to, the traffic that an ExposedService brings, and the extra rules here.
    Pass it as a workload's ``network_policy`` prop, or ``network_policy=False``
    for no policy at all.

    Example, a Django app that also sends e-mail through an SMTP relay::

        StatelessApp(chart, "web", ..., network_policy=NetworkPolicySettings(
            extra_egress=[NetworkRule([NetworkPeer(cidr="0.0.0.0/0")], [NetworkPolicyPort(587)])]))
    """

    extra_ingress: Sequence[NetworkRule] = ()
    """Further traffic to the pods, such as a metrics scraper. Default: none."""
    extra_egress: Sequence[NetworkRule] = ()
    """Further traffic from the pods, such as an SMTP relay or an external API.
    Default: none."""
    restrict_egress: bool = True
    """Whether egress is denied except for what is allowed. ``False`` leaves out
    ``Egress`` from the policy types, so the pods may connect anywhere.
    Default: ``True``."""
    dns: NetworkPeer | None = field(default=KUBE_DNS)
    """DNS servers that the pods may query on port 53, over UDP and TCP.
    Default: :data:`KUBE_DNS`. In a cluster whose pods query another DNS
    server, such as a NodeLocal DNSCache address, pass a peer for that server.
    ``None`` allows no DNS."""
