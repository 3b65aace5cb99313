"""Objects that would replace each other in a cluster are rejected."""

from __future__ import annotations

from typing import Any

import pytest
from cdk8s import App, Chart

from constructs_lib import (
    DuplicateObjectError,
    ExposedService,
    PostgresEngine,
    SecretEnv,
    StatefulDatabase,
    StatelessApp,
)
from constructs_lib._uniqueness import check_unique_objects
from constructs_lib.output import synth_app
from constructs_lib.testing import synth_manifests

IMAGE = "ghcr.io/example/web:1.4.2"


def manifest(kind: str, name: str, namespace: str | None = None, api: str = "v1") -> Any:
    metadata: dict[str, str] = {"name": name}
    if namespace is not None:
        metadata["namespace"] = namespace
    return {"apiVersion": api, "kind": kind, "metadata": metadata}


def test_two_apps_with_one_name(chart: Chart) -> None:
    StatelessApp(chart, "a", name="web", image=IMAGE)
    StatelessApp(chart, "b", name="web", image=IMAGE)
    with pytest.raises(DuplicateObjectError, match="two NetworkPolicy objects are named 'web'"):
        synth_manifests(chart)


def test_service_named_like_database_client(chart: Chart) -> None:
    credentials = SecretEnv(chart, "credentials", name="pg", keys=["username", "password"])
    StatefulDatabase(chart, "db", name="pg", engine=PostgresEngine(), credentials=credentials)
    app = StatelessApp(chart, "web", name="web", image=IMAGE)
    ExposedService(chart, "svc", app=app, name="pg")
    with pytest.raises(DuplicateObjectError, match="two Service objects are named 'pg'"):
        synth_manifests(chart)


def test_invalid_chart_namespace() -> None:
    chart = Chart(App(), "bad", namespace="Bad_NS", disable_resource_name_hashes=True)
    StatelessApp(chart, "web", name="web", image=IMAGE)
    with pytest.raises(DuplicateObjectError, match="invalid namespace 'Bad_NS'"):
        synth_manifests(chart)


@pytest.mark.parametrize(
    "manifests",
    [
        [manifest("Service", "a"), manifest("Deployment", "a", api="apps/v1")],
        [manifest("Service", "a", "x"), manifest("Service", "a", "y")],
        [manifest("Service", "a"), manifest("Service", "b")],
    ],
    ids=["other kind", "other namespace", "other name"],
)
def test_distinct_objects_pass(manifests: list[Any]) -> None:
    check_unique_objects(manifests, "test")


def test_same_object_twice_fails() -> None:
    with pytest.raises(DuplicateObjectError, match="in namespace 'x'"):
        check_unique_objects([manifest("Secret", "s", "x"), manifest("Secret", "s", "x")], "t")


def test_synth_app_rejects_duplicates(tmp_path: Any) -> None:
    app = App(outdir=str(tmp_path))
    chart = Chart(app, "shop", disable_resource_name_hashes=True)
    StatelessApp(chart, "a", name="web", image=IMAGE, network_policy=False)
    StatelessApp(chart, "b", name="web", image=IMAGE, network_policy=False)
    with pytest.raises(DuplicateObjectError, match="two Deployment objects are named 'web'"):
        synth_app(app)
