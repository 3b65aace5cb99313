"""RestrictedNamespace: a Namespace whose pods must meet the "restricted" Pod Security Standard."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cdk8s import ApiObject
from constructs import Construct

from constructs_lib._props import PropChecker, construct_path
from constructs_lib._render import emit
from constructs_lib._typecheck import reports_wrong_types
from constructs_lib.labels import MANAGED_BY, MANAGED_BY_KEY

__all__ = ["RestrictedNamespace"]

ENFORCE = "pod-security.kubernetes.io/enforce"
ENFORCE_VERSION = "pod-security.kubernetes.io/enforce-version"


class RestrictedNamespace(Construct):
    """A Namespace in which the Pod Security admission controller enforces "restricted".

    The API server then rejects any pod of the namespace that runs as root,
    keeps capabilities, allows privilege escalation or has no seccomp profile,
    so a manifest that breaks the profile fails at ``kubectl apply`` time
    instead of running.

    Produces:
        Namespace: named ``name``, without a namespace of its own even in a
        chart that has one.
    """

    @reports_wrong_types("RestrictedNamespace")
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        labels: Mapping[str, str] | None = None,
    ) -> None:
        """Define the Namespace.

        Args:
            scope: Parent construct, usually a chart.
            construct_id: Construct id, unique within ``scope``.
            name: Namespace name: a DNS label.
            labels: Extra labels of the Namespace.
        """
        check = PropChecker("RestrictedNamespace", construct_path(scope, construct_id))
        check.dns_label("name", name)
        for key, value in (labels or {}).items():
            check.label_key("labels", key)
            if key in (ENFORCE, ENFORCE_VERSION, MANAGED_BY_KEY):
                raise check.fail(
                    "labels",
                    key,
                    "is set by the construct, so this value would be replaced",
                    f"Remove {key} from labels.",
                )
            check.label_value(f"labels[{key!r}]", value)

        super().__init__(scope, construct_id)
        self.name = name
        self.manifest: dict[str, Any] = {
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {
                "name": name,
                "labels": {
                    **(labels or {}),
                    ENFORCE: "restricted",
                    # "latest" applies the profile of the API server's own version.
                    ENFORCE_VERSION: "latest",
                    MANAGED_BY_KEY: MANAGED_BY,
                },
            },
        }
        self.namespace: ApiObject = emit(self, "Namespace", self.manifest)
