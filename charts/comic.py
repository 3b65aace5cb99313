"""comic: a Django web app with PostgreSQL and a MinIO image store.

Produces, in this order: the Namespace when the chart has one, and the three
Secrets when their values are generated. Then the PostgreSQL and MinIO
StatefulSets with their Services and PodDisruptionBudgets, the Django
Deployment with its ClusterIP Service and nginx Ingress, the migration Job,
and the Job that creates the image bucket. Each workload's NetworkPolicy
comes right before it.

The NetworkPolicies allow only these paths, plus DNS from every pod: the
Ingress controller to Django, Django to PostgreSQL and MinIO, the migration
Job to PostgreSQL, and the bucket Job to MinIO.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from cdk8s import Chart
from constructs import Construct

from constructs_lib import (
    ContainerPort,
    EnvSource,
    ExistingSecret,
    ExposedService,
    Ingress,
    IngressTls,
    LocalSecretValues,
    MinioEngine,
    NetworkPeer,
    NetworkPolicySettings,
    NetworkRule,
    OneShotJob,
    PostgresEngine,
    Probe,
    Resources,
    RestrictedNamespace,
    SecretEnv,
    SecretKey,
    ServicePort,
    StatefulDatabase,
    StatelessApp,
)
from constructs_lib.network import INGRESS_NGINX_CONTROLLER
from constructs_lib.storage import DisruptionPolicy, Storage

POSTGRES_SECRET = "comic-postgres"
"""Secret with the keys ``username`` and ``password`` of the PostgreSQL user."""
IMAGES_SECRET = "comic-images"
"""Secret with the keys ``access-key`` and ``secret-key`` of the MinIO root user."""
DJANGO_SECRET = "comic-django"
"""Secret with the key ``secret-key``, Django's SECRET_KEY."""
BUCKET = "comic-images"
DATABASE = "comic"
APP_UID = 1000
WEB_RESOURCES = Resources(
    cpu_request="100m", memory_request="256Mi", cpu_limit="1", memory_limit="512Mi"
)
"""Requests and limits of a gunicorn process with a few Django workers."""


@dataclass(frozen=True, slots=True)
class ComicSettings:
    """Settings that differ between installations of comic."""

    image: str = "ghcr.io/example/comic:1.0.0"
    """The Django app's image. It must run gunicorn on port 8000 as UID 1000,
    respond to ``GET /healthz/`` with 200 for any Host header, and read the
    variables this chart sets. Default: a placeholder to replace with a real
    image."""
    version: str | None = None
    """Application version, which names the migration Job. Default: the image
    tag. Set it for an image pinned by digest only, or every version shares the
    Job name ``comic-migrate-unversioned``."""
    web_replicas: int = 2
    """Django pods. Default: 2, so one can restart while the other serves."""
    host: str = "comic.local"
    """Host name that the Ingress routes to the app. Default: ``comic.local``."""
    tls: IngressTls | None = None
    """TLS of the Ingress host. Default: none, plain HTTP."""
    proxy_body_size: str = "20m"
    """Largest request body that nginx accepts, for image uploads. Default: 20m."""
    postgres_storage: Storage = field(default_factory=lambda: Storage(size="1Gi"))
    """PostgreSQL volume. Default: 1Gi on the default StorageClass."""
    images_storage: Storage = field(default_factory=lambda: Storage(size="5Gi"))
    """MinIO volume. Default: 5Gi on the default StorageClass."""
    secrets: ExistingSecret | LocalSecretValues = field(default_factory=ExistingSecret)
    """Source of the three Secrets' values. Default: Secrets that already
    exist in the cluster, so no value is written to the manifests."""
    disruption: DisruptionPolicy = DisruptionPolicy.ALLOW_EVICTION
    """PodDisruptionBudget policy of both StatefulSets. Default: ALLOW_EVICTION."""
    mc_image: str = "minio/mc:RELEASE.2025-04-16T18-13-26Z"
    """MinIO client image of the bucket Job."""
    ingress_controller: NetworkPeer = INGRESS_NGINX_CONTROLLER
    """Pods of the Ingress controller, the only source that the Django pods'
    NetworkPolicy admits. Default: ingress-nginx in namespace
    ``ingress-nginx``, as minikube's ``ingress`` addon and the upstream Helm
    chart's install guide run it."""
    web_extra_egress: Sequence[NetworkRule] = ()
    """Destinations that the Django pods may reach besides DNS, PostgreSQL
    and MinIO, such as an SMTP relay. Default: none."""
    network_policies: bool = True
    """Whether every workload gets its NetworkPolicy. Default: ``True``. Set
    ``False`` for a cluster whose network plugin does not enforce them."""


class ComicChart(Chart):
    """The comic chart: Django on ``comic`` (ClusterIP and Ingress), PostgreSQL on
    ``comic-postgres`` and MinIO on ``comic-images``."""

    def __init__(
        self,
        scope: Construct,
        chart_id: str,
        settings: ComicSettings,
        *,
        namespace: str | None = None,
    ) -> None:
        super().__init__(scope, chart_id, namespace=namespace, disable_resource_name_hashes=True)
        policies = settings.network_policies
        if namespace is not None:
            RestrictedNamespace(self, "namespace", name=namespace)
        postgres_secret = SecretEnv(
            self,
            "postgres-secret",
            name=POSTGRES_SECRET,
            keys=["username", "password"],
            source=settings.secrets,
        )
        images_secret = SecretEnv(
            self,
            "images-secret",
            name=IMAGES_SECRET,
            keys=["access-key", "secret-key"],
            source=settings.secrets,
        )
        self.django_secret = SecretEnv(
            self,
            "django-secret",
            name=DJANGO_SECRET,
            keys=[SecretKey("secret-key", "DJANGO_SECRET_KEY")],
            source=settings.secrets,
        )

        self.database = StatefulDatabase(
            self,
            "postgres",
            name="comic-postgres",
            engine=PostgresEngine(database=DATABASE),
            credentials=postgres_secret,
            storage=settings.postgres_storage,
            disruption=settings.disruption,
            network_policy=policies,
        )
        self.images = StatefulDatabase(
            self,
            "images",
            name="comic-images",
            engine=MinioEngine(bucket=BUCKET),
            credentials=images_secret,
            storage=settings.images_storage,
            disruption=settings.disruption,
            network_policy=policies,
        )
        database = self.database.connection()
        images = self.images.connection()
        # The web pods and the migration Job load the same Django settings.
        django_env = {"DJANGO_ALLOWED_HOSTS": settings.host}
        django_env_from: list[EnvSource] = [
            self.django_secret,
            database.django_env(),
            images.s3_env(),
        ]
        # The migrations need only PostgreSQL, so the Job gets MinIO's
        # variables for the settings module but no network path to MinIO.
        # NOTE: a data migration that reads or writes images would be blocked.
        migration_env_from: list[EnvSource] = [
            self.django_secret,
            database.django_env(),
            images.s3_env().variables_only(),
        ]

        self.web = StatelessApp(
            self,
            "web",
            name="comic",
            # A string, so that an invalid reference is reported with this app's path.
            image=settings.image,
            replicas=settings.web_replicas,
            ports=[ContainerPort("http", 8000)],
            env=django_env,
            env_from=django_env_from,
            readiness_probe=Probe.http("/healthz/"),
            liveness_probe=Probe.http("/healthz/", failure_threshold=6),
            run_as_user=APP_UID,
            run_as_group=APP_UID,
            resources=WEB_RESOURCES,
            component="web",
            network_policy=(
                NetworkPolicySettings(extra_egress=settings.web_extra_egress) if policies else False
            ),
        )
        self.service = ExposedService(
            self,
            "web-service",
            app=self.web,
            name="comic",
            ports=[ServicePort("http", port=80)],
            ingress=Ingress(
                host=settings.host,
                tls=settings.tls,
                proxy_body_size=settings.proxy_body_size,
                controller=settings.ingress_controller,
            ),
        )

        image = self.web.image
        version = settings.version if settings.version is not None else image.tag
        self.migration = OneShotJob(
            self,
            "migrate",
            name=f"comic-migrate-{_slug(version or 'unversioned')}",
            image=image,
            command=["python", "manage.py", "migrate", "--noinput"],
            env=django_env,
            env_from=migration_env_from,
            wait_for=[database.wait_step()],
            resources=WEB_RESOURCES,
            run_as_user=APP_UID,
            run_as_group=APP_UID,
            app_name="comic-migrate",
            component="migration",
            version=settings.version,
            network_policy=policies,
        )
        # mc reads the MC_HOST_store variable and keeps its config under /tmp.
        # The Job's retries with back-off cover the time MinIO needs to start.
        self.bucket_job = OneShotJob(
            self,
            "images-bucket",
            name="comic-images-bucket",
            image=settings.mc_image,
            command=["mc", "mb", "--ignore-existing", f"store/{BUCKET}"],
            env={"MC_CONFIG_DIR": "/tmp/.mc"},
            env_from=[images.mc_env("store")],
            backoff_limit=8,
            run_as_user=APP_UID,
            run_as_group=APP_UID,
            app_name="comic-images-bucket",
            component="setup",
            network_policy=policies,
        )


def _slug(version: str) -> str:
    """Return ``version`` as a DNS label fragment: ``1.4.2`` becomes ``1-4-2``."""
    return re.sub(r"[^a-z0-9]+", "-", version.lower()).strip("-")[:40].rstrip("-")
