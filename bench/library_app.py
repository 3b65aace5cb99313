"""The library variant: SecretEnv, StatelessApp and ExposedService per app.

Each app's Secret comes from :class:`~constructs_lib.SecretEnv` with
:class:`~constructs_lib.LocalSecretValues`, reading the workload's
placeholder values from a mapping, so the Secret object is in the output as
it is in the other variants. The files are written by
:func:`constructs_lib.output.synth_app`, the safe YAML writer that ``main.py``
uses, not by ``App.synth()`` alone.

``network_policy=False`` keeps the output equal to the other variants, which
emit no NetworkPolicy. The ``library-netpol`` variant keeps the library's
default, one NetworkPolicy per app, and is reported as extra information.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from cdk8s import App, Chart

from bench.workload import (
    CHART_ID,
    IMAGE,
    SECRET_KEYS,
    SERVICE_PORT,
    app_name,
    placeholder_values,
    recommended_labels,
    secret_name,
)
from constructs_lib import (
    ExposedService,
    LocalSecretValues,
    SecretEnv,
    SecretInManifestWarning,
    ServicePort,
    StatelessApp,
)
from constructs_lib.output import synth_app


def _secret_source(index: int) -> LocalSecretValues:
    """Return a source that reads app ``index``'s placeholder values from a mapping.

    The mapping replaces the process environment and no dotenv file is read,
    so the run does not depend on the working directory or the environment.
    With an empty prefix, key ``DB_PASSWORD`` is read from variable ``DB_PASSWORD``.
    """
    return LocalSecretValues(env_file=None, prefix="", environ=placeholder_values(index))


def add_apps(chart: Chart, count: int, *, network_policy: bool = False) -> None:
    """Add ``count`` apps to ``chart``, each with a NetworkPolicy if ``network_policy``."""
    with warnings.catch_warnings():
        # Every SecretEnv with local values warns that they land in the
        # manifests. Here they are placeholders and the warning is expected.
        warnings.simplefilter("ignore", SecretInManifestWarning)
        for index in range(count):
            name = app_name(index)
            # The Deployment reads the Secret's keys, so the Secret comes first.
            secret = SecretEnv(
                chart,
                f"{name}-secret",
                name=secret_name(index),
                keys=list(SECRET_KEYS),
                source=_secret_source(index),
                # SecretEnv sets app.kubernetes.io/managed-by itself.
                labels={
                    key: value
                    for key, value in recommended_labels(name).items()
                    if key != "app.kubernetes.io/managed-by"
                },
            )
            web = StatelessApp(
                chart,
                name,
                name=name,
                image=IMAGE,
                env_from=[secret],
                network_policy=network_policy,
            )
            ExposedService(
                chart,
                f"{name}-svc",
                app=web,
                name=name,
                ports=[ServicePort("http", port=SERVICE_PORT)],
            )


def add_apps_with_policies(chart: Chart, count: int) -> None:
    """Add ``count`` apps to ``chart`` with the library's default NetworkPolicy each."""
    add_apps(chart, count, network_policy=True)


def build(count: int, outdir: Path, *, network_policy: bool = False) -> None:
    """Synthesize ``count`` apps into ``outdir`` through the safe YAML writer."""
    app = App(outdir=str(outdir))
    chart = Chart(app, CHART_ID, disable_resource_name_hashes=True)
    add_apps(chart, count, network_policy=network_policy)
    synth_app(app)
