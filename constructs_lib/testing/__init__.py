"""Helpers for testing charts built with constructs_lib.

Needs the ``testing`` extra: ``pip install 'constructs-lib[testing]'``.

Synthesis:
    :func:`synth_manifests` and :func:`synth_yaml` turn a chart into what
    ``cdk8s synth`` would write, as dicts or as YAML text.

Snapshots:
    :class:`YamlSnapshotExtension` stores that YAML as a readable syrupy
    snapshot file. Installing the package registers a pytest plugin that
    provides it as the ``yaml_snapshot`` fixture.

Workload checks:
    :func:`assert_probes`, :func:`assert_resources`,
    :func:`assert_runs_as_non_root`, or all three at once through
    :func:`assert_workload_basics`. They check the pod template of every
    Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job and CronJob,
    including init containers, and raise ``AssertionError`` with one line per
    object, container and field at fault.

Immutable fields:
    :func:`assert_immutable_fields_unchanged` compares selectors,
    volumeClaimTemplates and the other fields in :data:`IMMUTABLE_FIELDS` with
    an earlier output, such as the stored snapshot, because the API server
    rejects an update that changes them.

A downstream project's tests can use all of it like this::

    # tests/conftest.py
    import pytest
    from cdk8s import Testing

    from my_charts.shop import ShopChart


    @pytest.fixture
    def shop_chart():
        return ShopChart(Testing.app(), "shop")


    # tests/test_shop.py
    from pathlib import Path

    from constructs_lib.testing import (
        assert_immutable_fields_unchanged,
        assert_workload_basics,
        synth_manifests,
        synth_yaml,
    )

    SNAPSHOT = Path(__file__).parent / "__snapshots__" / "test_shop" / "test_snapshot.yaml"


    def test_workloads(shop_chart):
        assert_workload_basics(synth_manifests(shop_chart))


    def test_immutable_fields(shop_chart):
        if SNAPSHOT.exists():  # absent until the first --snapshot-update run
            assert_immutable_fields_unchanged(SNAPSHOT.read_text(), synth_yaml(shop_chart))


    def test_snapshot(shop_chart, yaml_snapshot):
        assert synth_yaml(shop_chart) == yaml_snapshot

Import ``cdk8s.Testing`` in ``conftest.py``, as above, or use it as
``cdk8s.Testing``: a test module that imports the name ``Testing`` makes pytest
try to collect it as a test class, and collection fails.

Run ``pytest --snapshot-update`` once to write the snapshot. Syrupy writes
snapshot files when the session ends, so ``test_immutable_fields`` still
compares with the snapshot as it was before that run.
"""

from __future__ import annotations

from constructs_lib.manifests import PodTemplate, pod_templates
from constructs_lib.testing._immutable import (
    IMMUTABLE_FIELDS,
    assert_immutable_fields_unchanged,
    immutable_field_changes,
)
from constructs_lib.testing._snapshot import YamlSnapshotExtension
from constructs_lib.testing._synth import synth_manifests, synth_yaml
from constructs_lib.testing._workloads import (
    DEFAULT_REQUIRED_RESOURCES,
    assert_probes,
    assert_resources,
    assert_runs_as_non_root,
    assert_workload_basics,
    non_root_problems,
    probe_problems,
    resource_problems,
)

__all__ = [
    "DEFAULT_REQUIRED_RESOURCES",
    "IMMUTABLE_FIELDS",
    "PodTemplate",
    "YamlSnapshotExtension",
    "assert_immutable_fields_unchanged",
    "assert_probes",
    "assert_resources",
    "assert_runs_as_non_root",
    "assert_workload_basics",
    "immutable_field_changes",
    "non_root_problems",
    "pod_templates",
    "probe_problems",
    "resource_problems",
    "synth_manifests",
    "synth_yaml",
]
