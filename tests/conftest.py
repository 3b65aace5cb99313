"""Fixtures shared by the test suite.

The ``yaml_snapshot`` fixture comes from the library's own pytest plugin,
``constructs_lib.pytest_plugin``, which the editable install registers.
"""

from __future__ import annotations

import pytest
from cdk8s import App, Chart, Testing


@pytest.fixture
def app() -> App:
    """An app whose synth writes to a temporary directory."""
    return Testing.app()


@pytest.fixture
def chart(app: App) -> Chart:
    """An empty chart called ``test`` without resource name hashes."""
    return Chart(app, "test", disable_resource_name_hashes=True)
