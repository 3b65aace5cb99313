"""The harness of the property tests: settings, outcome counts and the safety checks.

A property test feeds random props to a construct. Each example either raises
ConstructsLibError or synthesizes manifests that :func:`check_safe` accepts.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from cdk8s import App, Chart
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from constructs_lib import ConstructsLibError
from constructs_lib._yaml import dump_manifests
from constructs_lib.testing import synth_manifests
from tests.api_rules import api_rule_problems
from tests.api_rules_kinds import manifest_set_problems
from tests.manifests import Manifest, pod_templates
from tests.pod_security import restricted_violations
from tests.schema import KUBERNETES_VERSIONS, schema_errors
from tests.test_policy_gate import failed_checks, run_checkov

EXAMPLES = 300
"""Examples per construct: about 35 s each on this project's 2-core machine (one run)."""

SCHEMA_VERSIONS = (KUBERNETES_VERSIONS[0], KUBERNETES_VERSIONS[-1])
"""The oldest and newest supported versions; unit tests cover all of them."""

PROPERTY_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
"""In CI the examples are derived from the test name, so a run is repeatable."""


def opted_out_checks(props: dict[str, Any]) -> set[str]:
    """Return the checkov checks that a user turns off with these props, by design."""
    checks = set()
    if props.get("liveness_probe", ...) is None:
        checks.add("CKV_K8S_8")
    if props.get("readiness_probe", ...) is None:
        checks.add("CKV_K8S_9")
    resources = props.get("resources", ...)
    if resources is None or getattr(resources, "cpu_request", 1) is None:
        checks.add("CKV_K8S_10")
    if resources is None or getattr(resources, "cpu_limit", 1) is None:
        checks.add("CKV_K8S_11")
    if resources is None or getattr(resources, "memory_request", 1) is None:
        checks.add("CKV_K8S_12")
    if resources is None or getattr(resources, "memory_limit", 1) is None:
        checks.add("CKV_K8S_13")
    if props.get("network_policy", True) is False:
        checks.add("CKV2_K8S_6")
    return checks


@dataclass
class Outcomes:
    """What the examples of one property test did, and the files for checkov."""

    directory: Path
    synthesized: int = 0
    rejected: int = 0
    allowed_failures: dict[str, set[str]] = field(default_factory=dict)

    def record(self, manifests: list[Manifest], allowed: set[str]) -> None:
        self.synthesized += 1
        name = f"example-{self.synthesized}.k8s.yaml"
        (self.directory / name).write_text(dump_manifests(manifests), encoding="utf-8")
        self.allowed_failures[name] = allowed

    def unexplained_checkov_failures(self) -> list[str]:
        report = run_checkov(self.directory)
        unexplained = []
        for check in report["results"]["failed_checks"]:
            name = Path(check["file_path"]).name
            if check["check_id"] not in self.allowed_failures.get(name, set()):
                unexplained.append(
                    f"{name}: {failed_checks({'results': {'failed_checks': [check]}})}"
                )
        return unexplained


def check_safe(manifests: list[Manifest]) -> None:
    """Assert every property of a safe synthesis."""
    assert schema_errors(manifests, SCHEMA_VERSIONS) == []
    for manifest in manifests:
        assert api_rule_problems(manifest) == []
        for template in pod_templates(manifest):
            assert restricted_violations(template) == []
    assert manifest_set_problems(manifests) == []
    assert list(yaml.safe_load_all(dump_manifests(manifests))) == manifests


def fresh_chart(directory: Path, namespace: str | None = None) -> Chart:
    return Chart(
        App(outdir=str(directory)),
        "test",
        namespace=namespace,
        disable_resource_name_hashes=True,
    )


def run_property(
    tmp_path: Path,
    strategy: st.SearchStrategy[dict[str, Any]],
    define: Callable[[Chart, dict[str, Any]], None],
    allowed_checks: Callable[[dict[str, Any]], set[str]] = opted_out_checks,
    examples: int = EXAMPLES,
) -> Outcomes:
    """Run ``define`` on every example of ``strategy`` and check each outcome.

    ``allowed_checks`` returns the checkov checks that an example's props
    turn off by design. The chart has the namespace ``props["chart_namespace"]``
    when the strategy draws one, and none otherwise.
    """
    outcomes = Outcomes(tmp_path / "examples")
    outcomes.directory.mkdir()

    @settings(PROPERTY_SETTINGS, max_examples=examples)
    @given(props=strategy)
    def example(props: dict[str, Any]) -> None:
        chart = fresh_chart(tmp_path / "unused", props.get("chart_namespace"))
        try:
            define(chart, props)
        except ConstructsLibError:
            outcomes.rejected += 1
            return
        manifests = synth_manifests(chart)
        check_safe(manifests)
        outcomes.record(manifests, allowed_checks(props))

    example()
    return outcomes
