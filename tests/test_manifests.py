"""constructs_lib.manifests: pod templates of every workload kind, and label selectors."""

from __future__ import annotations

from typing import Any

import pytest

from constructs_lib.manifests import object_name, pod_templates, selector_matches
from tests.test_testing_workloads import container, pod_spec, workload


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        ("Deployment", "spec.template.spec"),
        ("StatefulSet", "spec.template.spec"),
        ("DaemonSet", "spec.template.spec"),
        ("Job", "spec.template.spec"),
        ("CronJob", "spec.jobTemplate.spec.template.spec"),
        ("Pod", "spec"),
    ],
)
def test_pod_templates_finds_each_kind(kind: str, path: str) -> None:
    found = list(pod_templates([workload(kind, "app", pod_spec(container("app")))]))
    assert len(found) == 1
    assert found[0].path == path
    assert found[0].spec["containers"][0]["name"] == "app"


def test_pod_templates_skips_other_kinds() -> None:
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {}}
    assert list(pod_templates([service])) == []


def test_pod_template_carries_pod_labels() -> None:
    manifest = workload("Deployment", "web", pod_spec(container("web")))
    manifest["spec"]["template"]["metadata"] = {"labels": {"app": "web"}}
    manifest["metadata"]["namespace"] = "shop"
    template = next(pod_templates([manifest]))
    assert template.labels == {"app": "web"}
    assert template.object_name == "Deployment/shop/web"
    assert template.long_running is True


@pytest.mark.parametrize(
    ("kind", "restart_policy", "expected"),
    [
        ("Pod", None, True),
        ("Pod", "Never", False),
        ("Pod", "OnFailure", False),
        ("Job", None, False),
        ("CronJob", None, False),
        ("StatefulSet", None, True),
    ],
)
def test_long_running_by_kind(kind: str, restart_policy: str | None, expected: bool) -> None:
    spec = pod_spec(container("app"))
    if restart_policy is not None:
        spec["restartPolicy"] = restart_policy
    assert next(pod_templates([workload(kind, "app", spec)])).long_running is expected


def test_containers_lists_init_first() -> None:
    spec = pod_spec(container("main"), init=[container("setup")])
    paths = [path for path, _ in next(pod_templates([workload("Job", "j", spec)])).containers()]
    assert paths == ["spec.template.spec.initContainers[0]", "spec.template.spec.containers[0]"]


def test_object_name_with_and_without_namespace() -> None:
    assert object_name("Service", "web") == "Service/web"
    assert object_name("Service", "web", "shop") == "Service/shop/web"


LABELS = {"app": "web", "tier": "frontend"}


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ({}, True),
        (None, False),
        ({"matchLabels": {"app": "web"}}, True),
        ({"matchLabels": {"app": "api"}}, False),
        ({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["frontend"]}]}, True),
        ({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["backend"]}]}, False),
        ({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["backend"]}]}, True),
        ({"matchExpressions": [{"key": "zone", "operator": "NotIn", "values": ["a"]}]}, True),
        ({"matchExpressions": [{"key": "app", "operator": "Exists"}]}, True),
        ({"matchExpressions": [{"key": "zone", "operator": "Exists"}]}, False),
        ({"matchExpressions": [{"key": "zone", "operator": "DoesNotExist"}]}, True),
        ({"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]}, False),
        ({"matchExpressions": [{"key": "app", "operator": "Matches"}]}, False),
        (
            {
                "matchLabels": {"app": "web"},
                "matchExpressions": [{"key": "tier", "operator": "In", "values": ["backend"]}],
            },
            False,
        ),
    ],
)
def test_selector_matches(selector: dict[str, Any] | None, expected: bool) -> None:
    assert selector_matches(selector, LABELS) is expected
