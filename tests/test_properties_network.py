"""Random props of RestrictedNamespace, WorkloadNetworkPolicy and an ExposedService's Ingress.

Each example either raises ConstructsLibError or synthesizes manifests that
:func:`tests.properties.check_safe` accepts, and that keep the construct's
promises: the namespace enforces "restricted", the policy lists each rule
once, and the Ingress controller may reach every backend port.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cdk8s import Chart
from hypothesis import strategies as st

from constructs_lib import (
    ContainerPort,
    ExposedService,
    NetworkPolicySettings,
    RecommendedLabels,
    RestrictedNamespace,
    StatelessApp,
    WorkloadNetworkPolicy,
)
from constructs_lib._network import render_peer
from constructs_lib.testing import synth_manifests
from tests.properties import EXAMPLES, run_property
from tests.strategies import label_keys, label_values, mostly, names, port_numbers
from tests.strategies_network import ingresses, policy_settings, rules

RESERVED_LABELS = (
    "pod-security.kubernetes.io/enforce",
    "pod-security.kubernetes.io/enforce-version",
    "app.kubernetes.io/managed-by",
)


@st.composite
def namespace_props(draw: st.DrawFn) -> dict[str, Any]:
    keys = st.one_of(label_keys(), st.sampled_from(RESERVED_LABELS))
    # A namespace has only two props, so invalid names are drawn more often than by names().
    invalid_names = st.sampled_from(["a" * 64, "Team", "kube_system", "a.b", "", "-a"])
    return {
        "name": draw(st.one_of(names(), names(), invalid_names)),
        "labels": draw(st.one_of(st.none(), st.dictionaries(keys, label_values(), max_size=3))),
    }


def test_restricted_namespace_props(tmp_path: Path) -> None:
    def define(chart: Chart, props: dict[str, Any]) -> None:
        RestrictedNamespace(chart, "namespace", **props)
        (namespace,) = synth_manifests(chart)
        labels = namespace["metadata"]["labels"]
        for key, value in (props["labels"] or {}).items():
            if key not in RESERVED_LABELS:
                assert labels[key] == value

    outcomes = run_property(tmp_path, namespace_props(), define, lambda props: set())
    print(f"RestrictedNamespace: {outcomes.synthesized} synthesized, {outcomes.rejected} rejected")
    assert outcomes.synthesized >= EXAMPLES // 20
    assert outcomes.rejected >= EXAMPLES // 20


@st.composite
def policy_props(draw: st.DrawFn) -> dict[str, Any]:
    labels = RecommendedLabels(
        name=draw(mostly(st.just("worker"), label_values())),
        instance=draw(mostly(st.just("worker"), label_values())),
        component=draw(label_values()),
        part_of=draw(label_values()),
        extra=draw(st.dictionaries(label_keys(), label_values(), max_size=2)),
    )
    return {
        "name": draw(names()),
        "labels": labels,
        "settings": draw(st.one_of(st.none(), policy_settings())),
        "added_ingress": draw(st.lists(rules(), max_size=2)),
        "added_egress": draw(st.lists(rules(), max_size=2)),
    }


def test_workload_network_policy_props(tmp_path: Path) -> None:
    def define(chart: Chart, props: dict[str, Any]) -> None:
        policy = WorkloadNetworkPolicy(
            chart, "policy", name=props["name"], labels=props["labels"], settings=props["settings"]
        )
        for rule in props["added_ingress"]:
            policy.allow_ingress(rule)
        for rule in props["added_egress"]:
            policy.allow_egress(rule)
        (manifest,) = synth_manifests(chart)
        spec = manifest["spec"]
        assert spec["podSelector"]["matchLabels"] == props["labels"].selector
        for direction in ("ingress", "egress"):
            rendered = spec.get(direction, [])
            assert len(rendered) == len({repr(rule) for rule in rendered})
        settings = props["settings"] or NetworkPolicySettings()
        assert ("egress" in spec) == settings.restrict_egress
        assert spec["policyTypes"][0] == "Ingress"

    outcomes = run_property(tmp_path, policy_props(), define, lambda props: set())
    print(f"NetworkPolicy: {outcomes.synthesized} synthesized, {outcomes.rejected} rejected")
    assert outcomes.synthesized >= EXAMPLES // 20
    assert outcomes.rejected >= EXAMPLES // 20


@st.composite
def ingress_props(draw: st.DrawFn) -> dict[str, Any]:
    port_names = draw(
        st.lists(st.sampled_from(["http", "metrics", "grpc"]), min_size=1, max_size=3, unique=True)
    )
    numbers = draw(
        st.lists(port_numbers(), min_size=len(port_names), max_size=len(port_names), unique=True)
    )
    return {
        "ports": [
            ContainerPort(name, number) for name, number in zip(port_names, numbers, strict=True)
        ],
        "ingress": draw(ingresses(port_names)),
    }


def test_exposed_service_ingress_props(tmp_path: Path) -> None:
    def define(chart: Chart, props: dict[str, Any]) -> None:
        app = StatelessApp(
            chart,
            "web",
            name="web",
            image="ghcr.io/example/web:1.0.0",
            ports=props["ports"],
            readiness_probe=None,
            liveness_probe=None,
        )
        ingress = props["ingress"]
        ExposedService(chart, "svc", app=app, name="web-svc", ingress=ingress)
        manifests = synth_manifests(chart)
        (policy,) = [m for m in manifests if m["kind"] == "NetworkPolicy"]
        numbers = {port.name: port.number for port in props["ports"]}
        backends = {entry.port or props["ports"][0].name for entry in ingress.paths}
        admitted = [
            port["port"]
            for rule in policy["spec"]["ingress"]
            if rule.get("from") == [render_peer(ingress.controller)]
            for port in rule["ports"]
        ]
        assert sorted(admitted) == sorted(numbers[name] for name in backends)

    outcomes = run_property(
        tmp_path, ingress_props(), define, lambda props: {"CKV_K8S_8", "CKV_K8S_9"}
    )
    print(f"Ingress: {outcomes.synthesized} synthesized, {outcomes.rejected} rejected")
    assert outcomes.synthesized >= EXAMPLES // 20
    assert outcomes.rejected >= EXAMPLES // 20
    assert outcomes.unexplained_checkov_failures() == []
