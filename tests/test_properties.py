"""Random props either synthesize safe manifests or raise ConstructsLibError, nothing else.

"Safe" means five things. Strict schema validation passes, every API server
rule in tests/api_rules.py holds and every reference between the manifests
resolves, the YAML text loads back to the same
objects, and every pod template meets the "restricted" profile. checkov, run
once over all synthesized examples, fails no check except those skipped in
.checkov.yaml and those the props turned off on purpose, such as a removed
liveness probe.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cdk8s import Chart
from hypothesis import strategies as st

from constructs_lib import ContainerPort, ExposedService, StatelessApp
from tests.properties import EXAMPLES, run_property
from tests.strategies import exposed_service_props, stateless_app_props


def test_stateless_app_props(tmp_path: Path) -> None:
    def define(chart: Chart, props: dict[str, Any]) -> None:
        StatelessApp(chart, "web", **props)

    outcomes = run_property(tmp_path, stateless_app_props(), define)
    print(f"StatelessApp: {outcomes.synthesized} synthesized, {outcomes.rejected} rejected")
    assert outcomes.synthesized >= EXAMPLES // 20
    assert outcomes.rejected >= EXAMPLES // 20
    assert outcomes.unexplained_checkov_failures() == []


@st.composite
def app_and_service_props(draw: st.DrawFn) -> dict[str, Any]:
    ports = draw(
        st.lists(
            st.sampled_from(["http", "metrics", "grpc", "dns"]), min_size=0, max_size=3, unique=True
        )
    )
    numbers = draw(
        st.lists(st.integers(1, 65535), min_size=len(ports), max_size=len(ports), unique=True)
    )
    return {
        "app_ports": [
            ContainerPort(name, number) for name, number in zip(ports, numbers, strict=True)
        ],
        "service": draw(exposed_service_props(ports)),
    }


def test_exposed_service_props(tmp_path: Path) -> None:
    def define(chart: Chart, props: dict[str, Any]) -> None:
        app = StatelessApp(
            chart,
            "web",
            name="web",
            image="ghcr.io/example/web:1.0.0",
            ports=props["app_ports"],
            readiness_probe=None,
            liveness_probe=None,
        )
        ExposedService(chart, "svc", app=app, **props["service"])

    outcomes = run_property(tmp_path, app_and_service_props(), define)
    print(f"ExposedService: {outcomes.synthesized} synthesized, {outcomes.rejected} rejected")
    assert outcomes.synthesized >= EXAMPLES // 20
    assert outcomes.rejected >= EXAMPLES // 20
    # The app is fixed without probes, so only those two checks may fail.
    for name in outcomes.allowed_failures:
        outcomes.allowed_failures[name] = {"CKV_K8S_8", "CKV_K8S_9"}
    assert outcomes.unexplained_checkov_failures() == []
