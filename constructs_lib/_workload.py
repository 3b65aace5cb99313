"""Prop checks shared by the workload constructs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from constructs_lib._pod import ContainerSpec, volume_name_for_path
from constructs_lib._props import PropChecker
from constructs_lib._render import describe_namespace
from constructs_lib.errors import InvalidPropError, WiringError
from constructs_lib.image import Image
from constructs_lib.labels import (
    COMPONENT,
    INSTANCE,
    MANAGED_BY,
    MANAGED_BY_KEY,
    NAME,
    PART_OF,
    VERSION,
    RecommendedLabels,
)
from constructs_lib.ports import ContainerPort, Protocol
from constructs_lib.probes import Probe, ProbeAction
from constructs_lib.resources import Resources
from constructs_lib.secret_env import SecretEnv
from constructs_lib.validation import QuantityKind, label_value_problems, request_limit_problems


def resolve_image(check: PropChecker, image: str | Image, prop: str = "image") -> Image:
    """Return ``image`` as an :class:`Image`, parsing a string reference."""
    if isinstance(image, Image):
        return image
    try:
        return Image.parse(image)
    except InvalidPropError as err:
        raise check.fail(prop, image, err.rule, err.fix) from None


def default_version(image: Image) -> str | None:
    """Return the image tag when it is a valid label value, else ``None``."""
    if image.tag is not None and not label_value_problems(image.tag):
        return image.tag
    return None


def check_sequences(check: PropChecker, **sequences: object) -> None:
    """Validate that each prop is a sequence (or ``None``), but not a single string.

    A string is a sequence of characters, so ``writable_paths="/tmp"`` would
    otherwise turn into four paths.
    """
    for prop, value in sequences.items():
        if value is None:
            continue
        if isinstance(value, str | bytes) or not isinstance(value, Sequence):
            raise check.fail(
                prop, value, "must be a list", f"Pass a list, for example {prop}=[...]."
            )


def check_secret_namespaces(
    check: PropChecker, sources: Mapping[str, object], namespace: str | None
) -> None:
    """Raise WiringError for a SecretEnv in ``sources``, by prop, outside the pods' namespace.

    A pod reads Secrets of its own namespace only, so it would never start.
    """
    # NOTE: the secretKeyRefs inside EnvVars, such as a connection's django_env(),
    # carry no namespace, so only SecretEnv sources are checked.
    for prop, source in sources.items():
        if isinstance(source, SecretEnv) and source.namespace != namespace:
            raise WiringError(
                f"{check.construct} {check.path!r}: {prop} is SecretEnv "
                f"{source.name!r} in {describe_namespace(source.namespace)}, but the pods run "
                f"in {describe_namespace(namespace)}, and a pod can read only Secrets of its "
                "own namespace. Define the SecretEnv in a chart with the pods' namespace."
            )


def env_from_by_prop(env_from: Sequence[object]) -> dict[str, object]:
    """Return the ``env_from`` sources by prop path, such as ``env_from[0]``."""
    return {f"env_from[{index}]": source for index, source in enumerate(env_from)}


def check_mappings(check: PropChecker, **mappings: object) -> None:
    """Validate that each prop is a mapping of strings to strings (or ``None``)."""
    for prop, value in mappings.items():
        if value is None:
            continue
        if not isinstance(value, Mapping):
            raise check.fail(
                prop, value, "must be a mapping", f"Pass a dict, for example {prop}={{...}}."
            )
        for key in value:
            if not isinstance(key, str):
                raise check.fail(prop, key, "keys must be strings", "Use string keys.")


WORKLOAD_LABEL_PROPS: Mapping[str, str | None] = MappingProxyType(
    {
        NAME: "name",
        INSTANCE: "instance",
        COMPONENT: "component",
        PART_OF: "part_of",
        VERSION: "version",
    }
)
"""The prop that sets each recommended label, for StatelessApp and most workloads.

``None`` marks a label that the construct derives itself, without a prop."""


def check_labels(
    check: PropChecker,
    labels: RecommendedLabels,
    label_props: Mapping[str, str | None] = WORKLOAD_LABEL_PROPS,
    *,
    extra_prop: str = "labels",
) -> None:
    """Validate every label key and value of a workload.

    An error about a recommended label names the prop in ``label_props`` that
    sets it. User labels in ``extra_prop`` must not use a recommended key,
    because the recommended labels replace them in every object.
    """
    recommended = {
        NAME: labels.name,
        INSTANCE: labels.instance,
        COMPONENT: labels.component,
        PART_OF: labels.part_of,
        VERSION: labels.version,
    }
    for key, value in recommended.items():
        if value is not None:
            check.label_value(label_props.get(key) or "engine", value)
    for key, value in labels.extra.items():
        check.label_key(extra_prop, key)
        if key in recommended or key == MANAGED_BY_KEY:
            raise check.fail(
                extra_prop,
                key,
                "is a recommended label that the construct sets itself, so this value "
                "would be replaced",
                _recommended_label_fix(key, label_props.get(key)),
            )
        check.label_value(f"{extra_prop}[{key!r}]", value)


def _recommended_label_fix(key: str, prop: str | None) -> str:
    if key == MANAGED_BY_KEY:
        return f"Remove it: every object gets {key}: {MANAGED_BY}."
    if prop is None:
        return "Remove it: the construct derives this label from its other props."
    return f"Remove it and set {prop} instead."


def check_container_props(
    check: PropChecker,
    container: ContainerSpec,
    labels: RecommendedLabels,
    label_props: Mapping[str, str | None] = WORKLOAD_LABEL_PROPS,
) -> None:
    """Validate ports, env, command, resources, probes, writable paths and labels.

    ``label_props`` names the prop that sets each recommended label, as in
    :func:`check_labels`.
    """
    check_labels(check, labels, label_props)
    ports_by_name = _check_ports(check, container.ports)
    _check_env(check, container.env)
    for prop, words in (("command", container.command), ("args", container.args)):
        for index, word in enumerate(words or ()):
            check.text(f"{prop}[{index}]", word)
    if container.resources is not None:
        check_resources(check, container.resources)
    for prop, probe in (
        ("readiness_probe", container.readiness_probe),
        ("liveness_probe", container.liveness_probe),
        ("startup_probe", container.startup_probe),
    ):
        if probe is not None:
            _check_probe(check, prop, probe, ports_by_name)
    _check_writable_paths(check, container)


def check_resources(check: PropChecker, resources: Resources) -> None:
    """Validate each quantity, then that no request exceeds its limit."""
    for prop, quantity in resources.fields().items():
        if quantity is not None:
            kind = QuantityKind.CPU if prop.startswith("cpu") else QuantityKind.MEMORY
            check.quantity(f"resources.{prop}", quantity, kind)
    for resource, request, limit in (
        ("cpu", resources.cpu_request, resources.cpu_limit),
        ("memory", resources.memory_request, resources.memory_limit),
    ):
        if request is not None and limit is not None:
            check.problems(
                f"resources.{resource}_request",
                request,
                request_limit_problems(resource, request, limit),
                f"Lower the {resource} request or raise the {resource} limit.",
            )


def _check_ports(check: PropChecker, ports: Sequence[ContainerPort]) -> dict[str, ContainerPort]:
    """Validate each port and return the ports by name, in declaration order."""
    names: dict[str, ContainerPort] = {}
    numbers: set[tuple[int, str]] = set()
    for port in ports:
        if not isinstance(port, ContainerPort):
            raise check.fail(
                "ports", port, "must be a ContainerPort", "Pass ContainerPort('http', 8080)."
            )
        check.port_name("ports", port.name)
        check.port_number("ports", port.number)
        if not isinstance(port.protocol, Protocol):
            raise check.fail(
                "ports",
                port.protocol,
                "protocol must be a Protocol (TCP, UDP or SCTP)",
                "Pass Protocol.TCP, Protocol.UDP or Protocol.SCTP.",
            )
        if port.name in names:
            raise check.fail(
                "ports", port.name, "port names must be unique", "Give each port its own name."
            )
        key = (port.number, str(port.protocol))
        if key in numbers:
            raise check.fail(
                "ports",
                port.number,
                f"port {port.number}/{port.protocol} is declared twice",
                "Declare each port number and protocol once.",
            )
        names[port.name] = port
        numbers.add(key)
    return names


def _check_env(check: PropChecker, env: Sequence[Mapping[str, Any]]) -> None:
    seen_env: set[str] = set()
    for entry in env:
        env_name = entry["name"]
        check.env_var_name("env", env_name)
        if env_name in seen_env:
            raise check.fail(
                "env",
                env_name,
                "is set twice, and Kubernetes would keep only the last value",
                "Remove one of the two sources or rename a variable.",
            )
        seen_env.add(env_name)
        if "value" in entry:
            # Env values may be secret, so an error never shows them.
            check.text(f"env[{env_name!r}]", entry["value"], show_value=False)


def _check_writable_paths(check: PropChecker, container: ContainerSpec) -> None:
    volume_names = {mount["name"] for mount in container.volume_mounts}
    mount_paths = {mount["mountPath"] for mount in container.volume_mounts}
    paths = [("writable_paths", path) for path in container.writable_paths]
    for memory_volume in container.memory_volumes:
        check.quantity("memory_volumes.size_limit", memory_volume.size_limit, QuantityKind.MEMORY)
        paths.append(("memory_volumes", memory_volume.path))
    for prop, path in paths:
        check.mount_path(prop, path)
        normalized = path.rstrip("/")
        if normalized in mount_paths:
            raise check.fail(
                prop,
                path,
                "is mounted twice, and Kubernetes requires unique mount paths",
                "Remove the duplicate path.",
            )
        mount_paths.add(normalized)
        volume = volume_name_for_path(path)
        if volume in volume_names:
            raise check.fail(
                prop,
                path,
                f"maps to volume name {volume!r}, which another volume already uses",
                "Remove the duplicate path, or rename the other volume.",
            )
        volume_names.add(volume)


_PROBE_TIMING_MINIMUMS = {
    "initial_delay_seconds": 0,
    "period_seconds": 1,
    "timeout_seconds": 1,
    "failure_threshold": 1,
}
"""Kubernetes allows 0 for every timing but replaces 0 with its default for the
last three (10, 1 and 3), so the library requires at least 1 there."""


def _check_probe(
    check: PropChecker, prop: str, probe: Probe, ports_by_name: Mapping[str, ContainerPort]
) -> None:
    if not isinstance(probe, Probe):
        raise check.fail(prop, probe, "must be a Probe", "Pass Probe.http(), Probe.tcp() or None.")
    if not isinstance(probe.action, ProbeAction):
        raise check.fail(
            f"{prop}.action",
            probe.action,
            "must be a ProbeAction (HTTP_GET, TCP_SOCKET or EXEC)",
            "Build the probe with Probe.http(), Probe.tcp() or Probe.command_succeeds([...]).",
        )
    for timing, value in probe.timings().items():
        check.positive_int(f"{prop}.{timing}", value, minimum=_PROBE_TIMING_MINIMUMS[timing])
    if probe.action is ProbeAction.EXEC:
        _check_probe_command(check, prop, probe.command)
        return
    if probe.port is None and not ports_by_name:
        raise check.fail(
            prop,
            probe,
            "checks the first container port, but the container has no ports",
            f"Declare a port, pass {prop}=Probe.command_succeeds([...]), or pass {prop}=None.",
        )
    if probe.port is not None and probe.port not in ports_by_name:
        known = ", ".join(sorted(ports_by_name)) or "none"
        raise check.fail(
            f"{prop}.port",
            probe.port,
            f"is not a declared container port (declared: {known})",
            "Name one of the container's ports.",
        )
    port_name = probe.port if probe.port is not None else next(iter(ports_by_name))
    protocol = ports_by_name[port_name].protocol
    if protocol is not Protocol.TCP:
        # The kubelet opens a TCP connection for both httpGet and tcpSocket.
        raise check.fail(
            f"{prop}.port" if probe.port is not None else prop,
            port_name,
            f"{probe.action.value} probes connect over TCP, but port {port_name!r} is {protocol}",
            "Name a TCP port in the probe, or use Probe.command_succeeds([...]).",
        )
    if probe.action is ProbeAction.HTTP_GET:
        check.text(f"{prop}.path", probe.path)
        if not probe.path.startswith("/"):
            raise check.fail(
                f"{prop}.path", probe.path, "must start with '/'", "Use a path like '/'."
            )


def _check_probe_command(check: PropChecker, prop: str, command: Sequence[str]) -> None:
    if isinstance(command, str | bytes) or not isinstance(command, Sequence):
        raise check.fail(
            f"{prop}.command",
            command,
            "must be a list of words",
            "Build the probe with Probe.command_succeeds(['pg_isready']).",
        )
    if not command:
        raise check.fail(
            f"{prop}.command",
            list(command),
            "must not be empty",
            "Pass the command to run, e.g. ['pg_isready'].",
        )
    for index, word in enumerate(command):
        check.text(f"{prop}.command[{index}]", word)
