"""Command line: ``python -m constructs_lib.diagram PATH... --svg FILE --mermaid FILE``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from constructs_lib.diagram import (
    ManifestReadError,
    build_graph,
    read_manifests,
    render_mermaid,
    render_svg,
)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m constructs_lib.diagram",
        description="Draw the objects in Kubernetes manifests and the references between them.",
    )
    parser.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="manifest file, or directory searched recursively for *.yaml and *.yml files",
    )
    parser.add_argument("--svg", type=Path, metavar="FILE", help="write an SVG image to FILE")
    parser.add_argument(
        "--mermaid", type=Path, metavar="FILE", help="write a Mermaid flowchart to FILE"
    )
    parser.add_argument("--title", help="title drawn above the diagram. Default: no title")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Write the requested files, or print the Mermaid text when no output file is given."""
    args = parse_args(argv)
    try:
        manifests = read_manifests(args.paths)
    except ManifestReadError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    if not manifests:
        print(
            f"error: no Kubernetes objects found in {', '.join(map(str, args.paths))}",
            file=sys.stderr,
        )
        return 1
    graph = build_graph(manifests)
    outputs = [
        (args.svg, render_svg(graph, args.title) if args.svg else ""),
        (args.mermaid, render_mermaid(graph, args.title) if args.mermaid else ""),
    ]
    if args.svg is None and args.mermaid is None:
        sys.stdout.write(render_mermaid(graph, args.title))
        return 0
    for target, text in outputs:
        if target is None:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target}: {len(graph.nodes)} objects, {len(graph.edges)} references")
    return 0


if __name__ == "__main__":
    sys.exit(main())
