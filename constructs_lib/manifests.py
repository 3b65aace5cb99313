"""Read synthesized manifests: pod templates, object names and label selectors.

These helpers work on plain dicts, as ``synth_manifests`` or a YAML reader
returns them, so they serve tests and tools that inspect any chart's output.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "LONG_RUNNING_KINDS",
    "WORKLOAD_KINDS",
    "PodTemplate",
    "object_name",
    "pod_templates",
    "selector_matches",
]

Manifest = Mapping[str, Any]

LONG_RUNNING_KINDS = frozenset(
    {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"}
)
"""Workload kinds whose containers run until replaced, as opposed to Jobs that complete.

A bare Pod is long-running too unless its ``restartPolicy`` is ``Never`` or ``OnFailure``.
"""

WORKLOAD_KINDS = LONG_RUNNING_KINDS | {"Pod", "Job", "CronJob"}
"""Every kind that :func:`pod_templates` finds a pod spec in."""


@dataclass(frozen=True, slots=True)
class PodTemplate:
    """The pod spec of one workload object, and where it sits in the manifest."""

    kind: str
    """Kind of the object that contains the pod spec, such as ``Deployment``."""
    name: str
    """``metadata.name`` of that object."""
    namespace: str | None
    """``metadata.namespace`` of that object, or ``None`` when the manifest sets none."""
    path: str
    """Dotted path of the pod spec inside the object, such as ``spec.template.spec``."""
    spec: Mapping[str, Any]
    """The PodSpec itself."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """Labels of the pods: the template's ``metadata.labels``, or a bare Pod's own."""

    @property
    def object_name(self) -> str:
        """``Kind/name`` or ``Kind/namespace/name``, as messages show the object."""
        return object_name(self.kind, self.name, self.namespace)

    @property
    def long_running(self) -> bool:
        """Whether the pods keep running, as opposed to Jobs that complete."""
        if self.kind in LONG_RUNNING_KINDS:
            return True
        if self.kind == "Pod":
            return bool(self.spec.get("restartPolicy", "Always") == "Always")
        return False

    def containers(self) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """Yield each init container and container with its path, init containers first."""
        for key in ("initContainers", "containers"):
            for index, container in enumerate(self.spec.get(key) or []):
                yield f"{self.path}.{key}[{index}]", container


def object_name(kind: str, name: str, namespace: str | None = None) -> str:
    """Return ``Kind/name``, or ``Kind/namespace/name`` when a namespace is set."""
    if namespace:
        return f"{kind}/{namespace}/{name}"
    return f"{kind}/{name}"


def pod_templates(manifests: Iterable[Manifest]) -> Iterator[PodTemplate]:
    """Yield the pod spec of every workload object among ``manifests``.

    Recognises the kinds in :data:`WORKLOAD_KINDS` and skips every other kind.
    """
    for manifest in manifests:
        kind = manifest.get("kind")
        if kind not in WORKLOAD_KINDS:
            continue
        metadata = manifest.get("metadata") or {}
        spec = manifest.get("spec") or {}
        if kind == "Pod":
            path, pod, labels = "spec", spec, metadata.get("labels")
        else:
            if kind == "CronJob":
                path = "spec.jobTemplate.spec.template.spec"
                template = ((spec.get("jobTemplate") or {}).get("spec") or {}).get("template")
            else:
                path = "spec.template.spec"
                template = spec.get("template")
            template = template or {}
            pod = template.get("spec") or {}
            labels = (template.get("metadata") or {}).get("labels")
        yield PodTemplate(
            kind=str(kind),
            name=str(metadata.get("name")),
            namespace=metadata.get("namespace"),
            path=path,
            spec=pod,
            labels=dict(labels or {}),
        )


def selector_matches(selector: Mapping[str, Any] | None, labels: Mapping[str, str]) -> bool:
    """Return whether a ``LabelSelector`` selects an object with ``labels``.

    Handles ``matchLabels`` and the ``In``, ``NotIn``, ``Exists`` and
    ``DoesNotExist`` operators of ``matchExpressions``. An empty selector
    matches everything and ``None`` matches nothing, as in the Kubernetes API.
    """
    if selector is None:
        return False
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    return all(
        _expression_matches(expression, labels)
        for expression in selector.get("matchExpressions") or []
    )


def _expression_matches(expression: Mapping[str, Any], labels: Mapping[str, str]) -> bool:
    key = expression.get("key")
    operator = expression.get("operator")
    present = key in labels
    value = labels.get(str(key))
    if operator == "In":
        return present and value in (expression.get("values") or [])
    if operator == "NotIn":
        return not present or value not in (expression.get("values") or [])
    if operator == "Exists":
        return present
    if operator == "DoesNotExist":
        return not present
    # An unknown operator is invalid, and the API server would reject the selector.
    return False
