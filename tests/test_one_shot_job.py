"""OneShotJob: the Job it renders, its wait steps, and the props it rejects."""

from __future__ import annotations

from typing import Any

import pytest
from cdk8s import App, Chart

from constructs_lib import Image, InvalidPropError, OneShotJob, SecretEnv, WaitStep, WiringError
from constructs_lib.testing import synth_manifests
from tests.schema import schema_errors

IMAGE = "ghcr.io/example/web:1.4.2"
WAIT = WaitStep(
    name="wait-for-db",
    image=Image.parse("postgres:17.2-bookworm"),
    command=("sh", "-c", "until pg_isready -h db; do sleep 2; done"),
    env=({"name": "PGUSER", "value": "app"},),
    run_as_user=999,
)


def job(chart: Chart, **props: Any) -> OneShotJob:
    arguments: dict[str, Any] = {
        "name": "migrate-1-4-2",
        "image": IMAGE,
        "command": ["python", "manage.py", "migrate", "--noinput"],
        **props,
    }
    return OneShotJob(chart, "migrate", **arguments)


def job_of(chart: Chart) -> dict[str, Any]:
    (manifest,) = [m for m in synth_manifests(chart) if m["kind"] == "Job"]
    return manifest


def test_defaults_render_job(chart: Chart) -> None:
    job(chart)
    manifest = job_of(chart)
    spec = manifest["spec"]
    pod = spec["template"]["spec"]
    assert manifest["metadata"]["name"] == "migrate-1-4-2"
    assert spec["backoffLimit"] == 4
    assert spec["activeDeadlineSeconds"] == 1800
    assert spec["ttlSecondsAfterFinished"] == 86400
    assert "selector" not in spec
    assert pod["restartPolicy"] == "Never"
    assert pod["containers"][0]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert "initContainers" not in pod


def test_ttl_none_keeps_finished_job(chart: Chart) -> None:
    job(chart, ttl_seconds_after_finished=None)
    assert "ttlSecondsAfterFinished" not in job_of(chart)["spec"]


def test_wait_steps_become_init_containers(chart: Chart) -> None:
    job(chart, wait_for=[WAIT])
    pod = job_of(chart)["spec"]["template"]["spec"]
    (init,) = pod["initContainers"]
    assert init["name"] == "wait-for-db"
    assert init["image"] == "postgres:17.2-bookworm"
    assert init["command"] == list(WAIT.command)
    assert init["env"] == [{"name": "PGUSER", "value": "app"}]
    assert init["resources"]["limits"] == {"cpu": "100m", "memory": "64Mi"}


def test_init_container_is_restricted(chart: Chart) -> None:
    job(chart, wait_for=[WAIT], run_as_user=1000)
    pod = job_of(chart)["spec"]["template"]["spec"]
    context = pod["initContainers"][0]["securityContext"]
    assert context["runAsUser"] == 999
    assert context["runAsGroup"] == 999
    assert context["runAsNonRoot"] is True
    assert context["allowPrivilegeEscalation"] is False
    assert context["capabilities"] == {"drop": ["ALL"]}
    assert context["readOnlyRootFilesystem"] is True
    assert context["seccompProfile"] == {"type": "RuntimeDefault"}
    assert pod["securityContext"]["runAsUser"] == 1000
    assert "runAsUser" not in pod["containers"][0]["securityContext"]


def test_labels_use_stable_app_name(chart: Chart) -> None:
    created = job(chart, app_name="migrate", component="migration")
    labels = job_of(chart)["spec"]["template"]["metadata"]["labels"]
    assert labels["app.kubernetes.io/name"] == "migrate"
    assert labels["app.kubernetes.io/component"] == "migration"
    assert labels["app.kubernetes.io/version"] == "1.4.2"
    assert created.selector == {
        "app.kubernetes.io/name": "migrate",
        "app.kubernetes.io/instance": "migrate",
    }


def test_policy_named_after_app_name(chart: Chart) -> None:
    job(chart, app_name="migrate")
    kinds = [(m["kind"], m["metadata"]["name"]) for m in synth_manifests(chart)]
    assert kinds == [("NetworkPolicy", "migrate"), ("Job", "migrate-1-4-2")]


def test_policy_admits_nothing(chart: Chart) -> None:
    job(chart)
    (policy,) = [m for m in synth_manifests(chart) if m["kind"] == "NetworkPolicy"]
    assert policy["spec"]["policyTypes"] == ["Ingress", "Egress"]
    assert policy["spec"]["ingress"] == []


def test_app_name_needs_dns_label_only_with_policy(chart: Chart) -> None:
    job(chart, app_name="Migrate_Schema", network_policy=False)
    (manifest,) = synth_manifests(chart)
    assert manifest["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/name"] == (
        "Migrate_Schema"
    )


def test_env_and_env_from_in_order(chart: Chart) -> None:
    job(chart, env={"A": "1"}, env_from=[FixedEnv()])
    names = [
        entry["name"] for entry in job_of(chart)["spec"]["template"]["spec"]["containers"][0]["env"]
    ]
    assert names == ["A", "B"]


class FixedEnv:
    def env_entries(self) -> list[dict[str, Any]]:
        return [{"name": "B", "value": "2"}]


def test_job_passes_strict_schema(chart: Chart) -> None:
    job(chart, wait_for=[WAIT], run_as_user=1000)
    assert schema_errors(synth_manifests(chart)) == []


@pytest.mark.parametrize(
    ("props", "prop", "fragment"),
    [
        ({"name": "m" * 64}, "name", "no more than 63"),
        ({"name": "Migrate"}, "name", "lower case"),
        ({"image": "web:latest"}, "image", "moves"),
        ({"command": []}, "command", "non-empty"),
        ({"command": "migrate"}, "command", "non-empty"),
        ({"backoff_limit": -1}, "backoff_limit", "between 0 and"),
        ({"active_deadline_seconds": 0}, "active_deadline_seconds", "between 1 and"),
        ({"ttl_seconds_after_finished": -5}, "ttl_seconds_after_finished", "between 0 and"),
        ({"wait_for": ["pg_isready"]}, "wait_for[0]", "must be a WaitStep"),
        ({"wait_for": [WAIT, WAIT]}, "wait_for[1].name", "already the name"),
        (
            {"wait_for": [WaitStep("migrate-1-4-2", WAIT.image, ("true",))]},
            "wait_for[0].name",
            "already",
        ),
        ({"wait_for": [WaitStep("Wait", WAIT.image, ("true",))]}, "wait_for[0].name", "lower case"),
        ({"env": {"db-url": "x"}}, "env", "C identifier"),
        ({"writable_paths": ["tmp"]}, "writable_paths", "absolute"),
        ({"app_name": "Migrate_Schema"}, "app_name", "lower case"),
        ({"network_policy": "yes"}, "network_policy", "True, False or a NetworkPolicySettings"),
        ({"run_as_user": -1}, "run_as_user", "between 0 and"),
        ({"run_as_user": 0}, "run_as_user", "root"),
        ({"run_as_group": 2**31}, "run_as_group", "between 0 and"),
        ({"args": "--noinput"}, "args", "must be a list"),
        ({"app_name": "a" * 64, "network_policy": False}, "app_name", "63"),
        ({"app_name": "a" * 64}, "app_name", "63"),
        ({"labels": {"app.kubernetes.io/instance": "x"}}, "labels", "set app_name instead"),
        ({"labels": {"app.kubernetes.io/name": "x"}}, "labels", "set app_name instead"),
        ({"labels": {"app.kubernetes.io/component": "x"}}, "labels", "set component instead"),
        ({"component": "a b"}, "component", "alphanumeric"),
        ({"writable_paths": "/tmp"}, "writable_paths", "must be a list"),
        ({"wait_for": WAIT}, "wait_for", "must be a list"),
        ({"env_from": FixedEnv()}, "env_from", "must be a list"),
        ({"env": ["A"]}, "env", "must be a mapping"),
        (
            {"wait_for": [WaitStep("wait", WAIT.image, "true")]},  # type: ignore[arg-type]
            "wait_for[0].command",
            "must be a list",
        ),
    ],
)
def test_bad_prop_raises_clear_error(
    chart: Chart, props: dict[str, Any], prop: str, fragment: str
) -> None:
    with pytest.raises(InvalidPropError) as caught:
        job(chart, **props)
    error = caught.value
    assert error.construct == "OneShotJob"
    assert error.path == "test/migrate"
    assert error.prop == prop
    assert fragment in str(error)
    assert error.fix
    assert synth_manifests(chart) == []


def test_secret_env_from_other_namespace(app: App) -> None:
    secrets = Chart(app, "secrets", namespace="a", disable_resource_name_hashes=True)
    jobs = Chart(app, "jobs", namespace="b", disable_resource_name_hashes=True)
    secret = SecretEnv(secrets, "db", name="db", keys=["password"])
    with pytest.raises(WiringError, match="env_from\\[1\\] is SecretEnv 'db' in namespace 'a'"):
        job(jobs, env_from=[FixedEnv(), secret])
    assert synth_manifests(jobs) == []
