"""StatefulDatabase: the StatefulSet, Services and budget it renders, and the props it rejects."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from cdk8s import App, Chart

from constructs_lib import (
    AccessMode,
    DisruptionPolicy,
    InvalidPropError,
    MinioEngine,
    PostgresEngine,
    SecretEnv,
    SecretKey,
    StatefulDatabase,
    Storage,
    WiringError,
    validation,
)
from constructs_lib.connections import PostgresConnection
from constructs_lib.testing import synth_manifests
from tests.schema import schema_errors


def postgres(chart: Chart, **props: Any) -> StatefulDatabase[PostgresConnection]:
    secret = SecretEnv(chart, "db-secret", name="db", keys=["username", "password"])
    arguments: dict[str, Any] = {
        "name": "db",
        "engine": PostgresEngine(database="comic"),
        "credentials": secret,
        **props,
    }
    return StatefulDatabase(chart, "db", **arguments)


def objects(chart: Chart) -> dict[tuple[str, str], dict[str, Any]]:
    return {(m["kind"], m["metadata"]["name"]): m for m in synth_manifests(chart)}


def pod_of(chart: Chart, name: str = "db") -> dict[str, Any]:
    spec: dict[str, Any] = objects(chart)[("StatefulSet", name)]["spec"]["template"]["spec"]
    return spec


def test_emits_policy_statefulset_services_and_budget(chart: Chart) -> None:
    postgres(chart)
    assert list(objects(chart)) == [
        ("NetworkPolicy", "db"),
        ("StatefulSet", "db"),
        ("Service", "db-headless"),
        ("Service", "db"),
        ("PodDisruptionBudget", "db"),
    ]


def test_governing_service_is_headless(chart: Chart) -> None:
    postgres(chart)
    found = objects(chart)
    statefulset = found[("StatefulSet", "db")]
    headless = found[("Service", statefulset["spec"]["serviceName"])]
    assert headless["spec"]["clusterIP"] == "None"
    assert headless["spec"]["publishNotReadyAddresses"] is True
    assert headless["spec"]["selector"] == statefulset["spec"]["selector"]["matchLabels"]


def test_client_service_is_cluster_ip(chart: Chart) -> None:
    postgres(chart)
    client = objects(chart)[("Service", "db")]
    assert client["spec"]["type"] == "ClusterIP"
    assert "clusterIP" not in client["spec"]
    assert client["spec"]["ports"] == [
        {"name": "postgres", "port": 5432, "targetPort": "postgres", "protocol": "TCP"}
    ]


def test_claim_template_has_storage(chart: Chart) -> None:
    storage = Storage(
        size="5Gi", storage_class="fast-ssd", access_mode=AccessMode.READ_WRITE_ONCE_POD
    )
    postgres(chart, storage=storage)
    statefulset = objects(chart)[("StatefulSet", "db")]
    (template,) = statefulset["spec"]["volumeClaimTemplates"]
    assert template["metadata"]["name"] == "data"
    assert template["spec"]["accessModes"] == ["ReadWriteOncePod"]
    assert template["spec"]["storageClassName"] == "fast-ssd"
    assert template["spec"]["resources"] == {"requests": {"storage": "5Gi"}}
    assert statefulset["spec"]["persistentVolumeClaimRetentionPolicy"] == {
        "whenDeleted": "Retain",
        "whenScaled": "Retain",
    }


def test_default_storage_uses_default_class(chart: Chart) -> None:
    postgres(chart)
    (template,) = objects(chart)[("StatefulSet", "db")]["spec"]["volumeClaimTemplates"]
    assert "storageClassName" not in template["spec"]
    assert template["spec"]["resources"] == {"requests": {"storage": "1Gi"}}
    assert template["spec"]["accessModes"] == ["ReadWriteOnce"]


def test_postgres_data_in_volume_subdirectory(chart: Chart) -> None:
    postgres(chart)
    container = pod_of(chart)["containers"][0]
    mounts = {mount["name"]: mount["mountPath"] for mount in container["volumeMounts"]}
    env = {entry["name"]: entry for entry in container["env"]}
    assert mounts["data"] == "/var/lib/postgresql/data"
    assert env["PGDATA"]["value"] == "/var/lib/postgresql/data/pgdata"
    assert env["PGDATA"]["value"].startswith(mounts["data"] + "/")


def test_postgres_credentials_from_secret(chart: Chart) -> None:
    postgres(chart)
    env = {entry["name"]: entry for entry in pod_of(chart)["containers"][0]["env"]}
    assert env["POSTGRES_USER"]["valueFrom"]["secretKeyRef"] == {"name": "db", "key": "username"}
    assert env["POSTGRES_PASSWORD"]["valueFrom"]["secretKeyRef"] == {
        "name": "db",
        "key": "password",
    }
    assert env["POSTGRES_DB"] == {"name": "POSTGRES_DB", "value": "comic"}


def test_postgres_writable_dirs_and_shm(chart: Chart) -> None:
    postgres(chart)
    pod = pod_of(chart)
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    mounts = {mount["mountPath"]: mount["name"] for mount in pod["containers"][0]["volumeMounts"]}
    assert volumes[mounts["/tmp"]]["emptyDir"] == {}
    assert volumes[mounts["/var/run/postgresql"]]["emptyDir"] == {}
    assert volumes[mounts["/dev/shm"]]["emptyDir"] == {"medium": "Memory", "sizeLimit": "256Mi"}


def test_postgres_runs_as_postgres_user(chart: Chart) -> None:
    postgres(chart)
    pod = pod_of(chart)
    context = pod["securityContext"]
    assert context["runAsUser"] == 999
    assert context["runAsGroup"] == 999
    assert context["fsGroup"] == 999
    assert context["fsGroupChangePolicy"] == "OnRootMismatch"
    assert context["runAsNonRoot"] is True
    assert context["seccompProfile"] == {"type": "RuntimeDefault"}
    assert pod["terminationGracePeriodSeconds"] == 60


def test_pod_is_restricted(chart: Chart) -> None:
    postgres(chart)
    container = pod_of(chart)["containers"][0]
    context = container["securityContext"]
    assert context["allowPrivilegeEscalation"] is False
    assert context["capabilities"] == {"drop": ["ALL"]}
    assert context["readOnlyRootFilesystem"] is True
    assert context["runAsNonRoot"] is True
    assert context["seccompProfile"] == {"type": "RuntimeDefault"}
    assert pod_of(chart)["automountServiceAccountToken"] is False


def test_postgres_probes_run_pg_isready(chart: Chart) -> None:
    postgres(chart)
    container = pod_of(chart)["containers"][0]
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        command = container[probe]["exec"]["command"]
        assert command[:2] == ["sh", "-c"]
        assert "pg_isready" in command[2]
        assert "-p 5432" in command[2]
    assert container["startupProbe"]["failureThreshold"] == 30


def test_image_is_pinned(chart: Chart) -> None:
    postgres(chart)
    container = pod_of(chart)["containers"][0]
    assert container["image"] == "postgres:17.2-bookworm"
    labels = objects(chart)[("StatefulSet", "db")]["metadata"]["labels"]
    assert labels["app.kubernetes.io/version"] == "17.2-bookworm"
    assert labels["app.kubernetes.io/component"] == "database"


def test_budget_allows_eviction_by_default(chart: Chart) -> None:
    postgres(chart)
    spec = objects(chart)[("PodDisruptionBudget", "db")]["spec"]
    assert spec["maxUnavailable"] == 1
    assert "minAvailable" not in spec
    assert spec["unhealthyPodEvictionPolicy"] == "AlwaysAllow"
    assert spec["selector"]["matchLabels"] == {
        "app.kubernetes.io/name": "db",
        "app.kubernetes.io/instance": "db",
    }


def test_budget_blocks_eviction(chart: Chart) -> None:
    postgres(chart, disruption=DisruptionPolicy.BLOCK_EVICTION)
    spec = objects(chart)[("PodDisruptionBudget", "db")]["spec"]
    assert spec["minAvailable"] == 1
    assert "maxUnavailable" not in spec


def test_minio_serves_subdirectory(chart: Chart) -> None:
    secret = SecretEnv(chart, "s", name="store", keys=["access-key", "secret-key"])
    StatefulDatabase(
        chart, "store", name="store", engine=MinioEngine(bucket="images"), credentials=secret
    )
    pod = pod_of(chart, "store")
    container = pod["containers"][0]
    mounts = {mount["name"]: mount["mountPath"] for mount in container["volumeMounts"]}
    env = {entry["name"]: entry["valueFrom"]["secretKeyRef"] for entry in container["env"]}
    assert mounts["data"] == "/export"
    assert container["args"][:2] == ["server", "/export/data"]
    assert "--certs-dir" in container["args"]
    assert env == {
        "MINIO_ROOT_USER": {"name": "store", "key": "access-key"},
        "MINIO_ROOT_PASSWORD": {"name": "store", "key": "secret-key"},
    }
    assert container["readinessProbe"]["httpGet"] == {"path": "/minio/health/ready", "port": "s3"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/minio/health/live", "port": "s3"}
    assert pod["securityContext"]["fsGroup"] == 1000


def test_endpoint_names_client_service(app: App) -> None:
    chart = Chart(app, "comic", namespace="comic-dev", disable_resource_name_hashes=True)
    database = postgres(chart)
    endpoint = database.endpoint
    assert endpoint.service == "db"
    assert endpoint.host == "db.comic-dev.svc"
    assert endpoint.port == 5432
    assert endpoint.target_port.name == "postgres"
    assert endpoint.selector == {"app.kubernetes.io/name": "db", "app.kubernetes.io/instance": "db"}


def test_endpoint_without_namespace_is_bare_name(chart: Chart) -> None:
    assert postgres(chart).endpoint.host == "db"


def test_endpoint_refers_to_policy(chart: Chart) -> None:
    database = postgres(chart)
    endpoint = database.endpoint
    assert database.network_policy is not None
    assert endpoint.policy is database.network_policy
    # The policy is a construct that the endpoint refers to, not part of its value.
    assert endpoint == dataclasses.replace(endpoint, policy=None)


def test_policy_denies_until_wired(chart: Chart) -> None:
    postgres(chart)
    spec = objects(chart)[("NetworkPolicy", "db")]["spec"]
    assert spec["podSelector"] == {
        "matchLabels": {"app.kubernetes.io/name": "db", "app.kubernetes.io/instance": "db"}
    }
    assert spec["policyTypes"] == ["Ingress", "Egress"]
    assert spec["ingress"] == []


def test_network_policy_false_emits_none(chart: Chart) -> None:
    database = postgres(chart, network_policy=False)
    kinds = [kind for kind, _ in objects(chart)]
    assert "NetworkPolicy" not in kinds
    assert database.network_policy is None
    assert database.endpoint.policy is None


def test_longest_name_fits_limits(chart: Chart) -> None:
    name = "d" * 52
    postgres(chart, name=name)
    statefulset = objects(chart)[("StatefulSet", name)]
    assert statefulset["spec"]["serviceName"] == name + "-headless"


def test_objects_pass_strict_schema(chart: Chart) -> None:
    postgres(chart, storage=Storage(storage_class="standard"))
    secret = SecretEnv(chart, "s", name="store", keys=["access-key", "secret-key"])
    StatefulDatabase(chart, "store", name="store", engine=MinioEngine(), credentials=secret)
    assert schema_errors(synth_manifests(chart)) == []


def test_longest_derived_names_are_valid() -> None:
    name = "d" * validation.STATEFULSET_NAME_MAX_LENGTH
    ordinal = validation.INT32_MAX - 1
    claim = "c" * validation.DNS1123_LABEL_MAX_LENGTH
    assert validation.dns1123_label_problems(f"{name}-{ordinal}") == []
    assert validation.dns1123_subdomain_problems(f"{claim}-{name}-{ordinal}") == []


@pytest.mark.parametrize(
    ("props", "prop", "fragment"),
    [
        ({"name": "d" * 53}, "name", "no more than 52"),
        ({"name": "1db"}, "name", "start with a letter"),
        ({"replicas": 2}, "replicas", "at most 1"),
        ({"replicas": -1}, "replicas", "between 0 and"),
        ({"storage": Storage(size="1GB")}, "storage.size", "suffix"),
        ({"storage": Storage(storage_class="Fast_SSD")}, "storage.storage_class", "lower case"),
        ({"storage": Storage(claim_name="Data")}, "storage.claim_name", "lower case"),
        ({"storage": Storage(access_mode="RWO")}, "storage.access_mode", "AccessMode"),  # type: ignore[arg-type]
        ({"disruption": "allow"}, "disruption", "DisruptionPolicy"),
        ({"engine": PostgresEngine(database="Comic-DB")}, "engine.database", "identifier"),
        ({"engine": PostgresEngine(image="postgres")}, "engine.image", "no tag or digest"),
        ({"engine": MinioEngine(image="minio/minio:latest")}, "engine.image", "moves"),
        ({"engine": PostgresEngine(shared_memory="1gb")}, "engine.shared_memory", "suffix"),
        ({"engine": PostgresEngine(port=0)}, "engine.port", "between 1 and 65535"),
        ({"engine": PostgresEngine(user_key="user")}, "credentials", "no key 'user'"),
        ({"engine": MinioEngine(bucket="ab")}, "engine.bucket", "S3 bucket name"),
        ({"engine": MinioEngine(bucket="Images")}, "engine.bucket", "S3 bucket name"),
        ({"engine": MinioEngine(port=9001)}, "engine.port", "console"),
        ({"resources": None, "labels": {"team": "a b"}}, "labels['team']", "alphanumeric"),
        ({"credentials": "db"}, "credentials", "must be a SecretEnv"),
        ({"storage": Storage(size="0")}, "storage.size", "greater than zero"),
        ({"storage": Storage(size="0Gi")}, "storage.size", "greater than zero"),
        ({"labels": {"app.kubernetes.io/instance": "x"}}, "labels", "set instance instead"),
        ({"labels": {"app.kubernetes.io/component": "x"}}, "labels", "derives this label"),
        ({"labels": {"app.kubernetes.io/version": "17"}}, "labels", "derives this label"),
        ({"network_policy": "off"}, "network_policy", "True, False or a NetworkPolicySettings"),
    ],
)
def test_bad_prop_raises_clear_error(
    chart: Chart, props: dict[str, Any], prop: str, fragment: str
) -> None:
    if isinstance(props.get("engine"), MinioEngine):
        credentials = SecretEnv(
            chart, "store-secret", name="store", keys=["access-key", "secret-key"]
        )
        props = {"credentials": credentials, **props}
    with pytest.raises(InvalidPropError) as caught:
        postgres(chart, **props)
    error = caught.value
    assert error.construct == "StatefulDatabase"
    assert error.path == "test/db"
    assert error.prop == prop
    assert fragment in str(error)
    assert error.fix
    kinds = {m["kind"] for m in synth_manifests(chart)}
    assert kinds <= {"Secret"}


def test_optional_credential_key_is_rejected(chart: Chart) -> None:
    secret = SecretEnv(
        chart, "db-secret", name="db", keys=["username", SecretKey("password", optional=True)]
    )
    with pytest.raises(InvalidPropError, match="optional") as caught:
        StatefulDatabase(chart, "db", name="db", engine=PostgresEngine(), credentials=secret)
    assert caught.value.prop == "credentials"


def test_credentials_from_other_namespace(app: App) -> None:
    secrets = Chart(app, "secrets", namespace="a", disable_resource_name_hashes=True)
    databases = Chart(app, "databases", namespace="b", disable_resource_name_hashes=True)
    secret = SecretEnv(secrets, "db-secret", name="db", keys=["username", "password"])
    with pytest.raises(WiringError, match="credentials is SecretEnv 'db' in namespace 'a'"):
        StatefulDatabase(
            databases, "db", name="db", engine=PostgresEngine(database="comic"), credentials=secret
        )
    assert synth_manifests(databases) == []
