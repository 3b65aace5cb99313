"""A syrupy extension that stores each snapshot as a plain ``.yaml`` file."""

from __future__ import annotations

from typing import Any

try:
    from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode
except ImportError as err:  # pragma: no cover - depends on the environment
    raise ImportError(
        "constructs_lib.testing needs syrupy: pip install 'constructs-lib[testing]'"
    ) from err


class YamlSnapshotExtension(SingleFileSnapshotExtension):
    """Stores a snapshot of YAML text as ``__snapshots__/<test file>/<test>.yaml``.

    Use it with syrupy's ``snapshot`` fixture::

        def test_chart(snapshot):
            assert synth_yaml(chart) == snapshot(extension_class=YamlSnapshotExtension)
    """

    file_extension = "yaml"
    _write_mode = WriteMode.TEXT

    def serialize(self, data: Any, **kwargs: Any) -> str:
        if not isinstance(data, str):
            raise TypeError(
                f"YamlSnapshotExtension stores YAML text, not {type(data).__name__}: "
                "pass synth_yaml(chart)"
            )
        return data
