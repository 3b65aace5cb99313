"""Write a graph as a Mermaid flowchart."""

from __future__ import annotations

import json

from constructs_lib.diagram._graph import PVC_TEMPLATE, Graph, Node
from constructs_lib.diagram._layout import kind_line
from constructs_lib.manifests import WORKLOAD_KINDS

STORAGE_KINDS = frozenset({"PersistentVolumeClaim", PVC_TEMPLATE})
CONFIG_KINDS = frozenset({"Secret", "ConfigMap"})


def render_mermaid(graph: Graph, title: str | None = None) -> str:
    """Return the graph as Mermaid ``flowchart TB`` text.

    Node ids are ``n0``, ``n1``, … in the graph's order, so the text is stable
    for the same input. Services and Ingresses are drawn as stadiums, Secrets
    and ConfigMaps as parallelograms, volumes as cylinders, and objects that
    no manifest defines with a dashed border.
    """
    ids = {key: f"n{index}" for index, key in enumerate(graph.nodes)}
    lines: list[str] = []
    if title is not None:
        # Front matter is YAML, and a JSON string is a valid YAML scalar.
        lines += ["---", f"title: {json.dumps(title)}", "---"]
    lines.append("flowchart TB")
    for key, node in graph.nodes.items():
        lines.append(f"    {ids[key]}{_shape(node)}")
    for edge in graph.edges:
        lines.append(f"    {ids[edge.source]} -->|{_quote(edge.label)}| {ids[edge.target]}")
    external = [ids[key] for key, node in graph.nodes.items() if node.external]
    if external:
        lines.append("    classDef external stroke-dasharray: 5 5")
        lines.append(f"    class {','.join(external)} external")
    return "\n".join(lines) + "\n"


def _shape(node: Node) -> str:
    label = _quote(f"{kind_line(node)}<br/><b>{node.name}</b>")
    if node.kind in ("Service", "Ingress"):
        return f"([{label}])"
    if node.kind in CONFIG_KINDS:
        return f"[/{label}/]"
    if node.kind in STORAGE_KINDS:
        return f"[({label})]"
    if node.kind in WORKLOAD_KINDS:
        return f"[{label}]"
    return f"{{{{{label}}}}}"


def _quote(text: str) -> str:
    """Return ``text`` in double quotes, with Mermaid's entity for a double quote inside."""
    return '"' + text.replace('"', "#quot;") + '"'
