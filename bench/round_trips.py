"""Time single jsii requests: ``python -m bench round-trips``.

These figures explain the rendering path in ``constructs_lib/_render.py``: what
one round trip to Node.js costs, what the jsii kernel spends decoding a nested
argument, and what one object costs on the fast and the portable path.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable

import jsii
from cdk8s import App, Chart, JsonPatch

from bench import plain
from constructs_lib import _render

REPEATS = 500
"""Requests per figure."""


def _per_call_ms(action: Callable[[int], object]) -> float:
    start = time.perf_counter()
    for index in range(REPEATS):
        action(index)
    return (time.perf_counter() - start) / REPEATS * 1000


def main() -> int:
    app = App()
    chart = Chart(app, "requests", disable_resource_name_hashes=True)
    spec = plain.deployment(0)["spec"]
    spec_text = json.dumps(spec)
    _render.chart_id(chart)  # loads the Emitter assembly before timing

    figures = {
        "no-op request (kernel stats)": _per_call_ms(
            lambda _: jsii.stats()  # type: ignore[no-untyped-call]
        ),
        "JsonPatch.add, Deployment spec as nested value": _per_call_ms(
            lambda _: jsii.sinvoke(JsonPatch, "add", ["/spec", spec])
        ),
        "JsonPatch.add, Deployment spec as JSON string": _per_call_ms(
            lambda _: jsii.sinvoke(JsonPatch, "add", ["/spec", spec_text])
        ),
        "emit Deployment, fast path": _per_call_ms(
            lambda index: _render.emit(chart, f"fast-{index}", plain.deployment(index))
        ),
    }
    os.environ[_render.RENDER_ENV] = "portable"
    figures["emit Deployment, portable path"] = _per_call_ms(
        lambda index: _render.emit(chart, f"portable-{index}", plain.deployment(index))
    )
    del os.environ[_render.RENDER_ENV]

    print(f"| request ({REPEATS} each, one after another) | ms per call |")
    print("|---|---:|")
    for name, milliseconds in figures.items():
        print(f"| {name} | {milliseconds:.3f} |")
    return 0
