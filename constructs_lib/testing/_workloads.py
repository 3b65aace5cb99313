"""Assertions on the pod templates of synthesized workloads."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from constructs_lib.manifests import PodTemplate, pod_templates

Manifest = Mapping[str, Any]

REQUIRED_PROBES = ("readinessProbe", "livenessProbe")

DEFAULT_REQUIRED_RESOURCES = (
    "requests.cpu",
    "requests.memory",
    "limits.cpu",
    "limits.memory",
)
"""Resource fields that :func:`assert_resources` requires on every container by default."""


def probe_problems(manifests: Iterable[Manifest]) -> list[str]:
    """Return one line per long-running container that lacks a readiness or liveness probe.

    Containers of Jobs and CronJobs need no probes. Ordinary init containers
    cannot have these probes, so only restartable ones (``restartPolicy:
    Always``, the sidecar form) are checked.
    """
    problems: list[str] = []
    for template in pod_templates(manifests):
        if not template.long_running:
            continue
        for path, container in template.containers():
            is_init = ".initContainers[" in path
            if is_init and container.get("restartPolicy") != "Always":
                continue
            for probe in REQUIRED_PROBES:
                if probe not in container:
                    problems.append(
                        f"{_where(template, container, is_init)}: missing {probe} at {path}.{probe}"
                    )
    return problems


def resource_problems(
    manifests: Iterable[Manifest], required: Collection[str] = DEFAULT_REQUIRED_RESOURCES
) -> list[str]:
    """Return one line per container or init container that lacks a required resource field.

    ``required`` contains dotted paths below the container's ``resources``, such as
    ``limits.memory``.
    """
    problems: list[str] = []
    for template in pod_templates(manifests):
        for path, container in template.containers():
            resources = container.get("resources") or {}
            is_init = ".initContainers[" in path
            for field in required:
                section, _, quantity = field.partition(".")
                if quantity not in (resources.get(section) or {}):
                    problems.append(
                        f"{_where(template, container, is_init)}: missing resources.{field} "
                        f"at {path}.resources.{field}"
                    )
    return problems


def non_root_problems(manifests: Iterable[Manifest]) -> list[str]:
    """Return one line per container or init container that may run as root.

    A container passes when its own ``securityContext.runAsNonRoot`` is true,
    or when it sets none and the pod's is true, and when the ``runAsUser`` that
    applies to it (container first, then pod) is not 0.
    """
    problems: list[str] = []
    for template in pod_templates(manifests):
        pod_context = template.spec.get("securityContext") or {}
        for path, container in template.containers():
            context = container.get("securityContext") or {}
            where = _where(template, container, ".initContainers[" in path)
            if "runAsNonRoot" in context:
                non_root, source = context["runAsNonRoot"], f"{path}.securityContext"
            else:
                non_root = pod_context.get("runAsNonRoot")
                source = f"{template.path}.securityContext"
            if non_root is not True:
                problems.append(
                    f"{where}: runAsNonRoot is {non_root!r}, not true, at {source}.runAsNonRoot"
                )
            user = context.get("runAsUser", pod_context.get("runAsUser"))
            if user == 0:
                problems.append(f"{where}: runAsUser is 0 (root)")
    return problems


def assert_probes(manifests: Iterable[Manifest]) -> None:
    """Raise ``AssertionError`` unless long-running containers have readiness and liveness probes.

    See :func:`probe_problems` for which containers are checked.
    """
    _raise_if_any("probes", probe_problems(manifests))


def assert_resources(
    manifests: Iterable[Manifest], required: Collection[str] = DEFAULT_REQUIRED_RESOURCES
) -> None:
    """Raise ``AssertionError`` unless every container sets the ``required`` resource fields.

    Args:
        manifests: Synthesized objects, for example from :func:`synth_manifests`.
        required: Dotted paths below ``resources``. Default: CPU and memory,
            each as a request and as a limit.
    """
    _raise_if_any("resources", resource_problems(manifests, required))


def assert_runs_as_non_root(manifests: Iterable[Manifest]) -> None:
    """Raise ``AssertionError`` unless every container runs with ``runAsNonRoot: true``.

    See :func:`non_root_problems` for how pod and container settings combine.
    """
    _raise_if_any("non-root security context", non_root_problems(manifests))


def assert_workload_basics(
    manifests: Iterable[Manifest], required_resources: Collection[str] = DEFAULT_REQUIRED_RESOURCES
) -> None:
    """Run the probe, resource and non-root checks and report every problem in one error."""
    listed = list(manifests)
    problems = [
        *probe_problems(listed),
        *resource_problems(listed, required_resources),
        *non_root_problems(listed),
    ]
    _raise_if_any("workload basics", problems)


def _where(template: PodTemplate, container: Mapping[str, Any], is_init: bool) -> str:
    role = "init container" if is_init else "container"
    return f"{template.object_name} {role} {container.get('name')!r}"


def _raise_if_any(check: str, problems: list[str]) -> None:
    if problems:
        lines = "\n".join(f"  {problem}" for problem in problems)
        raise AssertionError(f"{check} check failed for {len(problems)} field(s):\n{lines}")
