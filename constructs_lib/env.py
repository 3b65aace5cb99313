"""Environment variables for containers, and the protocol of their sources."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

__all__ = ["EnvSource", "plain_env"]


@runtime_checkable
class EnvSource(Protocol):
    """Something that contributes environment variables to a container.

    :class:`~constructs_lib.SecretEnv` and the database connections implement
    it. Each entry is a Kubernetes ``EnvVar`` object such as
    ``{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {...}}}``.
    """

    def env_entries(self) -> Sequence[Mapping[str, Any]]:
        """Return the EnvVar objects, in a stable order."""
        ...


def plain_env(values: Mapping[str, str]) -> list[dict[str, Any]]:
    """Return EnvVar objects for literal values, in the mapping's order."""
    return [{"name": name, "value": value} for name, value in values.items()]
