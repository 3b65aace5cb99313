"""Check the variants' output and format the results as Markdown tables."""

from __future__ import annotations

import itertools
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from bench.measure import Measurement

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader


def load_documents(outdir: Path) -> list[dict[str, Any]]:
    """Return every YAML document under ``outdir``, file by file in name order."""
    documents: list[dict[str, Any]] = []
    for path in sorted(outdir.glob("*.yaml")):
        with path.open(encoding="utf-8") as stream:
            documents.extend(doc for doc in yaml.load_all(stream, Loader=_Loader) if doc)
    return documents


def kind_counts(documents: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """Return the number of documents of each kind."""
    return dict(sorted(Counter(str(doc.get("kind")) for doc in documents).items()))


def median_wall(runs: Sequence[Measurement]) -> float:
    return statistics.median(run.wall_s for run in runs)


def median_cpu(runs: Sequence[Measurement]) -> float:
    return statistics.median(run.cpu_s for run in runs)


def median_max_rss(runs: Sequence[Measurement]) -> float:
    return statistics.median(run.max_rss_kib for run in runs)


def median_sum_rss(runs: Sequence[Measurement]) -> float:
    return statistics.median(run.sum_rss_kib for run in runs)


def matrix_table(
    results: Mapping[tuple[str, int], Sequence[Measurement]],
    variants: Sequence[str],
    counts: Sequence[int],
    baseline: str,
) -> str:
    """Return the matrix as a Markdown table, each figure with its ratio to ``baseline``."""
    lines = [
        "| apps | variant | wall s (x baseline) | wall s range | CPU s (x) | wall ms per app "
        "| largest process MiB (x) | all processes MiB (x) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for count in counts:
        base = results[(baseline, count)]
        for variant in variants:
            runs = results[(variant, count)]
            wall = median_wall(runs)
            cpu = median_cpu(runs)
            largest = median_max_rss(runs)
            summed = median_sum_rss(runs)
            lines.append(
                f"| {count} | {variant} "
                f"| {wall:.2f} ({wall / median_wall(base):.1f}x) "
                f"| {min(run.wall_s for run in runs):.2f}-{max(run.wall_s for run in runs):.2f} "
                f"| {cpu:.2f} ({cpu / median_cpu(base):.1f}x) "
                f"| {wall / count * 1000:.2f} "
                f"| {largest / 1024:.0f} ({largest / median_max_rss(base):.1f}x) "
                f"| {summed / 1024:.0f} ({summed / median_sum_rss(base):.1f}x) |"
            )
    return "\n".join(lines)


def growth_table(
    results: Mapping[tuple[str, int], Sequence[Measurement]],
    variants: Sequence[str],
    counts: Sequence[int],
) -> str:
    """Return the marginal cost per app between consecutive sizes, in ms.

    A constant figure from one size to the next means the cost grows linearly.
    """
    header = " | ".join(f"{low}->{high}" for low, high in itertools.pairwise(counts))
    lines = [f"| variant | {header} |", "|---|" + "---:|" * (len(counts) - 1)]
    for variant in variants:
        cells = []
        for low, high in itertools.pairwise(counts):
            delta = median_wall(results[(variant, high)]) - median_wall(results[(variant, low)])
            cells.append(f"{delta / (high - low) * 1000:.2f}")
        lines.append(f"| {variant} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def startup_table(runs: Mapping[str, Sequence[Measurement]]) -> str:
    """Return the start-up comparison as a Markdown table with the project's ratio."""
    empty = median_wall(runs["empty-app"])
    project = median_wall(runs["project"])
    lines = [
        "| run | wall s | CPU s | all processes MiB |",
        "|---|---:|---:|---:|",
        f"| empty cdk8s app | {empty:.2f} | {median_cpu(runs['empty-app']):.2f} "
        f"| {median_sum_rss(runs['empty-app']) / 1024:.0f} |",
        f"| main.py's charts | {project:.2f} | {median_cpu(runs['project']):.2f} "
        f"| {median_sum_rss(runs['project']) / 1024:.0f} |",
        "",
        f"main.py's charts take {project / empty:.2f}x the wall time and "
        f"{median_cpu(runs['project']) / median_cpu(runs['empty-app']):.2f}x the CPU time "
        "of an empty app.",
    ]
    return "\n".join(lines)
