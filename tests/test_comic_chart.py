"""The comic chart in every environment: wiring, schema validity and YAML snapshots."""

from __future__ import annotations

import base64
import dataclasses
import shutil
from pathlib import Path
from typing import Any

import pytest
from cdk8s import App
from syrupy.assertion import SnapshotAssertion

from charts.comic import ComicChart, ComicSettings
from charts.environments import ROOT, Environment, dev, prod
from constructs_lib import (
    NetworkPeer,
    NetworkPolicyPort,
    NetworkRule,
    PlaceholderSecretWarning,
)
from constructs_lib.testing import synth_manifests, synth_yaml
from tests.netpol import (
    allowed_connections,
    policies_of,
    selects,
    surrounding_nodes,
    workload_nodes,
)
from tests.schema import schema_errors

pytestmark = pytest.mark.filterwarnings("ignore::constructs_lib.SecretInManifestWarning")

Manifest = dict[str, Any]
DEV_VARIABLES = (
    "COMIC_POSTGRES_USERNAME",
    "COMIC_POSTGRES_PASSWORD",
    "COMIC_IMAGES_ACCESS_KEY",
    "COMIC_IMAGES_SECRET_KEY",
    "COMIC_DJANGO_SECRET_KEY",
)


@pytest.fixture
def placeholder_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository root with only .env.example, and no dev values in the environment.

    This keeps a developer's own .env and exported variables out of the tests.
    """
    shutil.copy(ROOT / ".env.example", tmp_path / ".env.example")
    for variable in DEV_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    return tmp_path


@pytest.fixture(params=["dev", "prod"])
def environment(request: pytest.FixtureRequest, placeholder_root: Path) -> Environment:
    return dev(placeholder_root) if request.param == "dev" else prod()


def synth(app: App, environment: Environment) -> list[Manifest]:
    chart = ComicChart(app, "comic", environment.comic, namespace=environment.namespace)
    return synth_manifests(chart)


def find(manifests: list[Manifest], kind: str, name: str) -> Manifest:
    matches = [m for m in manifests if m["kind"] == kind and m["metadata"]["name"] == name]
    assert len(matches) == 1, f"{kind}/{name} appears {len(matches)} times"
    return matches[0]


def containers_of(workload: Manifest) -> list[Manifest]:
    pod = workload["spec"]["template"]["spec"]
    return [*pod.get("initContainers", []), *pod["containers"]]


def env_of(container: Manifest) -> dict[str, Manifest]:
    return {entry["name"]: entry for entry in container.get("env", [])}


def secret_refs(containers: list[Manifest]) -> set[tuple[str, str]]:
    refs: set[tuple[str, str]] = set()
    for container in containers:
        for entry in container.get("env", []):
            ref = entry.get("valueFrom", {}).get("secretKeyRef")
            if ref is not None:
                refs.add((ref["name"], ref["key"]))
    return refs


def service_for(manifests: list[Manifest], workload: Manifest, *, headless: bool) -> Manifest:
    """Return the one Service of the given kind whose selector picks ``workload``'s pods."""
    pod_labels = workload["spec"]["template"]["metadata"]["labels"]
    matches = [
        m
        for m in manifests
        if m["kind"] == "Service"
        and m["spec"]["selector"].items() <= pod_labels.items()
        and (m["spec"].get("clusterIP") == "None") == headless
    ]
    assert len(matches) == 1
    return matches[0]


def test_objects_in_apply_order(app: App, environment: Environment) -> None:
    kinds = [m["kind"] for m in synth(app, environment)]
    assert kinds[0] == "Namespace"
    assert kinds.index("StatefulSet") < kinds.index("Deployment") < kinds.index("Job")
    assert kinds.count("StatefulSet") == 2
    assert kinds.count("PodDisruptionBudget") == 2
    assert kinds.count("Ingress") == 1
    assert kinds.count("Job") == 2


def test_every_object_in_namespace(app: App, environment: Environment) -> None:
    for manifest in synth(app, environment)[1:]:
        assert manifest["metadata"]["namespace"] == environment.namespace


def test_statefulsets_governed_by_headless_service(app: App, environment: Environment) -> None:
    manifests = synth(app, environment)
    for statefulset in [m for m in manifests if m["kind"] == "StatefulSet"]:
        governing = find(manifests, "Service", statefulset["spec"]["serviceName"])
        assert governing["spec"]["clusterIP"] == "None"
        assert governing == service_for(manifests, statefulset, headless=True)


def test_web_env_matches_database_objects(app: App, environment: Environment) -> None:
    manifests = synth(app, environment)
    web = env_of(
        find(manifests, "Deployment", "comic")["spec"]["template"]["spec"]["containers"][0]
    )
    postgres = find(manifests, "StatefulSet", "comic-postgres")
    client = service_for(manifests, postgres, headless=False)
    postgres_env = env_of(postgres["spec"]["template"]["spec"]["containers"][0])
    (port,) = client["spec"]["ports"]
    assert (
        web["DATABASE_HOST"]["value"] == f"{client['metadata']['name']}.{environment.namespace}.svc"
    )
    assert web["DATABASE_PORT"]["value"] == str(port["port"])
    assert web["DATABASE_NAME"]["value"] == postgres_env["POSTGRES_DB"]["value"]
    assert web["DATABASE_USER"]["valueFrom"] == postgres_env["POSTGRES_USER"]["valueFrom"]
    assert web["DATABASE_PASSWORD"]["valueFrom"] == postgres_env["POSTGRES_PASSWORD"]["valueFrom"]


def test_web_env_matches_store_objects(app: App, environment: Environment) -> None:
    manifests = synth(app, environment)
    web = env_of(
        find(manifests, "Deployment", "comic")["spec"]["template"]["spec"]["containers"][0]
    )
    store = find(manifests, "StatefulSet", "comic-images")
    client = service_for(manifests, store, headless=False)
    store_env = env_of(store["spec"]["template"]["spec"]["containers"][0])
    (port,) = client["spec"]["ports"]
    host = f"{client['metadata']['name']}.{environment.namespace}.svc"
    assert web["AWS_S3_ENDPOINT_URL"]["value"] == f"http://{host}:{port['port']}"
    assert web["AWS_ACCESS_KEY_ID"]["valueFrom"] == store_env["MINIO_ROOT_USER"]["valueFrom"]
    assert (
        web["AWS_SECRET_ACCESS_KEY"]["valueFrom"] == store_env["MINIO_ROOT_PASSWORD"]["valueFrom"]
    )
    assert web["AWS_STORAGE_BUCKET_NAME"]["value"] == "comic-images"


def test_web_references_exactly_the_defined_secrets(app: App, environment: Environment) -> None:
    manifests = synth(app, environment)
    web = containers_of(find(manifests, "Deployment", "comic"))
    statefulsets = [m for m in manifests if m["kind"] == "StatefulSet"]
    database_refs: set[tuple[str, str]] = set()
    for statefulset in statefulsets:
        database_refs |= secret_refs(containers_of(statefulset))
    assert secret_refs(web) == database_refs | {("comic-django", "secret-key")}


def test_dev_secrets_contain_every_referenced_key(app: App, placeholder_root: Path) -> None:
    with pytest.warns(PlaceholderSecretWarning):
        manifests = synth(app, dev(placeholder_root))
    secrets = {m["metadata"]["name"]: m for m in manifests if m["kind"] == "Secret"}
    referenced: set[tuple[str, str]] = set()
    for workload in manifests:
        if workload["kind"] in {"Deployment", "StatefulSet", "Job"}:
            referenced |= secret_refs(containers_of(workload))
    for secret, key in referenced:
        assert key in secrets[secret]["data"], f"{secret}/{key} is missing"


def test_dev_secrets_hold_only_placeholders(app: App, placeholder_root: Path) -> None:
    with pytest.warns(PlaceholderSecretWarning):
        manifests = synth(app, dev(placeholder_root))
    passwords = [
        base64.b64decode(m["data"][key]).decode()
        for m in manifests
        if m["kind"] == "Secret"
        for key in m["data"]
        if key in {"password", "secret-key"}
    ]
    assert len(passwords) == 3
    for value in passwords:
        assert value.startswith("fake-")


def test_prod_writes_no_secret(app: App) -> None:
    manifests = synth(app, prod())
    assert [m for m in manifests if m["kind"] == "Secret"] == []


def test_ingress_routes_to_web_service(app: App, environment: Environment) -> None:
    manifests = synth(app, environment)
    ingress = find(manifests, "Ingress", "comic")
    (rule,) = ingress["spec"]["rules"]
    backend = rule["http"]["paths"][0]["backend"]["service"]
    service = find(manifests, "Service", backend["name"])
    assert rule["host"] == environment.comic.host
    assert backend["port"]["name"] in {port["name"] for port in service["spec"]["ports"]}
    assert service["spec"]["type"] == "ClusterIP"
    assert ingress["spec"]["ingressClassName"] == "nginx"
    assert (
        ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-body-size"] == "20m"
    )


def test_prod_ingress_has_tls(app: App) -> None:
    ingress = find(synth(app, prod()), "Ingress", "comic")
    assert ingress["spec"]["tls"] == [{"hosts": ["comic.example.com"], "secretName": "comic-tls"}]
    assert ingress["metadata"]["annotations"]["cert-manager.io/cluster-issuer"] == "letsencrypt"


def test_migration_waits_for_database(app: App, environment: Environment) -> None:
    manifests = synth(app, environment)
    job = find(manifests, "Job", "comic-migrate-1-0-0")
    pod = job["spec"]["template"]["spec"]
    (wait,) = pod["initContainers"]
    web_env = env_of(pod["containers"][0])
    assert pod["containers"][0]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert f'-h "{web_env["DATABASE_HOST"]["value"]}"' in wait["command"][2]
    assert f"-p {web_env['DATABASE_PORT']['value']}" in wait["command"][2]
    assert job["spec"]["ttlSecondsAfterFinished"] == 86400
    assert pod["restartPolicy"] == "Never"


def test_migration_env_matches_web_env(app: App, environment: Environment) -> None:
    manifests = synth(app, environment)
    web = find(manifests, "Deployment", "comic")["spec"]["template"]["spec"]["containers"][0]
    job = find(manifests, "Job", "comic-migrate-1-0-0")["spec"]["template"]["spec"]
    assert job["containers"][0]["env"] == web["env"]
    assert job["containers"][0]["image"] == web["image"]


def test_migration_name_follows_version(app: App) -> None:
    settings = ComicSettings(image="ghcr.io/example/comic:2.3.0-rc.1")
    chart = ComicChart(app, "comic", settings)
    names = [m["metadata"]["name"] for m in synth_manifests(chart) if m["kind"] == "Job"]
    assert "comic-migrate-2-3-0-rc-1" in names


def test_migration_pods_not_selected_by_web_service(app: App, environment: Environment) -> None:
    manifests = synth(app, environment)
    selector = find(manifests, "Service", "comic")["spec"]["selector"]
    for job in [m for m in manifests if m["kind"] == "Job"]:
        labels = job["spec"]["template"]["metadata"]["labels"]
        assert not selector.items() <= labels.items()


def test_every_pod_is_restricted(app: App, environment: Environment) -> None:
    for workload in synth(app, environment):
        if workload["kind"] not in {"Deployment", "StatefulSet", "Job"}:
            continue
        pod = workload["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        for container in containers_of(workload):
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False
            assert context["capabilities"] == {"drop": ["ALL"]}
            assert context["runAsNonRoot"] is True
            assert context["seccompProfile"] == {"type": "RuntimeDefault"}


def test_replicas_and_volumes_per_environment(app: App, environment: Environment) -> None:
    manifests = synth(app, environment)
    web = find(manifests, "Deployment", "comic")
    postgres = find(manifests, "StatefulSet", "comic-postgres")
    (claim,) = postgres["spec"]["volumeClaimTemplates"]
    assert web["spec"]["replicas"] == environment.comic.web_replicas
    assert (
        claim["spec"]["resources"]["requests"]["storage"] == environment.comic.postgres_storage.size
    )


def test_passes_strict_schema(app: App, environment: Environment) -> None:
    assert schema_errors(synth(app, environment)) == []


def test_yaml_snapshot(
    app: App, environment: Environment, yaml_snapshot: SnapshotAssertion
) -> None:
    chart = ComicChart(app, "comic", environment.comic, namespace=environment.namespace)
    assert synth_yaml(chart) == yaml_snapshot


WIRED_PATHS = {
    ("ingress-controller", "comic", 8000, "TCP"),
    ("comic", "comic-postgres", 5432, "TCP"),
    ("comic", "comic-images", 9000, "TCP"),
    ("comic-migrate", "comic-postgres", 5432, "TCP"),
    ("comic-images-bucket", "comic-images", 9000, "TCP"),
}
"""Every connection between pods that the comic chart's NetworkPolicies must allow, DNS aside."""
WORKLOAD_NAMES = {"comic-postgres", "comic-images", "comic", "comic-migrate", "comic-images-bucket"}


def allowed_in(app: App, environment: Environment) -> set[tuple[str, str, int, str]]:
    return allowed_between(synth(app, environment), environment.namespace)


def allowed_between(manifests: list[Manifest], namespace: str) -> set[tuple[str, str, int, str]]:
    workloads = workload_nodes(manifests)
    nodes = [*workloads, *surrounding_nodes(namespace)]
    return allowed_connections(manifests, nodes, workloads)


def dns_paths(names: set[str]) -> set[tuple[str, str, int, str]]:
    return {(name, "kube-dns", 53, protocol) for name in names for protocol in ("UDP", "TCP")}


def test_policies_allow_exactly_wired_paths(app: App, environment: Environment) -> None:
    assert allowed_in(app, environment) == WIRED_PATHS | dns_paths(WORKLOAD_NAMES)


def test_stores_admit_only_wired_clients(app: App, environment: Environment) -> None:
    allowed = allowed_in(app, environment)
    postgres_clients = {source for source, target, _, _ in allowed if target == "comic-postgres"}
    store_clients = {source for source, target, _, _ in allowed if target == "comic-images"}
    assert postgres_clients == {"comic", "comic-migrate"}
    assert store_clients == {"comic", "comic-images-bucket"}


def test_one_policy_per_workload(app: App, environment: Environment) -> None:
    manifests = synth(app, environment)
    names = sorted(policy["metadata"]["name"] for policy in policies_of(manifests))
    assert names == sorted(WORKLOAD_NAMES)
    for node in workload_nodes(manifests):
        selecting = [policy for policy in policies_of(manifests) if selects(policy, node)]
        assert [policy["metadata"]["name"] for policy in selecting] == [node.name]
        assert selecting[0]["spec"]["policyTypes"] == ["Ingress", "Egress"]


def test_policies_select_identity_labels_only(app: App, environment: Environment) -> None:
    for policy in policies_of(synth(app, environment)):
        selector = policy["spec"]["podSelector"]["matchLabels"]
        assert set(selector) == {"app.kubernetes.io/name", "app.kubernetes.io/instance"}
        assert selector["app.kubernetes.io/name"] == policy["metadata"]["name"]


def test_migration_reads_store_settings_without_path(app: App, environment: Environment) -> None:
    manifests = synth(app, environment)
    job = find(manifests, "Job", "comic-migrate-1-0-0")
    allowed = allowed_between(manifests, environment.namespace)
    assert "AWS_S3_ENDPOINT_URL" in env_of(job["spec"]["template"]["spec"]["containers"][0])
    assert ("comic-migrate", "comic-images", 9000, "TCP") not in allowed


def test_web_extra_egress_reaches_smtp(app: App) -> None:
    smtp = NetworkRule(peers=[NetworkPeer(cidr="0.0.0.0/0")], ports=[NetworkPolicyPort(587)])
    environment = prod()
    settings = dataclasses.replace(environment.comic, web_extra_egress=[smtp])
    allowed = allowed_in(app, dataclasses.replace(environment, comic=settings))
    assert allowed - WIRED_PATHS - dns_paths(WORKLOAD_NAMES) == {("comic", "internet", 587, "TCP")}


def test_ingress_controller_is_configurable(app: App) -> None:
    traefik = NetworkPeer(namespace="traefik", pod_labels={"app.kubernetes.io/name": "traefik"})
    environment = prod()
    settings = dataclasses.replace(environment.comic, ingress_controller=traefik)
    manifests = synth(app, dataclasses.replace(environment, comic=settings))
    (rule,) = find(manifests, "NetworkPolicy", "comic")["spec"]["ingress"]
    assert rule["from"] == [
        {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "traefik"}},
            "podSelector": {"matchLabels": {"app.kubernetes.io/name": "traefik"}},
        }
    ]


def test_network_policies_off_allows_everything(app: App) -> None:
    environment = prod()
    settings = dataclasses.replace(environment.comic, network_policies=False)
    manifests = synth(app, dataclasses.replace(environment, comic=settings))
    allowed = allowed_between(manifests, environment.namespace)
    assert policies_of(manifests) == []
    assert ("stranger", "comic-postgres", 5432, "TCP") in allowed
    assert ("comic", "internet", 443, "TCP") in allowed
