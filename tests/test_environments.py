"""The environment settings of comic."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from charts.environments import ROOT, dev, environments, prod
from constructs_lib import DisruptionPolicy, ExistingSecret, LocalSecretValues


def test_names_and_namespaces_are_unique() -> None:
    names = [environment.name for environment in environments()]
    namespaces = [environment.namespace for environment in environments()]
    assert names == ["dev", "prod"]
    assert len(set(namespaces)) == len(namespaces)


def test_dev_reads_env_then_example(tmp_path: Path) -> None:
    secrets = dev(tmp_path).comic.secrets
    assert isinstance(secrets, LocalSecretValues)
    assert secrets.env_file == tmp_path / ".env"
    assert secrets.fallback_file == tmp_path / ".env.example"


def test_dev_is_small() -> None:
    settings = dev().comic
    assert settings.web_replicas == 1
    assert settings.tls is None
    assert settings.postgres_storage.size == "1Gi"


def test_prod_references_secrets_and_has_tls() -> None:
    settings = prod().comic
    assert isinstance(settings.secrets, ExistingSecret)
    assert settings.tls is not None
    assert settings.web_replicas >= 2
    assert settings.disruption is DisruptionPolicy.BLOCK_EVICTION


def test_settings_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        prod().comic.web_replicas = 1  # type: ignore[misc]


def test_example_file_is_at_root() -> None:
    example = (ROOT / ".env.example").read_text()
    assert "COMIC_POSTGRES_PASSWORD=fake-" in example
