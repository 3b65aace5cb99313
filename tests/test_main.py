"""main.py: the apps that ``make synth`` runs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from main import build
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
