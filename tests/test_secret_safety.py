"""No fake secret value from tests/secrets.py appears in dist/ or in a snapshot."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cdk8s import Chart
from syrupy.assertion import SnapshotAssertion

import main
from constructs_lib import InvalidPropError, StatelessApp
from constructs_lib.output import synth_and_publish
from constructs_lib.testing import synth_manifests, synth_yaml
from tests.secrets import FAKE_SECRETS, SecretKeyEnv

TESTS = Path(__file__).resolve().parent
IMAGE = "ghcr.io/example/web:1.4.2"

ALLOWED: frozenset[tuple[str, str]] = frozenset()
"""(file path relative to tests/ or dist/, secret name) pairs that may contain a value.

Empty: no file may contain any fake secret.
"""


def encodings(value: str) -> list[str]:
    """Return the forms in which a secret value may appear in a manifest."""
    raw = value.encode("utf-8")
    return [value, base64.b64encode(raw).decode("ascii"), base64.b64encode(raw).decode()[:-2]]


def find_secrets(files: list[Path], root: Path) -> list[str]:
    """Return one line per file and secret that the file contains without being allowed."""
    found = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        relative = str(path.relative_to(root))
        for name, value in FAKE_SECRETS.items():
            if (relative, name) in ALLOWED:
                continue
            if any(form in text for form in encodings(value)):
                found.append(f"{relative} contains the {name}")
    return found


def snapshot_files() -> list[Path]:
    return sorted(p for p in TESTS.rglob("__snapshots__/**/*") if p.is_file())


def test_dist_holds_no_secret(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    published = synth_and_publish(main.build, dist, staging=tmp_path / "staging")
    assert published
    files = sorted(p for p in dist.rglob("*") if p.is_file())
    assert find_secrets(files, dist) == []


def test_snapshots_hold_no_secret() -> None:
    files = snapshot_files()
    assert files, "no snapshot file found under tests/"
    assert find_secrets(files, TESTS) == []


def test_scan_finds_planted_secret(tmp_path: Path) -> None:
    value = FAKE_SECRETS["api token"]
    plain = tmp_path / "plain.yaml"
    plain.write_text(f"value: {value}\n", encoding="utf-8")
    encoded = tmp_path / "encoded.yaml"
    encoded.write_text(f"data:\n  token: {base64.b64encode(value.encode()).decode()}\n")
    clean = tmp_path / "clean.yaml"
    clean.write_text("value: nothing\n", encoding="utf-8")
    found = find_secrets([plain, encoded, clean], tmp_path)
    assert found == ["plain.yaml contains the api token", "encoded.yaml contains the api token"]


def test_secret_references_snapshot(chart: Chart, yaml_snapshot: SnapshotAssertion) -> None:
    source = SecretKeyEnv("web-db", {"DB_PASSWORD": "password", "API_TOKEN": "token"})
    StatelessApp(chart, "web", name="web", image=IMAGE, env_from=[source])
    (deployment,) = [m for m in synth_manifests(chart) if m["kind"] == "Deployment"]
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert "value" not in container["env"][0]
    assert synth_yaml(chart) == yaml_snapshot


def test_error_hides_env_value(chart: Chart) -> None:
    value = FAKE_SECRETS["env value in an error"]
    with pytest.raises(InvalidPropError) as caught:
        StatelessApp(chart, "web", name="web", image=IMAGE, env={"TOKEN": value + "\x00"})
    assert value not in str(caught.value)
    assert "<hidden>" in str(caught.value)


def test_error_hides_non_string_env_value(chart: Chart) -> None:
    with pytest.raises(InvalidPropError) as caught:
        StatelessApp(chart, "web", name="web", image=IMAGE, env={"PIN": 48213957})  # type: ignore[dict-item]
    assert "48213957" not in str(caught.value)
    assert "<hidden>" in str(caught.value)
