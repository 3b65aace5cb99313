"""The Kubernetes recommended labels, and the selector subset of them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["MANAGED_BY", "RecommendedLabels"]

MANAGED_BY = "cdk8s"
"""Value of ``app.kubernetes.io/managed-by`` on every object."""

NAME = "app.kubernetes.io/name"
INSTANCE = "app.kubernetes.io/instance"
COMPONENT = "app.kubernetes.io/component"
PART_OF = "app.kubernetes.io/part-of"
VERSION = "app.kubernetes.io/version"
MANAGED_BY_KEY = "app.kubernetes.io/managed-by"


@dataclass(frozen=True, slots=True)
class RecommendedLabels:
    """The labels of one application instance.

    See https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/.
    """

    name: str
    """``app.kubernetes.io/name``: the application, such as ``staafu``."""
    instance: str
    """``app.kubernetes.io/instance``: this installation of it."""
    component: str
    """``app.kubernetes.io/component``: its role, such as ``web`` or ``database``."""
    part_of: str
    """``app.kubernetes.io/part-of``: the larger system it belongs to."""
    version: str | None = None
    """``app.kubernetes.io/version``: left out when ``None``."""
    extra: Mapping[str, str] = field(default_factory=dict)
    """User labels added to every object, but never to selectors."""

    @property
    def selector(self) -> dict[str, str]:
        """The identity labels that select this instance's pods.

        Only name and instance: a selector is immutable once created, so it must
        not contain anything that changes between releases, like the version.
        """
        return {NAME: self.name, INSTANCE: self.instance}

    @property
    def all(self) -> dict[str, str]:
        """Every label, in a fixed order: user labels first, recommended last."""
        labels = dict(self.extra)
        labels[NAME] = self.name
        labels[INSTANCE] = self.instance
        labels[COMPONENT] = self.component
        labels[PART_OF] = self.part_of
        if self.version is not None:
            labels[VERSION] = self.version
        labels[MANAGED_BY_KEY] = MANAGED_BY
        return labels
