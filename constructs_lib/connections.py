"""Typed connections: what a client needs to reach a database or an object store.

:meth:`StatefulDatabase.connection` returns one of these. Each turns into
environment variables in one call (``django_env()``, ``s3_env()``), and keeps
the :class:`ServiceEndpoint` it points at, so that network rules can be derived
from the same wiring.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from constructs_lib import validation
from constructs_lib.errors import InvalidPropError
from constructs_lib.image import Image
from constructs_lib.ports import ContainerPort
from constructs_lib.secret_env import SecretKeyRef

if TYPE_CHECKING:
    from constructs_lib.network_policy import WorkloadNetworkPolicy

__all__ = [
    "EnvVars",
    "ObjectStoreConnection",
    "PostgresConnection",
    "ServiceEndpoint",
    "WaitStep",
]


@dataclass(frozen=True, slots=True)
class ServiceEndpoint:
    """A client Service, and the pods and container port behind it."""

    service: str
    """Name of the client Service."""
    namespace: str | None
    """Namespace of the Service, or ``None`` when the chart sets none."""
    port: int
    """Port that clients connect to on the Service."""
    target_port: ContainerPort
    """Container port of the pods that the Service forwards to."""
    selector: Mapping[str, str] = field(default_factory=dict)
    """Labels that select the pods behind the Service."""
    policy: WorkloadNetworkPolicy | None = field(default=None, compare=False, repr=False)
    """NetworkPolicy of the pods behind the Service, which gains an ingress rule
    for every workload wired to this endpoint. ``None`` when the pods have no
    policy that this library manages."""

    @property
    def host(self) -> str:
        """DNS name of the Service: ``<service>.<namespace>.svc``, or the bare name
        when the namespace is unknown, which resolves only from the same namespace."""
        if self.namespace:
            return f"{self.service}.{self.namespace}.svc"
        return self.service


@dataclass(frozen=True, slots=True)
class EnvVars:
    """A fixed list of ``EnvVar`` objects, usable in a workload's ``env_from``.

    A workload that receives it is wired to its ``endpoints``: the workload's
    NetworkPolicy allows egress to each, and each endpoint's policy allows
    ingress from the workload.
    """

    entries: tuple[Mapping[str, Any], ...]
    endpoints: tuple[ServiceEndpoint, ...] = ()
    """Services that the variables point at. Default: none."""

    def env_entries(self) -> list[dict[str, Any]]:
        """Return the EnvVar objects, in order."""
        return [dict(entry) for entry in self.entries]

    @property
    def names(self) -> list[str]:
        """The variable names, in order."""
        return [str(entry["name"]) for entry in self.entries]

    def variables_only(self) -> EnvVars:
        """Return the same variables without endpoints, so that they open no network path.

        For a consumer that must read the settings but never connects, such
        as a Django process whose settings module reads every variable.
        """
        return EnvVars(self.entries)


@dataclass(frozen=True, slots=True)
class WaitStep:
    """An init container that blocks until a dependency accepts connections."""

    name: str
    """Container name: a DNS label."""
    image: Image
    command: tuple[str, ...]
    env: tuple[Mapping[str, Any], ...] = ()
    run_as_user: int | None = None
    """UID and GID of the container, for images whose default user is root.
    Default: the pod's."""
    endpoint: ServiceEndpoint | None = None
    """Service that the step waits for, which the workload is wired to as
    through ``env_from``. Default: none."""


@dataclass(frozen=True, slots=True)
class PostgresConnection:
    """Client settings of one PostgreSQL database: endpoint, name and credentials."""

    endpoint: ServiceEndpoint
    database: str
    """Database name."""
    user: SecretKeyRef
    """Secret key that contains the user name."""
    password: SecretKeyRef
    """Secret key that contains the password."""
    client_image: Image
    """Image with ``pg_isready``, used by :meth:`wait_step`."""
    client_user: int
    """Non-root UID of ``client_image``, whose default user is root."""

    def django_env(self, prefix: str = "DATABASE_", *, url: bool = True) -> EnvVars:
        """Return ``<prefix>HOST``, ``PORT``, ``NAME``, ``USER``, ``PASSWORD`` and ``URL``.

        ``<prefix>URL`` is ``postgres://user:password@host:port/name``, built
        by the kubelet's ``$(VAR)`` expansion from the two secret-backed
        variables before it, so no secret value is written into the manifest.
        Pass ``url=False`` to leave it out.

        Raises:
            InvalidPropError: ``prefix`` is not a string, or gives an invalid
                variable name.
        """
        _check_variable_prefix("PostgresConnection", "prefix", prefix, "HOST")
        # NOTE: the kubelet does not percent-encode expanded values, so a
        # password with '@', ':', '/' or '%' gives an invalid URL.
        entries: list[Mapping[str, Any]] = [
            {"name": f"{prefix}HOST", "value": self.endpoint.host},
            {"name": f"{prefix}PORT", "value": str(self.endpoint.port)},
            {"name": f"{prefix}NAME", "value": self.database},
            self.user.env_var(f"{prefix}USER"),
            self.password.env_var(f"{prefix}PASSWORD"),
        ]
        if url:
            entries.append(
                {
                    "name": f"{prefix}URL",
                    "value": (
                        f"postgres://$({prefix}USER):$({prefix}PASSWORD)@"
                        f"{self.endpoint.host}:{self.endpoint.port}/{self.database}"
                    ),
                }
            )
        return EnvVars(tuple(entries), (self.endpoint,))

    def wait_step(self, name: str = "wait-for-postgres") -> WaitStep:
        """Return an init container that loops on ``pg_isready`` until the server accepts
        connections.

        ``PGUSER`` is set from the user key only so that the server does not log
        failed logins for a default role. ``pg_isready`` sends no password.
        """
        script = (
            f'until pg_isready -q -h "{self.endpoint.host}" -p {self.endpoint.port} '
            f'-d "{self.database}"; do echo "waiting for {self.endpoint.host}"; sleep 2; done'
        )
        return WaitStep(
            name=name,
            image=self.client_image,
            command=("sh", "-c", script),
            env=(self.user.env_var("PGUSER"),),
            run_as_user=self.client_user,
            endpoint=self.endpoint,
        )


@dataclass(frozen=True, slots=True)
class ObjectStoreConnection:
    """Client settings of one bucket of an S3-compatible object store."""

    endpoint: ServiceEndpoint
    bucket: str
    """Bucket name."""
    access_key: SecretKeyRef
    """Secret key that contains the access key id."""
    secret_key: SecretKeyRef
    """Secret key that contains the secret access key."""

    @property
    def endpoint_url(self) -> str:
        """The S3 endpoint URL, over plain HTTP inside the cluster."""
        return f"http://{self.endpoint.host}:{self.endpoint.port}"

    def s3_env(self) -> EnvVars:
        """Return the variables that boto3 and django-storages read.

        ``AWS_S3_ENDPOINT_URL`` and ``AWS_STORAGE_BUCKET_NAME`` are
        django-storages settings names, and boto3 reads ``AWS_ACCESS_KEY_ID``
        and ``AWS_SECRET_ACCESS_KEY`` from the environment.
        """
        entries: Sequence[Mapping[str, Any]] = (
            {"name": "AWS_S3_ENDPOINT_URL", "value": self.endpoint_url},
            {"name": "AWS_STORAGE_BUCKET_NAME", "value": self.bucket},
            self.access_key.env_var("AWS_ACCESS_KEY_ID"),
            self.secret_key.env_var("AWS_SECRET_ACCESS_KEY"),
        )
        return EnvVars(tuple(entries), (self.endpoint,))

    def mc_env(self, alias: str = "store") -> EnvVars:
        """Return the :meth:`s3_env` variables plus ``MC_HOST_<alias>`` for the MinIO client.

        ``mc`` reads the endpoint and credentials of ``alias`` from that
        variable, built by ``$(VAR)`` expansion from the secret-backed variables.

        Raises:
            InvalidPropError: ``alias`` is not a string, or gives an invalid
                variable name.
        """
        if not isinstance(alias, str) or not alias:
            raise InvalidPropError(
                "ObjectStoreConnection",
                "",
                "alias",
                alias,
                "must be a non-empty string",
                "Pass an alias such as 'store'.",
            )
        _check_variable_prefix("ObjectStoreConnection", "alias", "MC_HOST_" + alias, "")
        # NOTE: as in PostgresConnection.django_env, the kubelet does not
        # percent-encode the expanded keys, so '@', ':' or '/' in them break the URL.
        host_url = (
            f"http://$(AWS_ACCESS_KEY_ID):$(AWS_SECRET_ACCESS_KEY)@"
            f"{self.endpoint.host}:{self.endpoint.port}"
        )
        entries = (*self.s3_env().entries, {"name": f"MC_HOST_{alias}", "value": host_url})
        return EnvVars(entries, (self.endpoint,))


def _check_variable_prefix(construct: str, prop: str, prefix: object, suffix: str) -> None:
    """Raise unless ``prefix`` is a string that makes ``<prefix><suffix>`` a valid variable name.

    Every name that the method builds has this form with a suffix of capital
    letters, so checking one of them checks all of them.
    """
    if not isinstance(prefix, str):
        raise InvalidPropError(
            construct,
            "",
            prop,
            prefix,
            f"must be a string, not {type(prefix).__name__}",
            "Pass a string such as 'DATABASE_', or '' for no prefix.",
        )
    problems = validation.env_var_name_problems(prefix + suffix)
    if problems:
        raise InvalidPropError(
            construct,
            "",
            prop,
            prefix,
            f"gives the variable name {prefix + suffix!r}, which " + "; ".join(problems),
            "Use letters, digits and '_', not starting with a digit, such as 'DATABASE_'.",
        )
