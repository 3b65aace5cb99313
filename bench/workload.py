"""The web app that every variant builds N copies of.

One copy is a Deployment whose container has an HTTP port, readiness and
liveness probes, CPU and memory requests and limits and two environment
variables read from a Secret, a ClusterIP Service in front of it, and that
Secret. The values here are shared by every variant, so that they emit the
same objects.
"""

from __future__ import annotations

import base64
from typing import Any

IMAGE = "ghcr.io/example/web:1.4.2"
IMAGE_TAG = "1.4.2"
CHART_ID = "bench"
CONTAINER_PORT = 8080
SERVICE_PORT = 80
SECRET_KEYS = ("DB_PASSWORD", "API_TOKEN")
"""Keys of each app's Secret, also the names of the environment variables."""


def app_name(index: int) -> str:
    """Return the name of app ``index``: its Deployment, Service and container."""
    return f"web-{index:04d}"


def secret_name(index: int) -> str:
    """Return the name of the Secret of app ``index``."""
    return f"{app_name(index)}-credentials"


def placeholder_values(index: int) -> dict[str, str]:
    """Return the Secret's values by key: placeholders, never real credentials."""
    return {key: f"placeholder-{key.lower()}-{index}" for key in SECRET_KEYS}


def secret_data(index: int) -> dict[str, str]:
    """Return the Secret's ``data``: the placeholder values, base64-encoded."""
    return {
        key: base64.b64encode(value.encode()).decode("ascii")
        for key, value in placeholder_values(index).items()
    }


def recommended_labels(name: str) -> dict[str, str]:
    """Return the labels that StatelessApp gives app ``name``'s objects."""
    return {
        "app.kubernetes.io/name": name,
        "app.kubernetes.io/instance": name,
        "app.kubernetes.io/component": "web",
        "app.kubernetes.io/part-of": CHART_ID,
        "app.kubernetes.io/version": IMAGE_TAG,
        "app.kubernetes.io/managed-by": "cdk8s",
    }


def secret_env_entries(index: int) -> list[dict[str, Any]]:
    """Return the container's EnvVar objects, each read from the app's Secret."""
    return [
        {"name": key, "valueFrom": {"secretKeyRef": {"name": secret_name(index), "key": key}}}
        for key in SECRET_KEYS
    ]
