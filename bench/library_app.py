"""The library variant: StatelessApp, ExposedService and a Secret per app."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cdk8s import App, Chart
from constructs import Construct

from bench.workload import (
    CHART_ID,
    IMAGE,
    IMAGE_TAG,
    SERVICE_PORT,
    app_name,
    placeholder_values,
    secret_env_entries,
    secret_name,
)
from constructs_lib import ExposedService, ServicePort, StatelessApp
from constructs_lib._render import emit


class PlaceholderSecret:
    """A Secret emitted through the library's rendering path, as an EnvSource.

    Switch this to ``constructs_lib.SecretEnv`` once the library provides it:
    it is the one place where the benchmark builds the Secret.
    """

    def __init__(self, scope: Construct, index: int) -> None:
        self.index = index
        self.api_object = emit(
            scope,
            f"{app_name(index)}-secret",
            {
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {"name": secret_name(index), "labels": _labels(index)},
                "type": "Opaque",
                "stringData": placeholder_values(index),
            },
        )

    def env_entries(self) -> Sequence[Mapping[str, Any]]:
        """Return one EnvVar per Secret key, read through secretKeyRef."""
        return secret_env_entries(self.index)


def _labels(index: int) -> dict[str, str]:
    # The labels that StatelessApp gives the Deployment, as the PyYAML baseline's
    # Secret has them.
    name = app_name(index)
    return {
        "app.kubernetes.io/name": name,
        "app.kubernetes.io/instance": name,
        "app.kubernetes.io/component": "web",
        "app.kubernetes.io/part-of": CHART_ID,
        "app.kubernetes.io/version": IMAGE_TAG,
        "app.kubernetes.io/managed-by": "cdk8s",
    }


def add_apps(chart: Chart, count: int) -> None:
    """Add ``count`` apps to ``chart``."""
    for index in range(count):
        name = app_name(index)
        # The Deployment reads the Secret's keys, so the Secret comes first.
        secret = PlaceholderSecret(chart, index)
        web = StatelessApp(chart, name, name=name, image=IMAGE, env_from=[secret])
        ExposedService(
            chart,
            f"{name}-svc",
            app=web,
            name=name,
            ports=[ServicePort("http", port=SERVICE_PORT)],
        )


def build(count: int, outdir: Path) -> None:
    """Synthesize ``count`` apps into ``outdir``."""
    app = App(outdir=str(outdir))
    chart = Chart(app, CHART_ID, disable_resource_name_hashes=True)
    add_apps(chart, count)
    app.synth()
