"""Validation rules for Ingress fields.

Part of :mod:`constructs_lib.validation`, which re-exports every public name.
The Ingress construct itself lives in its own module.
"""

from __future__ import annotations

import ipaddress
import re

from constructs_lib._names import DNS1123_SUBDOMAIN_MAX_LENGTH, dns1123_subdomain_problems

__all__ = [
    "INGRESS_PATH_TYPES",
    "ingress_class_name_problems",
    "ingress_host_problems",
    "ingress_path_problems",
]

INGRESS_PATH_TYPES = ("Exact", "Prefix", "ImplementationSpecific")

_DNS1123_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_INVALID_PATH_SEQUENCES = ("//", "/./", "/../", "%2f", "%2F")
_INVALID_PATH_SUFFIXES = ("/..", "/.")


def ingress_path_problems(path: str, path_type: str) -> list[str]:
    """Check an Ingress HTTP path for its pathType.

    Source: validateHTTPIngressPath in
    pkg/apis/networking/validation/validation.go. Exact and Prefix paths must be
    absolute and must not contain '//', '/./', '/../', '%2f' or '%2F', nor end
    with '/..' or '/.'. An ImplementationSpecific path may be empty.
    """
    if path_type not in INGRESS_PATH_TYPES:
        return [f"path type must be one of {', '.join(INGRESS_PATH_TYPES)}, not {path_type!r}"]
    if path_type == "ImplementationSpecific":
        if path and not path.startswith("/"):
            return ["must be an absolute path"]
        return []
    problems: list[str] = []
    if not path.startswith("/"):
        problems.append("must be an absolute path")
    problems.extend(
        f"must not contain {sequence!r}" for sequence in _INVALID_PATH_SEQUENCES if sequence in path
    )
    problems.extend(
        f"cannot end with {suffix!r}" for suffix in _INVALID_PATH_SUFFIXES if path.endswith(suffix)
    )
    return problems


def ingress_class_name_problems(value: str) -> list[str]:
    """Check spec.ingressClassName, which names an IngressClass: a DNS subdomain.

    Source: ValidateIngressClassName (NameIsDNSSubdomain) in
    pkg/apis/networking/validation/validation.go.
    """
    return dns1123_subdomain_problems(value)


def ingress_host_problems(host: str) -> list[str]:
    """Check an Ingress rule host: a DNS subdomain or ``*.`` wildcard, never an IP.

    Source: validateIngressRules in
    pkg/apis/networking/validation/validation.go and IsWildcardDNS1123Subdomain
    in k8s.io/apimachinery/pkg/util/validation/validation.go.
    """
    problems: list[str] = []
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        problems.append("must be a DNS name, not an IP address")
    if "*" in host:
        rest = host[2:] if host.startswith("*.") else ""
        if not rest or len(host) > DNS1123_SUBDOMAIN_MAX_LENGTH:
            problems.append("a wildcard host must be '*.' followed by a DNS subdomain")
        elif not _DNS1123_SUBDOMAIN.fullmatch(rest):
            problems.append("the part after '*.' must be a DNS subdomain")
        return problems
    problems.extend(dns1123_subdomain_problems(host))
    return problems
