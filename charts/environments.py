"""The environments that comic is deployed to, as typed settings.

``dev`` is a minikube cluster: one Django pod, small volumes, the ingress
addon's nginx, and Secrets generated from ``.env`` (or from the placeholders
of ``.env.example`` in a fresh clone). ``prod`` is a real cluster: more
replicas, bigger volumes, TLS from cert-manager, and Secrets that must exist
in the cluster before the first ``kubectl apply``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from charts.comic import ComicSettings
from constructs_lib import IngressTls, LocalSecretValues
from constructs_lib.storage import DisruptionPolicy, Storage

ROOT = Path(__file__).resolve().parent.parent
"""The repository root, where ``.env`` and ``.env.example`` are."""


@dataclass(frozen=True, slots=True)
class Environment:
    """One cluster that comic is deployed to."""

    name: str
    """Short name, which is also the output directory: ``dist/<name>/``."""
    namespace: str
    """Namespace of every comic object in this environment."""
    comic: ComicSettings


def dev(root: Path = ROOT) -> Environment:
    """Return the minikube environment, reading Secret values from ``root``'s ``.env``.

    Without ``.env`` the values come from ``.env.example``, with a
    PlaceholderSecretWarning. Variables set in the process environment win
    over both files.
    """
    return Environment(
        name="dev",
        namespace="comic-dev",
        comic=ComicSettings(
            web_replicas=1,
            host="comic.local",
            postgres_storage=Storage(size="1Gi"),
            images_storage=Storage(size="2Gi"),
            secrets=LocalSecretValues(
                env_file=root / ".env",
                fallback_file=root / ".env.example",
            ),
        ),
    )


def prod() -> Environment:
    """Return the production environment, whose Secrets must exist in the cluster."""
    return Environment(
        name="prod",
        namespace="comic",
        comic=ComicSettings(
            web_replicas=3,
            host="comic.example.com",
            tls=IngressTls(secret_name="comic-tls", cluster_issuer="letsencrypt"),
            postgres_storage=Storage(size="20Gi"),
            images_storage=Storage(size="100Gi"),
            disruption=DisruptionPolicy.BLOCK_EVICTION,
        ),
    )


def environments(root: Path = ROOT) -> tuple[Environment, ...]:
    """Return every environment, in output order."""
    return (dev(root), prod())
