"""pytest plugin that provides the ``yaml_snapshot`` fixture.

Installing constructs-lib registers this module under the ``pytest11`` entry
point, so every pytest run in that environment loads it. Loading it imports
constructs_lib, and with it cdk8s, which starts jsii's Node.js process. It
imports nothing from syrupy until a test requests the fixture, so pytest
still starts in an environment without the ``testing`` extra. Disable it
with ``pytest -p no:constructs_lib``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from syrupy.assertion import SnapshotAssertion


@pytest.fixture
def yaml_snapshot(request: pytest.FixtureRequest) -> SnapshotAssertion:
    """Syrupy's ``snapshot`` fixture, storing each snapshot as a plain ``.yaml`` file.

    The file is ``__snapshots__/<test module>/<test name>.yaml`` next to the test.
    """
    try:
        # Imported here so that pytest starts even without the testing extra.
        from constructs_lib.testing import YamlSnapshotExtension  # noqa: PLC0415
    except ImportError as err:
        pytest.fail(f"the yaml_snapshot fixture is unavailable: {err}", pytrace=False)
    snapshot: SnapshotAssertion = request.getfixturevalue("snapshot")
    return snapshot.use_extension(YamlSnapshotExtension)
