"""Command line of the benchmark: ``python -m bench [matrix|profile|round-trips] ...``."""

from __future__ import annotations

import argparse
import cProfile
import importlib.metadata
import io
import os
import platform
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import _constructs_lib_node
from bench import plain, report
from bench.child import VARIANTS
from bench.measure import Measurement, run_variant

MATRIX_VARIANTS = ("pyyaml", "library", "cdk8s-plus")
BASELINE = "pyyaml"
EXTRA_KINDS = {"library-netpol": "NetworkPolicy"}
"""Variants that emit one object of this kind per app beyond the baseline's objects."""


def _machine() -> str:
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as stream:
        for line in stream:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    node_binary = _constructs_lib_node.wheel_node()
    node = "not found"
    if node_binary is not None:
        node = subprocess.run(
            [str(node_binary), "--version"], capture_output=True, text=True, check=True
        ).stdout.strip()
    versions = ", ".join(
        f"{name} {importlib.metadata.version(name)}"
        for name in ("jsii", "cdk8s", "cdk8s-plus-33", "constructs", "PyYAML")
    )
    return "\n".join(
        [
            f"- CPUs (os.cpu_count): {os.cpu_count()}, model: {cpu}",
            f"- load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
            f"- Python {platform.python_version()}, Node.js {node}",
            f"- {versions}",
            f"- PyYAML baseline emitter: {plain.DUMPER.__name__}",
        ]
    )


def _run_matrix(args: argparse.Namespace) -> int:
    counts = [int(value) for value in args.counts.split(",")]
    variants = args.variants.split(",")
    if BASELINE not in variants:
        variants.insert(0, BASELINE)
    print(_machine(), flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        results, kinds = _measure_matrix(Path(scratch), variants, counts, args.runs)
        startup: dict[str, list[Measurement]] = {}
        for round_index in range(args.startup_runs):
            for variant in ("empty-app", "project"):
                outdir = Path(scratch) / f"{variant}-{round_index}"
                startup.setdefault(variant, []).append(run_variant(variant, 0, outdir))

    print()
    print(report.matrix_table(results, variants, counts, BASELINE))
    print()
    print("Marginal cost per app between sizes, in ms:")
    print()
    print(report.growth_table(results, variants, counts))
    print()
    print("Objects per variant:", {f"{v} x {c}": kinds[(v, c)] for v, c in sorted(kinds)})
    if startup:
        print()
        print(report.startup_table(startup))
    return 0


def _measure_matrix(
    scratch: Path, variants: Sequence[str], counts: Sequence[int], runs: int
) -> tuple[dict[tuple[str, int], list[Measurement]], dict[tuple[str, int], dict[str, int]]]:
    """Run every variant at every count, ``runs`` times, and check the first round's output.

    Each round runs every variant and count once, so that a slow spell of the
    machine affects all variants alike rather than one.
    """
    results: dict[tuple[str, int], list[Measurement]] = {}
    kinds: dict[tuple[str, int], dict[str, int]] = {}
    for round_index in range(runs):
        for count in counts:
            outputs: dict[str, Path] = {}
            for variant in variants:
                outdir = scratch / f"{variant}-{count}-{round_index}"
                measurement = run_variant(variant, count, outdir)
                results.setdefault((variant, count), []).append(measurement)
                outputs[variant] = outdir
                print(
                    f"round {round_index + 1}/{runs}: {variant} x {count}: "
                    f"{measurement.wall_s:.2f} s",
                    file=sys.stderr,
                    flush=True,
                )
            if round_index == 0:
                _check_outputs(count, outputs, kinds)
    return results, kinds


def _check_outputs(
    count: int, outputs: dict[str, Path], kinds: dict[tuple[str, int], dict[str, int]]
) -> None:
    """Raise unless every variant emitted the baseline's kinds and counts.

    The variants of ``EXTRA_KINDS`` must emit one more object of their kind
    per app. The library's documents must also equal the PyYAML baseline's,
    field for field.
    """
    documents = {variant: report.load_documents(path) for variant, path in outputs.items()}
    for variant, docs in documents.items():
        kinds[(variant, count)] = report.kind_counts(docs)
    for variant in documents:
        expected = dict(kinds[(BASELINE, count)])
        if variant in EXTRA_KINDS:
            expected[EXTRA_KINDS[variant]] = count
            expected = dict(sorted(expected.items()))
        if kinds[(variant, count)] != expected:
            raise SystemExit(
                f"output mismatch at {count} apps: {variant} emitted "
                f"{kinds[(variant, count)]}, {BASELINE} emitted {expected}"
            )
    if "library" in documents and documents["library"] != documents[BASELINE]:
        raise SystemExit(
            f"output mismatch at {count} apps: library and {BASELINE} documents differ"
        )


def _run_profile(args: argparse.Namespace) -> int:
    """Time the phases of one jsii variant and profile its build phase with cProfile."""
    started = time.perf_counter()
    module = importlib.import_module(VARIANTS[args.variant])
    from cdk8s import App, Chart  # noqa: PLC0415 - timed as part of the variant's import

    from constructs_lib.output import synth_app  # noqa: PLC0415 - as above

    imported = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as outdir:
        app = App(outdir=outdir)
        chart = Chart(app, "bench", disable_resource_name_hashes=True)
        profiler = cProfile.Profile()
        build_start = time.perf_counter()
        profiler.enable()
        module.add_apps(chart, args.count)
        profiler.disable()
        build_end = time.perf_counter()
        if args.variant.startswith("library"):
            # As main.py writes its files: synth_app validates the app and writes
            # each chart with the safe YAML writer.
            synth_app(app)
        else:
            app.synth()
        synth_end = time.perf_counter()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    requests = 0
    blocked = 0.0
    for (path, _, name), (_, calls, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        if name == "send" and path.endswith("providers/process.py"):
            requests += calls
        if name in (
            "<method 'readline' of '_io.BufferedReader' objects>",
            "<method 'flush' of '_io.BufferedWriter' objects>",
        ):
            blocked += cumulative
    stats.sort_stats(args.sort).print_stats(args.top)
    print(stream.getvalue())
    build = build_end - build_start
    print(f"import of the variant, jsii and cdk8s: {imported - started:.2f} s")
    print(f"build under cProfile: {build:.2f} s, of which {blocked:.2f} s blocked on Node.js")
    print(f"jsii requests in the build: {requests} ({requests / max(args.count, 1):.1f} per app)")
    writer = "synth_app" if args.variant.startswith("library") else "App.synth"
    print(f"{writer} (validation and writing the YAML files): {synth_end - build_end:.2f} s")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    commands = parser.add_subparsers(dest="command")

    matrix = commands.add_parser("matrix", help="time every variant at every size (default)")
    matrix.add_argument("--counts", default="1,10,100,1000", help="app counts, comma-separated")
    matrix.add_argument(
        "--variants",
        default=",".join(MATRIX_VARIANTS),
        help=f"variants to run, comma-separated; {BASELINE} always runs",
    )
    matrix.add_argument("--runs", type=int, default=3, help="runs per variant and size")
    matrix.add_argument(
        "--startup-runs", type=int, default=5, help="runs of each start-up variant; 0 skips them"
    )

    profile = commands.add_parser("profile", help="profile one variant in this process")
    profile.add_argument("variant", choices=["library", "library-netpol", "cdk8s-plus"])
    profile.add_argument("count", type=int, help="number of apps")
    profile.add_argument("--top", type=int, default=15, help="functions to list")
    profile.add_argument(
        "--sort", default="tottime", help="pstats sort key, such as tottime or cumulative"
    )

    commands.add_parser("round-trips", help="time single jsii requests of the rendering path")

    args = parser.parse_args(argv)
    if args.command == "profile":
        return _run_profile(args)
    if args.command == "round-trips":
        # Imported here because it starts jsii, which the matrix runner does not need.
        round_trips: Any = importlib.import_module("bench.round_trips")
        return int(round_trips.main())
    if args.command is None:
        args = parser.parse_args(["matrix", *(argv or sys.argv[1:])])
    return _run_matrix(args)


if __name__ == "__main__":
    sys.exit(main())
