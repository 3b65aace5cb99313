"""Helpers for testing charts built with constructs_lib.

``synth_manifests`` and ``synth_yaml`` turn a chart into what ``cdk8s synth``
would write; ``YamlSnapshotExtension`` stores that YAML as a readable syrupy
snapshot file. Needs the ``testing`` extra: ``pip install constructs-lib[testing]``.
"""

from __future__ import annotations

from constructs_lib.testing._snapshot import YamlSnapshotExtension
from constructs_lib.testing._synth import synth_manifests, synth_yaml

__all__ = ["YamlSnapshotExtension", "synth_manifests", "synth_yaml"]
