"""main.py: the apps that ``make synth`` runs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from constructs_lib.testing import synth_manifests
from main import build
from tests.netpol import policies_of, selects, workload_nodes
from tests.schema import schema_errors


@pytest.mark.filterwarnings("ignore::constructs_lib.SecretInManifestWarning")
def test_build_writes_every_environment(tmp_path: Path) -> None:
    for app in build(tmp_path):
        app.synth()
    written = sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*.yaml"))
    assert written == ["dev/comic.k8s.yaml", "prod/comic.k8s.yaml", "staafu.k8s.yaml"]
    for name in written:
        documents = [doc for doc in yaml.safe_load_all((tmp_path / name).read_text()) if doc]
        assert documents, f"{name} is empty"
        assert schema_errors(documents) == [], name


@pytest.mark.filterwarnings("ignore::constructs_lib.SecretInManifestWarning")
def test_every_pod_isolated_for_ingress(tmp_path: Path) -> None:
    checked = 0
    for app in build(tmp_path):
        for chart in app.charts:
            manifests = synth_manifests(chart)
            isolating = [p for p in policies_of(manifests) if "Ingress" in p["spec"]["policyTypes"]]
            for node in workload_nodes(manifests):
                assert any(selects(policy, node) for policy in isolating), node.name
                checked += 1
    # staafu's Deployment, and comic's two StatefulSets, Deployment and two Jobs per environment.
    assert checked == 1 + 2 * 5
