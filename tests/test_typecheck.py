"""Wrongly typed props and bad construct ids raise InvalidPropError, not raw errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from cdk8s import Chart

from constructs_lib import (
    ExposedService,
    Ingress,
    InvalidPropError,
    RestrictedNamespace,
    SecretEnv,
    StatefulDatabase,
    StatelessApp,
)
from constructs_lib._typecheck import find_mismatch, reports_wrong_types

IMAGE = "ghcr.io/example/web:1.4.2"

Build = Callable[[Chart], object]


def web(chart: Chart, **props: Any) -> StatelessApp:
    arguments: dict[str, Any] = {"name": "web", "image": IMAGE, **props}
    return StatelessApp(chart, "web", **arguments)


def credentials(chart: Chart) -> SecretEnv:
    return SecretEnv(chart, "credentials", name="db", keys=["username", "password"])


CASES: list[tuple[str, Build, str, str]] = [
    ("ports None", lambda c: web(c, ports=None), "ports", "list of ContainerPort"),
    ("env_from dict", lambda c: web(c, env_from=[{"name": "A"}]), "env_from[0]", "EnvSource"),
    ("resources dict", lambda c: web(c, resources={"cpu_request": "1"}), "resources", "Resources"),
    (
        "service app None",
        lambda c: ExposedService(c, "svc", app=None, name="web"),  # type: ignore[arg-type]
        "app",
        "Exposable",
    ),
    (
        "ingress paths str",
        lambda c: ExposedService(
            c,
            "svc",
            app=web(c),
            name="web",
            ingress=Ingress(host="x.example.com", paths="/"),  # type: ignore[arg-type]
        ),
        "ingress.paths",
        "list of IngressPath",
    ),
    (
        "engine None",
        lambda c: StatefulDatabase(
            c,
            "db",
            name="db",
            engine=None,  # type: ignore[arg-type]
            credentials=credentials(c),
        ),
        "engine",
        "DatabaseEngine",
    ),
    (
        "namespace labels str",
        lambda c: RestrictedNamespace(c, "ns", name="ns", labels="a=b"),  # type: ignore[arg-type]
        "labels",
        "dict",
    ),
]


@pytest.mark.parametrize(("case", "build", "prop", "expected"), CASES, ids=[c[0] for c in CASES])
def test_wrong_type_names_prop(
    chart: Chart, case: str, build: Build, prop: str, expected: str
) -> None:
    with pytest.raises(InvalidPropError) as caught:
        build(chart)
    assert caught.value.prop == prop
    assert f"must be {expected}" in str(caught.value)
    assert caught.value.__cause__ is not None


def test_env_value_is_hidden(chart: Chart) -> None:
    with pytest.raises(InvalidPropError) as caught:
        web(chart, env_from=[{"name": "TOKEN", "value": "fake-token-value"}])
    assert "fake-token-value" not in str(caught.value)


def test_duplicate_construct_id(chart: Chart) -> None:
    web(chart)
    with pytest.raises(InvalidPropError, match="already the id of another construct") as caught:
        StatelessApp(chart, "web", name="other", image=IMAGE)
    assert caught.value.prop == "construct_id"


def test_empty_construct_id(chart: Chart) -> None:
    with pytest.raises(InvalidPropError, match="must not be empty"):
        StatelessApp(chart, "", name="web", image=IMAGE)


def test_construct_id_not_string(chart: Chart) -> None:
    with pytest.raises(InvalidPropError, match="must be a string"):
        StatelessApp(chart, None, name="web", image=IMAGE)  # type: ignore[arg-type]


def test_other_errors_pass_through(chart: Chart) -> None:
    def broken(self: object, scope: object, construct_id: object, **props: object) -> None:
        raise RuntimeError("not about types")

    wrapped = reports_wrong_types("Broken")(broken)
    with pytest.raises(RuntimeError, match="not about types"):
        wrapped(object(), chart, "id")


@pytest.mark.parametrize(
    ("value", "expected", "location"),
    [
        ([1], list[str], "[0]"),
        ({"a": 1}, dict[str, str], "['a']"),
        ("abc", list[str], ""),
        (True, int, ""),
        (None, int | None, None),
        (3, float, None),
        ((1, "x"), tuple[int, ...], "[1]"),
    ],
)
def test_find_mismatch_locations(value: Any, expected: Any, location: str | None) -> None:
    mismatch = find_mismatch(value, expected)
    if location is None:
        assert mismatch is None
    else:
        assert mismatch is not None
        assert mismatch.location == location
