"""Kubernetes validation rules, as pure functions.

Each ``*_problems`` function returns the reasons a value is invalid, or an
empty list when it is valid, in the style of the API server's validation
helpers. Each function's docstring names the Kubernetes source file its rule
comes from. Paths are relative to the kubernetes/kubernetes repository, where
k8s.io/apimachinery lives under staging/src/. Where the library is stricter
than the API server, the docstring states it and the reason. The rules hold for
Kubernetes 1.30 to 1.35: where a limit changed between those releases, the
smaller one is used.
"""

from __future__ import annotations

import ipaddress
import re

from constructs_lib._ingress_rules import (
    INGRESS_PATH_TYPES,
    ingress_class_name_problems,
    ingress_host_problems,
    ingress_path_problems,
)
from constructs_lib._names import (
    DNS1035_LABEL_MAX_LENGTH,
    DNS1123_LABEL_MAX_LENGTH,
    DNS1123_SUBDOMAIN_MAX_LENGTH,
    STATEFULSET_NAME_MAX_LENGTH,
    dns1035_label_problems,
    dns1123_label_problems,
    dns1123_subdomain_problems,
    statefulset_name_problems,
    too_long,
)
from constructs_lib._quantity import (
    QUANTITY_MAX,
    QuantityKind,
    parse_quantity,
    quantity_problems,
    request_limit_problems,
)
from constructs_lib._workload_rules import (
    INT32_MAX,
    UID_MAX,
    int32_problems,
    int_or_percent_problems,
    mount_path_problems,
    rolling_update_problems,
    run_as_user_problems,
    text_problems,
    unix_id_problems,
)

__all__ = [
    "ANNOTATIONS_MAX_BYTES",
    "DNS1035_LABEL_MAX_LENGTH",
    "DNS1123_LABEL_MAX_LENGTH",
    "DNS1123_SUBDOMAIN_MAX_LENGTH",
    "INGRESS_PATH_TYPES",
    "INT32_MAX",
    "LABEL_VALUE_MAX_LENGTH",
    "NODE_PORT_RANGE",
    "PORT_NAME_MAX_LENGTH",
    "QUANTITY_MAX",
    "STATEFULSET_NAME_MAX_LENGTH",
    "UID_MAX",
    "QuantityKind",
    "annotations_problems",
    "cidr_problems",
    "dns1035_label_problems",
    "dns1123_label_problems",
    "dns1123_subdomain_problems",
    "env_var_name_problems",
    "except_cidr_problems",
    "ingress_class_name_problems",
    "ingress_host_problems",
    "ingress_path_problems",
    "int32_problems",
    "int_or_percent_problems",
    "label_key_problems",
    "label_value_problems",
    "mount_path_problems",
    "node_port_problems",
    "parse_quantity",
    "port_name_problems",
    "port_number_problems",
    "quantity_problems",
    "request_limit_problems",
    "rolling_update_problems",
    "run_as_user_problems",
    "secret_key_problems",
    "statefulset_name_problems",
    "text_problems",
    "unix_id_problems",
]

LABEL_VALUE_MAX_LENGTH = 63
QUALIFIED_NAME_MAX_LENGTH = 63
PORT_NAME_MAX_LENGTH = 15
ANNOTATIONS_MAX_BYTES = 256 * 1024
"""Maximum total size of an object's annotation keys and values."""
NODE_PORT_RANGE = range(30000, 32768)
"""The API server's default ``--service-node-port-range``, 30000-32767."""

_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")
_QUALIFIED_NAME = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_PORT_NAME_CHARS = re.compile(r"[-a-z0-9]+")
_PORT_NAME_LETTER = re.compile(r"[a-z]")
_SECRET_KEY = re.compile(r"[-._a-zA-Z0-9]+")
_C_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# Labels and annotations -----------------------------------------------------


def label_value_problems(value: str) -> list[str]:
    """Check a label value, which may be empty. ``1.2.3+build`` is invalid.

    Source: IsLabelValue in
    k8s.io/apimachinery/pkg/api/validate/content/kube.go, formerly
    IsValidLabelValue in pkg/util/validation/validation.go.
    """
    problems = too_long(value, LABEL_VALUE_MAX_LENGTH)
    if not _LABEL_VALUE.fullmatch(value):
        problems.append(
            "must be empty or consist of alphanumeric characters, '-', '_' or '.', "
            "and must start and end with an alphanumeric character"
        )
    return problems


def label_key_problems(key: str) -> list[str]:
    """Check a label or annotation key: an optional DNS subdomain prefix and a name.

    Source: IsLabelKey in k8s.io/apimachinery/pkg/api/validate/content/kube.go,
    formerly IsQualifiedName in pkg/util/validation/validation.go.
    """
    parts = key.split("/")
    if len(parts) > 2:
        return ["must be a name with an optional DNS subdomain prefix and one '/'"]
    name = parts[-1]
    problems: list[str] = []
    if len(parts) == 2:
        prefix = parts[0]
        if not prefix:
            problems.append("prefix part must be non-empty")
        else:
            problems.extend(f"prefix part {p}" for p in dns1123_subdomain_problems(prefix))
    if not name:
        problems.append("name part must be non-empty")
        return problems
    if len(name) > QUALIFIED_NAME_MAX_LENGTH:
        problems.append(f"name part must be no more than {QUALIFIED_NAME_MAX_LENGTH} characters")
    if not _QUALIFIED_NAME.fullmatch(name):
        problems.append(
            "name part must consist of alphanumeric characters, '-', '_' or '.', "
            "and must start and end with an alphanumeric character"
        )
    return problems


def annotations_problems(annotations: dict[str, str]) -> list[str]:
    """Check annotation keys and the 256 KiB limit on all keys and values together.

    Source: ValidateAnnotations and ValidateAnnotationsSize in
    k8s.io/apimachinery/pkg/api/validation/objectmeta.go. Keys are checked in
    lower case there, so upper-case letters pass as they do here.
    """
    problems: list[str] = []
    total = 0
    for key, value in annotations.items():
        problems.extend(f"key {key!r}: {p}" for p in label_key_problems(key.lower()))
        if not isinstance(value, str):
            problems.append(f"value of {key!r} must be a string, not {type(value).__name__}")
            continue
        problems.extend(f"value of {key!r} {p}" for p in text_problems(value))
        total += len(key.encode("utf-8", "surrogatepass")) + len(
            value.encode("utf-8", "surrogatepass")
        )
    if total > ANNOTATIONS_MAX_BYTES:
        problems.append(f"must be no more than {ANNOTATIONS_MAX_BYTES} bytes in total, not {total}")
    return problems


# Ports ----------------------------------------------------------------------


def port_name_problems(value: str) -> list[str]:
    """Check a port name against the IANA service-name rule (RFC 6335).

    Source: IsValidPortName in
    k8s.io/apimachinery/pkg/util/validation/validation.go. Container ports and
    named targetPorts use it. Service port names only need to be DNS labels,
    but this library names each Service port after its container port.
    """
    problems = too_long(value, PORT_NAME_MAX_LENGTH)
    if not _PORT_NAME_CHARS.fullmatch(value):
        problems.append("must contain only lower case alphanumeric characters or '-'")
    if not _PORT_NAME_LETTER.search(value):
        problems.append("must contain at least one letter")
    if "--" in value:
        problems.append("must not contain consecutive hyphens")
    if value.startswith("-") or value.endswith("-"):
        problems.append("must not begin or end with a hyphen")
    return problems


def port_number_problems(value: int) -> list[str]:
    """Check a TCP, UDP or SCTP port number: 1 to 65535.

    Source: IsValidPortNum in
    k8s.io/apimachinery/pkg/util/validation/validation.go.
    """
    if not _is_int(value):
        return [f"must be an integer, not {type(value).__name__}"]
    if not 1 <= value <= 65535:
        return ["must be between 1 and 65535, inclusive"]
    return []


def node_port_problems(value: int) -> list[str]:
    """Check a node port against the default ``--service-node-port-range``, 30000-32767.

    Source: the ServiceNodePortRange default in
    pkg/kubeapiserver/options/options.go, enforced by the node port allocator.
    A cluster may configure another range. This library accepts only the default.
    """
    if not _is_int(value):
        return [f"must be an integer, not {type(value).__name__}"]
    if value not in NODE_PORT_RANGE:
        return ["must be in the default node port range 30000-32767"]
    return []


# Strings and paths -----------------------------------------------------------


def env_var_name_problems(value: str) -> list[str]:
    """Check an environment variable name.

    Stricter than IsEnvVarName in
    k8s.io/apimachinery/pkg/util/validation/validation.go, which also accepts
    '-' and '.': this library requires a C identifier so that every shell and
    runtime can read the variable. Kubernetes may otherwise accept a name such
    as ``db-password`` that a shell cannot read under that name.
    """
    if not _C_IDENTIFIER.fullmatch(value):
        return [
            "must be a C identifier: letters, digits and '_', not starting with a "
            "digit, for example 'DB_PASSWORD'"
        ]
    return []


def secret_key_problems(value: str) -> list[str]:
    """Check a key of a Secret's ``data``, such as ``db-password`` or ``tls.crt``.

    Source: IsConfigMapKey in
    staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go.
    """
    problems = too_long(value, DNS1123_SUBDOMAIN_MAX_LENGTH)
    if not _SECRET_KEY.fullmatch(value):
        problems.append("must consist of alphanumeric characters, '-', '_' or '.'")
    if value in {".", ".."}:
        problems.append("must not be '.' or '..'")
    return problems


def cidr_problems(value: str) -> list[str]:
    """Check an IPv4 or IPv6 CIDR block, such as ``10.0.0.0/8`` or ``2001:db8::/32``.

    Source: ValidateIPBlock in pkg/apis/networking/validation/validation.go,
    which parses ``ipBlock.cidr`` with netutils.ParseCIDRSloppy, through
    ValidateCIDR or, in later releases, IsValidCIDRForLegacyField of
    pkg/apis/core/validation. Stricter than the API server, which accepts host
    bits after the prefix: ``10.1.2.3/8`` is rejected here, because it means
    ``10.0.0.0/8`` and is more likely a typo than an intent.
    """
    if "/" not in value:
        return ["must be an address block with a prefix length, such as '10.0.0.0/8'"]
    try:
        ipaddress.ip_network(value, strict=True)
    except ValueError as err:
        return [f"must be a CIDR block such as '10.0.0.0/8' ({err})"]
    return []


def except_cidr_problems(value: str, cidr: str) -> list[str]:
    """Check an ``ipBlock.except`` entry, which must be a CIDR block strictly inside ``cidr``.

    ``cidr`` must itself be valid (see :func:`cidr_problems`). The API server
    requires the entry to lie inside ``cidr`` with a longer prefix
    (ValidateIPBlock in k8s.io/kubernetes/pkg/apis/networking/validation).
    """
    problems = cidr_problems(value)
    if problems:
        return problems
    block = ipaddress.ip_network(value)
    outer = ipaddress.ip_network(cidr)
    if (
        block.version != outer.version
        or not block.subnet_of(outer)  # type: ignore[arg-type]
        or block.prefixlen <= outer.prefixlen
    ):
        return [f"must be a strict subset of {cidr!r}"]
    return []
