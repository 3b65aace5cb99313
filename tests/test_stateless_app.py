"""StatelessApp: the Deployment it renders and the props it rejects."""

from __future__ import annotations

from typing import Any

import pytest
from cdk8s import App, Chart

from constructs_lib import (
    ConstructsLibError,
    ContainerPort,
    Image,
    InvalidPropError,
    NotFoundError,
    Probe,
    ProbeAction,
    Protocol,
    Resources,
    SecretEnv,
    StatelessApp,
    WiringError,
)
from constructs_lib.testing import (
    assert_probes,
    assert_resources,
    assert_runs_as_non_root,
    synth_manifests,
)
from tests.schema import schema_errors

IMAGE = "ghcr.io/example/web:1.4.2"


def deployment_of(chart: Chart) -> dict[str, Any]:
    deployments = [m for m in synth_manifests(chart) if m["kind"] == "Deployment"]
    assert len(deployments) == 1
    return deployments[0]


def container_of(chart: Chart) -> dict[str, Any]:
    containers: list[dict[str, Any]] = deployment_of(chart)["spec"]["template"]["spec"][
        "containers"
    ]
    assert len(containers) == 1
    return containers[0]


def test_defaults_render_deployment(chart: Chart) -> None:
    StatelessApp(chart, "web", name="web", image=IMAGE)
    deployment = deployment_of(chart)
    spec = deployment["spec"]
    assert deployment["metadata"]["name"] == "web"
    assert spec["replicas"] == 2
    assert spec["strategy"]["type"] == "RollingUpdate"
    assert spec["strategy"]["rollingUpdate"] == {"maxSurge": "25%", "maxUnavailable": 0}
    container = container_of(chart)
    assert container["image"] == IMAGE
    assert container["imagePullPolicy"] == "IfNotPresent"
    assert container["ports"] == [{"name": "http", "containerPort": 8080, "protocol": "TCP"}]
    assert container["resources"] == {
        "limits": {"cpu": "500m", "memory": "128Mi"},
        "requests": {"cpu": "50m", "memory": "64Mi"},
    }


def test_pod_is_restricted_by_default(chart: Chart) -> None:
    StatelessApp(chart, "web", name="web", image=IMAGE)
    pod = deployment_of(chart)["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert pod["automountServiceAccountToken"] is False
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    context = container["securityContext"]
    assert context["allowPrivilegeEscalation"] is False
    assert context["capabilities"] == {"drop": ["ALL"]}
    assert context["readOnlyRootFilesystem"] is True
    assert context["runAsNonRoot"] is True
    assert context["seccompProfile"] == {"type": "RuntimeDefault"}
    assert_runs_as_non_root(synth_manifests(chart))


def test_defaults_pass_probe_and_resource_checks(chart: Chart) -> None:
    StatelessApp(chart, "web", name="web", image=IMAGE)
    manifests = synth_manifests(chart)
    assert_probes(manifests)
    assert_resources(manifests)


def test_writable_paths_get_empty_dirs(chart: Chart) -> None:
    StatelessApp(chart, "web", name="web", image=IMAGE, writable_paths=["/tmp", "/var/cache/nginx"])
    pod = deployment_of(chart)["spec"]["template"]["spec"]
    assert pod["volumes"] == [
        {"name": "tmp", "emptyDir": {}},
        {"name": "var-cache-nginx", "emptyDir": {}},
    ]
    assert pod["containers"][0]["volumeMounts"] == [
        {"name": "tmp", "mountPath": "/tmp"},
        {"name": "var-cache-nginx", "mountPath": "/var/cache/nginx"},
    ]


def test_probes_default_to_http_on_first_port(chart: Chart) -> None:
    StatelessApp(
        chart,
        "web",
        name="web",
        image=IMAGE,
        ports=[ContainerPort("web", 3000), ContainerPort("metrics", 9090)],
    )
    container = container_of(chart)
    assert container["readinessProbe"]["httpGet"] == {"path": "/", "port": "web"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/", "port": "web"}


def test_probes_configurable_and_disabled(chart: Chart) -> None:
    StatelessApp(
        chart,
        "web",
        name="web",
        image=IMAGE,
        readiness_probe=Probe.http("/healthz", period_seconds=5),
        liveness_probe=None,
    )
    container = container_of(chart)
    assert container["readinessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert container["readinessProbe"]["periodSeconds"] == 5
    assert "livenessProbe" not in container


def test_resources_changed_or_removed(chart: Chart) -> None:
    StatelessApp(
        chart,
        "small",
        name="small",
        image=IMAGE,
        resources=Resources(cpu_limit=None, memory_limit="256Mi"),
    )
    StatelessApp(chart, "bare", name="bare", image=IMAGE, resources=None)
    deployments = {
        m["metadata"]["name"]: m for m in synth_manifests(chart) if m["kind"] == "Deployment"
    }
    small = deployments["small"]["spec"]["template"]["spec"]["containers"][0]
    bare = deployments["bare"]["spec"]["template"]["spec"]["containers"][0]
    assert small["resources"]["limits"] == {"memory": "256Mi"}
    assert "resources" not in bare


def test_env_keeps_order_and_values(chart: Chart) -> None:
    StatelessApp(chart, "web", name="web", image=IMAGE, env={"B": "2", "A": "1"})
    assert container_of(chart)["env"] == [
        {"name": "B", "value": "2"},
        {"name": "A", "value": "1"},
    ]


def test_labels_recommended_and_selector_minimal(chart: Chart) -> None:
    StatelessApp(
        chart, "web", name="web", image=IMAGE, component="frontend", labels={"team": "blue"}
    )
    deployment = deployment_of(chart)
    labels = deployment["metadata"]["labels"]
    assert labels["app.kubernetes.io/name"] == "web"
    assert labels["app.kubernetes.io/instance"] == "web"
    assert labels["app.kubernetes.io/component"] == "frontend"
    assert labels["app.kubernetes.io/part-of"] == "test"
    assert labels["app.kubernetes.io/version"] == "1.4.2"
    assert labels["app.kubernetes.io/managed-by"] == "cdk8s"
    assert labels["team"] == "blue"
    assert deployment["spec"]["selector"]["matchLabels"] == {
        "app.kubernetes.io/name": "web",
        "app.kubernetes.io/instance": "web",
    }
    assert deployment["spec"]["template"]["metadata"]["labels"] == labels


def test_new_image_keeps_selector(chart: Chart, app: Any) -> None:
    other = Chart(app, "other", disable_resource_name_hashes=True)
    StatelessApp(chart, "web", name="web", image="ghcr.io/example/web:1.0.0")
    StatelessApp(other, "web", name="web", image="ghcr.io/example/web:2.0.0")
    before = deployment_of(chart)["spec"]["selector"]
    after = deployment_of(other)["spec"]["selector"]
    assert before == after


def test_digest_image_has_no_version_label(chart: Chart) -> None:
    digest = "sha256:" + "a" * 64
    StatelessApp(chart, "web", name="web", image=Image("ghcr.io/example/web", digest=digest))
    deployment = deployment_of(chart)
    assert container_of(chart)["image"] == f"ghcr.io/example/web@{digest}"
    assert "app.kubernetes.io/version" not in deployment["metadata"]["labels"]


def test_policy_precedes_deployment(chart: Chart) -> None:
    app = StatelessApp(chart, "web", name="web", image=IMAGE)
    kinds = [(m["kind"], m["metadata"]["name"]) for m in synth_manifests(chart)]
    assert kinds == [("NetworkPolicy", "web"), ("Deployment", "web")]
    assert app.network_policy is not None
    assert app.network_policy.labels == app.labels


def test_network_policy_false_emits_none(chart: Chart) -> None:
    app = StatelessApp(chart, "web", name="web", image=IMAGE, network_policy=False)
    kinds = [m["kind"] for m in synth_manifests(chart)]
    assert kinds == ["Deployment"]
    assert app.network_policy is None


def test_deployment_passes_strict_schema(chart: Chart) -> None:
    StatelessApp(chart, "web", name="web", image=IMAGE, env={"MODE": "production"})
    assert schema_errors(synth_manifests(chart)) == []


@pytest.mark.parametrize(
    ("props", "prop", "fragment"),
    [
        ({"image": "nginx"}, "image", "has no tag or digest"),
        ({"image": "nginx:latest"}, "image", "moves"),
        ({"image": "Nginx:1.0"}, "image", "not a valid image name"),
        ({"name": "Web"}, "name", "lower case"),
        ({"name": "w" * 64}, "name", "no more than 63"),
        ({"replicas": -1}, "replicas", "between 0 and 2147483647"),
        ({"ports": [ContainerPort("http", 0)]}, "ports", "between 1 and 65535"),
        ({"ports": [ContainerPort("HTTP", 80)]}, "ports", "lower case"),
        (
            {"ports": [ContainerPort("http", 80), ContainerPort("http", 81)]},
            "ports",
            "unique",
        ),
        ({"env": {"db-password": "x"}}, "env", "C identifier"),
        ({"resources": Resources(memory_limit="1g")}, "resources.memory_limit", "suffix"),
        ({"resources": Resources(memory_limit="6GiB")}, "resources.memory_limit", "suffix"),
        ({"readiness_probe": Probe.http(port="admin")}, "readiness_probe.port", "not a declared"),
        ({"ports": []}, "readiness_probe", "no ports"),
        ({"writable_paths": ["tmp"]}, "writable_paths", "absolute"),
        ({"version": "1.2.3+build"}, "version", "alphanumeric"),
        ({"max_surge": "ten"}, "max_surge", "percentage"),
        ({"max_surge": 0, "max_unavailable": 0}, "max_unavailable", "may not be 0"),
        ({"max_surge": "0%", "max_unavailable": 0}, "max_unavailable", "may not be 0"),
        ({"max_unavailable": "101%"}, "max_unavailable", "100%"),
        ({"max_surge": "\u0662%"}, "max_surge", "percentage"),
        ({"replicas": 2**31}, "replicas", "2147483647"),
        ({"image": "nginx@sha256:" + "a" * 32}, "image", "64 lower-case hex"),
        ({"image": "nginx@sha256:" + "A" * 64}, "image", "64 lower-case hex"),
        ({"image": "nginx@md5:" + "a" * 32}, "image", "sha256"),
        ({"run_as_user": 0}, "run_as_user", "root"),
        ({"run_as_user": 2**31}, "run_as_user", "2147483647"),
        ({"run_as_group": -1}, "run_as_group", "between 0 and"),
        ({"resources": Resources(cpu_request="600m")}, "resources.cpu_request", "limit 500m"),
        ({"resources": Resources(memory_request="1Gi")}, "resources.memory_request", "limit"),
        ({"resources": Resources(memory_limit="100m")}, "resources.memory_limit", "bytes"),
        ({"resources": Resources(cpu_limit="-1")}, "resources.cpu_limit", "negative"),
        ({"resources": Resources(cpu_limit="0.0001")}, "resources.cpu_limit", "millicores"),
        (
            {"readiness_probe": Probe.http(period_seconds=0)},
            "readiness_probe.period_seconds",
            "between 1 and",
        ),
        (
            {"liveness_probe": Probe.http(timeout_seconds=0)},
            "liveness_probe.timeout_seconds",
            "between 1 and",
        ),
        (
            {"liveness_probe": Probe.http(failure_threshold=0)},
            "liveness_probe.failure_threshold",
            "between 1 and",
        ),
        (
            {"liveness_probe": Probe.http(initial_delay_seconds=-1)},
            "liveness_probe.initial_delay_seconds",
            "between 0 and",
        ),
        (
            {"liveness_probe": Probe.command_succeeds([])},
            "liveness_probe.command",
            "must not be empty",
        ),
        ({"writable_paths": ["/"]}, "writable_paths", "must not be '/'"),
        ({"writable_paths": ["/tmp/../etc"]}, "writable_paths", "'..'"),
        ({"writable_paths": "/tmp"}, "writable_paths", "must be a list"),
        ({"writable_paths": ["/tmp", "/tmp/"]}, "writable_paths", "mounted twice"),
        ({"command": "nginx -g"}, "command", "must be a list"),
        ({"args": ["-c", "a\x00b"]}, "args[1]", "NUL"),
        ({"env": {"A": 1}}, "env['A']", "must be a string"),
        ({"env": ["A"]}, "env", "must be a mapping"),
        ({"labels": {"a/b/c": "x"}}, "labels", "prefix"),
        ({"ports": [ContainerPort("http", 80, "tcp")]}, "ports", "Protocol"),  # type: ignore[arg-type]
        ({"ports": [ContainerPort("http", 65536)]}, "ports", "between 1 and 65535"),
        ({"ports": [ContainerPort("a" * 16, 80)]}, "ports", "15"),
        ({"network_policy": None}, "network_policy", "True, False or a NetworkPolicySettings"),
        ({"readiness_probe": "http"}, "readiness_probe", "must be a Probe"),
        ({"labels": {"app.kubernetes.io/name": "other"}}, "labels", "set name instead"),
        ({"labels": {"app.kubernetes.io/instance": "x"}}, "labels", "set instance instead"),
        ({"labels": {"app.kubernetes.io/component": "x"}}, "labels", "set component instead"),
        ({"labels": {"app.kubernetes.io/part-of": "x"}}, "labels", "set part_of instead"),
        ({"labels": {"app.kubernetes.io/version": "1"}}, "labels", "set version instead"),
        ({"labels": {"app.kubernetes.io/managed-by": "helm"}}, "labels", "managed-by: cdk8s"),
        ({"instance": "i" * 64}, "instance", "63"),
        ({"part_of": "a b"}, "part_of", "alphanumeric"),
        ({"readiness_probe": Probe("httpGet")}, "readiness_probe.action", "ProbeAction"),  # type: ignore[arg-type]
        ({"liveness_probe": Probe(None)}, "liveness_probe.action", "ProbeAction"),  # type: ignore[arg-type]
        (
            {"liveness_probe": Probe(ProbeAction.EXEC, command="true")},  # type: ignore[arg-type]
            "liveness_probe.command",
            "must be a list of words",
        ),
        (
            {"ports": [ContainerPort("dns", 5353, Protocol.UDP)]},
            "readiness_probe",
            "connect over TCP",
        ),
        (
            {
                "ports": [ContainerPort("http", 8080), ContainerPort("dns", 5353, Protocol.UDP)],
                "liveness_probe": Probe.tcp(port="dns"),
            },
            "liveness_probe.port",
            "port 'dns' is UDP",
        ),
        (
            {
                "ports": [ContainerPort("sctp", 9000, Protocol.SCTP)],
                "readiness_probe": Probe.http(port="sctp"),
                "liveness_probe": None,
            },
            "readiness_probe.port",
            "is SCTP",
        ),
    ],
)
def test_bad_prop_raises_clear_error(
    chart: Chart, props: dict[str, Any], prop: str, fragment: str
) -> None:
    arguments: dict[str, Any] = {"name": "web", "image": IMAGE, **props}
    with pytest.raises(InvalidPropError) as caught:
        StatelessApp(chart, "web", **arguments)
    error = caught.value
    assert error.construct == "StatelessApp"
    assert error.path == "test/web"
    assert error.prop == prop
    assert fragment in str(error)
    assert str(error).startswith("StatelessApp 'test/web': invalid ")


@pytest.mark.parametrize(
    "props",
    [
        {"name": "a" * 63},
        {"replicas": 0},
        {"replicas": 2**31 - 1},
        {"run_as_user": 1, "run_as_group": 0},
        {"run_as_user": 2**31 - 1},
        {"max_surge": 0, "max_unavailable": 1},
        {"max_surge": "100%", "max_unavailable": "100%"},
        {"resources": Resources(cpu_request="500m", cpu_limit="0.5")},
        {"resources": Resources(memory_request="1Gi", memory_limit="1024Mi")},
        {"ports": [ContainerPort("a" * 15, 1), ContainerPort("b", 65535)]},
        {"image": "registry.example.com:5000/team/web@sha256:" + "a" * 64},
        {"env": {"EMPTY": "", "YES": "yes", "OCTAL": "0777"}},
    ],
    ids=",".join,
)
def test_boundary_props_pass_schema(chart: Chart, props: dict[str, Any]) -> None:
    arguments: dict[str, Any] = {"name": "web", "image": IMAGE, **props}
    StatelessApp(chart, "web", **arguments)
    assert schema_errors(synth_manifests(chart)) == []


@pytest.mark.parametrize("command", ["true", b"true"])
def test_probe_rejects_string_command(command: Any) -> None:
    with pytest.raises(InvalidPropError) as caught:
        Probe.command_succeeds(command)
    assert caught.value.construct == "Probe"
    assert caught.value.prop == "command"
    assert "not a string" in str(caught.value)


def test_probe_on_udp_port_allows_exec(chart: Chart) -> None:
    exec_probe = Probe.command_succeeds(["true"])
    StatelessApp(
        chart,
        "web",
        name="web",
        image=IMAGE,
        ports=[ContainerPort("dns", 5353, Protocol.UDP)],
        readiness_probe=exec_probe,
        liveness_probe=exec_probe,
    )
    probe = container_of(chart)["readinessProbe"]
    assert probe["exec"] == {"command": ["true"]}


def test_port_lookup_names_declared_ports(chart: Chart) -> None:
    app = StatelessApp(chart, "web", name="web", image=IMAGE)
    assert app.port("http") == ContainerPort("http", 8080)
    with pytest.raises(NotFoundError) as caught:
        app.port("admin")
    assert isinstance(caught.value, KeyError)
    assert isinstance(caught.value, ConstructsLibError)
    assert str(caught.value) == "StatelessApp 'web' has no port 'admin'. Its ports: 'http'."


@pytest.mark.parametrize(
    ("secret_namespace", "app_namespace", "fragment"),
    [
        ("a", "b", "in namespace 'a', but the pods run in namespace 'b'"),
        (None, "b", "in no namespace"),
        ("a", None, "run in no namespace"),
    ],
)
def test_secret_env_from_other_namespace(
    app: App, secret_namespace: str | None, app_namespace: str | None, fragment: str
) -> None:
    secrets = Chart(app, "secrets", namespace=secret_namespace, disable_resource_name_hashes=True)
    apps = Chart(app, "apps", namespace=app_namespace, disable_resource_name_hashes=True)
    secret = SecretEnv(secrets, "db", name="db", keys=["password"])
    with pytest.raises(WiringError) as caught:
        StatelessApp(apps, "web", name="web", image=IMAGE, env_from=[secret])
    message = str(caught.value)
    assert message.startswith("StatelessApp 'apps/web': env_from[0] is SecretEnv 'db'")
    assert fragment in message
    assert synth_manifests(apps) == []


def test_secret_env_from_same_namespace(app: App) -> None:
    secrets = Chart(app, "secrets", namespace="a", disable_resource_name_hashes=True)
    apps = Chart(app, "apps", namespace="a", disable_resource_name_hashes=True)
    secret = SecretEnv(secrets, "db", name="db", keys=["password"])
    StatelessApp(apps, "web", name="web", image=IMAGE, env_from=[secret])
    (env,) = container_of(apps)["env"]
    assert env["valueFrom"]["secretKeyRef"]["name"] == "db"


def test_bad_prop_defines_nothing(chart: Chart) -> None:
    with pytest.raises(InvalidPropError):
        StatelessApp(chart, "web", name="web", image="nginx")
    assert synth_manifests(chart) == []
