"""ExposedService: a Service in front of a workload's named ports."""

from __future__ import annotations

import enum
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from cdk8s import ApiObject, Chart
from constructs import Construct

from constructs_lib._ingress import (
    backend_ports,
    check_backend_protocols,
    check_ingress,
    render_ingress,
)
from constructs_lib._props import PropChecker
from constructs_lib._render import (
    chart_namespace,
    child_object,
    describe_namespace,
    emit,
    init_with_object,
)
from constructs_lib._typecheck import reports_wrong_types
from constructs_lib.connections import ServiceEndpoint
from constructs_lib.errors import NotFoundError, WiringError
from constructs_lib.ingress import Ingress
from constructs_lib.labels import RecommendedLabels
from constructs_lib.network import NetworkPolicyPort, NetworkRule
from constructs_lib.network_policy import WorkloadNetworkPolicy
from constructs_lib.ports import ContainerPort

__all__ = ["ExposedService", "ServicePort", "ServiceType"]

_UNKNOWN = object()

_node_ports: weakref.WeakKeyDictionary[Chart, dict[int, str]] = weakref.WeakKeyDictionary()
"""Node ports in use in each chart, by number, with the path of the ExposedService
that uses each. The API server allocates a node port to one Service in the whole
cluster, whatever its protocol (portallocator in pkg/registry/core/service)."""


class ServiceType(enum.StrEnum):
    """Service type, which decides where the Service is reachable from."""

    CLUSTER_IP = "ClusterIP"
    """A virtual IP reachable only inside the cluster."""
    NODE_PORT = "NodePort"
    """ClusterIP plus a port opened on every node."""
    LOAD_BALANCER = "LoadBalancer"
    """NodePort plus an external load balancer from the cloud provider."""


@dataclass(frozen=True, slots=True)
class ServicePort:
    """One port of the Service, forwarded to a named container port."""

    target: str
    """Name of the workload's container port; the Service port gets the same name."""
    port: int | None = None
    """Port that clients connect to. Default: the container port's number."""
    node_port: int | None = None
    """Port opened on every node, for NodePort and LoadBalancer Services only.
    Default: one that Kubernetes picks from 30000-32767."""


@runtime_checkable
class Exposable(Protocol):
    """The parts of a workload that a Service uses: identity, named ports and NetworkPolicy."""

    @property
    def labels(self) -> RecommendedLabels: ...

    @property
    def selector(self) -> Mapping[str, str]: ...

    @property
    def ports(self) -> Sequence[ContainerPort]: ...

    @property
    def network_policy(self) -> WorkloadNetworkPolicy | None: ...


class ExposedService(Construct):
    """A Service that selects a workload's pods and exposes its named ports.

    Produces:
        Service: of ``service_type``, with every port named after the
        container port it targets, and targetPort set by name.
        Ingress: only with ``ingress``, routing its host and paths to the
        Service's ports by name.

    When the app has a NetworkPolicy, a NodePort or LoadBalancer Service adds
    an ingress rule for its container ports from any source, because external
    clients arrive with source addresses that vary by provider and
    ``externalTrafficPolicy``. An Ingress adds a rule for its backend ports
    from ``ingress.controller``. A ClusterIP Service adds nothing: wire each
    client to :meth:`endpoint` to let it in.

    Example::

        ExposedService(chart, "public", app=web, name="staafu-public",
                       service_type=ServiceType.LOAD_BALANCER,
                       ports=[ServicePort("http", port=80)])
        ExposedService(chart, "web", app=web, name="comic",
                       ingress=Ingress(host="comic.example.com", proxy_body_size="20m"))
    """

    @reports_wrong_types("ExposedService")
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        app: Exposable,
        name: str,
        service_type: ServiceType = ServiceType.CLUSTER_IP,
        ports: Sequence[ServicePort] | None = None,
        annotations: Mapping[str, str] | None = None,
        ingress: Ingress | None = None,
    ) -> None:
        """Define the Service.

        Args:
            scope: Parent construct, usually a chart.
            construct_id: Construct id, unique within ``scope``.
            app: The workload whose pods receive the traffic.
            name: Service name, which becomes its DNS name: an RFC 1035 label.
            service_type: Default: ClusterIP.
            ports: Ports to expose. Default: every container port of ``app``,
                each on its own number.
            annotations: Extra Service annotations, for example a cloud
                provider's load balancer settings.
            ingress: Host, paths and TLS of an Ingress in front of the
                Service. Default: none.
        """
        check = PropChecker.for_child("ExposedService", scope, construct_id)

        # Resolve defaults and validate every prop before creating any construct.
        check.service_name("name", name)
        if not isinstance(service_type, ServiceType):
            allowed = ", ".join(repr(kind.value) for kind in ServiceType)
            raise check.fail(
                "service_type",
                service_type,
                f"must be a ServiceType ({allowed})",
                "Pass ServiceType.CLUSTER_IP, ServiceType.NODE_PORT or ServiceType.LOAD_BALANCER.",
            )
        if ports is not None and (isinstance(ports, str) or not isinstance(ports, Sequence)):
            raise check.fail("ports", ports, "must be a list", "Pass [ServicePort('http')].")
        requested = list(ports) if ports is not None else [ServicePort(p.name) for p in app.ports]
        if not requested:
            raise check.fail(
                "ports",
                ports,
                "a Service needs at least one port, and the app declares none",
                "Declare ports on the app, or pass ports=[ServicePort(...)].",
            )
        rendered_ports = [
            _render_port(check, service_type, app, port, index)
            for index, port in enumerate(requested)
        ]
        _check_unique(check, rendered_ports)
        node_ports = [port["nodePort"] for port in rendered_ports if "nodePort" in port]
        taken = _node_ports.setdefault(Chart.of(scope), {}) if node_ports else {}
        _check_node_ports_free(check, node_ports, taken)
        _check_same_namespace(check, scope, app)
        if annotations is not None:
            check.annotations("annotations", annotations)
        port_names = [port["name"] for port in rendered_ports]
        if ingress is not None:
            check_ingress(check, ingress, port_names)
            protocols = {port["name"]: port["protocol"] for port in rendered_ports}
            check_backend_protocols(check, ingress, protocols)
        policy_rules: list[NetworkRule] = []
        if service_type is not ServiceType.CLUSTER_IP:
            policy_rules.append(NetworkRule(peers=(), ports=_policy_ports(app, port_names)))
        if ingress is not None:
            policy_rules.append(
                NetworkRule(
                    peers=(ingress.controller,),
                    ports=_policy_ports(app, backend_ports(ingress, port_names)),
                )
            )

        self.name = name
        self.app = app
        self.service_type = service_type
        self.labels = app.labels
        self.ports: tuple[ServicePort, ...] = tuple(requested)
        self.manifest = self._render(app, rendered_ports, annotations)
        # Replaces super().__init__: creates this construct and its Service.
        init_with_object(self, scope, construct_id, "Service", self.manifest)
        taken.update((node_port, check.path) for node_port in node_ports)
        self._service: ApiObject | None = None
        self.ingress_manifest: dict[str, Any] | None = None
        self.ingress: ApiObject | None = None
        if ingress is not None:
            self.ingress_manifest = render_ingress(ingress, name, port_names[0], app.labels.all)
            self.ingress = emit(self, "Ingress", self.ingress_manifest)
        if app.network_policy is not None:
            for rule in policy_rules:
                app.network_policy.allow_ingress(rule)

    @property
    def service(self) -> ApiObject:
        """The Service's ApiObject, for escape hatches such as ``add_json_patch``."""
        if self._service is None:
            self._service = child_object(self, "Service")
        return self._service

    def _render(
        self,
        app: Exposable,
        ports: list[dict[str, Any]],
        annotations: Mapping[str, str] | None,
    ) -> dict[str, Any]:
        metadata: dict[str, Any] = {"name": self.name, "labels": app.labels.all}
        if annotations:
            metadata["annotations"] = dict(annotations)
        return {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": metadata,
            "spec": {
                "type": str(self.service_type),
                "selector": dict(app.selector),
                "ports": ports,
            },
        }

    def port_number(self, target: str) -> int:
        """Return the Service port number that forwards to container port ``target``.

        Raises:
            NotFoundError: the Service exposes no port of that name. It is a
                KeyError too.
        """
        for port in self.manifest["spec"]["ports"]:
            if port["name"] == target:
                number: int = port["port"]
                return number
        known = ", ".join(repr(port["name"]) for port in self.manifest["spec"]["ports"])
        raise NotFoundError(
            f"ExposedService {self.name!r} exposes no port named {target!r}. Its ports: {known}."
        )

    def endpoint(self, target: str) -> ServiceEndpoint:
        """Return the endpoint of the Service port that forwards to container port ``target``.

        Wrap it in an :class:`EnvVars` with the variables that point a client
        at the Service, and pass that in the client's ``env_from``: the
        client's NetworkPolicy then allows egress to the app's pods, and the
        app's allows ingress from the client's.

        Raises:
            NotFoundError: the Service exposes no port of that name. It is a
                KeyError too.
        """
        number = self.port_number(target)
        container_port = next(port for port in self.app.ports if port.name == target)
        return ServiceEndpoint(
            service=self.name,
            namespace=Chart.of(self).namespace,
            port=number,
            target_port=container_port,
            selector=dict(self.app.selector),
            policy=self.app.network_policy,
        )

    @property
    def dns_name(self) -> str:
        """The Service's short DNS name, resolvable from its own namespace."""
        return self.name


def _render_port(
    check: PropChecker,
    service_type: ServiceType,
    app: Exposable,
    port: ServicePort,
    index: int,
) -> dict[str, Any]:
    prop = f"ports[{index}]"
    if not isinstance(port, ServicePort):
        raise check.fail(prop, port, "must be a ServicePort", "Pass ServicePort('http', port=80).")
    container_port = next((p for p in app.ports if p.name == port.target), None)
    if container_port is None:
        known = ", ".join(repr(p.name) for p in app.ports) or "none"
        raise check.fail(
            f"{prop}.target",
            port.target,
            f"is not a container port of the app (its ports: {known})",
            "Name one of the app's container ports.",
        )
    number = port.port if port.port is not None else container_port.number
    check.port_number(f"{prop}.port", number)
    rendered: dict[str, Any] = {
        "name": container_port.name,
        "port": number,
        "targetPort": container_port.name,
        "protocol": str(container_port.protocol),
    }
    if port.node_port is not None:
        if service_type is ServiceType.CLUSTER_IP:
            raise check.fail(
                f"{prop}.node_port",
                port.node_port,
                "is allowed only for NodePort and LoadBalancer Services",
                "Remove node_port, or use ServiceType.NODE_PORT.",
            )
        check.node_port(f"{prop}.node_port", port.node_port)
        rendered["nodePort"] = port.node_port
    return rendered


def _policy_ports(app: Exposable, names: Sequence[str]) -> tuple[NetworkPolicyPort, ...]:
    """Return the container ports called ``names`` as NetworkPolicy ports.

    Service ports carry the name of the container port they target, so a
    Service port name is also a container port name.
    """
    by_name = {port.name: port for port in app.ports}
    return tuple(NetworkPolicyPort(by_name[name].number, by_name[name].protocol) for name in names)


def _check_unique(check: PropChecker, ports: list[dict[str, Any]]) -> None:
    """Reject repeated port names, (port, protocol) pairs and (nodePort, protocol) pairs.

    Source: ValidateService in pkg/apis/core/validation/validation.go.
    """
    seen_names: set[str] = set()
    seen_numbers: set[tuple[int, str]] = set()
    seen_node_ports: set[tuple[int, str]] = set()
    for port in ports:
        if port["name"] in seen_names:
            raise check.fail(
                "ports", port["name"], "targets the same container port twice", "Expose it once."
            )
        key = (port["port"], port["protocol"])
        if key in seen_numbers:
            raise check.fail(
                "ports",
                port["port"],
                f"Service port {port['port']}/{port['protocol']} is used twice",
                "Give each Service port its own number.",
            )
        # Like Service ports, node ports must be unique per protocol.
        node_port = port.get("nodePort")
        node_key = (node_port, port["protocol"]) if node_port is not None else None
        if node_key is not None and node_key in seen_node_ports:
            raise check.fail(
                "ports",
                node_port,
                f"node port {node_port}/{port['protocol']} is used twice",
                "Give each port its own node_port.",
            )
        seen_names.add(port["name"])
        seen_numbers.add(key)
        if node_key is not None:
            seen_node_ports.add(node_key)


def _check_node_ports_free(
    check: PropChecker, node_ports: Sequence[int], taken: Mapping[int, str]
) -> None:
    """Reject a node port that another ExposedService of the chart already uses."""
    for node_port in node_ports:
        owner = taken.get(node_port)
        if owner is not None:
            raise check.fail(
                "ports",
                node_port,
                f"node port {node_port} is already used by ExposedService {owner!r}, and "
                "the API server allocates each node port to one Service in the cluster",
                "Pick another node_port, or leave it unset to let Kubernetes pick one.",
            )


def _check_same_namespace(check: PropChecker, scope: Construct, app: Exposable) -> None:
    """Raise WiringError if the Service and the app's pods are in different namespaces.

    A Service selects pods of its own namespace only, so it would have no endpoints.
    The workload constructs store their namespace, which saves the jsii requests of
    looking it up again.
    """
    if not isinstance(app, Construct) or app is scope:
        return
    service_namespace = chart_namespace(scope)
    app_namespace = getattr(app, "namespace", _UNKNOWN)
    if not (app_namespace is None or isinstance(app_namespace, str)):
        app_namespace = chart_namespace(app)
    if service_namespace != app_namespace:
        raise WiringError(
            f"ExposedService {check.path!r} is in {describe_namespace(service_namespace)}, "
            f"but its app {app.node.path!r} is in {describe_namespace(app_namespace)}, and a "
            "Service selects only pods of its own namespace. Define the ExposedService in a "
            "chart with the app's namespace."
        )
