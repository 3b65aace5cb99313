"""CPU and memory requests and limits for one container."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["DEFAULT_RESOURCES", "Resources"]


@dataclass(frozen=True, slots=True)
class Resources:
    """Requests and limits for one container, as Kubernetes quantities.

    The defaults suit a small web server. Set a field to ``None`` to leave
    it out, or pass ``resources=None`` to a construct to emit no resources.
    """

    cpu_request: str | None = "50m"
    """CPU reserved for scheduling, in cores or millicores. Default: 50m."""
    memory_request: str | None = "64Mi"
    """Memory reserved for scheduling, in bytes. Default: 64Mi."""
    cpu_limit: str | None = "500m"
    """CPU above which the container is throttled. Default: 500m."""
    memory_limit: str | None = "128Mi"
    """Memory above which the container is killed. Default: 128Mi."""

    def fields(self) -> dict[str, str | None]:
        """Return each quantity by its prop name, for validation."""
        return {
            "cpu_request": self.cpu_request,
            "memory_request": self.memory_request,
            "cpu_limit": self.cpu_limit,
            "memory_limit": self.memory_limit,
        }

    def render(self) -> dict[str, Any]:
        """Return the container's ``resources`` field."""
        rendered: dict[str, Any] = {}
        requests = {"cpu": self.cpu_request, "memory": self.memory_request}
        limits = {"cpu": self.cpu_limit, "memory": self.memory_limit}
        requests = {key: value for key, value in requests.items() if value is not None}
        limits = {key: value for key, value in limits.items() if value is not None}
        if limits:
            rendered["limits"] = limits
        if requests:
            rendered["requests"] = requests
        return rendered


DEFAULT_RESOURCES = Resources()
"""Requests of 50m CPU and 64Mi memory, limits of 500m CPU and 128Mi memory."""
