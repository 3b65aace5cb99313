"""API server rules for the kinds without a pod template, and rules across manifests.

:func:`tests.api_rules.api_rule_problems` applies :data:`KIND_RULES` to each
manifest. :func:`manifest_set_problems` checks what one manifest refers to in
another, such as an Ingress backend's Service port.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterable
from typing import Any

from constructs_lib import validation as v

Manifest = dict[str, Any]

ACCESS_MODES = frozenset({"ReadWriteOnce", "ReadWriteOncePod", "ReadWriteMany", "ReadOnlyMany"})
PROTOCOLS = frozenset({"TCP", "UDP", "SCTP"})


def _label_problems(labels: dict[str, str], where: str) -> list[str]:
    problems: list[str] = []
    for key, value in labels.items():
        problems.extend(f"{where} key {key!r}: {p}" for p in v.label_key_problems(key))
        problems.extend(f"{where} {key!r}: {p}" for p in v.label_value_problems(value))
    return problems


def _statefulset_problems(manifest: Manifest) -> list[str]:
    spec = manifest["spec"]
    problems = [f"serviceName: {p}" for p in v.dns1035_label_problems(spec["serviceName"])]
    problems.extend(v.int32_problems(spec["replicas"]))
    for claim in spec.get("volumeClaimTemplates", []):
        name = claim["metadata"]["name"]
        problems.extend(f"claim {name!r}: {p}" for p in v.dns1123_label_problems(name))
        claim_spec = claim["spec"]
        size = claim_spec["resources"]["requests"]["storage"]
        size_problems = v.quantity_problems(size, v.QuantityKind.STORAGE)
        problems.extend(f"claim size {size!r}: {p}" for p in size_problems)
        # ValidatePersistentVolumeClaimSpec requires a storage request above zero.
        if not size_problems and v.parse_quantity(size) <= 0:
            problems.append(f"claim size {size!r} must be greater than zero")
        problems.extend(
            f"claim access mode {mode!r} is unknown"
            for mode in claim_spec["accessModes"]
            if mode not in ACCESS_MODES
        )
        if "storageClassName" in claim_spec:
            problems.extend(
                f"storage class: {p}"
                for p in v.dns1123_subdomain_problems(claim_spec["storageClassName"])
            )
    return problems


def _pdb_problems(manifest: Manifest) -> list[str]:
    spec = manifest["spec"]
    problems = _label_problems(spec["selector"]["matchLabels"], "selector")
    if ("minAvailable" in spec) == ("maxUnavailable" in spec):
        problems.append("needs exactly one of minAvailable and maxUnavailable")
    for field in ("minAvailable", "maxUnavailable"):
        if field in spec:
            problems.extend(f"{field}: {p}" for p in v.int_or_percent_problems(spec[field]))
    return problems


def _job_problems(manifest: Manifest) -> list[str]:
    spec = manifest["spec"]
    problems = [f"backoffLimit: {p}" for p in v.int32_problems(spec["backoffLimit"])]
    problems.extend(
        f"activeDeadlineSeconds: {p}"
        for p in v.int32_problems(spec["activeDeadlineSeconds"], minimum=1)
    )
    if "ttlSecondsAfterFinished" in spec:
        problems.extend(
            f"ttlSecondsAfterFinished: {p}"
            for p in v.int32_problems(spec["ttlSecondsAfterFinished"])
        )
    if spec["template"]["spec"].get("restartPolicy") not in {"Never", "OnFailure"}:
        problems.append("restartPolicy must be Never or OnFailure")
    return problems


def _secret_problems(manifest: Manifest) -> list[str]:
    problems: list[str] = []
    for key, value in manifest.get("data", {}).items():
        problems.extend(f"data key {key!r}: {p}" for p in v.secret_key_problems(key))
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            problems.append(f"data of {key!r} is not base64")
    return problems


def _peer_problems(peer: Manifest) -> list[str]:
    if "ipBlock" in peer:
        if set(peer) != {"ipBlock"}:
            return ["ipBlock must be the peer's only field"]
        block = peer["ipBlock"]
        problems = [f"cidr: {p}" for p in v.cidr_problems(block["cidr"])]
        if problems:
            return problems
        return [
            f"except {excepted!r}: {p}"
            for excepted in block.get("except", [])
            for p in v.except_cidr_problems(excepted, block["cidr"])
        ]
    if not peer:
        return ["peer is empty"]
    problems = []
    for selector in ("podSelector", "namespaceSelector"):
        if selector in peer:
            problems.extend(_label_problems(peer[selector].get("matchLabels", {}), selector))
    return problems


def _network_policy_problems(manifest: Manifest) -> list[str]:
    spec = manifest["spec"]
    problems = _label_problems(spec["podSelector"]["matchLabels"], "podSelector")
    types = spec["policyTypes"]
    if not set(types) <= {"Ingress", "Egress"} or len(set(types)) != len(types):
        problems.append(f"policyTypes {types} are invalid")
    for direction, peers_field in (("ingress", "from"), ("egress", "to")):
        for rule in spec.get(direction, []):
            for peer in rule.get(peers_field, []):
                problems.extend(f"{direction} {p}" for p in _peer_problems(peer))
            for port in rule.get("ports", []):
                problems.extend(
                    f"{direction} port {p}" for p in v.port_number_problems(port["port"])
                )
                if port["protocol"] not in PROTOCOLS:
                    problems.append(f"{direction} protocol {port['protocol']!r} is unknown")
    return problems


def _ingress_problems(manifest: Manifest) -> list[str]:
    spec = manifest["spec"]
    problems = [f"class: {p}" for p in v.ingress_class_name_problems(spec["ingressClassName"])]
    for tls in spec.get("tls", []):
        problems.extend(f"tls secret: {p}" for p in v.dns1123_subdomain_problems(tls["secretName"]))
        for host in tls["hosts"]:
            problems.extend(f"tls host {host!r}: {p}" for p in v.ingress_host_problems(host))
    for rule in spec["rules"]:
        problems.extend(
            f"host {rule['host']!r}: {p}" for p in v.ingress_host_problems(rule["host"])
        )
        for path in rule["http"]["paths"]:
            problems.extend(
                f"path {path['path']!r}: {p}"
                for p in v.ingress_path_problems(path["path"], path["pathType"])
            )
            backend = path["backend"]["service"]
            problems.extend(f"backend: {p}" for p in v.dns1035_label_problems(backend["name"]))
            problems.extend(
                f"backend port: {p}" for p in v.port_name_problems(backend["port"]["name"])
            )
    return problems


def _namespace_problems(manifest: Manifest) -> list[str]:
    labels = manifest["metadata"]["labels"]
    if labels.get("pod-security.kubernetes.io/enforce") != "restricted":
        return ["does not enforce the restricted Pod Security Standard"]
    return []


KIND_RULES: dict[str, Callable[[Manifest], list[str]]] = {
    "StatefulSet": _statefulset_problems,
    "PodDisruptionBudget": _pdb_problems,
    "Job": _job_problems,
    "Secret": _secret_problems,
    "NetworkPolicy": _network_policy_problems,
    "Ingress": _ingress_problems,
    "Namespace": _namespace_problems,
}
"""Rules of each kind's own fields, beyond the strict schema."""


def manifest_set_problems(manifests: Iterable[Manifest]) -> list[str]:
    """Return one line per broken reference between manifests or repeated object name.

    ``kubectl apply`` keeps only the last of two objects of one kind, namespace
    and name, and an Ingress or StatefulSet that refers to a missing Service
    or port serves nothing.
    """
    manifests = list(manifests)
    problems: list[str] = []
    seen: set[tuple[str, str | None, str]] = set()
    service_ports: dict[str, set[str]] = {}
    headless: set[str] = set()
    for manifest in manifests:
        metadata = manifest["metadata"]
        key = (manifest["kind"], metadata.get("namespace"), metadata["name"])
        if key in seen:
            problems.append(f"{key[0]}/{key[2]} is defined twice")
        seen.add(key)
        if manifest["kind"] == "Service":
            service_ports[metadata["name"]] = {port["name"] for port in manifest["spec"]["ports"]}
            if manifest["spec"].get("clusterIP") == "None":
                headless.add(metadata["name"])
    for manifest in manifests:
        where = f"{manifest['kind']}/{manifest['metadata']['name']}"
        if manifest["kind"] == "Ingress":
            for rule in manifest["spec"]["rules"]:
                for path in rule["http"]["paths"]:
                    backend = path["backend"]["service"]
                    port = backend["port"]["name"]
                    if port not in service_ports.get(backend["name"], set()):
                        problems.append(f"{where} routes to missing port {backend['name']}:{port}")
        if manifest["kind"] == "StatefulSet" and manifest["spec"]["serviceName"] not in headless:
            problems.append(f"{where} has no headless Service {manifest['spec']['serviceName']}")
    return problems
