"""The README's commands and its library example, run as a reader would run them.

Every command in a ``console`` block of README.md, and every ``make`` target
in the first column of its tables, is listed in
:data:`COMMANDS`, either with the directory it runs in or with the reason it
is not run here, so a new command cannot go untested unnoticed. ``make test``
is never run from here, because it runs this test suite and would recurse:
CI (``.ci/run``) runs it.

The ``minikube``, ``kubectl`` and ``curl`` commands need a cluster, which is
not available here. Their arguments are checked against the synthesized comic
manifests instead: output directories, namespaces, the Ingress host and
class, and the Secrets and keys that the production commands create.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cdk8s
import pytest
import yaml

from charts.comic import ComicChart
from charts.environments import Environment, dev, prod
from constructs_lib.testing import synth_manifests
from tests.markdown import code_blocks, console_commands

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BIN = Path(sys.executable).parent

REPOSITORY = "repository"
CONSUMER = "consumer"
CLONE = "copy of the repository"
NO_CLUSTER = "not run: no Kubernetes cluster here"
NO_MINIKUBE = "not run: no minikube or container engine here"
COMMANDS: dict[str, str] = {
    "make synth": REPOSITORY,
    "make test": "not run: it runs this test suite, so running it here would recurse",
    "make lint": REPOSITORY,
    "make wheel": REPOSITORY,
    "make docs": "not run here: tests/test_api_docs.py runs the same target",
    "make diagrams": "not run: it rewrites tracked files, so tests/test_diagram_render.py and "
    "tests/test_docs.py compare the committed diagrams with the charts instead",
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
    "kubectl apply -f dist/staafu.k8s.yaml": NO_CLUSTER,
    "minikube start --cni=calico": NO_MINIKUBE,
    "minikube addons enable ingress": NO_MINIKUBE,
    "cp .env.example .env": CLONE,
    "kubectl apply -f dist/dev/": NO_CLUSTER,
    "kubectl -n comic-dev get pods --watch": NO_CLUSTER,
    "curl -H 'Host: comic.local' http://$(minikube ip)/": NO_MINIKUBE,
    "curl http://comic.local/": NO_MINIKUBE,
    "kubectl create namespace comic": NO_CLUSTER,
    "kubectl -n comic create secret generic comic-postgres --from-literal=username=comic "
    '--from-literal=password="$(openssl rand -hex 24)"': NO_CLUSTER,
    "kubectl -n comic create secret generic comic-images --from-literal=access-key=comic "
    '--from-literal=secret-key="$(openssl rand -hex 24)"': NO_CLUSTER,
    "kubectl -n comic create secret generic comic-django "
    '--from-literal=secret-key="$(openssl rand -hex 32)"': NO_CLUSTER,
    "kubectl apply -f dist/prod/": NO_CLUSTER,
}
"""Each README command: the directory it runs in, or why it is not run."""


DEV_SECRET_PREFIX = "COMIC_"
"""Prefix of the variables that the dev Secrets read, see .env.example."""

Manifest = dict[str, Any]
LITERAL = "--from-literal="
OPENSSL_HEX = re.compile(r"\$\(openssl rand -hex (\d+)\)")
URL_SAFE = re.compile(r"[A-Za-z0-9_-]+")
"""Characters that need no percent-encoding in the user or password part of a URL."""


def environment() -> dict[str, str]:
    """Return the environment with this virtualenv's bin directory first on PATH."""
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def run(
    command: str, cwd: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        shlex.split(command),
        cwd=cwd,
        env=dict(env) if env is not None else environment(),
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


def test_synth_writes_listed_manifests() -> None:
    assert COMMANDS["make synth"] == REPOSITORY
    result = run("make synth", ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    written = sorted(str(path.relative_to(ROOT / "dist")) for path in (ROOT / "dist").rglob("*"))
    assert written == [
        "dev",
        "dev/comic.k8s.yaml",
        "prod",
        "prod/comic.k8s.yaml",
        "staafu.k8s.yaml",
    ]
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


def copy_repository(target: Path) -> None:
    """Copy what ``python main.py`` reads from the repository: the app, charts, .env.example."""
    shutil.copy(ROOT / "main.py", target / "main.py")
    shutil.copy(ROOT / ".env.example", target / ".env.example")
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "charts", target / "charts", ignore=ignore)


def environment_without_dev_secrets() -> dict[str, str]:
    """Return :func:`environment` without the variables that the dev Secrets read."""
    return {
        name: value
        for name, value in environment().items()
        if not name.startswith(DEV_SECRET_PREFIX)
    }


def test_env_copy_replaces_placeholders(tmp_path: Path) -> None:
    """After `cp .env.example .env`, a synth reads .env and prints no placeholder warning."""
    copy_repository(tmp_path)
    env = environment_without_dev_secrets()
    synth = f"{sys.executable} main.py"
    before = run(synth, tmp_path, env)
    assert before.returncode == 0, before.stderr
    assert "PlaceholderSecretWarning" in before.stderr
    commands = commands_for(CLONE)
    assert commands == ["cp .env.example .env"]
    for command in commands:
        result = run(command, tmp_path, env)
        assert result.returncode == 0, result.stderr
    after = run(synth, tmp_path, env)
    assert after.returncode == 0, after.stderr
    assert "PlaceholderSecretWarning" not in after.stderr
    assert "SecretInManifestWarning" in after.stderr
    assert (tmp_path / "dist" / "dev" / "comic.k8s.yaml").is_file()


@pytest.fixture
def dev_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Environment:
    """The dev environment, reading Secret values only from a copy of .env.example."""
    shutil.copy(ROOT / ".env.example", tmp_path / ".env.example")
    for name in list(os.environ):
        if name.startswith(DEV_SECRET_PREFIX):
            monkeypatch.delenv(name)
    return dev(tmp_path)


def comic_manifests(target: Environment) -> list[Manifest]:
    chart = ComicChart(cdk8s.Testing.app(), "comic", target.comic, namespace=target.namespace)
    return synth_manifests(chart)


def secret_key_refs(value: Any) -> Iterator[tuple[str, str]]:
    """Yield the Secret name and key of every ``secretKeyRef`` inside ``value``."""
    if isinstance(value, Mapping):
        ref = value.get("secretKeyRef")
        if isinstance(ref, Mapping):
            yield ref["name"], ref["key"]
        for item in value.values():
            yield from secret_key_refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from secret_key_refs(item)


@dataclass(frozen=True, slots=True)
class SecretCommand:
    """A README command ``kubectl -n NAMESPACE create secret generic NAME --from-literal=...``."""

    namespace: str
    name: str
    literals: dict[str, str]
    """Each key and its value as the shell receives it, such as ``$(openssl rand -hex 24)``."""


def secret_commands() -> list[SecretCommand]:
    found: list[SecretCommand] = []
    for command in readme_commands():
        words = shlex.split(command)
        if words[:2] != ["kubectl", "-n"] or words[3:6] != ["create", "secret", "generic"]:
            continue
        options = words[7:]
        assert all(option.startswith(LITERAL) for option in options), command
        literals = dict(option.removeprefix(LITERAL).split("=", 1) for option in options)
        found.append(SecretCommand(words[2], words[6], literals))
    return found


@pytest.mark.filterwarnings("ignore::constructs_lib.SecretInManifestWarning")
def test_minikube_commands_match_dev(dev_environment: Environment) -> None:
    manifests = comic_manifests(dev_environment)
    ingress = next(manifest for manifest in manifests if manifest["kind"] == "Ingress")
    host = ingress["spec"]["rules"][0]["host"]
    commands = readme_commands()
    assert f"kubectl apply -f dist/{dev_environment.name}/" in commands
    assert f"kubectl -n {dev_environment.namespace} get pods --watch" in commands
    assert f"curl -H 'Host: {host}' http://$(minikube ip)/" in commands
    assert f"curl http://{host}/" in commands
    # minikube's ingress addon serves the IngressClass "nginx".
    assert ingress["spec"]["ingressClassName"] == "nginx"
    # One apply creates the Namespace before the objects inside it.
    assert manifests[0]["kind"] == "Namespace"
    assert manifests[0]["metadata"]["name"] == dev_environment.namespace


def test_production_commands_create_every_secret() -> None:
    production = prod()
    referenced = set(secret_key_refs(comic_manifests(production)))
    created = {(secret.name, key) for secret in secret_commands() for key in secret.literals}
    commands = readme_commands()
    assert {secret.namespace for secret in secret_commands()} == {production.namespace}
    assert created == referenced
    assert f"kubectl create namespace {production.namespace}" in commands
    assert f"kubectl apply -f dist/{production.name}/" in commands


def test_production_secret_values_are_url_safe() -> None:
    """DATABASE_URL and MC_HOST_store embed the values without percent-encoding them."""
    values = [value for secret in secret_commands() for value in secret.literals.values()]
    assert values
    for value in values:
        assert URL_SAFE.fullmatch(value) or OPENSSL_HEX.fullmatch(value), value
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed, so the generated values were not checked")
    for match in (OPENSSL_HEX.fullmatch(value) for value in values):
        if match is None:
            continue
        result = run(f"openssl rand -hex {match[1]}", ROOT)
        assert result.returncode == 0, result.stderr
        assert URL_SAFE.fullmatch(result.stdout.strip()), result.stdout
        assert len(result.stdout.strip()) == 2 * int(match[1])
