"""Validation and rendering of the Ingress that an ExposedService can add."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from constructs_lib import validation
from constructs_lib._network import check_peer
from constructs_lib._props import PropChecker
from constructs_lib.ingress import Ingress, IngressPath, PathType

PROXY_BODY_SIZE = "nginx.ingress.kubernetes.io/proxy-body-size"
CLUSTER_ISSUER = "cert-manager.io/cluster-issuer"
LEGACY_CLASS = "kubernetes.io/ingress.class"

# nginx size syntax of client_max_body_size: bytes, or k, m or g units.
_NGINX_SIZE = re.compile(r"(0|[1-9][0-9]*)[kKmMgG]?")
# The API server rejects these in Exact and Prefix paths (validateIngressRules
# in k8s.io/kubernetes/pkg/apis/networking/validation).
_INVALID_SEQUENCES = ("//", "/./", "/../", "%2f", "%2F")
_INVALID_SUFFIXES = ("/..", "/.")
# ingress-nginx 1.12 and later reject other characters in Exact and Prefix
# paths (its strict-validate-path-type option, on by default).
_STRICT_PATH = re.compile(r"/[A-Za-z0-9\-._~/]*")


def check_ingress(check: PropChecker, ingress: Ingress, port_names: Sequence[str]) -> None:
    """Raise InvalidPropError for the first invalid Ingress setting."""
    if not isinstance(ingress, Ingress):
        raise check.fail(
            "ingress", ingress, "must be an Ingress", "Pass Ingress(host='app.example.com')."
        )
    check.rule(
        "ingress.host",
        ingress.host,
        validation.ingress_host_problems,
        "Use a lower case DNS name such as 'comic.example.com' or '*.example.com'.",
    )
    subdomain_fix = "Use lower case letters, digits, '-' and '.'."
    if ingress.name is not None:
        check.rule(
            "ingress.name", ingress.name, validation.dns1123_subdomain_problems, subdomain_fix
        )
    check.rule(
        "ingress.class_name",
        ingress.class_name,
        validation.dns1123_subdomain_problems,
        "Use an IngressClass name from `kubectl get ingressclass`, such as 'nginx'.",
    )
    if ingress.proxy_body_size is not None and not _NGINX_SIZE.fullmatch(
        str(ingress.proxy_body_size)
    ):
        raise check.fail(
            "ingress.proxy_body_size",
            ingress.proxy_body_size,
            "must be an nginx size: a whole number of bytes with an optional k, m or g unit",
            "Pass a size such as '20m', or '0' for no limit.",
        )
    if ingress.tls is not None:
        check.rule(
            "ingress.tls.secret_name",
            ingress.tls.secret_name,
            validation.dns1123_subdomain_problems,
            subdomain_fix,
        )
        if ingress.tls.cluster_issuer is not None:
            check.rule(
                "ingress.tls.cluster_issuer",
                ingress.tls.cluster_issuer,
                validation.dns1123_subdomain_problems,
                subdomain_fix,
            )
    if not isinstance(ingress.annotations, Mapping):
        raise check.fail(
            "ingress.annotations",
            ingress.annotations,
            "must be a mapping",
            "Pass a dict, for example annotations={'example.com/owner': 'team'}.",
        )
    check.annotations("ingress.annotations", ingress.annotations)
    for key in ingress.annotations:
        if key == LEGACY_CLASS:
            raise check.fail(
                "ingress.annotations",
                key,
                "is the deprecated way to choose an Ingress controller",
                "Remove it and set class_name instead.",
            )
    # Values must be strings without NUL or lone surrogates, which no manifest can carry.
    check.annotations("ingress.annotations", ingress.annotations)
    _check_paths(check, ingress.paths, port_names)
    check_peer(check, "ingress.controller", ingress.controller)


def check_backend_protocols(
    check: PropChecker, ingress: Ingress, protocols: Mapping[str, str]
) -> None:
    """Raise InvalidPropError if a path routes to a Service port that is not TCP.

    ``protocols`` maps each Service port name to its protocol, first port
    first. HTTP runs over TCP, so an Ingress backend on a UDP or SCTP port
    never receives a request.
    """
    default_port = next(iter(protocols))
    for index, entry in enumerate(ingress.paths):
        name = entry.port or default_port
        if protocols[name] != "TCP":
            prop = f"ingress.paths[{index}].port"
            raise check.fail(
                prop,
                name,
                f"routes HTTP to Service port {name!r}, which is {protocols[name]}, not TCP",
                "Route the path to a TCP port with IngressPath(port=...).",
            )


def backend_ports(ingress: Ingress, port_names: Sequence[str]) -> list[str]:
    """Return the names of the Service ports that the Ingress routes to, each once, in order."""
    names: list[str] = []
    for entry in ingress.paths:
        name = entry.port or port_names[0]
        if name not in names:
            names.append(name)
    return names


def _check_paths(
    check: PropChecker, paths: Sequence[IngressPath], port_names: Sequence[str]
) -> None:
    if isinstance(paths, IngressPath) or not paths:
        raise check.fail(
            "ingress.paths", paths, "must be a non-empty list", "Pass paths=[IngressPath('/')]."
        )
    seen: set[tuple[str, str]] = set()
    for index, entry in enumerate(paths):
        prop = f"ingress.paths[{index}]"
        if not isinstance(entry.path_type, PathType):
            raise check.fail(
                f"{prop}.path_type",
                entry.path_type,
                "must be a PathType",
                "Pass PathType.PREFIX, PathType.EXACT or PathType.IMPLEMENTATION_SPECIFIC.",
            )
        if isinstance(entry.path, str):
            # For every path type, because ImplementationSpecific paths get no other check.
            check.text(f"{prop}.path", entry.path)
        problem = _path_problem(entry)
        if problem:
            raise check.fail(f"{prop}.path", entry.path, problem, "Use a path such as '/media'.")
        if entry.port is not None and entry.port not in port_names:
            known = ", ".join(repr(name) for name in port_names)
            raise check.fail(
                f"{prop}.port",
                entry.port,
                f"is not a port of the Service (its ports: {known})",
                "Name one of the Service's ports.",
            )
        key = (entry.path, str(entry.path_type))
        if key in seen:
            raise check.fail(
                f"{prop}.path", entry.path, "is listed twice with the same type", "List it once."
            )
        seen.add(key)


def _path_problem(entry: IngressPath) -> str | None:
    path = entry.path
    if not isinstance(path, str) or not path.startswith("/"):
        return "must start with '/'"
    if entry.path_type is PathType.IMPLEMENTATION_SPECIFIC:
        return None
    for sequence in _INVALID_SEQUENCES:
        if sequence in path:
            return f"must not contain {sequence!r} with path type {entry.path_type}"
    for suffix in _INVALID_SUFFIXES:
        if path.endswith(suffix):
            return f"must not end with {suffix!r} with path type {entry.path_type}"
    if not _STRICT_PATH.fullmatch(path):
        return (
            f"may contain only letters, digits and '-._~/' with path type {entry.path_type}, "
            "which ingress-nginx enforces"
        )
    return None


def render_ingress(
    ingress: Ingress,
    service: str,
    default_port: str,
    labels: Mapping[str, str],
) -> dict[str, Any]:
    """Return the Ingress manifest that routes ``ingress``'s paths to ``service``."""
    annotations = dict(ingress.annotations)
    if ingress.proxy_body_size is not None:
        annotations[PROXY_BODY_SIZE] = str(ingress.proxy_body_size)
    if ingress.tls is not None and ingress.tls.cluster_issuer is not None:
        annotations[CLUSTER_ISSUER] = ingress.tls.cluster_issuer
    metadata: dict[str, Any] = {"name": ingress.name or service, "labels": dict(labels)}
    if annotations:
        metadata["annotations"] = annotations
    spec: dict[str, Any] = {"ingressClassName": ingress.class_name}
    if ingress.tls is not None:
        spec["tls"] = [{"hosts": [ingress.host], "secretName": ingress.tls.secret_name}]
    spec["rules"] = [
        {
            "host": ingress.host,
            "http": {
                "paths": [
                    {
                        "path": entry.path,
                        "pathType": str(entry.path_type),
                        "backend": {
                            "service": {
                                "name": service,
                                "port": {"name": entry.port or default_port},
                            }
                        },
                    }
                    for entry in ingress.paths
                ]
            },
        }
    ]
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": metadata,
        "spec": spec,
    }
