"""checkov passes every manifest this repository synthesizes, except the explained skips."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

import main
from constructs_lib.output import synth_and_publish

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".checkov.yaml"
CHECKOV = Path(sys.executable).parent / "checkov"


def run_checkov(directory: Path) -> dict[str, Any]:
    """Run checkov with the repository's config on ``directory`` and return its report.

    ``--skip-download`` (also set in the config) keeps checkov from contacting
    Prisma Cloud, so the gate runs offline.
    """
    command = [str(CHECKOV), "--config-file", str(CONFIG), "--skip-download", "-o", "json"]
    completed = subprocess.run(
        [*command, "-d", str(directory)],
        capture_output=True,
        text=True,
        check=False,
        cwd=directory,
    )
    assert completed.stdout, completed.stderr
    report = json.loads(completed.stdout)
    # checkov prints one report per framework: a list when there are several.
    reports = report if isinstance(report, list) else [report]
    (kubernetes,) = [r for r in reports if r.get("check_type") == "kubernetes"]
    result: dict[str, Any] = kubernetes
    return result


def failed_checks(report: dict[str, Any]) -> list[str]:
    return [
        f"{check['check_id']} {check['check_name']} on {check['resource']}"
        for check in report["results"]["failed_checks"]
    ]


def test_built_manifests_pass_checkov(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    published = synth_and_publish(main.build, dist, staging=tmp_path / "staging")
    assert published, "main.build() synthesized no manifest"
    report = run_checkov(dist)
    assert report["summary"]["parsing_errors"] == 0
    assert report["summary"]["resource_count"] > 0
    assert failed_checks(report) == []


def test_checkov_fails_unsafe_pod(tmp_path: Path) -> None:
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "unsafe", "namespace": "apps"},
        "spec": {
            "containers": [
                {
                    "name": "unsafe",
                    "image": "ghcr.io/example/unsafe:1.0.0",
                    "securityContext": {"privileged": True, "runAsUser": 0},
                }
            ],
        },
    }
    (tmp_path / "unsafe.k8s.yaml").write_text(yaml.safe_dump(pod), encoding="utf-8")
    failed = failed_checks(run_checkov(tmp_path))
    assert any(line.startswith("CKV_K8S_16 ") for line in failed), failed


def test_every_skip_has_a_reason() -> None:
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    lines = CONFIG.read_text(encoding="utf-8").splitlines()
    skips: list[str] = config["skip-check"]
    assert skips
    for check_id in skips:
        index = lines.index(f"  - {check_id}")
        assert lines[index - 1].lstrip().startswith("#"), f"{check_id} has no comment above it"
