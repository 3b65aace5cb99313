"""StatelessApp: a Deployment that runs one container."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cdk8s import ApiObject
from constructs import Construct

from constructs_lib._network import endpoints_of, plan_wiring, resolve_policy_settings
from constructs_lib._pod import ContainerSpec, PodSecurity, render_pod_spec
from constructs_lib._props import PropChecker
from constructs_lib._render import chart_id, chart_namespace, child_object, emit, init_with_object
from constructs_lib._typecheck import reports_wrong_types
from constructs_lib._workload import (
    check_container_props,
    check_mappings,
    check_secret_namespaces,
    check_sequences,
    default_version,
    env_from_by_prop,
    resolve_image,
)
from constructs_lib.env import EnvSource, plain_env
from constructs_lib.errors import NotFoundError
from constructs_lib.image import Image
from constructs_lib.labels import RecommendedLabels
from constructs_lib.network import NetworkPolicySettings
from constructs_lib.network_policy import WorkloadNetworkPolicy, apply_wiring
from constructs_lib.ports import ContainerPort
from constructs_lib.probes import DEFAULT_HTTP_PROBE, Probe
from constructs_lib.resources import DEFAULT_RESOURCES, Resources

__all__ = ["StatelessApp"]

DEFAULT_PORTS = (ContainerPort("http", 8080),)


class StatelessApp(Construct):
    """A stateless workload: one container, several identical replicas.

    Produces:
        NetworkPolicy: named ``name``, unless ``network_policy`` is False. See
        :class:`WorkloadNetworkPolicy`.
        Deployment: named ``name``, with a rolling update that keeps every
        old pod serving until its replacement is ready.

    Example::

        web = StatelessApp(chart, "web", name="staafu",
                           image="nginxinc/nginx-unprivileged:1.27-alpine")
    """

    @reports_wrong_types("StatelessApp")
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        image: str | Image,
        replicas: int = 2,
        ports: Sequence[ContainerPort] = DEFAULT_PORTS,
        env: Mapping[str, str] | None = None,
        env_from: Sequence[EnvSource] = (),
        command: Sequence[str] | None = None,
        args: Sequence[str] | None = None,
        resources: Resources | None = DEFAULT_RESOURCES,
        readiness_probe: Probe | None = DEFAULT_HTTP_PROBE,
        liveness_probe: Probe | None = DEFAULT_HTTP_PROBE,
        writable_paths: Sequence[str] = ("/tmp",),
        run_as_user: int | None = None,
        run_as_group: int | None = None,
        component: str = "web",
        part_of: str | None = None,
        instance: str | None = None,
        version: str | None = None,
        labels: Mapping[str, str] | None = None,
        max_surge: int | str = "25%",
        max_unavailable: int | str = 0,
        network_policy: bool | NetworkPolicySettings = True,
    ) -> None:
        """Define the Deployment.

        Args:
            scope: Parent construct, usually a chart.
            construct_id: Construct id, unique within ``scope``.
            name: Name of the Deployment and its container: a DNS label.
            image: Image reference with a tag or digest; ``latest`` and
                untagged images are rejected.
            replicas: Number of pods. Default: 2.
            ports: Named ports the container listens on. Default: ``http`` on
                8080, the port of unprivileged web server images.
            env: Literal environment variables, in order.
            env_from: Sources of further variables, such as a SecretEnv or a
                database connection, added after ``env``. The app is wired to
                the endpoints of each :class:`EnvVars` among them.
            command: Overrides the image's entrypoint.
            args: Overrides the image's arguments.
            resources: Requests and limits. Default: :class:`Resources` with
                its small defaults. ``None`` leaves them out.
            readiness_probe: Default: ``GET /`` on the first port. ``None``
                disables it.
            liveness_probe: Default: ``GET /`` on the first port. ``None``
                disables it.
            writable_paths: Paths that get an emptyDir volume, because the
                root filesystem is read-only. Default: ``/tmp``.
            run_as_user: UID of the processes, not 0. Default: the image's
                user, which must not be root, or the container fails to start.
            run_as_group: GID of the processes. Default: the image's group.
            component: ``app.kubernetes.io/component``. Default: ``web``.
            part_of: ``app.kubernetes.io/part-of``. Default: the chart's id.
            instance: ``app.kubernetes.io/instance``. Default: ``name``.
            version: ``app.kubernetes.io/version``. Default: the image tag.
            labels: Extra labels for every object, never used in selectors.
            max_surge: Pods created above ``replicas`` during an update.
                Default: 25%.
            max_unavailable: Pods that may be unavailable during an update, at
                most 100%, and not 0 when ``max_surge`` is 0. Default: 0.
            network_policy: The pods' NetworkPolicy. Default: ``True``, a
                policy with the default :class:`NetworkPolicySettings`: deny
                all but DNS, the wired connections and the traffic of the
                app's ExposedServices. ``False`` creates none, for clusters
                whose network plugin does not enforce NetworkPolicies.
        """
        check = PropChecker.for_child("StatelessApp", scope, construct_id)

        # Resolve defaults and validate every prop before creating any construct.
        check.dns_label("name", name)
        resolved_image = resolve_image(check, image)
        check.positive_int("replicas", replicas, minimum=0)
        check_sequences(
            check,
            ports=ports,
            env_from=env_from,
            command=command,
            args=args,
            writable_paths=writable_paths,
        )
        check_mappings(check, env=env, labels=labels)
        if run_as_user is not None:
            check.run_as_user("run_as_user", run_as_user)
        if run_as_group is not None:
            check.unix_id("run_as_group", run_as_group)
        env_entries = plain_env(env or {})
        for source in env_from:
            env_entries.extend(dict(entry) for entry in source.env_entries())
        self.labels = RecommendedLabels(
            name=name,
            instance=instance if instance is not None else name,
            component=component,
            part_of=part_of if part_of is not None else chart_id(scope),
            version=version if version is not None else default_version(resolved_image),
            extra=dict(labels or {}),
        )
        container = ContainerSpec(
            name=name,
            image=resolved_image,
            ports=tuple(ports),
            env=env_entries,
            command=command,
            args=args,
            resources=resources,
            readiness_probe=readiness_probe,
            liveness_probe=liveness_probe,
            writable_paths=tuple(writable_paths),
        )
        check_container_props(check, container, self.labels)
        check.rolling_update(max_surge, max_unavailable)
        policy_settings = resolve_policy_settings(check, network_policy)
        namespace = chart_namespace(scope)
        check_secret_namespaces(check, env_from_by_prop(env_from), namespace)
        wires = plan_wiring(
            check,
            self.labels.selector,
            namespace,
            endpoints_of(env_from),
            policy_settings,
        )

        self.name = name
        self.namespace = namespace
        """Namespace of the chart, or ``None`` when the chart sets none."""
        self.image = resolved_image
        self.replicas = replicas
        self.ports: tuple[ContainerPort, ...] = tuple(ports)
        self.selector = self.labels.selector
        self.manifest = self._render(
            container,
            PodSecurity(run_as_user=run_as_user, run_as_group=run_as_group),
            max_surge,
            max_unavailable,
        )
        self._deployment: ApiObject | None = None
        self.network_policy: WorkloadNetworkPolicy | None = None
        if policy_settings is None:
            # Replaces super().__init__: creates this construct and its Deployment.
            init_with_object(self, scope, construct_id, "Deployment", self.manifest)
        else:
            # The policy precedes the Deployment in the output, so that kubectl
            # applies it before the first pod starts.
            super().__init__(scope, construct_id)
            self.network_policy = WorkloadNetworkPolicy(
                self, "NetworkPolicy", name=name, labels=self.labels, settings=policy_settings
            )
            self._deployment = emit(self, "Deployment", self.manifest)
        apply_wiring(self.network_policy, wires)

    @property
    def deployment(self) -> ApiObject:
        """The Deployment's ApiObject, for escape hatches such as ``add_json_patch``."""
        if self._deployment is None:
            self._deployment = child_object(self, "Deployment")
        return self._deployment

    def _render(
        self,
        container: ContainerSpec,
        security: PodSecurity,
        max_surge: int | str,
        max_unavailable: int | str,
    ) -> dict[str, Any]:
        labels = self.labels.all
        return {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": self.name, "labels": labels},
            "spec": {
                "replicas": self.replicas,
                "selector": {"matchLabels": self.selector},
                "strategy": {
                    "type": "RollingUpdate",
                    "rollingUpdate": {"maxSurge": max_surge, "maxUnavailable": max_unavailable},
                },
                "template": {
                    "metadata": {"labels": labels},
                    "spec": render_pod_spec([container], security),
                },
            },
        }

    def port(self, name: str) -> ContainerPort:
        """Return the container port called ``name``.

        Raises:
            NotFoundError: the app declares no port of that name. It is a
                KeyError too.
        """
        for port in self.ports:
            if port.name == name:
                return port
        known = ", ".join(repr(port.name) for port in self.ports) or "none"
        raise NotFoundError(f"StatelessApp {self.name!r} has no port {name!r}. Its ports: {known}.")
