"""Pod and container fields that every workload construct shares.

The defaults meet the Pod Security Standards "restricted" profile: non-root,
no privilege escalation, every capability dropped, the RuntimeDefault seccomp
profile, and a read-only root filesystem with emptyDir volumes mounted at the
paths the image writes to.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from constructs_lib.image import Image
from constructs_lib.ports import ContainerPort
from constructs_lib.probes import Probe
from constructs_lib.resources import Resources

Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class MemoryVolume:
    """A memory-backed emptyDir (tmpfs) mounted at ``path``.

    Its contents count against the container's memory limit.
    """

    path: str
    size_limit: str
    """Maximum size as a quantity such as ``256Mi``."""


@dataclass(frozen=True, slots=True)
class ContainerSpec:
    """Everything needed to render one container of a workload."""

    name: str
    image: Image
    ports: Sequence[ContainerPort] = ()
    env: Sequence[Json] = ()
    command: Sequence[str] | None = None
    args: Sequence[str] | None = None
    resources: Resources | None = None
    readiness_probe: Probe | None = None
    liveness_probe: Probe | None = None
    startup_probe: Probe | None = None
    volume_mounts: Sequence[Json] = ()
    writable_paths: Sequence[str] = ()
    memory_volumes: Sequence[MemoryVolume] = ()
    read_only_root_filesystem: bool = True
    run_as_user: int | None = None
    """UID of this container only, overriding the pod's. Default: the pod's."""


@dataclass(frozen=True, slots=True)
class PodSecurity:
    """Pod-level identity: who the processes run as, and who owns volumes."""

    run_as_user: int | None = None
    run_as_group: int | None = None
    fs_group: int | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


def volume_name_for_path(path: str) -> str:
    """Return a stable DNS-label volume name for a mount path.

    ``/var/cache/nginx`` becomes ``var-cache-nginx``; ``/`` characters and
    anything else outside ``[a-z0-9]`` become single hyphens.
    """
    name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")
    return (name or "root")[:63].rstrip("-")


def writable_volumes(paths: Sequence[str]) -> tuple[list[Json], list[Json]]:
    """Return emptyDir volumes and their mounts for paths a container writes to."""
    volumes: list[Json] = []
    mounts: list[Json] = []
    for path in paths:
        name = volume_name_for_path(path)
        volumes.append({"name": name, "emptyDir": {}})
        mounts.append({"name": name, "mountPath": path})
    return volumes, mounts


def memory_volumes(volumes: Sequence[MemoryVolume]) -> tuple[list[Json], list[Json]]:
    """Return memory-backed emptyDir volumes and their mounts."""
    rendered: list[Json] = []
    mounts: list[Json] = []
    for volume in volumes:
        name = volume_name_for_path(volume.path)
        rendered.append(
            {"name": name, "emptyDir": {"medium": "Memory", "sizeLimit": volume.size_limit}}
        )
        mounts.append({"name": name, "mountPath": volume.path})
    return rendered, mounts


def container_volumes(spec: ContainerSpec) -> tuple[list[Json], list[Json]]:
    """Return the emptyDir volumes of a container and their mounts, writable paths first."""
    volumes, mounts = writable_volumes(spec.writable_paths)
    in_memory, memory_mounts = memory_volumes(spec.memory_volumes)
    return [*volumes, *in_memory], [*mounts, *memory_mounts]


def container_security_context(
    read_only_root_filesystem: bool, run_as_user: int | None = None
) -> Json:
    """Return the restricted container securityContext."""
    context: Json = {
        "allowPrivilegeEscalation": False,
        "capabilities": {"drop": ["ALL"]},
        "privileged": False,
        "readOnlyRootFilesystem": read_only_root_filesystem,
        "runAsNonRoot": True,
    }
    if run_as_user is not None:
        context["runAsUser"] = run_as_user
        context["runAsGroup"] = run_as_user
    context["seccompProfile"] = {"type": "RuntimeDefault"}
    return context


def pod_security_context(security: PodSecurity) -> Json:
    """Return the restricted pod securityContext."""
    context: Json = {"runAsNonRoot": True}
    if security.run_as_user is not None:
        context["runAsUser"] = security.run_as_user
    if security.run_as_group is not None:
        context["runAsGroup"] = security.run_as_group
    if security.fs_group is not None:
        context["fsGroup"] = security.fs_group
    context["seccompProfile"] = {"type": "RuntimeDefault"}
    context.update(security.extra)
    return context


def render_container(spec: ContainerSpec) -> Json:
    """Return the container as a PodSpec ``containers`` entry."""
    default_port = spec.ports[0].name if spec.ports else None
    container: Json = {
        "name": spec.name,
        "image": spec.image.reference,
        "imagePullPolicy": "IfNotPresent",
    }
    if spec.command is not None:
        container["command"] = list(spec.command)
    if spec.args is not None:
        container["args"] = list(spec.args)
    if spec.ports:
        container["ports"] = [
            {"name": port.name, "containerPort": port.number, "protocol": str(port.protocol)}
            for port in spec.ports
        ]
    if spec.env:
        container["env"] = [dict(entry) for entry in spec.env]
    if spec.resources is not None:
        resources = spec.resources.render()
        if resources:
            container["resources"] = resources
    if spec.startup_probe is not None:
        container["startupProbe"] = spec.startup_probe.render(default_port)
    if spec.readiness_probe is not None:
        container["readinessProbe"] = spec.readiness_probe.render(default_port)
    if spec.liveness_probe is not None:
        container["livenessProbe"] = spec.liveness_probe.render(default_port)
    container["securityContext"] = container_security_context(
        spec.read_only_root_filesystem, spec.run_as_user
    )
    _, empty_dir_mounts = container_volumes(spec)
    mounts = [*spec.volume_mounts, *empty_dir_mounts]
    if mounts:
        container["volumeMounts"] = mounts
    return container


def render_pod_spec(
    containers: Sequence[ContainerSpec],
    security: PodSecurity,
    *,
    volumes: Sequence[Json] = (),
    init_containers: Sequence[ContainerSpec] = (),
    extra: Mapping[str, Any] | None = None,
) -> Json:
    """Return a PodSpec with the restricted defaults.

    The service account token is not mounted, because none of these workloads
    talk to the Kubernetes API. Containers that mount the same emptyDir path
    share one volume. ``extra`` fields are merged in last.
    """
    all_volumes = list(volumes)
    names = {volume["name"] for volume in all_volumes}
    for container in [*init_containers, *containers]:
        for volume in container_volumes(container)[0]:
            if volume["name"] not in names:
                names.add(volume["name"])
                all_volumes.append(volume)
    pod: Json = {"automountServiceAccountToken": False}
    if init_containers:
        pod["initContainers"] = [render_container(container) for container in init_containers]
    pod["containers"] = [render_container(container) for container in containers]
    pod["securityContext"] = pod_security_context(security)
    if all_volumes:
        pod["volumes"] = all_volumes
    if extra:
        pod.update(extra)
    return pod
