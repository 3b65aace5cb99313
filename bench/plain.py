"""The PyYAML baseline: each app's manifests as plain dicts, dumped with PyYAML.

The dicts equal what the library variant synthesizes, field for field, so the
baseline does the same serialization work with no cdk8s, jsii or Node.js.
The runner checks that equality on every matrix run. The dump uses libyaml's
C emitter when PyYAML was built with it, which is about five times faster than
PyYAML's pure-Python emitter on these documents, so the baseline is the
fastest plain PyYAML dump.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bench.workload import (
    CHART_ID,
    CONTAINER_PORT,
    IMAGE,
    SERVICE_PORT,
    app_name,
    recommended_labels,
    secret_data,
    secret_env_entries,
    secret_name,
)

Manifest = dict[str, Any]

DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""libyaml's C emitter, or PyYAML's pure-Python one where libyaml is missing."""


def _probe() -> Manifest:
    return {
        "httpGet": {"path": "/", "port": "http"},
        "periodSeconds": 10,
        "timeoutSeconds": 1,
        "failureThreshold": 3,
    }


def deployment(index: int) -> Manifest:
    """Return the Deployment of app ``index``."""
    name = app_name(index)
    labels = recommended_labels(name)
    selector = {"app.kubernetes.io/name": name, "app.kubernetes.io/instance": name}
    container = {
        "name": name,
        "image": IMAGE,
        "imagePullPolicy": "IfNotPresent",
        "ports": [{"name": "http", "containerPort": CONTAINER_PORT, "protocol": "TCP"}],
        "env": secret_env_entries(index),
        "resources": {
            "limits": {"cpu": "500m", "memory": "128Mi"},
            "requests": {"cpu": "50m", "memory": "64Mi"},
        },
        "readinessProbe": _probe(),
        "livenessProbe": _probe(),
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "capabilities": {"drop": ["ALL"]},
            "privileged": False,
            "readOnlyRootFilesystem": True,
            "runAsNonRoot": True,
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"labels": labels, "name": name},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": selector},
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0},
            },
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "automountServiceAccountToken": False,
                    "containers": [container],
                    "securityContext": {
                        "runAsNonRoot": True,
                        "seccompProfile": {"type": "RuntimeDefault"},
                    },
                    "volumes": [{"name": "tmp", "emptyDir": {}}],
                },
            },
        },
    }


def service(index: int) -> Manifest:
    """Return the ClusterIP Service of app ``index``."""
    name = app_name(index)
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"labels": recommended_labels(name), "name": name},
        "spec": {
            "type": "ClusterIP",
            "selector": {"app.kubernetes.io/name": name, "app.kubernetes.io/instance": name},
            "ports": [
                {"name": "http", "port": SERVICE_PORT, "targetPort": "http", "protocol": "TCP"}
            ],
        },
    }


def secret(index: int) -> Manifest:
    """Return the Secret of app ``index``, with base64-encoded placeholder values."""
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"labels": recommended_labels(app_name(index)), "name": secret_name(index)},
        "type": "Opaque",
        "data": secret_data(index),
    }


def build(count: int, outdir: Path) -> None:
    """Write ``count`` apps to ``outdir/bench.k8s.yaml`` in the library's object order."""
    documents: list[Manifest] = []
    for index in range(count):
        documents.extend((secret(index), deployment(index), service(index)))
    outdir.mkdir(parents=True, exist_ok=True)
    with (outdir / f"{CHART_ID}.k8s.yaml").open("w", encoding="utf-8") as stream:
        stream.write(yaml.dump_all(documents, Dumper=DUMPER, sort_keys=False))
