"""Validation rules for object names.

Part of :mod:`constructs_lib.validation`, which re-exports every public name.
"""

from __future__ import annotations

import re

__all__ = [
    "DNS1035_LABEL_MAX_LENGTH",
    "DNS1123_LABEL_MAX_LENGTH",
    "DNS1123_SUBDOMAIN_MAX_LENGTH",
    "STATEFULSET_NAME_MAX_LENGTH",
    "dns1035_label_problems",
    "dns1123_label_problems",
    "dns1123_subdomain_problems",
    "statefulset_name_problems",
    "too_long",
]

DNS1123_LABEL_MAX_LENGTH = 63
DNS1123_SUBDOMAIN_MAX_LENGTH = 253
DNS1035_LABEL_MAX_LENGTH = 63
CONTROLLER_REVISION_HASH_MAX_LENGTH = 10
"""Length of the decimal FNV-32 hash that the StatefulSet controller appends."""
STATEFULSET_NAME_MAX_LENGTH = DNS1123_LABEL_MAX_LENGTH - 1 - CONTROLLER_REVISION_HASH_MAX_LENGTH
"""52: the pod label ``controller-revision-hash`` contains ``<name>-<hash>``, at most 63 long."""

_DNS1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_DNS1123_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_DNS1035_LABEL = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")


def too_long(value: str, maximum: int) -> list[str]:
    """Return the problem of a string longer than ``maximum`` characters, if it is."""
    if len(value) > maximum:
        return [f"must be no more than {maximum} characters, not {len(value)}"]
    return []


def dns1123_label_problems(value: str) -> list[str]:
    """Check an RFC 1123 label: container, volume and most object names.

    Source: IsDNS1123Label in
    k8s.io/apimachinery/pkg/util/validation/validation.go.
    """
    problems = too_long(value, DNS1123_LABEL_MAX_LENGTH)
    if not _DNS1123_LABEL.fullmatch(value):
        problems.append(
            "must consist of lower case alphanumeric characters or '-', and must "
            "start and end with an alphanumeric character"
        )
    return problems


def dns1123_subdomain_problems(value: str) -> list[str]:
    """Check an RFC 1123 subdomain: names of Deployments, StatefulSets, Secrets, Ingresses.

    Source: IsDNS1123Subdomain in
    k8s.io/apimachinery/pkg/util/validation/validation.go.
    """
    problems = too_long(value, DNS1123_SUBDOMAIN_MAX_LENGTH)
    if not _DNS1123_SUBDOMAIN.fullmatch(value):
        problems.append(
            "must consist of lower case alphanumeric characters, '-' or '.', and "
            "must start and end with an alphanumeric character"
        )
    return problems


def dns1035_label_problems(value: str) -> list[str]:
    """Check an RFC 1035 label: Service names, which become DNS names.

    Source: IsDNS1035Label in
    k8s.io/apimachinery/pkg/util/validation/validation.go, used by
    ValidateServiceName in pkg/apis/core/validation/validation.go.
    """
    problems = too_long(value, DNS1035_LABEL_MAX_LENGTH)
    if not _DNS1035_LABEL.fullmatch(value):
        problems.append(
            "must consist of lower case alphanumeric characters or '-', start "
            "with a letter, and end with an alphanumeric character"
        )
    return problems


def statefulset_name_problems(value: str) -> list[str]:
    """Check a StatefulSet name: an RFC 1123 label of at most 52 characters.

    The API server accepts any DNS subdomain (ValidateStatefulSetName in
    pkg/apis/apps/validation/validation.go). But the controller labels every
    pod with ``controller-revision-hash: <name>-<hash>`` (ControllerRevisionName
    in pkg/controller/history/controller_history.go), the hash has up to 10
    characters and a label value at most 63, so a longer name creates a
    StatefulSet whose pods are never created. Its pods are also named
    ``<name>-<ordinal>``, which must be a DNS label, so dots are rejected too.
    """
    problems = dns1123_label_problems(value)
    if len(value) > STATEFULSET_NAME_MAX_LENGTH:
        problems.append(
            f"must be no more than {STATEFULSET_NAME_MAX_LENGTH} characters, because the "
            "controller-revision-hash label '<name>-<hash>' must fit in 63"
        )
    return problems
