"""The manifest writer: strings that YAML readers could retype load back as strings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from cdk8s import App, Chart
from hypothesis import given, settings
from hypothesis import strategies as st

from constructs_lib import ExposedService, StatelessApp, _yaml
from constructs_lib._yaml import dump_manifests, needs_quotes
from constructs_lib.output import synth_app
from constructs_lib.testing import synth_yaml
from constructs_lib.validation import label_value_problems

IMAGE = "ghcr.io/example/web:1.4.2"

AMBIGUOUS = [
    # YAML 1.1 booleans and nulls.
    *("yes", "no", "on", "off", "y", "n", "Y", "N", "Yes", "NO", "On", "OFF"),
    *("true", "false", "True", "FALSE", "null", "Null", "NULL", "~", ""),
    # Numbers in YAML 1.1, YAML 1.2 or Go's strconv.
    *("1.30", "0777", "1e3", "1E3", "0x1F", "0o17", "0b101", "1_000", "+1", "-0"),
    *(".inf", "-.Inf", ".nan", "12:30", "190:20:30", "2024-01-01", ".5", "5."),
    # Special keys and indicators.
    *("=", "<<", "- a", "a: b", "#c", "!tag", "&a", "*a", "|", ">", "%x", "@x", "`x"),
    # Whitespace, line breaks and characters YAML does not allow raw.
    *(" lead", "trail ", "\t", "a\nb", "a\r\nb", "a\u0085b", "\u2028", "\u2029"),
    *("\x1b", "\x7f", "\x9f", "\ufeff", "\ufffe", "x\n", "x\n\n", "x \ny", "😀"),
]


def load_all(text: str) -> list[dict[str, Any]]:
    documents: list[dict[str, Any]] = list(yaml.safe_load_all(text))
    return documents


def test_env_values_load_back_as_strings(chart: Chart) -> None:
    env = {f"V{index}": value for index, value in enumerate(AMBIGUOUS)}
    StatelessApp(chart, "web", name="web", image=IMAGE, env=env, network_policy=False)
    (deployment,) = load_all(synth_yaml(chart))
    loaded = deployment["spec"]["template"]["spec"]["containers"][0]["env"]
    for entry in loaded:
        assert type(entry["value"]) is str, entry
        assert entry["value"] == env[entry["name"]], entry


def test_label_values_load_back_as_strings(chart: Chart) -> None:
    values = [value for value in AMBIGUOUS if not label_value_problems(value)]
    assert {"yes", "y", "true", "1.30", "0777", "1e3", "0x1F", "0o17"} <= set(values)
    labels = {f"example.com/k{index}": value for index, value in enumerate(values)}
    StatelessApp(
        chart, "web", name="web", image=IMAGE, labels=labels, version="1.30", network_policy=False
    )
    (deployment,) = load_all(synth_yaml(chart))
    for where in (deployment["metadata"], deployment["spec"]["template"]["metadata"]):
        for key, value in labels.items():
            assert type(where["labels"][key]) is str, key
            assert where["labels"][key] == value, key
        assert where["labels"]["app.kubernetes.io/version"] == "1.30"


def test_annotation_values_load_back_as_strings(chart: Chart) -> None:
    app = StatelessApp(chart, "web", name="web", image=IMAGE, network_policy=False)
    annotations = {f"example.com/a{index}": value for index, value in enumerate(AMBIGUOUS)}
    ExposedService(chart, "svc", app=app, name="web", annotations=annotations)
    _, service = load_all(synth_yaml(chart))
    assert service["metadata"]["annotations"] == annotations


def test_label_keys_load_back_as_strings() -> None:
    keys = ["yes", "on", "y", "true", "null", "1", "0777", "1e3"]
    (document,) = load_all(dump_manifests([{"metadata": {"labels": dict.fromkeys(keys, "v")}}]))
    assert list(document["metadata"]["labels"]) == keys


def test_written_files_load_back_as_strings(tmp_path: Path) -> None:
    app = App(outdir=str(tmp_path))
    chart = Chart(app, "shop", disable_resource_name_hashes=True)
    env = {f"V{index}": value for index, value in enumerate(AMBIGUOUS)}
    StatelessApp(chart, "web", name="web", image=IMAGE, env=env, network_policy=False)
    written = synth_app(app)
    assert written == [tmp_path / "shop.k8s.yaml"]
    (deployment,) = load_all(written[0].read_text(encoding="utf-8"))
    loaded = deployment["spec"]["template"]["spec"]["containers"][0]["env"]
    assert {entry["name"]: entry["value"] for entry in loaded} == env


@pytest.mark.parametrize("value", ["yes", "y", "=", "<<", "0o17", "1.30", ".inf", "~", ""])
def test_ambiguous_strings_need_quotes(value: str) -> None:
    assert needs_quotes(value)


@pytest.mark.parametrize("value", ["nginx", "http", "app.kubernetes.io/name", "a-b_c.d", "/tmp"])
def test_plain_strings_stay_plain(value: str) -> None:
    assert not needs_quotes(value)
    assert dump_manifests([{"k": value}]) == f"k: {value}\n"


def test_documents_keep_key_order_and_separators() -> None:
    text = dump_manifests([{"b": 1, "a": [1, {"c": True}]}, {"z": None}])
    assert text == "b: 1\na:\n  - 1\n  - c: true\n---\nz: null\n"


class _ReferenceDumper(yaml.SafeDumper):
    """The manifest writer's settings on PyYAML's SafeDumper, with no memoized steps."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_ReferenceDumper.add_representer(
    str,
    lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:str", value, style=_yaml._string_style.__wrapped__(value)
    ),
)


def reference_dump(documents: list[Any]) -> str:
    texts = [
        yaml.dump(
            document,
            Dumper=_ReferenceDumper,
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=False,
            width=2**31 - 1,
        )
        for document in documents
    ]
    return "---\n".join(texts)


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
    st.sampled_from(AMBIGUOUS),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text() | st.sampled_from(AMBIGUOUS), children, max_size=4)
    ),
    max_leaves=20,
)


def test_writer_matches_safe_dumper_on_ambiguous() -> None:
    documents = [{value: [value, {"k": value}]} for value in AMBIGUOUS]
    assert dump_manifests(documents) == reference_dump(documents)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.dictionaries(st.text(), _VALUES, max_size=5), min_size=1, max_size=3))
def test_writer_matches_safe_dumper(documents: list[dict[str, Any]]) -> None:
    assert dump_manifests(documents) == reference_dump(documents)


_ASCII = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=12)
_ASCII_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | _ASCII | st.sampled_from(AMBIGUOUS),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_ASCII, children, max_size=3),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dictionaries(_ASCII, _ASCII_VALUES, min_size=1, max_size=5), max_size=3))
def test_direct_writer_matches_safe_dumper(documents: list[dict[str, Any]]) -> None:
    assert dump_manifests(documents) == reference_dump(documents)


def test_direct_writer_covers_manifests(chart: Chart) -> None:
    web = StatelessApp(chart, "web", name="web", image=IMAGE, env={"MODE": "on"})
    ExposedService(chart, "svc", app=web, name="web")
    for document in chart.to_json():
        assert _yaml._dump_simple(document) == reference_dump([document])


def test_direct_writer_leaves_long_keys() -> None:
    document = {"k" * 123: 1}
    assert _yaml._dump_simple(document) is None
    assert dump_manifests([document]) == reference_dump([document])
