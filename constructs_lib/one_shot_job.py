"""OneShotJob: a Job that runs one command to completion, such as a schema migration."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cdk8s import ApiObject, Chart
from constructs import Construct

from constructs_lib._network import endpoints_of, plan_wiring, resolve_policy_settings
from constructs_lib._pod import ContainerSpec, PodSecurity, render_pod_spec
from constructs_lib._props import PropChecker, construct_path
from constructs_lib._render import chart_namespace, emit
from constructs_lib._typecheck import reports_wrong_types
from constructs_lib._workload import (
    WORKLOAD_LABEL_PROPS,
    check_container_props,
    check_mappings,
    check_secret_namespaces,
    check_sequences,
    default_version,
    env_from_by_prop,
    resolve_image,
)
from constructs_lib.connections import WaitStep
from constructs_lib.env import EnvSource, plain_env
from constructs_lib.image import Image
from constructs_lib.labels import INSTANCE, NAME, RecommendedLabels
from constructs_lib.network import NetworkPolicySettings
from constructs_lib.network_policy import WorkloadNetworkPolicy, apply_wiring
from constructs_lib.resources import DEFAULT_RESOURCES, Resources

__all__ = ["WAIT_STEP_RESOURCES", "OneShotJob"]

WAIT_STEP_RESOURCES = Resources(
    cpu_request="10m", memory_request="16Mi", cpu_limit="100m", memory_limit="64Mi"
)
"""Requests and limits of each wait-step init container: a shell loop around a client."""


class OneShotJob(Construct):
    """A Job that runs one command to completion, after waiting for its dependencies.

    A Job's pod template is immutable, so applying a changed template under the
    same name fails. Derive ``name`` from what the command runs, such as the
    application version (``comic-migrate-1-4-2``), so that a new version gets
    a new Job and applying the same version again changes nothing. After
    ``ttl_seconds_after_finished`` the Job is deleted, and applying the same
    manifest again runs the command again, so the command must be idempotent.

    Produces:
        NetworkPolicy: named ``app_name``, unless ``network_policy`` is False.
        It is named after ``app_name``, not ``name``, because it selects the
        pods of every version. See :class:`WorkloadNetworkPolicy`.
        Job: named ``name``, with ``restartPolicy: Never``, one init container
        per wait step, and the restricted security context.

    Example::

        OneShotJob(chart, "migrate", name="comic-migrate-1-4-2", image=image,
                   command=["python", "manage.py", "migrate", "--noinput"],
                   env_from=[db.connection().django_env()],
                   wait_for=[db.connection().wait_step()])
    """

    @reports_wrong_types("OneShotJob")
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        image: str | Image,
        command: Sequence[str],
        args: Sequence[str] | None = None,
        env: Mapping[str, str] | None = None,
        env_from: Sequence[EnvSource] = (),
        wait_for: Sequence[WaitStep] = (),
        backoff_limit: int = 4,
        active_deadline_seconds: int = 1800,
        ttl_seconds_after_finished: int | None = 86400,
        resources: Resources | None = DEFAULT_RESOURCES,
        writable_paths: Sequence[str] = ("/tmp",),
        run_as_user: int | None = None,
        run_as_group: int | None = None,
        app_name: str | None = None,
        component: str = "job",
        part_of: str | None = None,
        version: str | None = None,
        labels: Mapping[str, str] | None = None,
        network_policy: bool | NetworkPolicySettings = True,
    ) -> None:
        """Define the Job and its NetworkPolicy.

        Args:
            scope: Parent construct, usually a chart.
            construct_id: Construct id, unique within ``scope``.
            name: Name of the Job and its container: a DNS label.
            image: Image reference with a tag or digest.
            command: Command to run, replacing the image's entrypoint.
            args: Arguments of the command. Default: none, because Kubernetes
                ignores the image's arguments when ``command`` is set.
            env: Literal environment variables, in order.
            env_from: Sources of further variables, added after ``env``. The
                Job is wired to the endpoints of each :class:`EnvVars` among them.
            wait_for: Init containers that run first, in order, such as
                ``PostgresConnection.wait_step()``. The Job is wired to the
                endpoint of each.
            backoff_limit: Failed pods before the Job fails. Default: 4.
            active_deadline_seconds: Seconds after which the Job fails, wait
                steps and retries included. Default: 1800 (30 minutes).
            ttl_seconds_after_finished: Seconds after which a finished Job and
                its pods are deleted. Default: 86400 (one day). ``None`` keeps
                them until deleted by hand.
            resources: Requests and limits of the command's container.
                Default: :class:`Resources` with its small defaults.
            writable_paths: Paths that get an emptyDir. Default: ``/tmp``.
            run_as_user: UID of the processes, not 0. Default: the image's user.
            run_as_group: GID of the processes. Default: the image's group.
            app_name: ``app.kubernetes.io/name``, which selects the Job's pods
                and stays the same across versions, and the NetworkPolicy's
                name: a DNS label. Default: ``name``.
            component: ``app.kubernetes.io/component``. Default: ``job``.
            part_of: ``app.kubernetes.io/part-of``. Default: the chart's id.
            version: ``app.kubernetes.io/version``. Default: the image tag.
            labels: Extra labels of the Job and its pods.
            network_policy: The pods' NetworkPolicy. Default: ``True``, a
                policy with the default :class:`NetworkPolicySettings`: deny
                all but DNS and the wired connections. ``False`` creates none,
                for clusters whose network plugin does not enforce
                NetworkPolicies.
        """
        path = construct_path(scope, construct_id)
        check = PropChecker("OneShotJob", path)

        # Resolve defaults and validate every prop before creating any construct.
        check.dns_label("name", name)
        resolved_image = resolve_image(check, image)
        if isinstance(command, str) or not command:
            raise check.fail(
                "command",
                command,
                "must be a non-empty list of strings",
                "Pass command=['python', 'manage.py', 'migrate', '--noinput'].",
            )
        check_sequences(
            check, args=args, env_from=env_from, wait_for=wait_for, writable_paths=writable_paths
        )
        check_mappings(check, env=env, labels=labels)
        check.positive_int("backoff_limit", backoff_limit, minimum=0)
        check.positive_int("active_deadline_seconds", active_deadline_seconds)
        if ttl_seconds_after_finished is not None:
            check.positive_int("ttl_seconds_after_finished", ttl_seconds_after_finished, minimum=0)
        if run_as_user is not None:
            check.run_as_user("run_as_user", run_as_user)
        if run_as_group is not None:
            check.unix_id("run_as_group", run_as_group)
        env_entries = plain_env(env or {})
        for source in env_from:
            env_entries.extend(dict(entry) for entry in source.env_entries())
        self.labels = RecommendedLabels(
            name=app_name if app_name is not None else name,
            instance=app_name if app_name is not None else name,
            component=component,
            part_of=part_of if part_of is not None else Chart.of(scope).node.id,
            version=version if version is not None else default_version(resolved_image),
            extra=dict(labels or {}),
        )
        container = ContainerSpec(
            name=name,
            image=resolved_image,
            env=env_entries,
            command=tuple(command),
            args=args,
            resources=resources,
            writable_paths=tuple(writable_paths),
        )
        # Without app_name, both labels are ``name``, which passed the DNS label check.
        label_props = {**WORKLOAD_LABEL_PROPS, NAME: "app_name", INSTANCE: "app_name"}
        check_container_props(check, container, self.labels, label_props)
        init_containers = _wait_containers(check, wait_for, name)
        policy_settings = resolve_policy_settings(check, network_policy)
        if policy_settings is not None and app_name is not None:
            check.dns_label("app_name", app_name)
        namespace = chart_namespace(scope)
        check_secret_namespaces(check, env_from_by_prop(env_from), namespace)
        wires = plan_wiring(
            check,
            self.labels.selector,
            namespace,
            endpoints_of(env_from, wait_for),
            policy_settings,
        )

        super().__init__(scope, construct_id)
        self.name = name
        self.namespace = namespace
        """Namespace of the chart, or ``None`` when the chart sets none."""
        self.image = resolved_image
        self.selector = self.labels.selector
        self.network_policy: WorkloadNetworkPolicy | None = None
        if policy_settings is not None:
            self.network_policy = WorkloadNetworkPolicy(
                self,
                "NetworkPolicy",
                name=self.labels.name,
                labels=self.labels,
                settings=policy_settings,
            )
        self.manifest = self._render(
            container,
            init_containers,
            PodSecurity(run_as_user=run_as_user, run_as_group=run_as_group),
            backoff_limit,
            active_deadline_seconds,
            ttl_seconds_after_finished,
        )
        self.job: ApiObject = emit(self, "Job", self.manifest)
        apply_wiring(self.network_policy, wires)

    def _render(
        self,
        container: ContainerSpec,
        init_containers: Sequence[ContainerSpec],
        security: PodSecurity,
        backoff_limit: int,
        active_deadline_seconds: int,
        ttl_seconds_after_finished: int | None,
    ) -> dict[str, Any]:
        labels = self.labels.all
        spec: dict[str, Any] = {
            "backoffLimit": backoff_limit,
            "activeDeadlineSeconds": active_deadline_seconds,
        }
        if ttl_seconds_after_finished is not None:
            spec["ttlSecondsAfterFinished"] = ttl_seconds_after_finished
        spec["template"] = {
            "metadata": {"labels": labels},
            "spec": render_pod_spec(
                [container],
                security,
                init_containers=init_containers,
                # Never, so that a failed pod and its logs stay for inspection
                # while the Job controller starts a new pod for the retry.
                extra={"restartPolicy": "Never"},
            ),
        }
        return {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {"name": self.name, "labels": labels},
            "spec": spec,
        }


def _wait_containers(
    check: PropChecker, steps: Sequence[WaitStep], job_container: str
) -> list[ContainerSpec]:
    containers: list[ContainerSpec] = []
    names = {job_container}
    for index, step in enumerate(steps):
        prop = f"wait_for[{index}]"
        if not isinstance(step, WaitStep):
            raise check.fail(
                prop, step, "must be a WaitStep", "Pass connection.wait_step() of a database."
            )
        check.dns_label(f"{prop}.name", step.name)
        if step.name in names:
            raise check.fail(
                f"{prop}.name",
                step.name,
                "is already the name of another container of the Job",
                "Pass wait_step(name=...) with a unique name.",
            )
        names.add(step.name)
        check_sequences(check, **{f"{prop}.command": step.command})
        for entry in step.env:
            check.env_var_name(f"{prop}.env", entry["name"])
        if step.run_as_user is not None:
            check.positive_int(f"{prop}.run_as_user", step.run_as_user)
        containers.append(
            ContainerSpec(
                name=step.name,
                image=step.image,
                command=step.command,
                env=[dict(entry) for entry in step.env],
                resources=WAIT_STEP_RESOURCES,
                run_as_user=step.run_as_user,
            )
        )
    return containers
