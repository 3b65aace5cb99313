"""Hypothesis strategies for construct props: mostly valid values, some invalid ones.

Each strategy draws a valid value 19 times out of 20. Otherwise it draws
something a user could pass by mistake: a wrong case, an empty string, a
YAML-ambiguous string, a control character or an out-of-range number. So
property tests reach both the synthesis path and the error path.
:func:`workload_props` covers the props that every workload construct
takes, and construct-specific strategies extend it.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from constructs_lib import ContainerPort, Probe, Protocol, Resources, ServicePort, ServiceType

TRICKY_TEXT = [
    *("", "yes", "no", "on", "y", "null", "~", "true", "1.30", "0777", "1e3", "0x1F", ".inf"),
    *("=", "<<", "0o17", "- a", "a: b", "#", " lead", "trail ", "a\nb", "\u2028", "\x85"),
    *("\x00", "\x7f", "\ud800", "😀", "Ä", "a" * 300),
]
"""Strings that are easy to get wrong in YAML, in a container, or in UTF-8."""


VALID_SHARE = 19
"""Valid draws per invalid one. With about 20 props per construct, roughly a
third of the examples are entirely valid and the rest exercise errors."""


def mostly(
    valid: st.SearchStrategy[Any], invalid: st.SearchStrategy[Any]
) -> st.SearchStrategy[Any]:
    """Draw from ``valid`` about 19 times out of 20, else from ``invalid``.

    ``st.one_of`` would pick each branch equally often, so the choice is drawn
    first. Hypothesis prefers the first element, so ``False`` comes first.
    """
    choice = st.sampled_from([False] * VALID_SHARE + [True])
    return choice.flatmap(lambda broken: invalid if broken else valid)


def text() -> st.SearchStrategy[str]:
    """Any string, including the tricky ones."""
    return st.one_of(st.sampled_from(TRICKY_TEXT), st.text(max_size=40))


def dns_labels(max_length: int = 63) -> st.SearchStrategy[str]:
    """Valid DNS-1123 labels, with a letter first so they are also DNS-1035 labels."""
    middle = max(max_length - 2, 0)
    pattern = rf"[a-z]([-a-z0-9]{{0,{middle}}}[a-z0-9])?"
    return st.one_of(st.from_regex(pattern, fullmatch=True), st.just("a" * max_length))


def names() -> st.SearchStrategy[str]:
    """Object names: mostly DNS labels up to the 63-character limit."""
    invalid = st.one_of(text(), st.just("a" * 64), st.just("Web"), st.just("1web"), st.just("a.b"))
    return mostly(dns_labels(), invalid)


def label_values() -> st.SearchStrategy[str]:
    valid = st.from_regex(r"([A-Za-z0-9]([-A-Za-z0-9_.]{0,20}[A-Za-z0-9])?)?", fullmatch=True)
    return mostly(st.one_of(valid, st.sampled_from(["yes", "on", "1.30", "0777", "0o17"])), text())


def label_keys() -> st.SearchStrategy[str]:
    valid = st.from_regex(r"(example\.com/)?[a-z]([-a-z0-9_.]{0,20}[a-z0-9])?", fullmatch=True)
    return mostly(valid, text())


def images() -> st.SearchStrategy[str]:
    repositories = st.sampled_from(
        ["nginx", "ghcr.io/example/web", "registry.example.com:5000/team/app", "localhost/a_b"]
    )
    tags = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}", fullmatch=True)
    tagged = st.builds(lambda repository, tag: f"{repository}:{tag}", repositories, tags)
    digests = st.from_regex(r"sha256:[a-f0-9]{64}", fullmatch=True)
    pinned = st.builds(lambda repository, digest: f"{repository}@{digest}", repositories, digests)
    invalid = st.one_of(
        text(), st.sampled_from(["nginx", "nginx:latest", "Nginx:1", "nginx@sha256:abc"])
    )
    return mostly(st.one_of(tagged, pinned), invalid)


def int32s(minimum: int = 0) -> st.SearchStrategy[int]:
    """Small valid integers, or anything around the int32 range."""
    return mostly(st.integers(minimum, minimum + 10), st.integers(-(2**31) - 1, 2**31 + 1))


def port_names() -> st.SearchStrategy[str]:
    valid = st.from_regex(r"[a-z]([a-z0-9]|-(?=[a-z0-9])){0,14}", fullmatch=True).filter(
        lambda name: len(name) <= 15 and not name.endswith("-")
    )
    return mostly(valid, st.one_of(text(), st.just("a" * 16), st.just("HTTP"), st.just("80")))


def port_numbers() -> st.SearchStrategy[int]:
    return mostly(st.integers(1, 65535), st.sampled_from([0, -1, 65536, 2**31]))


def container_ports() -> st.SearchStrategy[list[ContainerPort]]:
    port = st.builds(ContainerPort, port_names(), port_numbers(), st.sampled_from(list(Protocol)))
    unique = st.lists(
        port,
        max_size=3,
        unique_by=(lambda p: p.name, lambda p: (p.number, p.protocol)),
    )
    return mostly(unique, st.lists(port, max_size=3))


def env_maps() -> st.SearchStrategy[dict[str, str]]:
    env_names = mostly(st.from_regex(r"[A-Z_][A-Z0-9_]{0,15}", fullmatch=True), text())
    return st.dictionaries(env_names, text(), max_size=4)


def quantities(unit_suffixes: list[str]) -> st.SearchStrategy[str]:
    """Quantity strings, mostly well formed, with the given suffixes."""
    valid = st.builds(
        lambda number, suffix: f"{number}{suffix}",
        st.integers(0, 4096),
        st.sampled_from(unit_suffixes),
    )
    invalid = st.one_of(text(), st.sampled_from(["1g", "6GiB", "-1", "0.0001", "1e", "100m"]))
    return mostly(valid, invalid)


def resources() -> st.SearchStrategy[Resources | None]:
    cpu = st.one_of(st.none(), quantities(["m", ""]))
    memory = st.one_of(st.none(), quantities(["Mi", "Gi", "Ki", "M", ""]))
    return st.one_of(st.none(), st.builds(Resources, cpu, memory, cpu, memory))


def probes(port_name: st.SearchStrategy[str | None]) -> st.SearchStrategy[Probe | None]:
    timing = {
        "initial_delay_seconds": int32s(0),
        "period_seconds": int32s(1),
        "timeout_seconds": int32s(1),
        "failure_threshold": int32s(1),
    }
    paths = mostly(st.from_regex(r"/[a-z/]{0,10}", fullmatch=True), text())
    http = st.builds(Probe.http, paths, port=port_name, **timing)
    tcp = st.builds(Probe.tcp, port=port_name, **timing)
    command = st.builds(Probe.command_succeeds, st.lists(text(), max_size=3), **timing)
    return st.one_of(st.none(), http, tcp, command)


def paths() -> st.SearchStrategy[str]:
    valid = st.from_regex(r"(/[a-z][a-z0-9._-]{0,10}){1,3}", fullmatch=True)
    return mostly(valid, st.one_of(text(), st.sampled_from(["/", "tmp", "/a/../b", "/a:b"])))


def int_or_percent(minimum: int = 0) -> st.SearchStrategy[int | str]:
    """maxSurge or maxUnavailable values; ``minimum`` is the smallest valid one drawn."""
    valid = st.one_of(st.integers(minimum, 3), st.integers(minimum, 100).map(lambda n: f"{n}%"))
    invalid = st.one_of(text(), st.integers(-2, -1), st.just("101%"), st.just("\u0662%"))
    return mostly(valid, invalid)


def unix_ids() -> st.SearchStrategy[int | None]:
    return st.one_of(st.none(), mostly(st.integers(1, 70000), st.sampled_from([0, -1, 2**31])))


@st.composite
def workload_props(draw: st.DrawFn) -> dict[str, Any]:
    """Props that every workload construct takes, as keyword arguments."""
    ports = draw(container_ports())
    known_port = st.sampled_from([p.name for p in ports]) if ports else st.just("http")
    port_name = mostly(st.one_of(st.none(), known_port), port_names())
    props: dict[str, Any] = {
        "name": draw(names()),
        "image": draw(images()),
        "ports": ports,
        "env": draw(env_maps()),
        "resources": draw(resources()),
        "readiness_probe": draw(probes(port_name)),
        "liveness_probe": draw(probes(port_name)),
        "writable_paths": draw(st.lists(paths(), max_size=3)),
        "run_as_user": draw(unix_ids()),
        "run_as_group": draw(unix_ids()),
        "labels": draw(st.dictionaries(label_keys(), label_values(), max_size=3)),
    }
    return props


@st.composite
def stateless_app_props(draw: st.DrawFn) -> dict[str, Any]:
    """Keyword arguments for StatelessApp."""
    props = draw(workload_props())
    props["replicas"] = draw(int32s(0))
    props["command"] = draw(st.one_of(st.none(), st.lists(text(), max_size=3)))
    props["args"] = draw(st.one_of(st.none(), st.lists(text(), max_size=3)))
    props["version"] = draw(st.one_of(st.none(), label_values()))
    props["component"] = draw(mostly(st.just("web"), label_values()))
    # Both 0 is invalid, so the second one is drawn non-zero when it is valid.
    props["max_surge"] = draw(int_or_percent())
    props["max_unavailable"] = draw(int_or_percent(minimum=1))
    return props


@st.composite
def exposed_service_props(draw: st.DrawFn, app_ports: list[str]) -> dict[str, Any]:
    """Keyword arguments for ExposedService, except ``app``, for an app with ``app_ports``."""
    service_type = draw(st.sampled_from(list(ServiceType)))
    target = st.sampled_from(app_ports) if app_ports else port_names()
    node_port = st.one_of(
        st.none(), mostly(st.integers(30000, 32767), st.sampled_from([29999, 32768, 80]))
    )
    port = st.builds(
        ServicePort,
        mostly(target, port_names()),
        st.one_of(st.none(), port_numbers()),
        node_port,
    )
    annotations = st.dictionaries(mostly(label_keys(), text()), text(), max_size=3)
    return {
        "name": draw(names()),
        "service_type": service_type,
        "ports": draw(st.one_of(st.none(), st.lists(port, max_size=3))),
        "annotations": draw(st.one_of(st.none(), annotations)),
    }
