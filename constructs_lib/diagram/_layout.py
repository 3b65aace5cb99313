"""Place the nodes of a graph in rows by kind, ordered to keep edges short."""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass

from constructs_lib.diagram._graph import PVC_TEMPLATE, Edge, Graph, Node, NodeKey
from constructs_lib.manifests import WORKLOAD_KINDS

ROWS: tuple[frozenset[str], ...] = (
    frozenset({"Ingress"}),
    frozenset({"Service", "NetworkPolicy", "PodDisruptionBudget", "HorizontalPodAutoscaler"}),
    WORKLOAD_KINDS,
    frozenset({"Secret", "ConfigMap", "PersistentVolumeClaim", PVC_TEMPLATE, "ServiceAccount"}),
)
"""Kinds per row, top to bottom. Traffic enters at the top, the objects that select
pods sit right above the workloads, and configuration and storage sit below them.
Kinds in no row go to a last row of their own."""

CHAR_WIDTH = {11: 6.7, 13: 8.0}
"""Advance of one character of a monospace font, in px, by font size in px."""

BOX_HEIGHT = 46
BOX_PADDING = 14
HORIZONTAL_GAP = 36
ROW_GAP = 96
MARGIN = 24
TITLE_HEIGHT = 36
CHANNEL_WIDTH = 8
"""Width reserved in a row for an edge that passes through it, in px."""
CHANNEL_GAP = 10
"""Space between two neighbouring channels, in px."""
SWEEPS = 4
"""Passes of the barycenter ordering, alternating down and up."""

TRANSPOSE_PASSES = 10
"""Maximum passes of neighbour swaps after the barycenter ordering."""

Slot = NodeKey | tuple[Edge, int]
"""A place in a row: a node, or the channel of an edge through that row."""


@dataclass(frozen=True, slots=True)
class Box:
    """Position of one node's box, in px from the top left of the image."""

    x: float
    y: float
    width: float
    height: float
    row: int

    @property
    def center_x(self) -> float:
        """Horizontal center of the box."""
        return self.x + self.width / 2


@dataclass(frozen=True, slots=True)
class Layout:
    """Boxes of every node, the route of every edge and the size of the whole image."""

    boxes: dict[NodeKey, Box]
    routes: dict[Edge, list[float]]
    """For an edge that spans more than one row gap: the x of its channel through
    each row in between, in order from source to target. Empty for other edges."""
    width: float
    height: float
    top: float
    """y of the first row."""

    def row_y(self, row: int) -> float:
        """Return the y of the top of ``row``."""
        return self.top + row * (BOX_HEIGHT + ROW_GAP)


def row_of(kind: str) -> int:
    """Return the row index of ``kind``, or the index after the last row for other kinds."""
    for index, kinds in enumerate(ROWS):
        if kind in kinds:
            return index
    return len(ROWS)


def box_width(kind_text: str, name_text: str) -> float:
    """Return the width that fits the kind line (11 px) and the name line (13 px, bold)."""
    text = max(len(kind_text) * CHAR_WIDTH[11], len(name_text) * CHAR_WIDTH[13])
    return round(text + 2 * BOX_PADDING, 1)


def kind_line(node: Node) -> str:
    """Return the small first line of a box: the kind and its detail.

    The line ends in "(external)" when no manifest defines the object.
    """
    text = f"{node.kind} {node.detail}" if node.detail else node.kind
    return f"{text} (external)" if node.external else text


def layout(graph: Graph, *, title: bool = True) -> Layout:
    """Place the nodes in rows and route every edge between them.

    An edge that spans several rows gets a narrow channel in each row it
    crosses. Channels take part in the ordering like boxes, so such edges run
    between boxes instead of through them.
    """
    used_rows = sorted({row_of(node.kind) for node in graph.nodes.values()})
    row_index = {row: index for index, row in enumerate(used_rows)}
    node_row = {key: row_index[row_of(node.kind)] for key, node in graph.nodes.items()}
    widths: dict[Slot, float] = {
        key: box_width(kind_line(node), node.name) for key, node in graph.nodes.items()
    }
    rows: list[list[Slot]] = [[] for _ in row_index]
    for key in sorted(graph.nodes):
        rows[node_row[key]].append(key)
    links: list[tuple[Slot, Slot]] = []
    channels: dict[Edge, list[Slot]] = {}
    for edge in graph.edges:
        first, last = node_row[edge.source], node_row[edge.target]
        step = 1 if last > first else -1
        path: list[Slot] = [edge.source]
        for row in range(first + step, last, step):
            channel: Slot = (edge, row)
            rows[row].append(channel)
            widths[channel] = CHANNEL_WIDTH
            path.append(channel)
        path.append(edge.target)
        channels[edge] = path[1:-1]
        links.extend(itertools.pairwise(path))

    _order_rows(rows, links)
    placed = [_place_row(row, widths) for row in rows]
    content_width = max((width for _, width in placed), default=0.0)
    top = MARGIN + (TITLE_HEIGHT if title else 0)
    boxes: dict[NodeKey, Box] = {}
    centers: dict[Slot, float] = {}
    for row_centers, row_width in placed:
        shift = MARGIN + (content_width - row_width) / 2
        for slot, center in row_centers.items():
            centers[slot] = round(shift + center, 1)
    for key in graph.nodes:
        center = centers[key]
        row = node_row[key]
        boxes[key] = Box(
            round(center - widths[key] / 2, 1),
            top + row * (BOX_HEIGHT + ROW_GAP),
            widths[key],
            BOX_HEIGHT,
            row,
        )
    routes = {edge: [centers[slot] for slot in path] for edge, path in channels.items()}
    height = top + len(rows) * BOX_HEIGHT + max(len(rows) - 1, 0) * ROW_GAP + MARGIN
    return Layout(boxes, routes, round(content_width + 2 * MARGIN, 1), height, top)


def _place_row(row: list[Slot], widths: dict[Slot, float]) -> tuple[dict[Slot, float], float]:
    """Return the centre of each slot from the row's left end, and the row's width.

    Two channels next to each other need less room than two boxes.
    """
    centers: dict[Slot, float] = {}
    x = 0.0
    previous: Slot | None = None
    for slot in row:
        if previous is not None:
            both_channels = _is_channel(previous) and _is_channel(slot)
            x += CHANNEL_GAP if both_channels else HORIZONTAL_GAP
        centers[slot] = x + widths[slot] / 2
        x += widths[slot]
        previous = slot
    return centers, x


def _is_channel(slot: Slot) -> bool:
    return isinstance(slot[0], Edge)


def _order_rows(rows: list[list[Slot]], links: list[tuple[Slot, Slot]]) -> None:
    """Order each row in place by the barycenter method.

    Each slot moves toward the mean position of its neighbours in the other
    rows, which reduces edge crossings. Ties keep the
    current order, so the result is deterministic.
    """
    neighbours: dict[Slot, list[Slot]] = defaultdict(list)
    for first, second in links:
        neighbours[first].append(second)
        neighbours[second].append(first)
    for sweep in range(SWEEPS):
        order = range(1, len(rows)) if sweep % 2 == 0 else range(len(rows) - 2, -1, -1)
        for index in order:
            positions = _positions(rows, skip=index)
            current = {slot: slot_index for slot_index, slot in enumerate(rows[index])}
            rows[index].sort(
                key=lambda slot: (_barycenter(slot, neighbours, positions), current[slot])
            )
    _transpose(rows, links)


def _transpose(rows: list[list[Slot]], links: list[tuple[Slot, Slot]]) -> None:
    """Swap neighbouring slots while that lowers the number of edge crossings.

    The barycenter method leaves some crossings that one swap removes. Each
    swap recounts all crossings, in time quadratic in the number of links,
    which is small for one chart.
    """
    best = _crossings(rows, links)
    for _ in range(TRANSPOSE_PASSES):
        improved = False
        for row in rows:
            for place in range(len(row) - 1):
                row[place], row[place + 1] = row[place + 1], row[place]
                count = _crossings(rows, links)
                if count < best:
                    best, improved = count, True
                else:
                    row[place], row[place + 1] = row[place + 1], row[place]
        if not improved:
            return


def _crossings(rows: list[list[Slot]], links: list[tuple[Slot, Slot]]) -> int:
    """Return how many pairs of links between neighbouring rows cross."""
    place: dict[Slot, tuple[int, int]] = {
        slot: (row_index, index)
        for row_index, row in enumerate(rows)
        for index, slot in enumerate(row)
    }
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for first, second in links:
        (row_a, index_a), (row_b, index_b) = place[first], place[second]
        if row_a == row_b:
            continue
        if row_a > row_b:
            row_a, index_a, index_b = row_b, index_b, index_a
        spans[row_a].append((index_a, index_b))
    count = 0
    for pairs in spans.values():
        for position, (upper, lower) in enumerate(pairs):
            for other_upper, other_lower in pairs[position + 1 :]:
                if (upper - other_upper) * (lower - other_lower) < 0:
                    count += 1
    return count


def _positions(rows: list[list[Slot]], skip: int) -> dict[Slot, float]:
    """Return each slot's position in its row as a fraction of the row, centred in its place."""
    positions: dict[Slot, float] = {}
    for index, row in enumerate(rows):
        if index == skip:
            continue
        for place, slot in enumerate(row):
            positions[slot] = (place + 0.5) / len(row)
    return positions


def _barycenter(
    slot: Slot, neighbours: dict[Slot, list[Slot]], positions: dict[Slot, float]
) -> float:
    placed = [positions[other] for other in neighbours[slot] if other in positions]
    if not placed:
        return 0.5
    return sum(placed) / len(placed)
