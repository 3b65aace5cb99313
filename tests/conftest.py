"""Fixtures shared by the test suite."""

from __future__ import annotations

import pytest
from cdk8s import App, Chart, Testing
from syrupy.assertion import SnapshotAssertion

from constructs_lib.testing import YamlSnapshotExtension


@pytest.fixture
def app() -> App:
    """An app whose synth writes to a temporary directory."""
    return Testing.app()


@pytest.fixture
def chart(app: App) -> Chart:
    """An empty chart called ``test`` without resource name hashes."""
    return Chart(app, "test", disable_resource_name_hashes=True)


@pytest.fixture
def yaml_snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Syrupy's snapshot fixture, storing each snapshot as a ``.yaml`` file."""
    return snapshot.use_extension(YamlSnapshotExtension)
