"""constructs_lib.testing workload checks: probes, resources and non-root, per pod template."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from cdk8s import Chart

from constructs_lib import StatelessApp
from constructs_lib.testing import (
    assert_probes,
    assert_resources,
    assert_runs_as_non_root,
    assert_workload_basics,
    synth_manifests,
)

RESOURCES = {
    "requests": {"cpu": "50m", "memory": "64Mi"},
    "limits": {"cpu": "500m", "memory": "128Mi"},
}
PROBE = {"httpGet": {"path": "/", "port": "http"}}


def container(name: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": name,
        "image": "ghcr.io/example/app:1.0.0",
        "resources": copy.deepcopy(RESOURCES),
        "readinessProbe": PROBE,
        "livenessProbe": PROBE,
        "securityContext": {"runAsNonRoot": True},
    }
    base.update(fields)
    return {key: value for key, value in base.items() if value is not None}


def pod_spec(*containers: dict[str, Any], init: list[dict[str, Any]] | None = None) -> Any:
    spec: dict[str, Any] = {"containers": list(containers)}
    if init is not None:
        spec["initContainers"] = init
    return spec


def workload(kind: str, name: str, spec: dict[str, Any]) -> dict[str, Any]:
    """Wrap a pod spec the way ``kind`` nests it."""
    if kind == "Pod":
        body: dict[str, Any] = spec
    elif kind == "CronJob":
        body = {"schedule": "0 * * * *", "jobTemplate": {"spec": {"template": {"spec": spec}}}}
    else:
        body = {"template": {"spec": spec}}
    return {"apiVersion": "v1", "kind": kind, "metadata": {"name": name}, "spec": body}


def test_complete_workloads_pass() -> None:
    manifests = [
        workload(kind, "app", pod_spec(container("app")))
        for kind in ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob")
    ]
    assert_workload_basics(manifests)


@pytest.mark.parametrize("kind", ["Deployment", "StatefulSet", "DaemonSet"])
def test_missing_readiness_probe_names_field(kind: str) -> None:
    manifest = workload(kind, "web", pod_spec(container("web", readinessProbe=None)))
    with pytest.raises(AssertionError) as caught:
        assert_probes([manifest])
    message = str(caught.value)
    assert f"{kind}/web container 'web': missing readinessProbe" in message
    assert "spec.template.spec.containers[0].readinessProbe" in message
    assert "livenessProbe" not in message


def test_missing_liveness_probe_names_field() -> None:
    manifest = workload("Deployment", "web", pod_spec(container("web", livenessProbe=None)))
    with pytest.raises(AssertionError, match=r"Deployment/web container 'web': missing liveness"):
        assert_probes([manifest])


@pytest.mark.parametrize("kind", ["Job", "CronJob"])
def test_jobs_need_no_probes(kind: str) -> None:
    bare = container("task", readinessProbe=None, livenessProbe=None)
    assert_probes([workload(kind, "migrate", pod_spec(bare))])


def test_bare_pod_that_completes_needs_no_probes() -> None:
    spec = pod_spec(container("task", readinessProbe=None, livenessProbe=None))
    spec["restartPolicy"] = "Never"
    assert_probes([workload("Pod", "once", spec)])


def test_plain_init_container_needs_no_probes() -> None:
    init = container("wait", readinessProbe=None, livenessProbe=None)
    assert_probes([workload("Deployment", "web", pod_spec(container("web"), init=[init]))])


def test_sidecar_init_container_needs_probes() -> None:
    sidecar = container("proxy", readinessProbe=None, restartPolicy="Always")
    manifest = workload("Deployment", "web", pod_spec(container("web"), init=[sidecar]))
    with pytest.raises(AssertionError) as caught:
        assert_probes([manifest])
    message = str(caught.value)
    assert "Deployment/web init container 'proxy': missing readinessProbe" in message
    assert "spec.template.spec.initContainers[0].readinessProbe" in message


def test_namespace_appears_in_message() -> None:
    manifest = workload("Deployment", "web", pod_spec(container("web", readinessProbe=None)))
    manifest["metadata"]["namespace"] = "shop"
    with pytest.raises(AssertionError, match=r"Deployment/shop/web container 'web'"):
        assert_probes([manifest])


def test_missing_memory_limit_names_field() -> None:
    resources = {"requests": RESOURCES["requests"], "limits": {"cpu": "500m"}}
    manifest = workload("StatefulSet", "db", pod_spec(container("db", resources=resources)))
    with pytest.raises(AssertionError) as caught:
        assert_resources([manifest])
    message = str(caught.value)
    assert "StatefulSet/db container 'db': missing resources.limits.memory" in message
    assert "spec.template.spec.containers[0].resources.limits.memory" in message
    assert "limits.cpu" not in message


def test_job_init_container_needs_resources() -> None:
    init = container("wait-for-db", resources=None)
    manifest = workload("Job", "migrate", pod_spec(container("migrate"), init=[init]))
    with pytest.raises(AssertionError) as caught:
        assert_resources([manifest])
    message = str(caught.value)
    assert "Job/migrate init container 'wait-for-db': missing resources.requests.cpu" in message
    assert message.count("wait-for-db") == 4


def test_required_resources_can_be_narrowed() -> None:
    resources = {"requests": {"cpu": "50m", "memory": "64Mi"}, "limits": {"memory": "128Mi"}}
    manifest = workload("Deployment", "web", pod_spec(container("web", resources=resources)))
    assert_resources([manifest], required=("requests.cpu", "requests.memory", "limits.memory"))
    with pytest.raises(AssertionError, match=r"limits\.cpu"):
        assert_resources([manifest])


def test_pod_level_non_root_is_enough() -> None:
    spec = pod_spec(container("web", securityContext={}))
    spec["securityContext"] = {"runAsNonRoot": True}
    assert_runs_as_non_root([workload("Deployment", "web", spec)])


def test_missing_non_root_names_field() -> None:
    manifest = workload("Deployment", "web", pod_spec(container("web", securityContext=None)))
    with pytest.raises(AssertionError) as caught:
        assert_runs_as_non_root([manifest])
    message = str(caught.value)
    assert "Deployment/web container 'web': runAsNonRoot is None, not true" in message
    assert "at spec.template.spec.securityContext.runAsNonRoot" in message


def test_container_overrides_pod_non_root() -> None:
    spec = pod_spec(container("web", securityContext={"runAsNonRoot": False}))
    spec["securityContext"] = {"runAsNonRoot": True}
    with pytest.raises(AssertionError) as caught:
        assert_runs_as_non_root([workload("Deployment", "web", spec)])
    message = str(caught.value)
    assert "runAsNonRoot is False" in message
    assert "spec.template.spec.containers[0].securityContext.runAsNonRoot" in message


def test_root_user_is_reported() -> None:
    context = {"runAsNonRoot": True, "runAsUser": 0}
    init = container("chown", securityContext=context)
    manifest = workload("Job", "fix", pod_spec(container("fix"), init=[init]))
    with pytest.raises(AssertionError, match=r"Job/fix init container 'chown': runAsUser is 0"):
        assert_runs_as_non_root([manifest])


def test_basics_report_every_problem_together() -> None:
    bad = container("web", readinessProbe=None, resources=None, securityContext=None)
    with pytest.raises(AssertionError) as caught:
        assert_workload_basics([workload("Deployment", "web", pod_spec(bad))])
    message = str(caught.value)
    assert "missing readinessProbe" in message
    assert "missing resources.limits.memory" in message
    assert "runAsNonRoot is None" in message
    assert "6 field(s)" in message


def test_stateless_app_defaults_pass(chart: Chart) -> None:
    StatelessApp(chart, "web", name="web", image="ghcr.io/example/web:1.4.2")
    assert_workload_basics(synth_manifests(chart))


def test_stateless_app_without_probes_fails(chart: Chart) -> None:
    StatelessApp(
        chart,
        "web",
        name="web",
        image="ghcr.io/example/web:1.4.2",
        readiness_probe=None,
        resources=None,
    )
    manifests = synth_manifests(chart)
    with pytest.raises(AssertionError, match=r"Deployment/web container 'web': missing readiness"):
        assert_probes(manifests)
    with pytest.raises(AssertionError, match=r"missing resources\.requests\.cpu"):
        assert_resources(manifests)
