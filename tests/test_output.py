"""Publishing dist/: a failed synth leaves it as it was, a good one leaves exactly the new files."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

import jsii
import pytest
import yaml
from cdk8s import App, Chart, YamlOutputType
from constructs import IValidation

import main
from constructs_lib import (
    ConstructsLibError,
    DuplicateObjectError,
    InvalidPropError,
    OutputError,
    StatelessApp,
    _render,
    output,
)
from constructs_lib.output import synth_and_publish, synth_app

ROOT = Path(__file__).resolve().parent.parent
CDK8S_CLI = ROOT / "node_modules" / ".bin" / "cdk8s"
IMAGE = "ghcr.io/example/web:1.0.0"


def builder(
    *charts: str, bad_chart: str | None = None, image: str = IMAGE
) -> Callable[[Path], Sequence[App]]:
    """Return a build function with one StatelessApp per chart; ``bad_chart`` fails on purpose."""

    def build(outdir: Path) -> Sequence[App]:
        app = App(outdir=str(outdir))
        for chart_id in charts:
            chart = Chart(app, chart_id, disable_resource_name_hashes=True)
            bad = chart_id == bad_chart
            StatelessApp(chart, "web", name=f"web-{chart_id}", image="nginx" if bad else image)
        return [app]

    return build


def snapshot(directory: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def test_success_publishes_every_chart(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    published = synth_and_publish(builder("one", "two"), dist)
    assert published == [Path("one.k8s.yaml"), Path("two.k8s.yaml")]
    assert sorted(snapshot(dist)) == ["one.k8s.yaml", "two.k8s.yaml"]


def test_failed_build_leaves_dist_unchanged(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    synth_and_publish(builder("one", "two"), dist)
    before = snapshot(dist)
    with pytest.raises(InvalidPropError):
        synth_and_publish(
            builder("one", "two", "three", bad_chart="three", image="nginx:2.0"), dist
        )
    assert snapshot(dist) == before


def test_failed_synth_leaves_dist_unchanged(tmp_path: Path) -> None:
    def build(outdir: Path) -> Sequence[App]:
        (app,) = builder("one", image="nginx:2.0")(outdir)
        # A construct validation that fails inside app.synth(), after every
        # construct was defined without error.
        app.node.add_validation(FailingValidation())
        return [app]

    dist = tmp_path / "dist"
    synth_and_publish(builder("one"), dist)
    before = snapshot(dist)
    with pytest.raises(OutputError, match="always fails"):
        synth_and_publish(build, dist)
    assert snapshot(dist) == before


def test_success_removes_stale_files(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    synth_and_publish(builder("one", "two"), dist)
    (dist / "notes.txt").write_text("left by hand", encoding="utf-8")
    synth_and_publish(builder("two", image="nginx:2.0"), dist)
    assert sorted(snapshot(dist)) == ["two.k8s.yaml"]
    assert b"nginx:2.0" in (dist / "two.k8s.yaml").read_bytes()


def test_no_temporary_directories_left(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    synth_and_publish(builder("one"), dist)
    synth_and_publish(builder("one"), dist)
    with pytest.raises(InvalidPropError):
        synth_and_publish(builder("one", bad_chart="one"), dist)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_staging_must_differ_from_dist(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="must differ"):
        synth_and_publish(builder("one"), tmp_path, staging=tmp_path)


def test_synth_app_rejects_unknown_files(tmp_path: Path) -> None:
    (app,) = builder("one")(tmp_path)
    (tmp_path / "other.k8s.yaml").write_text("kind: Other\n", encoding="utf-8")
    with pytest.raises(OutputError, match=r"other\.k8s\.yaml"):
        synth_app(app)


@pytest.mark.parametrize(
    "output_type",
    [YamlOutputType.FILE_PER_RESOURCE, YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE],
)
def test_synth_app_rewrites_per_resource_files(tmp_path: Path, output_type: YamlOutputType) -> None:
    # cdk8s writes "=" unquoted, which PyYAML fails to load.
    app = App(outdir=str(tmp_path), yaml_output_type=output_type)
    chart = Chart(app, "one", disable_resource_name_hashes=True)
    StatelessApp(chart, "web", name="web", image=IMAGE, env={"FLAG": "="})
    written = synth_app(app)
    documents = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in written]
    kinds = sorted(document["kind"] for document in documents)
    assert kinds == ["Deployment", "NetworkPolicy"]
    (deployment,) = (document for document in documents if document["kind"] == "Deployment")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["env"] == [{"name": "FLAG", "value": "="}]


def test_main_reports_error_and_keeps_dist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dist = tmp_path / "dist"
    assert main.main(builder("one"), dist) == 0
    before = snapshot(dist)
    assert main.main(builder("one", bad_chart="one"), dist) == 1
    assert snapshot(dist) == before
    error = capsys.readouterr().err
    assert "invalid image 'nginx'" in error
    assert "dist/ was left unchanged" in error


# The direct writer against app.synth() ------------------------------------


@pytest.fixture
def chart_files_calls(monkeypatch: pytest.MonkeyPatch) -> list[_render.ChartFiles | None]:
    """Record what each chart_files call of synth_app returned; None means app.synth()."""
    calls: list[_render.ChartFiles | None] = []

    def recording(app: App) -> _render.ChartFiles | None:
        result = _render.chart_files(app)
        calls.append(result)
        return result

    monkeypatch.setattr(output, "chart_files", recording)
    return calls


def synth_both_ways(
    build: Callable[[Path], Sequence[App]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Synthesize fresh apps from ``build`` directly and through app.synth(); return both."""
    direct = tmp_path / "direct"
    for app in build(direct):
        synth_app(app)
    through_synth = tmp_path / "through-synth"
    with monkeypatch.context() as patch:
        patch.setattr(output, "chart_files", lambda _: None)
        for app in build(through_synth):
            synth_app(app)
    return snapshot(direct), snapshot(through_synth)


def test_direct_writer_used_by_default(
    tmp_path: Path, chart_files_calls: list[_render.ChartFiles | None]
) -> None:
    (app,) = builder("one", "two")(tmp_path)
    written = synth_app(app)
    assert written == [tmp_path / "one.k8s.yaml", tmp_path / "two.k8s.yaml"]
    assert len(chart_files_calls) == 1
    assert chart_files_calls[0] is not None


# main.build writes the placeholder values of .env.example when .env is missing.
@pytest.mark.filterwarnings("ignore::constructs_lib.PlaceholderSecretWarning")
def test_direct_writer_matches_synth_for_main(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    direct, through_synth = synth_both_ways(main.build, tmp_path, monkeypatch)
    assert any(name.startswith("staafu") for name in direct)
    assert any("comic" in name for name in direct)
    assert sorted(direct) == sorted(through_synth)
    for name, data in direct.items():
        assert data == through_synth[name], name


def test_direct_writer_matches_synth_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def build(outdir: Path) -> Sequence[App]:
        (app,) = builder("one", "two")(outdir)
        app.node.add_validation(FailingValidation())
        return [app]

    with pytest.raises(OutputError) as direct_error:
        synth_app(build(tmp_path / "direct")[0])
    with monkeypatch.context() as patch:
        patch.setattr(output, "chart_files", lambda _: None)
        with pytest.raises(OutputError) as synth_error:
            synth_app(build(tmp_path / "through-synth")[0])
    assert snapshot(tmp_path / "direct") == {}
    assert snapshot(tmp_path / "through-synth") == {}
    expected = "Validation failed with the following errors:\n  [] this validation always fails"
    assert expected in str(direct_error.value)
    assert expected in str(synth_error.value)


def test_chart_dependency_uses_synth(
    tmp_path: Path, chart_files_calls: list[_render.ChartFiles | None]
) -> None:
    app = App(outdir=str(tmp_path))
    database = Chart(app, "database", disable_resource_name_hashes=True)
    web = Chart(app, "web", disable_resource_name_hashes=True)
    StatelessApp(database, "app", name="database", image=IMAGE)
    StatelessApp(web, "app", name="web", image=IMAGE)
    web.add_dependency(database)
    written = synth_app(app)
    assert chart_files_calls == [None]
    # app.synth() numbers the files of dependent charts in dependency order.
    assert written == [tmp_path / "0000-database.k8s.yaml", tmp_path / "0001-web.k8s.yaml"]


def test_nested_chart_uses_synth(
    tmp_path: Path, chart_files_calls: list[_render.ChartFiles | None]
) -> None:
    app = App(outdir=str(tmp_path))
    outer = Chart(app, "outer", disable_resource_name_hashes=True)
    StatelessApp(Chart(outer, "inner"), "app", name="web", image=IMAGE)
    synth_app(app)
    assert chart_files_calls == [None]


def test_portable_path_uses_synth(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    chart_files_calls: list[_render.ChartFiles | None],
) -> None:
    synth_app(builder("one", "two")(tmp_path / "direct")[0])
    monkeypatch.setenv(_render.RENDER_ENV, "portable")
    synth_app(builder("one", "two")(tmp_path / "portable")[0])
    assert chart_files_calls[1] is None
    assert snapshot(tmp_path / "portable") == snapshot(tmp_path / "direct")


def test_direct_writer_rejects_duplicates_unwritten(tmp_path: Path) -> None:
    app = App(outdir=str(tmp_path))
    for chart_id in ("one", "two"):
        chart = Chart(app, chart_id, disable_resource_name_hashes=True)
        StatelessApp(chart, "web", name="web", image=IMAGE)
    with pytest.raises(DuplicateObjectError, match="web"):
        synth_app(app)
    assert snapshot(tmp_path) == {}


@jsii.implements(IValidation)
class FailingValidation:
    """A construct validation that always reports one error."""

    def validate(self) -> list[str]:
        return ["this validation always fails"]


# The real cdk8s CLI ---------------------------------------------------------

APP_SCRIPT = textwrap.dedent(
    """
    import os
    import sys
    from pathlib import Path

    from cdk8s import App, Chart, YamlOutputType

    import main
    from constructs_lib import StatelessApp


    def build(outdir):
        app = App(outdir=str(outdir))
        for chart_id in os.environ["CHARTS"].split(","):
            chart = Chart(app, chart_id, disable_resource_name_hashes=True)
            image = "nginx" if chart_id == os.environ.get("BAD_CHART") else "nginx:1.27"
            StatelessApp(chart, "web", name=f"web-{chart_id}", image=image)
        if os.environ.get("CRASH"):
            raise RuntimeError("crashed on purpose")
        return [app]


    sys.exit(main.main(build, Path("dist")))
    """
)


def run_cli(project: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``cdk8s synth`` in ``project`` with this virtualenv's Python and Node."""
    assert CDK8S_CLI.exists(), "the cdk8s CLI is missing: run `make test`, which runs npm ci"
    variables = dict(os.environ)
    variables["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{variables.get('PATH', '')}"
    variables["PYTHONPATH"] = str(ROOT)
    variables.pop("CDK8S_OUTDIR", None)
    variables.update(env)
    return subprocess.run(
        [str(CDK8S_CLI), "synth", "--no-check-upgrade"],
        cwd=project,
        env=variables,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def cli_project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(APP_SCRIPT, encoding="utf-8")
    (tmp_path / "cdk8s.yaml").write_text(
        f"language: python\napp: {sys.executable} app.py\noutput: .cdk8s.out\n", encoding="utf-8"
    )
    return tmp_path


def test_cli_failure_keeps_dist(cli_project: Path) -> None:
    first = run_cli(cli_project, CHARTS="one,two")
    assert first.returncode == 0, first.stderr
    before = snapshot(cli_project / "dist")
    assert sorted(before) == ["one.k8s.yaml", "two.k8s.yaml"]

    invalid = run_cli(cli_project, CHARTS="one,two", BAD_CHART="two")
    assert invalid.returncode != 0
    assert "invalid image 'nginx'" in invalid.stderr
    assert snapshot(cli_project / "dist") == before

    crashed = run_cli(cli_project, CHARTS="one", CRASH="1")
    assert crashed.returncode != 0
    assert "crashed on purpose" in crashed.stderr
    assert snapshot(cli_project / "dist") == before


def test_cli_success_replaces_dist(cli_project: Path) -> None:
    assert run_cli(cli_project, CHARTS="one,two").returncode == 0
    second = run_cli(cli_project, CHARTS="two")
    assert second.returncode == 0, second.stderr
    assert sorted(snapshot(cli_project / "dist")) == ["two.k8s.yaml"]
    # The CLI lists what it found in its output directory, the staging copy.
    assert ".cdk8s.out/two.k8s.yaml" in second.stdout


def test_error_types_share_a_base() -> None:
    assert issubclass(OutputError, ConstructsLibError)
