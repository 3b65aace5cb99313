"""Diagram graph: one test per kind of edge, on hand-written manifests."""

from __future__ import annotations

from typing import Any

from constructs_lib.diagram import PVC_TEMPLATE, Graph, build_graph

LABELS = {"app.kubernetes.io/name": "web"}


def deployment(name: str = "web", labels: dict[str, str] | None = None, **pod: Any) -> Any:
    pod.setdefault("containers", [{"name": name, "image": "ghcr.io/example/web:1.0.0"}])
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "selector": {"matchLabels": labels or LABELS},
            "template": {"metadata": {"labels": labels or LABELS}, "spec": pod},
        },
    }


def service(name: str, selector: dict[str, str] | None = None, **spec: Any) -> Any:
    body = {"ports": [{"port": 80}], **spec}
    if selector is not None:
        body["selector"] = selector
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": body}


def edges(graph: Graph) -> set[tuple[str, str, str]]:
    """Return each edge as (source title, label, target title)."""
    return {
        (graph.nodes[e.source].title, e.label, graph.nodes[e.target].title) for e in graph.edges
    }


def test_ingress_routes_to_backend_services() -> None:
    ingress = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": "web"},
        "spec": {
            "defaultBackend": {"service": {"name": "fallback", "port": {"number": 80}}},
            "tls": [{"secretName": "web-tls"}],
            "rules": [
                {
                    "http": {
                        "paths": [
                            {
                                "path": "/",
                                "pathType": "Prefix",
                                "backend": {"service": {"name": "web", "port": {"number": 80}}},
                            }
                        ]
                    }
                }
            ],
        },
    }
    graph = build_graph([ingress, service("web", LABELS)])
    found = edges(graph)
    assert ("Ingress/web", "backend", "Service/web") in found
    assert ("Ingress/web", "backend", "Service/fallback") in found
    assert ("Ingress/web", "tls", "Secret/web-tls") in found
    assert graph.nodes[("Service", "", "fallback")].external is True
    assert graph.nodes[("Service", "", "web")].external is False


def test_service_selects_matching_workload() -> None:
    other = deployment("api", labels={"app.kubernetes.io/name": "api"})
    graph = build_graph([deployment(), other, service("web", LABELS)])
    assert edges(graph) == {("Service/web", "selects", "Deployment/web")}


def test_service_without_selector_selects_nothing() -> None:
    graph = build_graph([deployment(), service("external-db")])
    assert edges(graph) == set()


def test_selector_stays_in_namespace() -> None:
    web = deployment()
    web["metadata"]["namespace"] = "shop"
    svc = service("web", LABELS)
    svc["metadata"]["namespace"] = "other"
    assert edges(build_graph([web, svc])) == set()


def test_workload_references_secrets_and_config() -> None:
    container = {
        "name": "web",
        "image": "ghcr.io/example/web:1.0.0",
        "env": [
            {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "pw"}}},
            {"name": "MODE", "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "m"}}},
        ],
        "envFrom": [{"secretRef": {"name": "api-keys"}}, {"configMapRef": {"name": "flags"}}],
    }
    pod: dict[str, Any] = {
        "containers": [container],
        "volumes": [
            {"name": "certs", "secret": {"secretName": "certs"}},
            {"name": "conf", "configMap": {"name": "nginx-conf"}},
            {"name": "all", "projected": {"sources": [{"secret": {"name": "bundle"}}]}},
            {"name": "data", "persistentVolumeClaim": {"claimName": "uploads"}},
        ],
        "imagePullSecrets": [{"name": "registry"}],
        "serviceAccountName": "web",
    }
    found = edges(build_graph([deployment(**pod)]))
    assert ("Deployment/web", "secretKeyRef", "Secret/db") in found
    assert ("Deployment/web", "configMapKeyRef", "ConfigMap/settings") in found
    assert ("Deployment/web", "envFrom", "Secret/api-keys") in found
    assert ("Deployment/web", "envFrom", "ConfigMap/flags") in found
    assert ("Deployment/web", "volume", "Secret/certs") in found
    assert ("Deployment/web", "volume", "ConfigMap/nginx-conf") in found
    assert ("Deployment/web", "volume", "Secret/bundle") in found
    assert ("Deployment/web", "mounts", "PersistentVolumeClaim/uploads") in found
    assert ("Deployment/web", "imagePullSecrets", "Secret/registry") in found
    assert ("Deployment/web", "serviceAccount", "ServiceAccount/web") in found
    assert len(found) == 10


def test_defined_secret_is_not_external() -> None:
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"}}
    env = [{"name": "PW", "valueFrom": {"secretKeyRef": {"name": "db", "key": "pw"}}}]
    container = {"name": "web", "image": "ghcr.io/example/web:1.0.0", "env": env}
    graph = build_graph([deployment(containers=[container]), secret])
    assert graph.nodes[("Secret", "", "db")].external is False


def test_env_value_names_service_host() -> None:
    env = [
        {"name": "DATABASE_HOST", "value": "postgres"},
        {"name": "CACHE_URL", "value": "redis://redis.shop.svc.cluster.local:6379/0"},
    ]
    container = {"name": "web", "image": "ghcr.io/example/web:1.0.0", "env": env}
    postgres = service("postgres", {"app.kubernetes.io/name": "postgres"})
    redis = service("redis", {"app.kubernetes.io/name": "redis"})
    found = edges(build_graph([deployment(containers=[container]), postgres, redis]))
    assert ("Deployment/web", "talks to", "Service/postgres") in found
    assert ("Deployment/web", "talks to", "Service/redis") in found


def test_expanded_reference_names_service_host() -> None:
    env = [
        {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "pw"}}},
        {"name": "DB_HOST", "value": "postgres"},
        {"name": "DATABASE_URL", "value": "postgres://app:$(DB_PASSWORD)@$(DB_HOST):5432/app"},
    ]
    container = {"name": "web", "image": "ghcr.io/example/web:1.0.0", "env": env}
    graph = build_graph([deployment(containers=[container]), service("postgres")])
    assert ("Deployment/web", "talks to", "Service/postgres") in edges(graph)


def test_init_command_names_service_host() -> None:
    init = {
        "name": "wait",
        "image": "postgres:17.2",
        "command": ["sh", "-c", 'until pg_isready -h "$DB_HOST"; do sleep 2; done'],
        "env": [{"name": "DB_HOST", "value": "postgres"}],
    }
    job = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "migrate"},
        "spec": {
            "template": {
                "spec": {
                    "initContainers": [init],
                    "containers": [{"name": "m", "image": "ghcr.io/example/web:1.0.0"}],
                }
            }
        },
    }
    graph = build_graph([job, service("postgres")])
    assert edges(graph) == {("Job/migrate", "talks to", "Service/postgres")}


def test_unrelated_words_are_no_hosts() -> None:
    env = [
        {"name": "DJANGO_SETTINGS_MODULE", "value": "comic.settings"},
        {"name": "PUBLIC_URL", "value": "https://comic.example.com/"},
        {"name": "NAME", "value": "comics"},
    ]
    container = {"name": "web", "image": "ghcr.io/example/web:1.0.0", "env": env}
    graph = build_graph([deployment(containers=[container]), service("comic")])
    assert edges(graph) == set()


def test_own_service_is_no_talk_edge() -> None:
    env = [{"name": "ALLOWED_HOSTS", "value": "web"}]
    container = {"name": "web", "image": "ghcr.io/example/web:1.0.0", "env": env}
    graph = build_graph([deployment(containers=[container]), service("web", LABELS)])
    assert edges(graph) == {("Service/web", "selects", "Deployment/web")}


def test_statefulset_governing_service_and_claims() -> None:
    labels = {"app.kubernetes.io/name": "db"}
    statefulset = {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "db"},
        "spec": {
            "serviceName": "db-headless",
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "db", "image": "postgres:17.2"}]},
            },
            "volumeClaimTemplates": [{"metadata": {"name": "data"}}],
        },
    }
    headless = service("db-headless", labels, clusterIP="None")
    graph = build_graph([statefulset, headless])
    found = edges(graph)
    assert ("StatefulSet/db", "serviceName", "Service/db-headless") in found
    assert ("Service/db-headless", "selects", "StatefulSet/db") in found
    assert ("StatefulSet/db", "volumeClaimTemplate", f"{PVC_TEMPLATE}/data") in found
    assert graph.nodes[("Service", "", "db-headless")].detail == "headless"


def test_network_policy_edges() -> None:
    db_labels = {"app.kubernetes.io/name": "db"}
    db = deployment("db", labels=db_labels)
    policy = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": "db"},
        "spec": {
            "podSelector": {"matchLabels": db_labels},
            "ingress": [{"from": [{"podSelector": {"matchLabels": LABELS}}]}],
            "egress": [
                {
                    "to": [
                        {
                            "podSelector": {
                                "matchExpressions": [
                                    {
                                        "key": "app.kubernetes.io/name",
                                        "operator": "In",
                                        "values": ["web"],
                                    }
                                ]
                            }
                        },
                        {"namespaceSelector": {}, "podSelector": {}},
                    ]
                }
            ],
        },
    }
    found = edges(build_graph([deployment(), db, policy]))
    assert found == {
        ("NetworkPolicy/db", "applies to", "Deployment/db"),
        ("Deployment/web", "ingress allowed", "NetworkPolicy/db"),
        ("NetworkPolicy/db", "egress allowed", "Deployment/web"),
    }


def test_disruption_budget_and_autoscaler() -> None:
    budget = {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": {"name": "web"},
        "spec": {"maxUnavailable": 1, "selector": {"matchLabels": LABELS}},
    }
    autoscaler = {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web"},
        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}},
    }
    found = edges(build_graph([deployment(), budget, autoscaler]))
    assert found == {
        ("PodDisruptionBudget/web", "protects", "Deployment/web"),
        ("HorizontalPodAutoscaler/web", "scales", "Deployment/web"),
    }


def test_cronjob_template_is_a_workload() -> None:
    cronjob = {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "backup"},
        "spec": {
            "schedule": "0 3 * * *",
            "jobTemplate": {
                "spec": {
                    "template": {
                        "spec": {
                            "containers": [
                                {
                                    "name": "backup",
                                    "image": "postgres:17.2",
                                    "env": [{"name": "PGHOST", "value": "postgres"}],
                                }
                            ]
                        }
                    }
                }
            },
        },
    }
    found = edges(build_graph([cronjob, service("postgres")]))
    assert found == {("CronJob/backup", "talks to", "Service/postgres")}


def test_graph_order_is_stable() -> None:
    manifests = [service("web", LABELS), deployment(), service("api", LABELS)]
    first = build_graph(manifests)
    second = build_graph(list(reversed(manifests)))
    assert list(first.nodes) == list(second.nodes)
    assert first.edges == second.edges
