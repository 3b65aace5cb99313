"""Find the objects in a set of manifests and the references between them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from constructs_lib.diagram._hosts import container_texts, names_host
from constructs_lib.manifests import PodTemplate, object_name, pod_templates, selector_matches

Manifest = Mapping[str, Any]
NodeKey = tuple[str, str, str]
"""Kind, namespace (empty when unset) and name of a node."""

PVC_TEMPLATE = "PVC template"
"""Kind shown for a StatefulSet's volumeClaimTemplates entry, which is no object of its own."""


@dataclass(frozen=True, slots=True)
class Node:
    """One object in the diagram."""

    kind: str
    """Kubernetes kind, or :data:`PVC_TEMPLATE`."""
    name: str
    """Name shown in the box."""
    namespace: str = ""
    """``metadata.namespace``, or empty when the manifest sets none."""
    external: bool = False
    """True when a manifest refers to the object but none defines it, such as a
    Secret created with kubectl."""
    key_name: str = ""
    """Name used in :attr:`key` when it differs from :attr:`name`. Default: the name."""
    detail: str = ""
    """Short note shown after the kind, such as a Service's type. Default: none."""

    @property
    def key(self) -> NodeKey:
        """Identity of the node: kind, namespace and name."""
        return (self.kind, self.namespace, self.key_name or self.name)

    @property
    def title(self) -> str:
        """``Kind/name`` or ``Kind/namespace/name``."""
        return object_name(self.kind, self.name, self.namespace)


@dataclass(frozen=True, slots=True, order=True)
class Edge:
    """A reference from one object to another."""

    source: NodeKey
    target: NodeKey
    label: str
    """Kind of reference, such as ``selects`` or ``secretKeyRef``."""


@dataclass(slots=True)
class Graph:
    """The objects of some manifests and the references between them."""

    nodes: dict[NodeKey, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)

    def add_node(self, node: Node) -> NodeKey:
        """Add ``node`` and return its key, keeping an existing node of the same key.

        A defined object replaces an external placeholder of the same key.
        """
        existing = self.nodes.get(node.key)
        if existing is None or (existing.external and not node.external):
            self.nodes[node.key] = node
        return node.key

    def add_edge(self, source: NodeKey, target: NodeKey, label: str) -> None:
        """Add an edge unless the same edge exists."""
        edge = Edge(source, target, label)
        if edge not in self.edges:
            self.edges.append(edge)

    def reference(self, kind: str, namespace: str, name: str) -> NodeKey:
        """Return the key of a referenced object, adding an external node when it is unknown."""
        return self.add_node(Node(kind, name, namespace, external=True))

    def sorted(self) -> Graph:
        """Return a copy with nodes and edges in a stable order, for deterministic output."""
        nodes = {key: self.nodes[key] for key in sorted(self.nodes)}
        return Graph(nodes=nodes, edges=sorted(set(self.edges)))


def build_graph(manifests: Iterable[Manifest]) -> Graph:
    """Return the objects of ``manifests`` and the references between them.

    Edges, from the referring object to the referred one:

    - Ingress to Service: every ``backend.service.name``; to Secret: ``tls[].secretName``.
    - Service to workload: the Service's selector matches the pod template's labels.
    - Workload to Secret or ConfigMap: ``secretKeyRef``, ``configMapKeyRef``,
      ``envFrom``, volumes (also projected) and ``imagePullSecrets``.
    - Workload to PersistentVolumeClaim: ``persistentVolumeClaim`` volumes.
    - Workload to Service it talks to: an env value, command or argument names
      the Service's host, after ``$(VAR)`` expansion (see ``_hosts``).
    - StatefulSet to its governing Service (``serviceName``) and to one
      :data:`PVC_TEMPLATE` node per ``volumeClaimTemplates`` entry.
    - NetworkPolicy to the workloads its ``podSelector`` selects, and between the
      policy and each workload named by a ``podSelector`` peer in its rules.
    - PodDisruptionBudget to the workloads its selector matches,
      HorizontalPodAutoscaler to its ``scaleTargetRef``.

    Workloads are Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
    ReplicationController, Job and CronJob. Selectors match only within one
    namespace.
    """
    listed = [m for m in manifests if m.get("kind") and (m.get("metadata") or {}).get("name")]
    graph = Graph()
    for manifest in listed:
        graph.add_node(_node_of(manifest))
    templates = list(pod_templates(listed))
    workloads = {_template_key(template): template for template in templates}

    for manifest in listed:
        kind = manifest["kind"]
        if kind == "Ingress":
            _ingress_edges(graph, manifest)
        elif kind == "Service":
            _service_edges(graph, manifest, workloads)
        elif kind == "NetworkPolicy":
            _network_policy_edges(graph, manifest, workloads)
        elif kind == "PodDisruptionBudget":
            selector = (manifest.get("spec") or {}).get("selector")
            for key in _selected(workloads, _namespace(manifest), selector):
                graph.add_edge(_node_of(manifest).key, key, "protects")
        elif kind == "HorizontalPodAutoscaler":
            target = (manifest.get("spec") or {}).get("scaleTargetRef") or {}
            if target.get("kind") and target.get("name"):
                reference = graph.reference(target["kind"], _namespace(manifest), target["name"])
                graph.add_edge(_node_of(manifest).key, reference, "scales")
        elif kind == "StatefulSet":
            _statefulset_edges(graph, manifest)

    for key, template in workloads.items():
        _pod_edges(graph, key, template)
    _talks_to_edges(graph, workloads)
    return graph.sorted()


def _node_of(manifest: Manifest) -> Node:
    return Node(
        str(manifest["kind"]),
        str(manifest["metadata"]["name"]),
        _namespace(manifest),
        detail=_detail(manifest),
    )


def _detail(manifest: Manifest) -> str:
    """Return a Service's type when it is not ClusterIP, or ``headless``."""
    if manifest["kind"] != "Service":
        return ""
    spec = manifest.get("spec") or {}
    if spec.get("clusterIP") == "None":
        return "headless"
    service_type = spec.get("type", "ClusterIP")
    return "" if service_type == "ClusterIP" else str(service_type)


def _namespace(manifest: Manifest) -> str:
    return str((manifest.get("metadata") or {}).get("namespace") or "")


def _template_key(template: PodTemplate) -> NodeKey:
    return (template.kind, template.namespace or "", template.name)


def _selected(
    workloads: Mapping[NodeKey, PodTemplate], namespace: str, selector: Mapping[str, Any] | None
) -> Iterator[NodeKey]:
    for key, template in workloads.items():
        if key[1] == namespace and selector_matches(selector, template.labels):
            yield key


def _ingress_edges(graph: Graph, ingress: Manifest) -> None:
    source = _node_of(ingress).key
    namespace = _namespace(ingress)
    spec = ingress.get("spec") or {}
    backends = [spec.get("defaultBackend") or {}]
    for rule in spec.get("rules") or []:
        backends.extend(
            path.get("backend") or {} for path in (rule.get("http") or {}).get("paths") or []
        )
    for backend in backends:
        name = (backend.get("service") or {}).get("name")
        if name:
            graph.add_edge(source, graph.reference("Service", namespace, name), "backend")
    for tls in spec.get("tls") or []:
        if tls.get("secretName"):
            graph.add_edge(source, graph.reference("Secret", namespace, tls["secretName"]), "tls")


def _service_edges(
    graph: Graph, service: Manifest, workloads: Mapping[NodeKey, PodTemplate]
) -> None:
    selector = (service.get("spec") or {}).get("selector")
    if not selector:
        return
    for key in _selected(workloads, _namespace(service), {"matchLabels": selector}):
        graph.add_edge(_node_of(service).key, key, "selects")


def _statefulset_edges(graph: Graph, statefulset: Manifest) -> None:
    source = _node_of(statefulset).key
    namespace = _namespace(statefulset)
    spec = statefulset.get("spec") or {}
    if spec.get("serviceName"):
        graph.add_edge(
            source, graph.reference("Service", namespace, spec["serviceName"]), "serviceName"
        )
    for claim in spec.get("volumeClaimTemplates") or []:
        claim_name = (claim.get("metadata") or {}).get("name")
        if claim_name:
            node = Node(PVC_TEMPLATE, claim_name, namespace, key_name=f"{source[2]}/{claim_name}")
            graph.add_edge(source, graph.add_node(node), "volumeClaimTemplate")


def _network_policy_edges(
    graph: Graph, policy: Manifest, workloads: Mapping[NodeKey, PodTemplate]
) -> None:
    source = _node_of(policy).key
    namespace = _namespace(policy)
    spec = policy.get("spec") or {}
    for key in _selected(workloads, namespace, spec.get("podSelector")):
        graph.add_edge(source, key, "applies to")
    for rule in spec.get("ingress") or []:
        for peer in _pod_peers(rule.get("from")):
            for key in _selected(workloads, namespace, peer):
                graph.add_edge(key, source, "ingress allowed")
    for rule in spec.get("egress") or []:
        for peer in _pod_peers(rule.get("to")):
            for key in _selected(workloads, namespace, peer):
                graph.add_edge(source, key, "egress allowed")


def _pod_peers(peers: Iterable[Mapping[str, Any]] | None) -> Iterator[Mapping[str, Any]]:
    """Yield the pod selectors of peers in the policy's own namespace."""
    for peer in peers or []:
        if "podSelector" in peer and "namespaceSelector" not in peer:
            yield peer["podSelector"] or {}


def _pod_edges(graph: Graph, source: NodeKey, template: PodTemplate) -> None:
    namespace = source[1]
    spec = template.spec
    for _, container in template.containers():
        for entry in container.get("env") or []:
            value_from = entry.get("valueFrom") or {}
            for ref, kind in (("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap")):
                name = (value_from.get(ref) or {}).get("name")
                if name:
                    graph.add_edge(source, graph.reference(kind, namespace, name), ref)
        for entry in container.get("envFrom") or []:
            for ref, kind in (("secretRef", "Secret"), ("configMapRef", "ConfigMap")):
                name = (entry.get(ref) or {}).get("name")
                if name:
                    graph.add_edge(source, graph.reference(kind, namespace, name), "envFrom")
    for volume in spec.get("volumes") or []:
        for kind, name in _volume_references(volume):
            label = "mounts" if kind == "PersistentVolumeClaim" else "volume"
            graph.add_edge(source, graph.reference(kind, namespace, name), label)
    for pull_secret in spec.get("imagePullSecrets") or []:
        if pull_secret.get("name"):
            secret = graph.reference("Secret", namespace, pull_secret["name"])
            graph.add_edge(source, secret, "imagePullSecrets")
    if spec.get("serviceAccountName"):
        account = graph.reference("ServiceAccount", namespace, spec["serviceAccountName"])
        graph.add_edge(source, account, "serviceAccount")


def _volume_references(volume: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    if (volume.get("secret") or {}).get("secretName"):
        yield "Secret", volume["secret"]["secretName"]
    if (volume.get("configMap") or {}).get("name"):
        yield "ConfigMap", volume["configMap"]["name"]
    if (volume.get("persistentVolumeClaim") or {}).get("claimName"):
        yield "PersistentVolumeClaim", volume["persistentVolumeClaim"]["claimName"]
    for source in (volume.get("projected") or {}).get("sources") or []:
        if (source.get("secret") or {}).get("name"):
            yield "Secret", source["secret"]["name"]
        if (source.get("configMap") or {}).get("name"):
            yield "ConfigMap", source["configMap"]["name"]


def _talks_to_edges(graph: Graph, workloads: Mapping[NodeKey, PodTemplate]) -> None:
    """Add an edge from each workload to every Service host that its containers name.

    A Service that selects the workload itself is skipped, because a reference
    to one's own Service (an allowed-hosts list, say) is no outgoing traffic.
    """
    services = [node for node in graph.nodes.values() if node.kind == "Service"]
    own = {(edge.source, edge.target) for edge in graph.edges if edge.label == "selects"}
    for key, template in workloads.items():
        texts = [
            text for _, container in template.containers() for text in container_texts(container)
        ]
        for service in services:
            if (service.key, key) in own:
                continue
            # An unset namespace means "wherever the manifests are applied", so it matches any.
            same_namespace = not service.namespace or not key[1] or service.namespace == key[1]
            if any(
                names_host(text, service.name, service.namespace, same_namespace=same_namespace)
                for text in texts
            ):
                graph.add_edge(key, service.key, "talks to")
