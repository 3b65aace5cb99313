"""Prop checks shared by the workload constructs."""

from __future__ import annotations

from constructs_lib._pod import ContainerSpec, volume_name_for_path
from constructs_lib._props import PropChecker
from constructs_lib.errors import InvalidPropError
from constructs_lib.image import Image
from constructs_lib.labels import RecommendedLabels
from constructs_lib.probes import Probe
from constructs_lib.validation import label_value_problems


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


def check_labels(check: PropChecker, labels: RecommendedLabels) -> None:
    """Validate every label key and value of a workload."""
    for prop, value in (
        ("instance", labels.instance),
        ("component", labels.component),
        ("part_of", labels.part_of),
    ):
        check.label_value(prop, value)
    if labels.version is not None:
        check.label_value("version", labels.version)
    for key, value in labels.extra.items():
        check.label_key("labels", key)
        check.label_value(f"labels[{key!r}]", value)


def check_container_props(
    check: PropChecker, container: ContainerSpec, labels: RecommendedLabels
) -> None:
    """Validate ports, env, resources, probes, writable paths and labels."""
    check_labels(check, labels)

    names: set[str] = set()
    numbers: set[tuple[int, str]] = set()
    for port in container.ports:
        check.port_name("ports", port.name)
        check.port_number("ports", port.number)
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
        names.add(port.name)
        numbers.add(key)

    seen_env: set[str] = set()
    for entry in container.env:
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
        if "value" in entry and not isinstance(entry["value"], str):
            raise check.fail(
                f"env[{env_name!r}]",
                entry["value"],
                f"must be a string, not {type(entry['value']).__name__}",
                "Quote the value, for example '8080' or 'true'.",
            )

    if container.resources is not None:
        for prop, quantity in container.resources.fields().items():
            if quantity is not None:
                check.quantity(f"resources.{prop}", quantity)

    for prop, probe in (
        ("readiness_probe", container.readiness_probe),
        ("liveness_probe", container.liveness_probe),
        ("startup_probe", container.startup_probe),
    ):
        if probe is not None:
            _check_probe(check, prop, probe, names)

    volume_names: set[str] = set()
    paths = [("writable_paths", path) for path in container.writable_paths]
    for memory_volume in container.memory_volumes:
        check.quantity("memory_volumes.size_limit", memory_volume.size_limit)
        paths.append(("memory_volumes", memory_volume.path))
    for prop, path in paths:
        if not isinstance(path, str) or not path.startswith("/") or ":" in path:
            raise check.fail(
                prop,
                path,
                "must be an absolute path without ':'",
                "Pass paths such as '/tmp' or '/var/cache/nginx'.",
            )
        volume = volume_name_for_path(path)
        if volume in volume_names:
            raise check.fail(
                prop,
                path,
                f"maps to volume name {volume!r}, which another path already uses",
                "Remove the duplicate path.",
            )
        volume_names.add(volume)


def _check_probe(check: PropChecker, prop: str, probe: Probe, port_names: set[str]) -> None:
    for timing, value in probe.timings().items():
        minimum = 0 if timing == "initial_delay_seconds" else 1
        check.positive_int(f"{prop}.{timing}", value, minimum=minimum)
    if probe.command:
        return
    if probe.port is None and not port_names:
        raise check.fail(
            prop,
            probe,
            "checks the first container port, but the container has no ports",
            f"Declare a port, pass {prop}=Probe.command_succeeds([...]), or pass {prop}=None.",
        )
    if probe.port is not None and probe.port not in port_names:
        known = ", ".join(sorted(port_names)) or "none"
        raise check.fail(
            f"{prop}.port",
            probe.port,
            f"is not a declared container port (declared: {known})",
            "Name one of the container's ports.",
        )
    if probe.path and not probe.path.startswith("/"):
        raise check.fail(f"{prop}.path", probe.path, "must start with '/'", "Use a path like '/'.")
