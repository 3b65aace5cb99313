"""Kubernetes validation rules, as pure functions.

Each ``*_problems`` function returns the reasons a value is invalid, or an
empty list when it is valid, in the style of the API server's validation
helpers. The rules and limits come from the API server's own code in
k8s.io/apimachinery/pkg/util/validation/validation.go and
k8s.io/apimachinery/pkg/api/resource/quantity.go (Kubernetes 1.30 to 1.35),
unless a function says otherwise.
"""

from __future__ import annotations

import ipaddress
import re

__all__ = [
    "DNS1035_LABEL_MAX_LENGTH",
    "DNS1123_LABEL_MAX_LENGTH",
    "DNS1123_SUBDOMAIN_MAX_LENGTH",
    "LABEL_VALUE_MAX_LENGTH",
    "PORT_NAME_MAX_LENGTH",
    "cidr_problems",
    "dns1035_label_problems",
    "dns1123_label_problems",
    "dns1123_subdomain_problems",
    "env_var_name_problems",
    "except_cidr_problems",
    "label_key_problems",
    "label_value_problems",
    "port_name_problems",
    "port_number_problems",
    "quantity_problems",
    "secret_key_problems",
    "wildcard_host_problems",
]

DNS1123_LABEL_MAX_LENGTH = 63
DNS1123_SUBDOMAIN_MAX_LENGTH = 253
DNS1035_LABEL_MAX_LENGTH = 63
LABEL_VALUE_MAX_LENGTH = 63
QUALIFIED_NAME_MAX_LENGTH = 63
PORT_NAME_MAX_LENGTH = 15

_DNS1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_DNS1123_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_DNS1035_LABEL = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")
_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")
_QUALIFIED_NAME = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_PORT_NAME_CHARS = re.compile(r"[-a-z0-9]+")
_PORT_NAME_LETTER = re.compile(r"[a-z]")
_SECRET_KEY = re.compile(r"[-._a-zA-Z0-9]+")
_C_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# A Kubernetes quantity: a signed decimal number, then a binary-SI suffix
# (Ki..Ei), a decimal-SI suffix (n, u, m, k, M..E) or a decimal exponent.
_QUANTITY = re.compile(
    r"[+-]?(\d+(\.\d*)?|\.\d+)"
    r"(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?"
)


def _too_long(value: str, maximum: int) -> list[str]:
    if len(value) > maximum:
        return [f"must be no more than {maximum} characters, not {len(value)}"]
    return []


def dns1123_label_problems(value: str) -> list[str]:
    """Check an RFC 1123 label: most object names, and namespaces."""
    problems = _too_long(value, DNS1123_LABEL_MAX_LENGTH)
    if not _DNS1123_LABEL.fullmatch(value):
        problems.append(
            "must consist of lower case alphanumeric characters or '-', and must "
            "start and end with an alphanumeric character"
        )
    return problems


def dns1123_subdomain_problems(value: str) -> list[str]:
    """Check an RFC 1123 subdomain: names of Secrets, Ingresses and host names."""
    problems = _too_long(value, DNS1123_SUBDOMAIN_MAX_LENGTH)
    if not _DNS1123_SUBDOMAIN.fullmatch(value):
        problems.append(
            "must consist of lower case alphanumeric characters, '-' or '.', and "
            "must start and end with an alphanumeric character"
        )
    return problems


def dns1035_label_problems(value: str) -> list[str]:
    """Check an RFC 1035 label: Service names, which become DNS names."""
    problems = _too_long(value, DNS1035_LABEL_MAX_LENGTH)
    if not _DNS1035_LABEL.fullmatch(value):
        problems.append(
            "must consist of lower case alphanumeric characters or '-', start "
            "with a letter, and end with an alphanumeric character"
        )
    return problems


def label_value_problems(value: str) -> list[str]:
    """Check a label value, which may be empty."""
    problems = _too_long(value, LABEL_VALUE_MAX_LENGTH)
    if not _LABEL_VALUE.fullmatch(value):
        problems.append(
            "must be empty or consist of alphanumeric characters, '-', '_' or '.', "
            "and must start and end with an alphanumeric character"
        )
    return problems


def label_key_problems(key: str) -> list[str]:
    """Check a label or annotation key: an optional DNS subdomain prefix and a name."""
    prefix, slash, name = key.rpartition("/")
    problems: list[str] = []
    if slash:
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


def port_name_problems(value: str) -> list[str]:
    """Check a port name against the IANA service-name rule (RFC 6335)."""
    problems = _too_long(value, PORT_NAME_MAX_LENGTH)
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
    """Check a TCP or UDP port number."""
    if isinstance(value, bool) or not isinstance(value, int):
        return [f"must be an integer, not {type(value).__name__}"]
    if not 1 <= value <= 65535:
        return ["must be between 1 and 65535, inclusive"]
    return []


def env_var_name_problems(value: str) -> list[str]:
    """Check an environment variable name.

    Stricter than the API server, which also accepts '-' and '.': this library
    asks for a C identifier so that every shell and runtime can read the
    variable. Kubernetes may otherwise accept a name such as ``db-password``
    that the process never sees under that name.
    """
    if not _C_IDENTIFIER.fullmatch(value):
        return [
            "must be a C identifier: letters, digits and '_', not starting with a "
            "digit, for example 'DB_PASSWORD'"
        ]
    return []


def quantity_problems(value: str) -> list[str]:
    """Check a resource quantity such as ``250m``, ``64Mi`` or ``1.5Gi``."""
    if not _QUANTITY.fullmatch(value):
        return [
            "must be a number with an optional suffix: one of Ki, Mi, Gi, Ti, Pi, "
            "Ei, or n, u, m, k, M, G, T, P, E (for example '500m', '128Mi', '1Gi')"
        ]
    return []


def secret_key_problems(value: str) -> list[str]:
    """Check a key of a Secret's ``data``, such as ``db-password`` or ``tls.crt``."""
    problems = _too_long(value, DNS1123_SUBDOMAIN_MAX_LENGTH)
    if not _SECRET_KEY.fullmatch(value):
        problems.append("must consist of alphanumeric characters, '-', '_' or '.'")
    if value in {".", ".."}:
        problems.append("must not be '.' or '..'")
    return problems


def wildcard_host_problems(value: str) -> list[str]:
    """Check an Ingress host: a DNS subdomain, optionally with a leading ``*.`` label.

    The API server applies the same rule (validateIngressRules in
    k8s.io/kubernetes/pkg/apis/networking/validation), and rejects IP addresses.
    """
    name = value[2:] if value.startswith("*.") else value
    problems = dns1123_subdomain_problems(name)
    if re.fullmatch(r"[0-9.]+", name):
        problems.append("must be a DNS name, not an IP address")
    return problems


def cidr_problems(value: str) -> list[str]:
    """Check an IPv4 or IPv6 CIDR block, such as ``10.0.0.0/8`` or ``2001:db8::/32``.

    Stricter than the API server, which accepts host bits after the prefix:
    ``10.1.2.3/8`` is rejected here, because it means ``10.0.0.0/8`` and is
    more likely a typo than an intent.
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
