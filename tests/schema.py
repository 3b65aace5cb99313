"""Strict validation against the official Kubernetes OpenAPI schemas."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import kubernetes_validate

KUBERNETES_VERSIONS = ("1.30.0", "1.31.0", "1.32.0", "1.33.0", "1.34.0", "1.35.0")
"""The Kubernetes versions the README promises; every manifest is checked against each."""


def schema_errors(
    manifests: Iterable[dict[str, Any]], versions: Sequence[str] = KUBERNETES_VERSIONS
) -> list[str]:
    """Return one line per manifest and version that fails strict validation."""
    errors: list[str] = []
    for manifest in manifests:
        name = f"{manifest.get('kind')}/{manifest.get('metadata', {}).get('name')}"
        for version in versions:
            try:
                kubernetes_validate.validate(manifest, version, strict=True)
            except kubernetes_validate.ValidationError as err:
                errors.append(f"{name} on {version}: {err.message} at {list(err.path)}")
    return errors
