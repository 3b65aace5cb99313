"""Draw a graph as a standalone SVG image, with no renderer other than a browser."""

from __future__ import annotations

import itertools
from collections import defaultdict
from xml.sax.saxutils import escape, quoteattr

from constructs_lib.diagram._graph import PVC_TEMPLATE, Edge, Graph, Node, NodeKey
from constructs_lib.diagram._layout import BOX_HEIGHT, Box, Layout, kind_line, layout
from constructs_lib.manifests import WORKLOAD_KINDS

FONT = "DejaVu Sans Mono, Menlo, Consolas, monospace"
"""Monospace, so that box widths computed from character counts fit the text."""

FILL_BY_KIND: dict[str, str] = {
    "Ingress": "#fde68a",
    "Service": "#bfdbfe",
    "Secret": "#fecaca",
    "ConfigMap": "#e9d5ff",
    "PersistentVolumeClaim": "#e5e7eb",
    PVC_TEMPLATE: "#e5e7eb",
    "NetworkPolicy": "#fed7aa",
    "PodDisruptionBudget": "#fed7aa",
    "HorizontalPodAutoscaler": "#fed7aa",
}
WORKLOAD_FILL = "#bbf7d0"
OTHER_FILL = "#f3f4f6"
EDGE_COLOR = "#374151"
LABEL_FONT_SIZE = 10
LABEL_CHAR_WIDTH = 6.1
"""Advance of one 10 px monospace character, in px."""
PORT_SPACING = 14
"""Horizontal distance between edge ends that share one side of a box, in px."""


def render_svg(graph: Graph, title: str | None = None) -> str:
    """Return the graph as SVG text: one box per object, one arrow per reference.

    Rows hold, top to bottom: Ingresses, then Services and policies, then
    workloads, then Secrets, ConfigMaps and storage. An object that is
    referred to but not defined in the manifests has a dashed border and
    "(external)" after its kind.
    """
    placed = layout(graph, title=title is not None)
    width, height = placed.width, placed.height
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
        f'viewBox="0 0 {width:g} {height:g}" font-family={quoteattr(FONT)}>',
        "<defs>",
        '<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto-start-reverse">',
        f'<path d="M 0 0 L 10 5 L 0 10 z" fill="{EDGE_COLOR}"/>',
        "</marker>",
        "</defs>",
        f'<rect width="{width:g}" height="{height:g}" fill="#ffffff"/>',
    ]
    if title is not None:
        parts.append(
            f'<text x="{width / 2:.1f}" y="36" text-anchor="middle" font-size="16" '
            f'font-weight="bold">{escape(title)}</text>'
        )
    ends = _edge_ends(graph.edges, placed)
    occupied = [_rect_of(box) for box in placed.boxes.values()]
    labels: list[str] = []
    for edge in graph.edges:
        source_side, target_side = _sides(edge, placed.boxes)
        segments = _segments(_route(edge, placed, ends), same_row=source_side == target_side)
        parts.append(_path(segments))
        labels.append(_label(edge.label, segments, occupied))
    for key, node in graph.nodes.items():
        parts.append(_node_box(placed.boxes[key], node))
    # Labels last, so that no box or line hides them.
    parts.extend(labels)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _fill(kind: str) -> str:
    if kind in WORKLOAD_KINDS:
        return WORKLOAD_FILL
    return FILL_BY_KIND.get(kind, OTHER_FILL)


def _node_box(box: Box, node: Node) -> str:
    dash = ' stroke-dasharray="5 3"' if node.external else ""
    return (
        f"<g><title>{escape(node.title)}</title>"
        f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" '
        f'height="{box.height:.1f}" rx="6" fill="{_fill(node.kind)}" stroke="#1f2937"{dash}/>'
        f'<text x="{box.center_x:.1f}" y="{box.y + 17:.1f}" text-anchor="middle" '
        f'font-size="11" fill="#4b5563">{escape(kind_line(node))}</text>'
        f'<text x="{box.center_x:.1f}" y="{box.y + 35:.1f}" text-anchor="middle" '
        f'font-size="13" font-weight="bold" fill="#111827">{escape(node.name)}</text></g>'
    )


EndKey = tuple[NodeKey, str]
"""A node and the side of its box, ``top`` or ``bottom``."""
Point = tuple[float, float]
Rect = tuple[float, float, float, float]
"""Left, top, right and bottom, in px."""
LABEL_POSITIONS = (0.5, 0.3, 0.7, 0.15, 0.85)
"""Points along a curve, as the Bezier parameter t, tried in turn for a label."""
SAME_ROW_BEND = 44.0
"""How far below its row an edge between two boxes of one row dips, in px."""


def _sides(edge: Edge, boxes: dict[NodeKey, Box]) -> tuple[str, str]:
    """Return the sides of the source and target box that the edge leaves and enters."""
    source_row = boxes[edge.source].row
    target_row = boxes[edge.target].row
    if source_row < target_row:
        return "bottom", "top"
    if source_row > target_row:
        return "top", "bottom"
    return "bottom", "bottom"


def _edge_ends(edges: list[Edge], placed: Layout) -> dict[tuple[Edge, bool], float]:
    """Spread the ends of the edges that share one side of a box, ordered by where they go.

    Returns the x offset from the box centre for each (edge, is_source) end.
    """
    boxes = placed.boxes
    by_side: dict[EndKey, list[tuple[float, Edge, bool]]] = defaultdict(list)
    for edge in edges:
        source_side, target_side = _sides(edge, boxes)
        route = placed.routes.get(edge) or []
        toward_target = route[0] if route else boxes[edge.target].center_x
        toward_source = route[-1] if route else boxes[edge.source].center_x
        by_side[(edge.source, source_side)].append((toward_target, edge, True))
        by_side[(edge.target, target_side)].append((toward_source, edge, False))
    offsets: dict[tuple[Edge, bool], float] = {}
    for (key, _), ends in by_side.items():
        ends.sort(key=lambda end: (end[0], end[1], end[2]))
        spacing = min(PORT_SPACING, (boxes[key].width - 12) / max(len(ends), 1))
        first = -spacing * (len(ends) - 1) / 2
        for index, (_, edge, is_source) in enumerate(ends):
            offsets[(edge, is_source)] = first + index * spacing
    return offsets


def _route(edge: Edge, placed: Layout, offsets: dict[tuple[Edge, bool], float]) -> list[Point]:
    """Return the points an edge passes: its two ends, and the entry and exit of each channel."""
    source, target = placed.boxes[edge.source], placed.boxes[edge.target]
    source_side, target_side = _sides(edge, placed.boxes)
    start = (
        source.center_x + offsets[(edge, True)],
        source.y + source.height if source_side == "bottom" else source.y,
    )
    end = (
        target.center_x + offsets[(edge, False)],
        target.y + target.height if target_side == "bottom" else target.y,
    )
    points = [start]
    step = 1 if target.row > source.row else -1
    rows = range(source.row + step, target.row, step)
    for row, x in zip(rows, placed.routes.get(edge) or [], strict=True):
        row_top = placed.row_y(row)
        row_bottom = row_top + BOX_HEIGHT
        points += [(x, row_top), (x, row_bottom)] if step > 0 else [(x, row_bottom), (x, row_top)]
    points.append(end)
    return points


Segment = tuple[Point, Point, Point, Point]
"""Start, two control points and end of a cubic Bezier curve."""


def _segments(points: list[Point], *, same_row: bool) -> list[Segment]:
    """Return the cubic Bezier segments of a route: curves between rows, lines inside channels.

    A line is a Bezier segment whose control points lie on it.
    """
    if same_row:
        (x0, y0), (x3, y3) = points[0], points[-1]
        return [((x0, y0), (x0, y0 + SAME_ROW_BEND), (x3, y3 + SAME_ROW_BEND), (x3, y3))]
    segments: list[Segment] = []
    for index, (first, second) in enumerate(itertools.pairwise(points)):
        if index % 2 == 1:
            # Odd segments run straight through a channel.
            segments.append((first, first, second, second))
            continue
        middle = (first[1] + second[1]) / 2
        segments.append((first, (first[0], middle), (second[0], middle), second))
    return segments


def _path(segments: list[Segment]) -> str:
    start = segments[0][0]
    commands = [f"M {start[0]:.1f} {start[1]:.1f}"]
    for _, control1, control2, end in segments:
        commands.append(
            f"C {control1[0]:.1f} {control1[1]:.1f} {control2[0]:.1f} {control2[1]:.1f} "
            f"{end[0]:.1f} {end[1]:.1f}"
        )
    return (
        f'<path d="{" ".join(commands)}" fill="none" stroke="{EDGE_COLOR}" '
        'stroke-width="1.3" marker-end="url(#arrow)"/>'
    )


def _label(text: str, segments: list[Segment], occupied: list[Rect]) -> str:
    """Return the label of an edge, at the first point along it where it overlaps nothing.

    Candidate points lie on the curves between rows, source side first, not on
    the straight parts inside channels. When every candidate overlaps a box or
    another label, the middle of the first curve is used.
    """
    curves = [segment for segment in segments if segment[0] != segment[1]] or segments
    width = len(text) * LABEL_CHAR_WIDTH + 6
    height = 14.0
    candidates = [_bezier(segment, t) for segment in curves for t in LABEL_POSITIONS]
    chosen = candidates[0]
    for x, y in candidates:
        rect = (x - width / 2, y - height / 2, x + width / 2, y + height / 2)
        if not any(_overlaps(rect, other) for other in occupied):
            chosen = (x, y)
            break
    x, y = chosen
    occupied.append((x - width / 2, y - height / 2, x + width / 2, y + height / 2))
    return (
        f'<g><rect x="{x - width / 2:.1f}" y="{y - height / 2:.1f}" width="{width:.1f}" '
        f'height="{height:.1f}" rx="3" fill="#ffffff" fill-opacity="0.9"/>'
        f'<text x="{x:.1f}" y="{y + 3.5:.1f}" text-anchor="middle" '
        f'font-size="{LABEL_FONT_SIZE}" fill="{EDGE_COLOR}">{escape(text)}</text></g>'
    )


def _bezier(segment: Segment, t: float) -> Point:
    """Return the point of a cubic Bezier segment at parameter ``t``."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = segment
    u = 1 - t
    x = u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3
    y = u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3
    return x, y


def _rect_of(box: Box) -> Rect:
    return (box.x, box.y, box.x + box.width, box.y + box.height)


def _overlaps(first: Rect, second: Rect) -> bool:
    return not (
        first[2] <= second[0]
        or second[2] <= first[0]
        or first[3] <= second[1]
        or second[3] <= first[1]
    )
