"""Diagram rendering: SVG and Mermaid output, layout, and the committed staafu diagram."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from cdk8s import App

from charts.staafu import StaafuChart, StaafuSettings
from constructs_lib.diagram import build_graph, render_mermaid, render_svg
from constructs_lib.diagram._layout import BOX_HEIGHT, layout
from constructs_lib.testing import synth_manifests

SVG = "{http://www.w3.org/2000/svg}"
DIAGRAMS = Path(__file__).resolve().parent.parent / "docs" / "diagrams"
LABELS = {"app.kubernetes.io/name": "web"}


def manifests() -> list[dict[str, Any]]:
    """An Ingress, a Service, a Deployment and a Secret that no manifest defines."""
    env = [{"name": "PW", "valueFrom": {"secretKeyRef": {"name": "web-secret", "key": "pw"}}}]
    return [
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": {"name": "web"},
            "spec": {
                "tls": [{"secretName": "web-tls"}],
                "defaultBackend": {"service": {"name": "web", "port": {"number": 80}}},
            },
        },
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "web"},
            "spec": {"type": "LoadBalancer", "selector": LABELS, "ports": [{"port": 80}]},
        },
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web"},
            "spec": {
                "selector": {"matchLabels": LABELS},
                "template": {
                    "metadata": {"labels": LABELS},
                    "spec": {"containers": [{"name": "web", "image": "a:1", "env": env}]},
                },
            },
        },
    ]


def texts(svg: str) -> list[str]:
    return [element.text or "" for element in ET.fromstring(svg).iter(f"{SVG}text")]


def test_svg_is_well_formed_with_every_name() -> None:
    svg = render_svg(build_graph(manifests()), title="shop <test>")
    shown = texts(svg)
    assert "shop <test>" in shown
    assert "Ingress" in shown
    assert "Service LoadBalancer" in shown
    assert "Deployment" in shown
    assert "Secret (external)" in shown
    assert shown.count("web") == 3
    assert "web-secret" in shown


def test_svg_draws_one_path_and_label_per_edge() -> None:
    graph = build_graph(manifests())
    root = ET.fromstring(render_svg(graph))
    paths = [p for p in root.iter(f"{SVG}path") if p.get("marker-end") == "url(#arrow)"]
    assert len(paths) == len(graph.edges) == 4
    labels = {edge.label for edge in graph.edges}
    assert labels == {"backend", "tls", "selects", "secretKeyRef"}
    assert labels <= set(texts(render_svg(graph)))


def test_external_objects_are_dashed() -> None:
    root = ET.fromstring(render_svg(build_graph(manifests())))
    dashed = [r for r in root.iter(f"{SVG}rect") if r.get("stroke-dasharray")]
    assert len(dashed) == 2


def test_rows_follow_kinds() -> None:
    graph = build_graph(manifests())
    boxes = layout(graph).boxes
    ingress = boxes[("Ingress", "", "web")]
    service = boxes[("Service", "", "web")]
    deployment = boxes[("Deployment", "", "web")]
    secret = boxes[("Secret", "", "web-secret")]
    assert ingress.y < service.y < deployment.y < secret.y
    assert boxes[("Secret", "", "web-tls")].y == secret.y


def test_long_edge_gets_channels() -> None:
    graph = build_graph(manifests())
    placed = layout(graph)
    tls = next(edge for edge in graph.edges if edge.label == "tls")
    assert len(placed.routes[tls]) == 2
    for row, x in zip((1, 2), placed.routes[tls], strict=True):
        row_boxes = [box for box in placed.boxes.values() if box.row == row]
        assert all(not box.x <= x <= box.x + box.width for box in row_boxes)
        assert placed.row_y(row) == row_boxes[0].y
    assert placed.row_y(1) - placed.row_y(0) > BOX_HEIGHT


def test_boxes_do_not_overlap() -> None:
    boxes = list(layout(build_graph(manifests())).boxes.values())
    for index, first in enumerate(boxes):
        for second in boxes[index + 1 :]:
            apart = (
                first.x + first.width <= second.x
                or second.x + second.width <= first.x
                or first.y + first.height <= second.y
                or second.y + second.height <= first.y
            )
            assert apart, (first, second)


def test_output_is_deterministic() -> None:
    first = render_svg(build_graph(manifests()), title="t")
    second = render_svg(build_graph(list(reversed(manifests()))), title="t")
    assert first == second
    assert render_mermaid(build_graph(manifests())) == render_mermaid(
        build_graph(list(reversed(manifests())))
    )


def test_mermaid_lists_nodes_and_edges() -> None:
    text = render_mermaid(build_graph(manifests()), title='shop "blue"')
    lines = text.splitlines()
    assert lines[:4] == ["---", 'title: "shop \\"blue\\""', "---", "flowchart TB"]
    assert '    n0["Deployment<br/><b>web</b>"]' in lines
    assert '    n1(["Ingress<br/><b>web</b>"])' in lines
    assert '    n2[/"Secret (external)<br/><b>web-secret</b>"/]' in lines
    assert '    n4(["Service LoadBalancer<br/><b>web</b>"])' in lines
    assert '    n1 -->|"backend"| n4' in lines
    assert '    n4 -->|"selects"| n0' in lines
    assert "    class n2,n3 external" in lines


def test_staafu_diagram_is_current(app: App) -> None:
    """docs/diagrams/staafu.* must match the chart; run `make diagrams` after changing it."""
    graph = build_graph(synth_manifests(StaafuChart(app, "staafu", StaafuSettings())))
    svg = (DIAGRAMS / "staafu.svg").read_text(encoding="utf-8")
    mermaid = (DIAGRAMS / "staafu.mmd").read_text(encoding="utf-8")
    assert svg == render_svg(graph, title="staafu")
    assert mermaid == render_mermaid(graph, title="staafu")
