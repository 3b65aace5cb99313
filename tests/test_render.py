"""The rendering path: fast and portable paths, their equality and fallbacks."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import jsii
import pytest
import yaml
from cdk8s import ApiObject, App, Chart, JsonPatch, YamlOutputType
from cdk8s import Testing as CdkTesting
from constructs import Construct

from charts.staafu import StaafuChart, StaafuSettings
from constructs_lib import ExposedService, InvalidPropError, ServicePort, StatelessApp, _render
from constructs_lib.testing import synth_manifests, synth_yaml

ROOT = Path(__file__).resolve().parent.parent

# Every kind of JSON value, top-level fields beyond spec, and metadata that
# the ApiObject constructor takes or ignores.
RICH_MANIFEST: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {
        "name": "settings",
        "namespace": "shop",
        "labels": {"z": "last", "a": "first"},
        "annotations": {"example.com/note": "ünïcode ✓"},
        "finalizers": ["example.com/ignored"],
    },
    "immutable": True,
    "data": {"b": "2", "a": "1", "empty": ""},
    "binaryData": None,
    "extra": {"list": [1, 2.5, -3, True, False, None, {"nested": []}], "zero": 0},
}


@pytest.fixture
def portable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every construct use the portable path."""
    monkeypatch.setenv(_render.RENDER_ENV, "portable")


@pytest.fixture
def request_count(monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    """Count jsii requests from here on; return a function that reads the count."""
    _render.chart_id(Chart(CdkTesting.app(), "warm-up"))  # loads the Emitter first
    process_type = type(cast(Any, jsii.kernel.provider)._process)
    original = process_type.send
    count = 0

    def counting_send(self: Any, request: Any, response_type: Any) -> Any:
        nonlocal count
        count += 1
        return original(self, request, response_type)

    monkeypatch.setattr(process_type, "send", counting_send)
    return lambda: count


def _staafu_yaml() -> str:
    return synth_yaml(StaafuChart(CdkTesting.app(), "staafu", StaafuSettings()))


def _emitted_yaml(manifest: dict[str, Any]) -> str:
    chart = Chart(CdkTesting.app(), "test", disable_resource_name_hashes=True)
    _render.emit(chart, "object", manifest)
    return synth_yaml(chart)


def test_fast_path_loads() -> None:
    assert _render._use_fast_path()


def test_staafu_same_on_both_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _staafu_yaml()
    monkeypatch.setenv(_render.RENDER_ENV, "portable")
    assert _staafu_yaml() == fast


def test_rich_manifest_same_on_both_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _emitted_yaml(RICH_MANIFEST)
    monkeypatch.setenv(_render.RENDER_ENV, "portable")
    assert _emitted_yaml(RICH_MANIFEST) == fast


def test_emit_keeps_field_order(chart: Chart) -> None:
    _render.emit(chart, "object", RICH_MANIFEST)
    manifest = synth_manifests(chart)[0]
    assert list(manifest) == ["apiVersion", "kind", "metadata", "immutable", "data", "extra"]
    assert list(manifest["data"]) == ["b", "a", "empty"]


def test_emit_returns_api_object(chart: Chart) -> None:
    api_object = _render.emit(chart, "object", RICH_MANIFEST)
    assert isinstance(api_object, ApiObject)
    assert api_object.name == "settings"
    assert api_object.node.path == "test/object"


@pytest.mark.parametrize("path", ["fast", "portable"])
def test_emitted_object_takes_json_patch(
    monkeypatch: pytest.MonkeyPatch, chart: Chart, path: str
) -> None:
    if path == "portable":
        monkeypatch.setenv(_render.RENDER_ENV, "portable")
    api_object = _render.emit(chart, "object", RICH_MANIFEST)
    api_object.add_json_patch(JsonPatch.replace("/data/a", "patched"))
    assert synth_manifests(chart)[0]["data"]["a"] == "patched"


@pytest.mark.parametrize("path", ["fast", "portable"])
def test_construct_children_take_json_patch(
    monkeypatch: pytest.MonkeyPatch, chart: Chart, path: str
) -> None:
    if path == "portable":
        monkeypatch.setenv(_render.RENDER_ENV, "portable")
    web = StatelessApp(chart, "web", name="web", image="nginx:1.27", network_policy=False)
    service = ExposedService(chart, "svc", app=web, name="web")
    web.deployment.add_json_patch(JsonPatch.replace("/spec/replicas", 5))
    service.service.add_json_patch(JsonPatch.add("/spec/clusterIP", "None"))
    deployment, rendered_service = synth_manifests(chart)
    assert deployment["spec"]["replicas"] == 5
    assert rendered_service["spec"]["clusterIP"] == "None"


def test_construct_child_paths(chart: Chart) -> None:
    web = StatelessApp(chart, "web", name="web", image="nginx:1.27", network_policy=False)
    assert web.node.path == "test/web"
    assert web.deployment.node.path == "test/web/Deployment"
    assert [child.node.id for child in web.node.children] == ["Deployment"]


def test_stateless_app_costs_one_request(chart: Chart, request_count: Callable[[], int]) -> None:
    # Both are looked up once per chart and cached.
    _render.chart_id(chart)
    _render.chart_namespace(chart)
    before = request_count()
    StatelessApp(chart, "web", name="web", image="nginx:1.27", network_policy=False)
    assert request_count() - before == 1


def test_exposed_service_costs_one_request(chart: Chart, request_count: Callable[[], int]) -> None:
    web = StatelessApp(
        chart, "web", name="web", image="nginx:1.27", part_of="shop", network_policy=False
    )
    before = request_count()
    ExposedService(chart, "svc", app=web, name="web", ports=[ServicePort("http")])
    assert request_count() - before == 1


def test_emit_costs_one_request(chart: Chart, request_count: Callable[[], int]) -> None:
    before = request_count()
    _render.emit(chart, "object", RICH_MANIFEST)
    assert request_count() - before == 1


def test_chart_id_is_cached(chart: Chart, request_count: Callable[[], int]) -> None:
    nested = Construct(chart, "nested")
    first = _render.chart_id(nested)
    before = request_count()
    second = _render.chart_id(nested)
    assert first == "test"
    assert second == "test"
    assert request_count() == before


def test_chart_id_portable(portable: None, app: App) -> None:
    nested = Construct(Chart(app, "outer"), "nested")
    assert _render.chart_id(nested) == "outer"


def test_failed_load_falls_back(monkeypatch: pytest.MonkeyPatch, chart: Chart) -> None:
    monkeypatch.setattr(_render, "_fast_path", None)
    monkeypatch.setattr(_render, "EMITTER_NAME", "constructs-lib-missing")
    monkeypatch.setattr(_render, "pack_emitter", lambda: b"not a tarball")
    with pytest.warns(_render.RenderFallbackWarning, match="slower cdk8s API path"):
        api_object = _render.emit(chart, "object", RICH_MANIFEST)
    assert isinstance(api_object, ApiObject)
    assert synth_manifests(chart)[0]["data"]["a"] == "1"


def test_unexpected_result_raises(monkeypatch: pytest.MonkeyPatch, chart: Chart) -> None:
    monkeypatch.setattr(jsii, "sinvoke", lambda *_: "not an object")
    with pytest.raises(_render.RenderError, match="CONSTRUCTS_LIB_RENDER=portable"):
        _render.emit(chart, "object", RICH_MANIFEST)


@pytest.mark.parametrize("path", ["fast", "portable"])
def test_nan_is_rejected(monkeypatch: pytest.MonkeyPatch, chart: Chart, path: str) -> None:
    if path == "portable":
        monkeypatch.setenv(_render.RENDER_ENV, "portable")
    manifest = {**RICH_MANIFEST, "extra": {"ratio": float("nan")}}
    with pytest.raises(ValueError, match="not JSON compliant"):
        _render.emit(chart, "object", manifest)
    assert chart.node.try_find_child("object") is None


def test_emit_rejects_bad_scope() -> None:
    with pytest.raises(TypeError, match="scope must be a Construct, not NoneType"):
        _render.emit(None, "object", RICH_MANIFEST)  # type: ignore[arg-type]


def test_emit_rejects_bad_id(chart: Chart) -> None:
    with pytest.raises(TypeError, match="construct_id must be a string, not int"):
        _render.emit(chart, 7, RICH_MANIFEST)  # type: ignore[arg-type]


def test_stateless_app_rejects_bad_scope() -> None:
    with pytest.raises(InvalidPropError, match="scope 'chart': must be a Construct, not str"):
        StatelessApp("chart", "web", name="web", image="nginx:1.27", network_policy=False)  # type: ignore[arg-type]


def test_exposed_service_rejects_bad_scope(chart: Chart) -> None:
    web = StatelessApp(chart, "web", name="web", image="nginx:1.27", network_policy=False)
    with pytest.raises(InvalidPropError, match="scope None: must be a Construct, not NoneType"):
        ExposedService(None, "svc", app=web, name="web")  # type: ignore[arg-type]


def test_pack_is_deterministic() -> None:
    assert _render.pack_emitter() == _render.pack_emitter()


def test_assembly_passes_jsii_schema() -> None:
    # The kernel checks an assembly against the jsii schema only on request.
    script = (
        "from cdk8s import Chart, Testing\n"
        "from constructs_lib import _render\n"
        "assert _render._use_fast_path()\n"
        "_render.emit(Chart(Testing.app(), 'c'), 'o', "
        "{'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'o'}})\n"
    )
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", script],
        cwd=ROOT,
        env={**os.environ, "JSII_VALIDATE_ASSEMBLIES": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("path", ["fast", "portable"])
def test_chart_manifests_match_synth(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, path: str
) -> None:
    if path == "portable":
        monkeypatch.setenv(_render.RENDER_ENV, "portable")
    # jsii drops null fields on the portable path, so this manifest has none.
    manifest = {key: value for key, value in RICH_MANIFEST.items() if value is not None}
    app = App(outdir=str(tmp_path))
    for chart_id in ("one", "two"):
        chart = Chart(app, chart_id, disable_resource_name_hashes=True)
        _render.emit(chart, "object", manifest)
    app.synth()
    rendered = _render.chart_manifests(app)
    for chart_id, (documents, text) in zip(("one", "two"), rendered, strict=True):
        written = (tmp_path / f"{chart_id}.k8s.yaml").read_text(encoding="utf-8")
        assert text == written
        assert documents == list(yaml.safe_load_all(written))


def test_chart_manifests_keep_null_fields(tmp_path: Path) -> None:
    app = App(outdir=str(tmp_path))
    _render.emit(Chart(app, "one"), "object", RICH_MANIFEST)
    app.synth()
    ((document,), text) = _render.chart_manifests(app)[0]
    assert document["binaryData"] is None
    assert text == (tmp_path / "one.k8s.yaml").read_text(encoding="utf-8")


def test_chart_manifests_rejects_non_string(monkeypatch: pytest.MonkeyPatch, chart: Chart) -> None:
    _render.chart_id(chart)  # loads the Emitter before sinvoke is replaced
    monkeypatch.setattr(jsii, "sinvoke", lambda *_: None)
    with pytest.raises(_render.RenderError, match="renderCharts returned NoneType"):
        _render.chart_manifests(cast(App, chart.node.root))


def test_chart_files_names_and_documents(tmp_path: Path) -> None:
    app = App(outdir=str(tmp_path))
    for chart_id in ("one", "Two_Words"):
        chart = Chart(app, chart_id, disable_resource_name_hashes=True)
        _render.emit(chart, "object", RICH_MANIFEST)
    planned = _render.chart_files(app)
    assert planned is not None
    assert planned.errors == []
    app.synth()
    for file in planned.files:
        written = (tmp_path / file.name).read_text(encoding="utf-8")
        assert file.documents == list(yaml.safe_load_all(written))
    # cdk8s lower-cases a chart id that is not a DNS label and appends a hash of its path.
    names = [file.name for file in planned.files]
    assert names[0] == "one.k8s.yaml"
    assert names[1].startswith("two_words-")
    assert sorted(names) == sorted(path.name for path in tmp_path.iterdir())


def test_chart_files_other_output_type(tmp_path: Path) -> None:
    app = App(outdir=str(tmp_path), yaml_output_type=YamlOutputType.FILE_PER_APP)
    _render.emit(Chart(app, "one"), "object", RICH_MANIFEST)
    assert _render.chart_files(app) is None


def test_chart_files_portable(portable: None, app: App) -> None:
    assert _render.chart_files(app) is None


def test_chart_files_rejects_non_string(monkeypatch: pytest.MonkeyPatch, chart: Chart) -> None:
    _render.chart_id(chart)  # loads the Emitter before sinvoke is replaced
    monkeypatch.setattr(jsii, "sinvoke", lambda *_: None)
    with pytest.raises(_render.RenderError, match="chartFiles returned NoneType"):
        _render.chart_files(cast(App, chart.node.root))
