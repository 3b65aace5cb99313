"""Draw synthesized manifests as a diagram of objects and the references between them.

Run it on the output of ``cdk8s synth``::

    python -m constructs_lib.diagram dist/staafu.k8s.yaml \\
        --svg docs/diagrams/staafu.svg --mermaid docs/diagrams/staafu.mmd

or from Python, on manifests from :func:`constructs_lib.testing.synth_manifests`
or :func:`read_manifests`::

    graph = build_graph(manifests)
    Path("chart.svg").write_text(render_svg(graph, title="shop"))

:func:`build_graph` lists the edges it finds. The SVG is drawn in pure Python
with a layered layout, one row per group of kinds, and needs no Graphviz. The
Mermaid text renders on GitHub and in most Markdown viewers. Reading YAML files
needs PyYAML: ``pip install 'constructs-lib[diagram]'``.
"""

from __future__ import annotations

from constructs_lib.diagram._graph import PVC_TEMPLATE, Edge, Graph, Node, build_graph
from constructs_lib.diagram._mermaid import render_mermaid
from constructs_lib.diagram._read import ManifestReadError, read_manifests
from constructs_lib.diagram._svg import render_svg

__all__ = [
    "PVC_TEMPLATE",
    "Edge",
    "Graph",
    "ManifestReadError",
    "Node",
    "build_graph",
    "read_manifests",
    "render_mermaid",
    "render_svg",
]
