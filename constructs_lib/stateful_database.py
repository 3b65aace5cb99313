"""StatefulDatabase: a database server as a StatefulSet with per-replica storage."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from cdk8s import ApiObject, Chart
from constructs import Construct

from constructs_lib import validation
from constructs_lib._network import resolve_policy_settings
from constructs_lib._pod import ContainerSpec, PodSecurity, render_pod_spec
from constructs_lib._props import PropChecker, construct_path
from constructs_lib._render import chart_namespace, emit
from constructs_lib._typecheck import reports_wrong_types
from constructs_lib._workload import (
    WORKLOAD_LABEL_PROPS,
    check_container_props,
    check_labels,
    check_secret_namespaces,
    default_version,
)
from constructs_lib.connections import ServiceEndpoint
from constructs_lib.engines import DatabaseEngine, ServerSpec
from constructs_lib.exposed_service import ExposedService
from constructs_lib.labels import COMPONENT, VERSION, RecommendedLabels
from constructs_lib.network import NetworkPolicySettings
from constructs_lib.network_policy import WorkloadNetworkPolicy
from constructs_lib.ports import ContainerPort
from constructs_lib.resources import Resources
from constructs_lib.secret_env import SecretEnv
from constructs_lib.storage import AccessMode, DisruptionPolicy, Storage

__all__ = ["STATEFULSET_NAME_MAX_LENGTH", "StatefulDatabase"]

ConnectionT = TypeVar("ConnectionT")

STATEFULSET_NAME_MAX_LENGTH = 52
"""The StatefulSet controller labels each pod with ``controller-revision-hash:
<name>-<10 characters>``, and a label value has at most 63 characters."""

HEADLESS_SUFFIX = "-headless"


class StatefulDatabase(Construct, Generic[ConnectionT]):
    """A database server with its own persistent volume per replica.

    Produces:
        NetworkPolicy: named ``name``, unless ``network_policy`` is False. It
        admits only the workloads wired to :meth:`connection` or
        :attr:`endpoint`, and the ``extra_ingress`` of its settings. See
        :class:`WorkloadNetworkPolicy`.
        StatefulSet: named ``name``, with one PersistentVolumeClaim per replica
        from a claim template, kept when the StatefulSet is deleted or scaled.
        Service: ``<name>-headless``, headless (``clusterIP: None``), the
        StatefulSet's governing Service that gives each pod a DNS name.
        Service: ``name``, ClusterIP, for clients.
        PodDisruptionBudget: ``name``, see :class:`DisruptionPolicy`.

    Example::

        db = StatefulDatabase(chart, "db", name="comic-postgres",
                              engine=PostgresEngine(database="comic"),
                              credentials=db_secret)
        StatelessApp(chart, "web", ..., env_from=[db.connection().django_env()])
    """

    @reports_wrong_types("StatefulDatabase")
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        engine: DatabaseEngine[ConnectionT],
        credentials: SecretEnv,
        replicas: int = 1,
        storage: Storage | None = None,
        resources: Resources | None = None,
        disruption: DisruptionPolicy = DisruptionPolicy.ALLOW_EVICTION,
        part_of: str | None = None,
        instance: str | None = None,
        labels: Mapping[str, str] | None = None,
        network_policy: bool | NetworkPolicySettings = True,
    ) -> None:
        """Define the StatefulSet, its two Services, its PodDisruptionBudget and NetworkPolicy.

        Args:
            scope: Parent construct, usually a chart.
            construct_id: Construct id, unique within ``scope``.
            name: Name of the StatefulSet, the client Service and the budget:
                an RFC 1035 label of at most 52 characters.
            engine: The server image and its settings, such as
                :class:`PostgresEngine` or :class:`MinioEngine`.
            credentials: Secret keys that hold the engine's
                ``credential_keys``, declared as required keys.
            replicas: Number of pods. Default: 1, the most that the built-in
                engines support.
            storage: Claim template. Default: :class:`Storage`, 1Gi
                ReadWriteOnce on the default StorageClass.
            resources: Requests and limits. Default: the engine's.
            disruption: PodDisruptionBudget policy. Default: ALLOW_EVICTION.
            part_of: ``app.kubernetes.io/part-of``. Default: the chart's id.
            instance: ``app.kubernetes.io/instance``. Default: ``name``.
            labels: Extra labels for every object, never used in selectors.
            network_policy: The pods' NetworkPolicy. Default: ``True``, a
                policy with the default :class:`NetworkPolicySettings`.
                ``False`` creates none, for clusters whose network plugin does
                not enforce NetworkPolicies.
        """
        path = construct_path(scope, construct_id)
        check = PropChecker("StatefulDatabase", path)

        # Resolve defaults and validate every prop before creating any construct.
        check.service_name("name", name)
        _check_name_length(check, name)
        engine.check_props(check)
        server = engine.server()
        check.positive_int("replicas", replicas, minimum=0)
        if replicas > server.max_replicas:
            raise check.fail(
                "replicas",
                replicas,
                f"must be at most {server.max_replicas}, because {type(engine).__name__} "
                "runs independent servers without replication",
                f"Pass replicas={server.max_replicas}.",
            )
        resolved_storage = storage if storage is not None else Storage()
        _check_storage(check, name, replicas, resolved_storage)
        _check_credentials(check, engine, credentials)
        namespace = chart_namespace(scope)
        check_secret_namespaces(check, {"credentials": credentials}, namespace)
        if not isinstance(disruption, DisruptionPolicy):
            raise check.fail(
                "disruption",
                disruption,
                "must be a DisruptionPolicy",
                "Pass DisruptionPolicy.ALLOW_EVICTION or DisruptionPolicy.BLOCK_EVICTION.",
            )
        self.labels = RecommendedLabels(
            name=name,
            instance=instance if instance is not None else name,
            component=server.component,
            part_of=part_of if part_of is not None else Chart.of(scope).node.id,
            version=default_version(server.image),
            extra=dict(labels or {}),
        )
        # The engine sets the component and version labels.
        label_props = {**WORKLOAD_LABEL_PROPS, COMPONENT: None, VERSION: None}
        check_labels(check, self.labels, label_props)
        container = ContainerSpec(
            name=name,
            image=server.image,
            ports=(server.port,),
            env=engine.container_env(credentials),
            args=server.args,
            resources=resources if resources is not None else server.resources,
            startup_probe=server.startup_probe,
            readiness_probe=server.readiness_probe,
            liveness_probe=server.liveness_probe,
            volume_mounts=({"name": resolved_storage.claim_name, "mountPath": server.mount_path},),
            writable_paths=server.writable_paths,
            memory_volumes=server.memory_volumes,
        )
        check_container_props(check, container, self.labels, label_props)
        policy_settings = resolve_policy_settings(check, network_policy)

        super().__init__(scope, construct_id)
        self.name = name
        self.namespace = namespace
        """Namespace of the chart, or ``None`` when the chart sets none."""
        self.engine = engine
        self.credentials = credentials
        self.replicas = replicas
        self.storage = resolved_storage
        self.server = server
        self.ports: tuple[ContainerPort, ...] = (server.port,)
        self.selector = self.labels.selector
        self.headless_name = name + HEADLESS_SUFFIX
        self.network_policy: WorkloadNetworkPolicy | None = None
        if policy_settings is not None:
            self.network_policy = WorkloadNetworkPolicy(
                self, "NetworkPolicy", name=name, labels=self.labels, settings=policy_settings
            )
        self.manifest = self._render_statefulset(container, server)
        self.statefulset: ApiObject = emit(self, "StatefulSet", self.manifest)
        self.headless_manifest = self._render_headless()
        self.headless: ApiObject = emit(self, "HeadlessService", self.headless_manifest)
        self.client = ExposedService(self, "Service", app=self, name=name)
        self.pdb_manifest = self._render_pdb(disruption)
        self.pdb: ApiObject = emit(self, "PodDisruptionBudget", self.pdb_manifest)

    def connection(self) -> ConnectionT:
        """Return what a client needs to reach this server through the client Service."""
        return self.engine.connection(self.endpoint, self.credentials)

    @property
    def endpoint(self) -> ServiceEndpoint:
        """The client Service, the pods and container port behind it, and their NetworkPolicy."""
        return ServiceEndpoint(
            service=self.client.name,
            namespace=Chart.of(self).namespace,
            port=self.client.port_number(self.server.port.name),
            target_port=self.server.port,
            selector=dict(self.selector),
            policy=self.network_policy,
        )

    def _render_statefulset(self, container: ContainerSpec, server: ServerSpec) -> dict[str, Any]:
        labels = self.labels.all
        security = PodSecurity(
            run_as_user=server.run_as_user,
            run_as_group=server.run_as_group,
            fs_group=server.fs_group,
            # Skip the recursive chown of the volume on every start once the
            # volume root already has the right group.
            extra={"fsGroupChangePolicy": "OnRootMismatch"},
        )
        pod = render_pod_spec(
            [container],
            security,
            extra={"terminationGracePeriodSeconds": server.termination_grace_period_seconds},
        )
        claim: dict[str, Any] = {
            "accessModes": [str(self.storage.access_mode)],
            "resources": {"requests": {"storage": self.storage.size}},
        }
        if self.storage.storage_class is not None:
            claim["storageClassName"] = self.storage.storage_class
        return {
            "apiVersion": "apps/v1",
            "kind": "StatefulSet",
            "metadata": {"name": self.name, "labels": labels},
            "spec": {
                "serviceName": self.headless_name,
                "replicas": self.replicas,
                "selector": {"matchLabels": self.selector},
                "podManagementPolicy": "OrderedReady",
                "updateStrategy": {"type": "RollingUpdate"},
                "persistentVolumeClaimRetentionPolicy": {
                    "whenDeleted": "Retain",
                    "whenScaled": "Retain",
                },
                "template": {"metadata": {"labels": labels}, "spec": pod},
                "volumeClaimTemplates": [
                    {
                        "metadata": {"name": self.storage.claim_name, "labels": self.selector},
                        "spec": claim,
                    }
                ],
            },
        }

    def _render_headless(self) -> dict[str, Any]:
        port = self.server.port
        return {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": self.headless_name, "labels": self.labels.all},
            "spec": {
                "clusterIP": "None",
                # Pods get DNS records before they are ready, so a starting
                # server can be reached by its own name during initialisation.
                "publishNotReadyAddresses": True,
                "selector": dict(self.selector),
                "ports": [
                    {
                        "name": port.name,
                        "port": port.number,
                        "targetPort": port.name,
                        "protocol": str(port.protocol),
                    }
                ],
            },
        }

    def _render_pdb(self, disruption: DisruptionPolicy) -> dict[str, Any]:
        spec: dict[str, Any] = {"selector": {"matchLabels": dict(self.selector)}}
        if disruption is DisruptionPolicy.BLOCK_EVICTION:
            spec["minAvailable"] = self.replicas
        else:
            spec["maxUnavailable"] = 1
        # A pod that is not ready serves nothing, so let a drain evict it
        # instead of blocking on it.
        spec["unhealthyPodEvictionPolicy"] = "AlwaysAllow"
        return {
            "apiVersion": "policy/v1",
            "kind": "PodDisruptionBudget",
            "metadata": {"name": self.name, "labels": self.labels.all},
            "spec": spec,
        }


def _check_name_length(check: PropChecker, name: str) -> None:
    if len(name) > STATEFULSET_NAME_MAX_LENGTH:
        raise check.fail(
            "name",
            name,
            f"must be no more than {STATEFULSET_NAME_MAX_LENGTH} characters, not {len(name)}, "
            "because the StatefulSet controller adds the label value "
            "'<name>-<10 characters>' to every pod, and label values are limited to 63",
            "Choose a shorter name.",
        )


def _check_storage(check: PropChecker, name: str, replicas: int, storage: Storage) -> None:
    check.quantity("storage.size", storage.size, validation.QuantityKind.STORAGE)
    if validation.parse_quantity(storage.size) == 0:
        raise check.fail(
            "storage.size",
            storage.size,
            "must be greater than zero, because the API server rejects a claim for no storage",
            "Request the capacity the database needs, such as '10Gi'.",
        )
    if storage.storage_class is not None:
        check.rule(
            "storage.storage_class",
            storage.storage_class,
            validation.dns1123_subdomain_problems,
            "Use a StorageClass name from `kubectl get storageclass`, or None for the default.",
        )
    if not isinstance(storage.access_mode, AccessMode):
        raise check.fail(
            "storage.access_mode",
            storage.access_mode,
            "must be an AccessMode",
            "Pass AccessMode.READ_WRITE_ONCE.",
        )
    # The claim template's name is also the pod's volume name, so it must be a DNS label.
    check.dns_label("storage.claim_name", storage.claim_name)
    # The controller names each replica's claim '<claim>-<statefulset>-<ordinal>'
    # and each pod '<statefulset>-<ordinal>'. With a claim name of at most 63
    # characters, a StatefulSet name of at most 52 and an int32 ordinal of at
    # most 10 digits, both always fit: 127 of 253 and 63 of 63 characters.


def _check_credentials(
    check: PropChecker, engine: DatabaseEngine[Any], credentials: SecretEnv
) -> None:
    if not isinstance(credentials, SecretEnv):
        raise check.fail(
            "credentials",
            type(credentials).__name__,
            "must be a SecretEnv",
            "Pass SecretEnv(chart, 'db-secret', name=..., keys=[...]).",
        )
    declared = {key.key: key for key in credentials.keys}
    for required in engine.credential_keys:
        key = declared.get(required)
        if key is None:
            raise check.fail(
                "credentials",
                credentials.name,
                f"declares no key {required!r}, which {type(engine).__name__} reads",
                f"Add {required!r} to the SecretEnv's keys, or set the engine's key names.",
            )
        if key.optional:
            raise check.fail(
                "credentials",
                credentials.name,
                f"declares key {required!r} as optional, but the server cannot start without it",
                f"Declare SecretKey({required!r}) without optional=True.",
            )
