"""Diagram host detection: variable expansion and Service host names."""

from __future__ import annotations

import pytest

from constructs_lib.diagram._hosts import (
    container_texts,
    expand_references,
    expand_shell_references,
    names_host,
)


def test_expand_known_unknown_and_escaped() -> None:
    values = {"HOST": "db"}
    assert expand_references("$(HOST):5432", values) == "db:5432"
    assert expand_references("$(PASSWORD)@$(HOST)", values) == "$(PASSWORD)@db"
    assert expand_references("$$(HOST)", values) == "$(HOST)"


def test_expand_shell_forms() -> None:
    values = {"HOST": "db"}
    assert expand_shell_references('pg_isready -h "$HOST"', values) == 'pg_isready -h "db"'
    assert expand_shell_references("${HOST}:5432 $OTHER", values) == "db:5432 $OTHER"


def test_env_sees_only_earlier_variables() -> None:
    container = {
        "env": [
            {"name": "URL", "value": "http://$(HOST)/"},
            {"name": "HOST", "value": "api"},
            {"name": "AGAIN", "value": "http://$(HOST)/"},
        ],
        "args": ["--upstream=$(HOST)"],
    }
    assert container_texts(container) == ["http://$(HOST)/", "api", "http://api/", "--upstream=api"]


@pytest.mark.parametrize(
    ("text", "namespace", "same_namespace", "expected"),
    [
        ("db", "", True, True),
        ("db:5432", "", True, True),
        ("postgres://u:p@db:5432/app", "", True, True),
        ("db.shop", "shop", False, True),
        ("db.shop.svc", "shop", False, True),
        ("db.shop.svc.cluster.local:5432", "shop", False, True),
        ("db.any.svc.cluster.local", "", True, True),
        ("db", "shop", False, False),
        ("db.other.svc", "shop", False, False),
        ("db.example.com", "", True, False),
        ("db.settings", "", True, False),
        ("mydb", "", True, False),
        ("db-replica", "", True, False),
        ("db_name", "", True, False),
    ],
)
def test_names_host(text: str, namespace: str, same_namespace: bool, expected: bool) -> None:
    assert names_host(text, "db", namespace, same_namespace=same_namespace) is expected
