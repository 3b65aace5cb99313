"""python -m constructs_lib.diagram: reading files and directories, writing outputs, errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from constructs_lib.diagram import ManifestReadError, read_manifests
from constructs_lib.diagram.__main__ import main

SERVICE = {
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {"name": "web"},
    "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]},
}
DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web"},
    "spec": {
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "web", "image": "a:1"}]},
        },
    },
}


def write(path: Path, *documents: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump_all(documents), encoding="utf-8")
    return path


def test_writes_svg_and_mermaid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = write(tmp_path / "app.k8s.yaml", DEPLOYMENT, None, SERVICE)
    svg, mermaid = tmp_path / "out" / "app.svg", tmp_path / "out" / "app.mmd"
    code = main([str(manifest), "--svg", str(svg), "--mermaid", str(mermaid), "--title", "app"])
    assert code == 0
    assert svg.read_text(encoding="utf-8").startswith("<?xml")
    assert '-->|"selects"|' in mermaid.read_text(encoding="utf-8")
    assert "2 objects, 1 references" in capsys.readouterr().out


def test_prints_mermaid_without_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = write(tmp_path / "app.yaml", SERVICE)
    assert main([str(manifest)]) == 0
    assert capsys.readouterr().out.startswith("flowchart TB\n")


def test_directory_is_read_recursively_in_order(tmp_path: Path) -> None:
    write(tmp_path / "b" / "deploy.yml", DEPLOYMENT)
    write(tmp_path / "a.yaml", SERVICE)
    (tmp_path / "notes.txt").write_text("not yaml: [", encoding="utf-8")
    found = read_manifests([tmp_path])
    assert [m["kind"] for m in found] == ["Service", "Deployment"]


def test_list_object_contributes_items(tmp_path: Path) -> None:
    manifest = write(tmp_path / "list.yaml", {"kind": "List", "items": [SERVICE, DEPLOYMENT]})
    assert len(read_manifests([manifest])) == 2


def test_missing_path_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nope.yaml")]) == 1
    assert "manifest path not found" in capsys.readouterr().err


def test_invalid_yaml_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: [unclosed\n", encoding="utf-8")
    with pytest.raises(ManifestReadError, match=r"cannot read manifests from .*bad\.yaml"):
        read_manifests([bad])


def test_non_mapping_document_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "list.yaml"
    bad.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ManifestReadError, match=r"document 1 is a list, not a Kubernetes object"):
        read_manifests([bad])


def test_empty_input_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("---\n", encoding="utf-8")
    assert main([str(empty)]) == 1
    assert "no Kubernetes objects found" in capsys.readouterr().err


def test_module_runs_as_command(tmp_path: Path) -> None:
    manifest = write(tmp_path / "app.yaml", SERVICE, DEPLOYMENT)
    result = subprocess.run(
        [sys.executable, "-m", "constructs_lib.diagram", str(manifest), "--svg", "app.svg"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "app.svg").is_file()
