"""The README's commands and its library example, run as a reader would run them.

Every command in a ``console`` block of README.md, and every ``make`` target
in the first column of its tables, is listed in
:data:`COMMANDS`, either with the directory it runs in or with the reason it
is not run here, so a new command cannot go untested unnoticed. ``make test``
is never run from here, because it runs this test suite and would recurse:
CI (``.ci/run``) runs it.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.markdown import code_blocks, console_commands

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BIN = Path(sys.executable).parent

REPOSITORY = "repository"
CONSUMER = "consumer"
COMMANDS: dict[str, str] = {
    "make synth": REPOSITORY,
    "make test": "not run: it runs this test suite, so running it here would recurse",
    "make lint": REPOSITORY,
    "make wheel": REPOSITORY,
    "make docs": "not run here: tests/test_api_docs.py runs the same target",
    "make diagrams": "not run: it rewrites tracked files, so tests/test_diagram_render.py "
    "compares the committed diagrams with the chart instead",
    "pip install 'build/packages/constructs_lib-0.1.0-py3-none-any.whl[testing]'": (
        "not run: tests/test_packaging.py installs the built wheel into a new virtualenv"
    ),
    "pip install 'constructs-lib[testing] @ "
    "git+https://git.example.com/your-org/constructs-lib.git@v0.1.0'": (
        "not run: the URL is a placeholder for wherever this repository is hosted"
    ),
    "python shop_chart.py": CONSUMER,
    "pytest --snapshot-update": CONSUMER,
    "pytest": CONSUMER,
    "python -m constructs_lib.diagram dist/staafu.k8s.yaml --svg staafu.svg "
    "--mermaid staafu.mmd": "not run: tests/test_diagram_cli.py runs the command on manifests",
    "docker build -t ghcr.io/YOUR-ORG/staafu:1.0.0 .": "not run: no container engine here",
    "docker push ghcr.io/YOUR-ORG/staafu:1.0.0": "not run: no container engine or registry here",
    "kubectl apply -f dist/staafu.k8s.yaml": "not run: no Kubernetes cluster here",
}
"""Each README command: the directory it runs in, or why it is not run."""


def environment() -> dict[str, str]:
    """Return the environment with this virtualenv's bin directory first on PATH."""
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def run(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        shlex.split(command),
        cwd=cwd,
        env=environment(),
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


def readme_commands() -> list[str]:
    """Return the commands of the console blocks, then the make targets listed in tables.

    A command that appears twice is returned once, where it first appears.
    """
    text = README.read_text(encoding="utf-8")
    targets = re.findall(r"^\| `(make [\w-]+)` \|", text, re.MULTILINE)
    return list(dict.fromkeys([*console_commands(README), *targets]))


def commands_for(place: str) -> list[str]:
    return [command for command in readme_commands() if COMMANDS.get(command) == place]


def test_every_command_is_listed() -> None:
    unknown = [command for command in readme_commands() if command not in COMMANDS]
    assert unknown == [], "add these README commands to COMMANDS in tests/test_readme.py"


def test_promised_commands_are_present() -> None:
    commands = readme_commands()
    assert "make synth" in commands
    assert "make test" in commands


@pytest.mark.parametrize(
    "command", [command for command in commands_for(REPOSITORY) if command != "make synth"]
)
def test_repository_command_runs(command: str) -> None:
    result = run(command, ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_synth_writes_staafu_manifest() -> None:
    assert COMMANDS["make synth"] == REPOSITORY
    result = run("make synth", ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    documents = list(yaml.safe_load_all((ROOT / "dist" / "staafu.k8s.yaml").read_text()))
    assert [(d["kind"], d["metadata"]["name"]) for d in documents] == [
        ("NetworkPolicy", "staafu"),
        ("Deployment", "staafu"),
        ("Service", "staafu"),
        ("Service", "staafu-public"),
    ]


def test_library_example_runs(tmp_path: Path) -> None:
    """Write the README's example files to a new directory and run its commands there."""
    files = [block for block in code_blocks(README) if "file" in block.options]
    assert {block.options["file"] for block in files} == {"shop_chart.py", "test_shop.py"}
    for block in files:
        (tmp_path / block.options["file"]).write_text(block.text, encoding="utf-8")
    commands = commands_for(CONSUMER)
    assert commands == ["python shop_chart.py", "pytest --snapshot-update", "pytest"]
    for command in commands:
        result = run(command, tmp_path)
        assert result.returncode == 0, f"{command}:\n{result.stdout}{result.stderr}"
    assert (tmp_path / "dist" / "shop.k8s.yaml").is_file()
    assert (tmp_path / "__snapshots__" / "test_shop" / "test_snapshot.yaml").is_file()
    assert "3 passed" in result.stdout


def test_python_example_runs(tmp_path: Path) -> None:
    """The first Python block, the README's opening example, synthesizes the shop chart."""
    first = next(block for block in code_blocks(README) if block.language == "python")
    (tmp_path / "example.py").write_text(first.text, encoding="utf-8")
    result = run(f"{sys.executable} example.py", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "name: shop-public" in (tmp_path / "dist" / "shop.k8s.yaml").read_text()
