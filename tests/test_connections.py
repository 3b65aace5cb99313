"""Typed connections: the env entries and wait steps they give clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from constructs_lib import (
    Image,
    InvalidPropError,
    ObjectStoreConnection,
    PostgresConnection,
    SecretKeyRef,
    ServiceEndpoint,
)
from constructs_lib.ports import ContainerPort

ENDPOINT = ServiceEndpoint(
    service="db",
    namespace="comic",
    port=5432,
    target_port=ContainerPort("postgres", 5432),
    selector={"app.kubernetes.io/name": "db"},
)
POSTGRES = PostgresConnection(
    endpoint=ENDPOINT,
    database="comic",
    user=SecretKeyRef("db", "username"),
    password=SecretKeyRef("db", "password"),
    client_image=Image.parse("postgres:17.2-bookworm"),
    client_user=999,
)
STORE = ObjectStoreConnection(
    endpoint=ServiceEndpoint("store", None, 9000, ContainerPort("s3", 9000)),
    bucket="images",
    access_key=SecretKeyRef("store", "access-key"),
    secret_key=SecretKeyRef("store", "secret-key"),
)


def test_django_env_names_in_order() -> None:
    assert POSTGRES.django_env().names == [
        "DATABASE_HOST",
        "DATABASE_PORT",
        "DATABASE_NAME",
        "DATABASE_USER",
        "DATABASE_PASSWORD",
        "DATABASE_URL",
    ]


def test_django_env_values_and_refs() -> None:
    env = {entry["name"]: entry for entry in POSTGRES.django_env().env_entries()}
    assert env["DATABASE_HOST"]["value"] == "db.comic.svc"
    assert env["DATABASE_PORT"]["value"] == "5432"
    assert env["DATABASE_NAME"]["value"] == "comic"
    assert env["DATABASE_USER"]["valueFrom"] == {"secretKeyRef": {"name": "db", "key": "username"}}
    assert env["DATABASE_PASSWORD"]["valueFrom"] == {
        "secretKeyRef": {"name": "db", "key": "password"}
    }


def test_database_url_expands_earlier_vars() -> None:
    entries = POSTGRES.django_env().env_entries()
    url = entries[-1]
    assert url["value"] == (
        "postgres://$(DATABASE_USER):$(DATABASE_PASSWORD)@db.comic.svc:5432/comic"
    )
    # The kubelet expands $(VAR) only for variables defined earlier in the list.
    names = [entry["name"] for entry in entries]
    assert names.index("DATABASE_USER") < names.index("DATABASE_URL")
    assert names.index("DATABASE_PASSWORD") < names.index("DATABASE_URL")


def test_django_env_prefix_and_no_url() -> None:
    env = POSTGRES.django_env("DB_", url=False)
    assert env.names == ["DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD"]


def test_wait_step_loops_on_pg_isready() -> None:
    step = POSTGRES.wait_step()
    assert step.name == "wait-for-postgres"
    assert step.image.reference == "postgres:17.2-bookworm"
    assert step.command[:2] == ("sh", "-c")
    assert 'pg_isready -q -h "db.comic.svc" -p 5432 -d "comic"' in step.command[2]
    assert step.command[2].startswith("until ")
    assert step.env == (
        {"name": "PGUSER", "valueFrom": {"secretKeyRef": {"name": "db", "key": "username"}}},
    )
    assert step.run_as_user == 999


def test_s3_env_for_django_storages() -> None:
    env = {entry["name"]: entry for entry in STORE.s3_env().env_entries()}
    assert env["AWS_S3_ENDPOINT_URL"]["value"] == "http://store:9000"
    assert env["AWS_STORAGE_BUCKET_NAME"]["value"] == "images"
    assert env["AWS_ACCESS_KEY_ID"]["valueFrom"]["secretKeyRef"] == {
        "name": "store",
        "key": "access-key",
    }
    assert env["AWS_SECRET_ACCESS_KEY"]["valueFrom"]["secretKeyRef"] == {
        "name": "store",
        "key": "secret-key",
    }


def test_mc_env_adds_host_after_keys() -> None:
    env = STORE.mc_env("images")
    assert env.names[-1] == "MC_HOST_images"
    assert env.env_entries()[-1]["value"] == (
        "http://$(AWS_ACCESS_KEY_ID):$(AWS_SECRET_ACCESS_KEY)@store:9000"
    )


def test_endpoint_keeps_target_for_network_rules() -> None:
    assert ENDPOINT.target_port == ContainerPort("postgres", 5432)
    assert ENDPOINT.selector == {"app.kubernetes.io/name": "db"}


def test_env_vars_carry_their_endpoint() -> None:
    assert POSTGRES.django_env().endpoints == (ENDPOINT,)
    assert STORE.s3_env().endpoints == (STORE.endpoint,)
    assert STORE.mc_env().endpoints == (STORE.endpoint,)


def test_variables_only_drops_endpoints() -> None:
    env = POSTGRES.django_env()
    bare = env.variables_only()
    assert bare.endpoints == ()
    assert bare.entries == env.entries


def test_wait_step_carries_its_endpoint() -> None:
    assert POSTGRES.wait_step().endpoint == ENDPOINT


# Wrong types that a caller without a type checker may pass.
UNTYPED_NONE: Any = None
UNTYPED_ONE: Any = 1


@pytest.mark.parametrize(
    ("build", "prop", "fragment"),
    [
        (
            lambda: POSTGRES.django_env(prefix=UNTYPED_NONE),
            "prefix",
            "must be a string, not NoneType",
        ),
        (lambda: POSTGRES.django_env(prefix=UNTYPED_ONE), "prefix", "must be a string, not int"),
        (lambda: POSTGRES.django_env(prefix="DB-"), "prefix", "'DB-HOST'"),
        (lambda: POSTGRES.django_env(prefix="1_"), "prefix", "C identifier"),
        (lambda: POSTGRES.django_env(prefix="DB\x00"), "prefix", "C identifier"),
        (lambda: STORE.mc_env(alias=UNTYPED_NONE), "alias", "non-empty string"),
        (lambda: STORE.mc_env(alias=""), "alias", "non-empty string"),
        (lambda: STORE.mc_env(alias="my-store"), "alias", "'MC_HOST_my-store'"),
    ],
)
def test_bad_variable_prefix_raises(build: Callable[[], Any], prop: str, fragment: str) -> None:
    with pytest.raises(InvalidPropError) as caught:
        build()
    assert caught.value.prop == prop
    assert fragment in str(caught.value)
    assert caught.value.fix


def test_empty_prefix_and_plain_alias_pass() -> None:
    assert POSTGRES.django_env(prefix="").names[0] == "HOST"
    assert STORE.mc_env(alias="store_2").names[-1] == "MC_HOST_store_2"
