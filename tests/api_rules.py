"""API server rules checked on synthesized manifests, field by field.

The strict OpenAPI schema check in tests/schema.py checks types and required
fields, but not name formats, label syntax, quantity values or cross-field
rules. This module applies the rules of :mod:`constructs_lib.validation` to
the manifests themselves, so a test fails when a construct emits a field
that it did not validate.
"""

from __future__ import annotations

from typing import Any

from constructs_lib import validation as v
from tests.api_rules_kinds import KIND_RULES
from tests.manifests import pod_templates

Manifest = dict[str, Any]

NAME_RULES = {
    "Service": v.dns1035_label_problems,
    "StatefulSet": v.statefulset_name_problems,
    "Namespace": v.dns1123_label_problems,
    # The Job controller copies the name into the pods' job-name label value.
    "Job": v.dns1123_label_problems,
}
"""Object name rule by kind; every other kind needs a DNS subdomain."""


def api_rule_problems(manifest: Manifest) -> list[str]:
    """Return one line per API server rule the manifest breaks."""
    kind = manifest["kind"]
    metadata = manifest["metadata"]
    where = f"{kind}/{metadata.get('name')}"
    problems = [
        f"{where} name: {p}"
        for p in NAME_RULES.get(kind, v.dns1123_subdomain_problems)(metadata["name"])
    ]
    problems.extend(f"{where} {p}" for p in _metadata_problems(metadata))
    claims = _claim_names(manifest)
    for template in pod_templates(manifest):
        problems.extend(f"{where} template {p}" for p in _metadata_problems(template.metadata))
        problems.extend(f"{where} {p}" for p in _pod_problems(template.spec, claims))
    if kind == "Deployment":
        rolling = manifest["spec"].get("strategy", {}).get("rollingUpdate")
        if rolling:
            problems.extend(
                f"{where} {p}"
                for p in v.rolling_update_problems(rolling["maxSurge"], rolling["maxUnavailable"])
            )
    if kind == "Service":
        problems.extend(f"{where} {p}" for p in _service_problems(manifest["spec"]))
    kind_rules = KIND_RULES.get(kind)
    if kind_rules is not None:
        problems.extend(f"{where} {p}" for p in kind_rules(manifest))
    return problems


def _claim_names(manifest: Manifest) -> set[str]:
    """Return the names of a StatefulSet's claim templates, which its pods mount as volumes."""
    if manifest["kind"] != "StatefulSet":
        return set()
    return {claim["metadata"]["name"] for claim in manifest["spec"].get("volumeClaimTemplates", [])}


def _metadata_problems(metadata: Manifest) -> list[str]:
    problems: list[str] = []
    for key, value in (metadata.get("labels") or {}).items():
        problems.extend(f"label key {key!r}: {p}" for p in v.label_key_problems(key))
        problems.extend(f"label {key!r}: {p}" for p in v.label_value_problems(value))
    problems.extend(v.annotations_problems(metadata.get("annotations") or {}))
    return problems


def _pod_problems(spec: Manifest, claims: set[str]) -> list[str]:
    problems: list[str] = []
    volume_names = [volume["name"] for volume in spec.get("volumes") or []]
    problems.extend(f"volume {n!r}: {p}" for n in volume_names for p in v.dns1123_label_problems(n))
    if len(set(volume_names)) != len(volume_names):
        problems.append(f"duplicate volume names {volume_names}")
    # The StatefulSet controller replaces a template volume of a claim's name
    # with the claim, silently, so such a volume never reaches the pod.
    problems.extend(f"volume {n!r} is also a claim template" for n in claims & set(volume_names))
    container_names = [c["name"] for c in [*spec.get("initContainers", []), *spec["containers"]]]
    if len(set(container_names)) != len(container_names):
        problems.append(f"duplicate container names {container_names}")
    for init_container in spec.get("initContainers", []):
        problems.extend(
            f"init container {init_container['name']!r} has a {probe}"
            for probe in ("livenessProbe", "readinessProbe", "startupProbe")
            if probe in init_container
        )
    context = spec.get("securityContext") or {}
    for field in ("runAsUser", "runAsGroup", "fsGroup"):
        if field in context:
            problems.extend(f"{field}: {p}" for p in v.unix_id_problems(context[field]))
    for container in [*spec.get("initContainers", []), *spec["containers"]]:
        problems.extend(_container_problems(container, set(volume_names) | claims))
    return problems


def _container_problems(container: Manifest, volume_names: set[str]) -> list[str]:
    name = container["name"]
    problems = [f"container {name!r}: {p}" for p in v.dns1123_label_problems(name)]
    port_names = [port["name"] for port in container.get("ports") or []]
    for port in container.get("ports") or []:
        problems.extend(f"port {port['name']!r}: {p}" for p in v.port_name_problems(port["name"]))
        problems.extend(f"port: {p}" for p in v.port_number_problems(port["containerPort"]))
    if len(set(port_names)) != len(port_names):
        problems.append(f"duplicate port names {port_names}")
    env_names = [entry["name"] for entry in container.get("env") or []]
    if len(set(env_names)) != len(env_names):
        problems.append(f"duplicate env names {env_names}")
    for entry in container.get("env") or []:
        problems.extend(
            f"env {entry['name']!r}: {p}" for p in v.env_var_name_problems(entry["name"])
        )
        problems.extend(f"env {entry['name']!r}: {p}" for p in _env_source_problems(entry))
    mount_paths = [mount["mountPath"] for mount in container.get("volumeMounts") or []]
    if len(set(mount_paths)) != len(mount_paths):
        problems.append(f"duplicate mount paths {mount_paths}")
    for mount in container.get("volumeMounts") or []:
        if mount["name"] not in volume_names:
            problems.append(f"mount of unknown volume {mount['name']!r}")
    problems.extend(_resource_problems(container.get("resources") or {}))
    for probe_field in ("livenessProbe", "readinessProbe", "startupProbe"):
        probe = container.get(probe_field)
        if probe is not None:
            problems.extend(f"{probe_field}: {p}" for p in _probe_problems(probe, port_names))
    return problems


def _resource_problems(resources: Manifest) -> list[str]:
    problems: list[str] = []
    requests = resources.get("requests") or {}
    limits = resources.get("limits") or {}
    for values in (requests, limits):
        for resource, quantity in values.items():
            kind = v.QuantityKind.CPU if resource == "cpu" else v.QuantityKind.MEMORY
            problems.extend(
                f"{resource} {quantity!r}: {p}" for p in v.quantity_problems(quantity, kind)
            )
    if problems:
        return problems
    for resource, request in requests.items():
        if resource in limits:
            problems.extend(v.request_limit_problems(resource, request, limits[resource]))
    return problems


def _probe_problems(probe: Manifest, port_names: list[str]) -> list[str]:
    problems: list[str] = []
    for field in ("periodSeconds", "timeoutSeconds", "failureThreshold"):
        problems.extend(f"{field}: {p}" for p in v.int32_problems(probe.get(field, 1), minimum=1))
    problems.extend(v.int32_problems(probe.get("initialDelaySeconds", 0)))
    for action in ("httpGet", "tcpSocket"):
        if action in probe and probe[action]["port"] not in port_names:
            problems.append(f"{action} port {probe[action]['port']!r} is not a container port")
    if "exec" in probe and not probe["exec"]["command"]:
        problems.append("exec command is empty")
    return problems


def _service_problems(spec: Manifest) -> list[str]:
    problems: list[str] = []
    ports = spec["ports"]
    names = [port["name"] for port in ports]
    if len(set(names)) != len(names):
        problems.append(f"duplicate port names {names}")
    pairs = [(port["port"], port["protocol"]) for port in ports]
    if len(set(pairs)) != len(pairs):
        problems.append(f"duplicate ports {pairs}")
    node_pairs = [(port["nodePort"], port["protocol"]) for port in ports if "nodePort" in port]
    if len(set(node_pairs)) != len(node_pairs):
        problems.append(f"duplicate node ports {node_pairs}")
    for port in ports:
        problems.extend(
            f"port {port['name']!r}: {p}" for p in v.dns1123_label_problems(port["name"])
        )
        problems.extend(v.port_number_problems(port["port"]))
        if "nodePort" in port:
            if spec["type"] == "ClusterIP":
                problems.append("nodePort on a ClusterIP Service")
            problems.extend(v.node_port_problems(port["nodePort"]))
    return problems


def _env_source_problems(entry: Manifest) -> list[str]:
    if "value" in entry:
        return [f"value {p}" for p in v.text_problems(entry["value"])]
    ref = entry.get("valueFrom", {}).get("secretKeyRef")
    if ref is None:
        return []
    problems = [f"secret {p}" for p in v.dns1123_subdomain_problems(ref["name"])]
    problems.extend(f"secret key {p}" for p in v.secret_key_problems(ref["key"]))
    return problems
