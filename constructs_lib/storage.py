"""Per-replica persistent storage and disruption settings of a StatefulSet."""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["AccessMode", "DisruptionPolicy", "Storage"]


class AccessMode(enum.StrEnum):
    """Access mode of a PersistentVolume, as Kubernetes spells it."""

    READ_WRITE_ONCE = "ReadWriteOnce"
    """Read-write by the pods of one node."""
    READ_WRITE_ONCE_POD = "ReadWriteOncePod"
    """Read-write by a single pod, if the CSI driver supports it."""
    READ_WRITE_MANY = "ReadWriteMany"
    """Read-write by pods on many nodes, for example on NFS."""
    READ_ONLY_MANY = "ReadOnlyMany"
    """Read-only by pods on many nodes."""


@dataclass(frozen=True, slots=True)
class Storage:
    """The PersistentVolumeClaim template that every replica gets its own copy of."""

    size: str = "1Gi"
    """Requested capacity as a quantity, in bytes. Default: 1Gi."""
    storage_class: str | None = None
    """StorageClass name. Default: the cluster's default StorageClass."""
    access_mode: AccessMode = AccessMode.READ_WRITE_ONCE
    """Default: ReadWriteOnce, which every volume plugin supports."""
    claim_name: str = "data"
    """Name of the claim template. Each replica's PVC is named
    ``<claim_name>-<statefulset>-<ordinal>``. Default: ``data``."""


class DisruptionPolicy(enum.StrEnum):
    """Policy for voluntary disruptions, such as ``kubectl drain``, of the pods."""

    ALLOW_EVICTION = "allow-eviction"
    """PodDisruptionBudget with ``maxUnavailable: 1``: a drain evicts one pod at a
    time. A single-replica database is then down until its pod runs again on
    another node."""
    BLOCK_EVICTION = "block-eviction"
    """PodDisruptionBudget with ``minAvailable`` equal to the replicas: a drain
    waits on a healthy pod until an operator deletes it or scales the
    StatefulSet down, so the outage happens when the operator chooses."""
