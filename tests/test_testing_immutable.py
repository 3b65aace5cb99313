"""constructs_lib.testing immutable-field check against a previous output."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from cdk8s import App, Chart

from constructs_lib import StatelessApp
from constructs_lib.testing import (
    assert_immutable_fields_unchanged,
    immutable_field_changes,
    synth_yaml,
)


def statefulset(**spec: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "serviceName": "db-headless",
        "selector": {"matchLabels": {"app.kubernetes.io/name": "db"}},
        "replicas": 1,
        "volumeClaimTemplates": [
            {
                "metadata": {"name": "data"},
                "spec": {
                    "accessModes": ["ReadWriteOnce"],
                    "resources": {"requests": {"storage": "1Gi"}},
                },
            }
        ],
        "template": {"spec": {"containers": [{"name": "db", "image": "postgres:17.2"}]}},
    }
    base.update(spec)
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "db"},
        "spec": base,
    }


def as_yaml(*manifests: dict[str, Any]) -> str:
    return yaml.safe_dump_all(manifests)


def test_unchanged_output_passes() -> None:
    text = as_yaml(statefulset())
    assert_immutable_fields_unchanged(text, text)


def test_mutable_fields_may_change() -> None:
    after = statefulset(replicas=3)
    after["spec"]["template"]["spec"]["containers"][0]["image"] = "postgres:17.3"
    assert_immutable_fields_unchanged(as_yaml(statefulset()), [after])


def test_changed_claim_size_names_leaf() -> None:
    after = statefulset()
    after["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]["storage"] = "5Gi"
    with pytest.raises(AssertionError) as caught:
        assert_immutable_fields_unchanged(as_yaml(statefulset()), [after])
    message = str(caught.value)
    assert (
        "StatefulSet/db: spec.volumeClaimTemplates[0].spec.resources.requests.storage "
        "changed from '1Gi' to '5Gi'" in message
    )
    assert message.startswith("1 immutable field(s) changed")


def test_added_claim_template_is_reported() -> None:
    before = statefulset()
    after = statefulset()
    extra = copy.deepcopy(after["spec"]["volumeClaimTemplates"][0])
    extra["metadata"]["name"] = "wal"
    after["spec"]["volumeClaimTemplates"].append(extra)
    changes = immutable_field_changes(as_yaml(before), [after])
    assert len(changes) == 1
    assert changes[0].startswith("StatefulSet/db: spec.volumeClaimTemplates changed from [")


def test_changed_selector_label_is_quoted_path() -> None:
    after = statefulset(selector={"matchLabels": {"app.kubernetes.io/name": "postgres"}})
    changes = immutable_field_changes(as_yaml(statefulset()), [after])
    assert changes == [
        "StatefulSet/db: spec.selector.matchLabels['app.kubernetes.io/name'] "
        "changed from 'db' to 'postgres'"
    ]


def test_service_name_and_policy_checked() -> None:
    after = statefulset(serviceName="db", podManagementPolicy="Parallel")
    changes = immutable_field_changes(as_yaml(statefulset()), [after])
    assert changes == [
        "StatefulSet/db: spec.serviceName changed from 'db-headless' to 'db'",
        "StatefulSet/db: spec.podManagementPolicy was added: 'Parallel'",
    ]


def test_added_selector_label_is_reported() -> None:
    before: dict[str, Any] = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "shop"},
        "spec": {"selector": {"matchLabels": {"app": "web"}}},
    }
    after = copy.deepcopy(before)
    after["spec"]["selector"]["matchLabels"]["version"] = "2"
    changes = immutable_field_changes(as_yaml(before), [after])
    assert changes == ["Deployment/shop/web: spec.selector.matchLabels.version was added: '2'"]


def test_job_template_is_immutable() -> None:
    job: dict[str, Any] = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "migrate"},
        "spec": {"template": {"spec": {"containers": [{"name": "m", "image": "app:1"}]}}},
    }
    after = copy.deepcopy(job)
    after["spec"]["template"]["spec"]["containers"][0]["image"] = "app:2"
    changes = immutable_field_changes(as_yaml(job), [after])
    assert changes == [
        "Job/migrate: spec.template.spec.containers[0].image changed from 'app:1' to 'app:2'"
    ]


def test_new_and_removed_objects_are_ignored() -> None:
    renamed = statefulset()
    renamed["metadata"]["name"] = "db2"
    assert immutable_field_changes(as_yaml(statefulset()), [renamed]) == []


def test_other_namespace_is_another_object() -> None:
    moved = statefulset(serviceName="other")
    moved["metadata"]["namespace"] = "prod"
    assert immutable_field_changes(as_yaml(statefulset()), [moved]) == []


def test_custom_fields_table() -> None:
    after = statefulset(replicas=5)
    fields = {"StatefulSet": ("spec.replicas",)}
    changes = immutable_field_changes(as_yaml(statefulset()), [after], fields)
    assert changes == ["StatefulSet/db: spec.replicas changed from 1 to 5"]


def test_chart_image_bump_keeps_selector(app: App) -> None:
    before = Chart(app, "before", disable_resource_name_hashes=True)
    after = Chart(app, "after", disable_resource_name_hashes=True)
    StatelessApp(before, "web", name="web", image="ghcr.io/example/web:1.0.0")
    StatelessApp(after, "web", name="web", image="ghcr.io/example/web:2.0.0", replicas=5)
    assert_immutable_fields_unchanged(synth_yaml(before), synth_yaml(after))


def test_chart_instance_change_is_caught(app: App) -> None:
    before = Chart(app, "before", disable_resource_name_hashes=True)
    after = Chart(app, "after", disable_resource_name_hashes=True)
    StatelessApp(before, "web", name="web", image="ghcr.io/example/web:1.0.0")
    StatelessApp(after, "web", name="web", image="ghcr.io/example/web:1.0.0", instance="blue")
    with pytest.raises(AssertionError, match=r"Deployment/web: spec\.selector\.matchLabels"):
        assert_immutable_fields_unchanged(synth_yaml(before), synth_yaml(after))
