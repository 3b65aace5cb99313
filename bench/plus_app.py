"""The cdk8s-plus variant: cdk8s-plus-33's Deployment, Service and Secret from Python.

It describes the same app with cdk8s-plus's own high-level classes, so its
manifests differ in detail (cdk8s-plus adds its own labels and defaults), but
it emits the same objects: one Secret, Deployment and Service per app.
"""

from __future__ import annotations

from pathlib import Path

import cdk8s_plus_33 as kplus
from cdk8s import ApiObjectMetadata, App, Chart, Size

from bench.workload import (
    CHART_ID,
    CONTAINER_PORT,
    IMAGE,
    SECRET_KEYS,
    SERVICE_PORT,
    app_name,
    placeholder_values,
    secret_name,
)


def add_apps(chart: Chart, count: int) -> None:
    """Add ``count`` apps to ``chart``."""
    for index in range(count):
        name = app_name(index)
        secret = kplus.Secret(
            chart,
            f"{name}-secret",
            metadata=ApiObjectMetadata(name=secret_name(index)),
            type="Opaque",
            string_data=placeholder_values(index),
        )
        env = {
            key: kplus.EnvValue.from_secret_value(kplus.SecretValue(secret=secret, key=key))
            for key in SECRET_KEYS
        }
        deployment = kplus.Deployment(
            chart,
            name,
            metadata=ApiObjectMetadata(name=name),
            replicas=2,
            automount_service_account_token=False,
            containers=[
                kplus.ContainerProps(
                    name=name,
                    image=IMAGE,
                    ports=[kplus.ContainerPort(number=CONTAINER_PORT, name="http")],
                    env_variables=env,
                    readiness=kplus.Probe.from_http_get("/", port=CONTAINER_PORT),
                    liveness=kplus.Probe.from_http_get("/", port=CONTAINER_PORT),
                    resources=kplus.ContainerResources(
                        cpu=kplus.CpuResources(
                            request=kplus.Cpu.millis(50), limit=kplus.Cpu.millis(500)
                        ),
                        memory=kplus.MemoryResources(
                            request=Size.mebibytes(64), limit=Size.mebibytes(128)
                        ),
                    ),
                )
            ],
        )
        kplus.Service(
            chart,
            f"{name}-svc",
            metadata=ApiObjectMetadata(name=name),
            selector=deployment,
            ports=[kplus.ServicePort(port=SERVICE_PORT, target_port=CONTAINER_PORT, name="http")],
        )


def build(count: int, outdir: Path) -> None:
    """Synthesize ``count`` apps into ``outdir``."""
    app = App(outdir=str(outdir))
    chart = Chart(app, CHART_ID, disable_resource_name_hashes=True)
    add_apps(chart, count)
    app.synth()
