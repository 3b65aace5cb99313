"""Database engines: what StatefulDatabase needs to know about a server image.

An engine is a value object. It names the image, the port, the user the image
runs as, where it keeps its data, its probes and its credential variables, and
builds the typed connection that clients use. :class:`PostgresEngine` and
:class:`MinioEngine` implement the :class:`DatabaseEngine` protocol.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, runtime_checkable

from constructs_lib._pod import MemoryVolume
from constructs_lib._props import PropChecker
from constructs_lib._workload import resolve_image
from constructs_lib.connections import ObjectStoreConnection, PostgresConnection, ServiceEndpoint
from constructs_lib.image import Image
from constructs_lib.ports import ContainerPort
from constructs_lib.probes import Probe
from constructs_lib.resources import Resources
from constructs_lib.secret_env import SecretEnv
from constructs_lib.validation import QuantityKind

__all__ = ["DatabaseEngine", "MinioEngine", "PostgresEngine", "ServerSpec"]

ConnectionT_co = TypeVar("ConnectionT_co", covariant=True)

# S3 bucket naming rules, as MinIO applies them: 3 to 63 lower case letters,
# digits, '.' and '-', starting and ending with a letter or digit.
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
# PostgreSQL truncates identifiers to 63 bytes (NAMEDATALEN - 1). This library
# also requires a plain identifier, so the name needs no quoting in a URL or SQL.
_PG_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]{0,62}")


@dataclass(frozen=True, slots=True)
class ServerSpec:
    """The container and pod settings that an engine's image needs."""

    image: Image
    port: ContainerPort
    component: str
    """``app.kubernetes.io/component`` of the workload, such as ``database``."""
    args: tuple[str, ...] | None
    """Container arguments, or ``None`` for the image's default command."""
    mount_path: str
    """Mount path of the persistent volume."""
    data_directory: str
    """Data directory of the server: a subdirectory of ``mount_path``, so a
    ``lost+found`` directory at the volume's root never breaks initialisation."""
    run_as_user: int
    run_as_group: int
    fs_group: int
    """Group that owns the volume, so that ``run_as_user`` can write to it."""
    writable_paths: tuple[str, ...]
    """Paths that get an emptyDir, because the root filesystem is read-only."""
    memory_volumes: tuple[MemoryVolume, ...]
    startup_probe: Probe
    readiness_probe: Probe
    liveness_probe: Probe
    resources: Resources
    """Default requests and limits."""
    max_replicas: int
    """Replicas that the engine's setup supports."""
    termination_grace_period_seconds: int


@runtime_checkable
class DatabaseEngine(Protocol[ConnectionT_co]):
    """A database server image that StatefulDatabase can run."""

    @property
    def credential_keys(self) -> tuple[str, ...]:
        """The keys that the credentials SecretEnv must declare, as required keys."""
        ...

    def check_props(self, check: PropChecker) -> None:
        """Raise InvalidPropError for the first invalid engine setting."""
        ...

    def server(self) -> ServerSpec:
        """Return the container and pod settings."""
        ...

    def container_env(self, credentials: SecretEnv) -> list[dict[str, Any]]:
        """Return the server container's EnvVar objects."""
        ...

    def connection(self, endpoint: ServiceEndpoint, credentials: SecretEnv) -> ConnectionT_co:
        """Return what a client needs to reach the server at ``endpoint``."""
        ...


def _exec_probe(script: str, *, failure_threshold: int) -> Probe:
    return Probe.command_succeeds(
        ["sh", "-c", script],
        period_seconds=10,
        timeout_seconds=5,
        failure_threshold=failure_threshold,
    )


@dataclass(frozen=True, slots=True)
class PostgresEngine:
    """PostgreSQL from the official ``postgres`` image, as a single server.

    The image's entrypoint runs ``initdb`` on first start, creating the user
    and the database from ``POSTGRES_USER``, ``POSTGRES_PASSWORD`` and
    ``POSTGRES_DB``. Later changes to those variables have no effect on an
    existing data directory.
    """

    database: str = "app"
    """Database that the entrypoint creates and clients connect to. Default: ``app``."""
    image: Image | str = "postgres:17.2-bookworm"
    """A Debian-based ``postgres`` image. Default: ``postgres:17.2-bookworm``."""
    user_key: str = "username"
    """Credentials key that contains the user name. Default: ``username``."""
    password_key: str = "password"
    """Credentials key that contains the password. Default: ``password``."""
    port: int = 5432
    """Port the server listens on. Default: 5432."""
    shared_memory: str = "256Mi"
    """Size of the memory-backed ``/dev/shm``, which parallel queries use for
    dynamic shared memory. It counts against the memory limit. Default: 256Mi,
    where the container runtime's default is 64Mi."""
    run_as_user: int = 999
    """UID of the ``postgres`` user in the Debian-based images. Default: 999.
    The Alpine-based images use 70."""

    @property
    def credential_keys(self) -> tuple[str, ...]:
        return (self.user_key, self.password_key)

    def check_props(self, check: PropChecker) -> None:
        resolve_image(check, self.image, "engine.image")
        if not _PG_IDENTIFIER.fullmatch(self.database):
            raise check.fail(
                "engine.database",
                self.database,
                "must be a lower case identifier of at most 63 characters: letters, "
                "digits and '_', not starting with a digit",
                "Use a name such as 'comic'.",
            )
        check.port_number("engine.port", self.port)
        check.quantity("engine.shared_memory", self.shared_memory, QuantityKind.MEMORY)
        check.positive_int("engine.run_as_user", self.run_as_user)

    def server(self) -> ServerSpec:
        # pg_isready reads the user and database from the container's own env.
        ready = (
            f'exec pg_isready -q -U "$POSTGRES_USER" -d "$POSTGRES_DB" -h 127.0.0.1 -p {self.port}'
        )
        return ServerSpec(
            image=Image.parse(self.image) if isinstance(self.image, str) else self.image,
            port=ContainerPort("postgres", self.port),
            component="database",
            args=None,
            mount_path="/var/lib/postgresql/data",
            data_directory="/var/lib/postgresql/data/pgdata",
            run_as_user=self.run_as_user,
            run_as_group=self.run_as_user,
            fs_group=self.run_as_user,
            # The server writes its socket and lock file to /var/run/postgresql.
            writable_paths=("/tmp", "/var/run/postgresql"),
            memory_volumes=(MemoryVolume("/dev/shm", self.shared_memory),),
            # initdb and crash recovery may take minutes: allow 5 before liveness starts.
            startup_probe=_exec_probe(ready, failure_threshold=30),
            readiness_probe=_exec_probe(ready, failure_threshold=3),
            liveness_probe=_exec_probe(ready, failure_threshold=6),
            resources=Resources(
                cpu_request="100m", memory_request="256Mi", cpu_limit="1", memory_limit="1Gi"
            ),
            max_replicas=1,
            # NOTE: Kubernetes sends SIGTERM, a "smart" shutdown that waits for
            # clients to disconnect; past this grace period the kill forces crash recovery.
            termination_grace_period_seconds=60,
        )

    def container_env(self, credentials: SecretEnv) -> list[dict[str, Any]]:
        server = self.server()
        return [
            credentials.key_ref(self.user_key).env_var("POSTGRES_USER"),
            credentials.key_ref(self.password_key).env_var("POSTGRES_PASSWORD"),
            {"name": "POSTGRES_DB", "value": self.database},
            {"name": "PGDATA", "value": server.data_directory},
        ]

    def connection(self, endpoint: ServiceEndpoint, credentials: SecretEnv) -> PostgresConnection:
        return PostgresConnection(
            endpoint=endpoint,
            database=self.database,
            user=credentials.key_ref(self.user_key),
            password=credentials.key_ref(self.password_key),
            client_image=self.server().image,
            client_user=self.run_as_user,
        )


@dataclass(frozen=True, slots=True)
class MinioEngine:
    """MinIO, an S3-compatible object store, as a single server with a single drive.

    The root user and password come from the credentials Secret. MinIO needs
    a root user of at least 3 and a password of at least 8 characters, and
    does not start otherwise.
    """

    bucket: str = "data"
    """Bucket that clients use. MinIO does not create it: run ``mc mb`` once,
    for example in a Job. Default: ``data``."""
    image: Image | str = "minio/minio:RELEASE.2025-04-22T22-12-26Z"
    """Default: ``minio/minio:RELEASE.2025-04-22T22-12-26Z``."""
    user_key: str = "access-key"
    """Credentials key that contains the root user. Default: ``access-key``."""
    password_key: str = "secret-key"
    """Credentials key that contains the root password. Default: ``secret-key``."""
    port: int = 9000
    """Port of the S3 API. Default: 9000. The web console listens on 9001 and
    is reachable only through ``kubectl port-forward``."""
    run_as_user: int = 1000
    """UID of the server. The image has no fixed user. Default: 1000."""

    @property
    def credential_keys(self) -> tuple[str, ...]:
        return (self.user_key, self.password_key)

    def check_props(self, check: PropChecker) -> None:
        resolve_image(check, self.image, "engine.image")
        if not _BUCKET.fullmatch(self.bucket) or ".." in self.bucket:
            raise check.fail(
                "engine.bucket",
                self.bucket,
                "must be an S3 bucket name: 3 to 63 lower case letters, digits, '.' "
                "and '-', starting and ending with a letter or digit",
                "Use a name such as 'comic-images'.",
            )
        check.port_number("engine.port", self.port)
        if self.port == 9001:
            raise check.fail("engine.port", self.port, "is the console's port", "Use another port.")
        check.positive_int("engine.run_as_user", self.run_as_user)

    def server(self) -> ServerSpec:
        return ServerSpec(
            image=Image.parse(self.image) if isinstance(self.image, str) else self.image,
            port=ContainerPort("s3", self.port),
            component="object-store",
            # MinIO creates the data directory when it is missing. Its default
            # certificate directory is under $HOME, which is read-only here.
            args=(
                "server",
                "/export/data",
                "--address",
                f":{self.port}",
                "--console-address",
                ":9001",
                "--certs-dir",
                "/tmp/certs",
            ),
            mount_path="/export",
            data_directory="/export/data",
            run_as_user=self.run_as_user,
            run_as_group=self.run_as_user,
            fs_group=self.run_as_user,
            writable_paths=("/tmp",),
            memory_volumes=(),
            startup_probe=Probe.http(
                "/minio/health/live", period_seconds=10, timeout_seconds=5, failure_threshold=30
            ),
            readiness_probe=Probe.http(
                "/minio/health/ready", period_seconds=10, timeout_seconds=5, failure_threshold=3
            ),
            liveness_probe=Probe.http(
                "/minio/health/live", period_seconds=10, timeout_seconds=5, failure_threshold=6
            ),
            resources=Resources(
                cpu_request="100m", memory_request="256Mi", cpu_limit="1", memory_limit="1Gi"
            ),
            max_replicas=1,
            termination_grace_period_seconds=30,
        )

    def container_env(self, credentials: SecretEnv) -> list[dict[str, Any]]:
        return [
            credentials.key_ref(self.user_key).env_var("MINIO_ROOT_USER"),
            credentials.key_ref(self.password_key).env_var("MINIO_ROOT_PASSWORD"),
        ]

    def connection(
        self, endpoint: ServiceEndpoint, credentials: SecretEnv
    ) -> ObjectStoreConnection:
        # NOTE: clients get the root credentials; a user limited to the bucket
        # would need `mc admin user add` and a policy, which nothing here creates.
        return ObjectStoreConnection(
            endpoint=endpoint,
            bucket=self.bucket,
            access_key=credentials.key_ref(self.user_key),
            secret_key=credentials.key_ref(self.password_key),
        )
