"""Every pod template this repository synthesizes meets the "restricted" profile."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cdk8s import Chart

from constructs_lib import StatelessApp
from constructs_lib.testing import synth_manifests
from tests.manifests import PodTemplate, all_built_manifests, pod_templates
from tests.pod_security import RESTRICTED_CHECKS, restricted_violations

Json = dict[str, Any]


def test_every_built_pod_is_restricted(tmp_path: Path) -> None:
    templates = [t for m in all_built_manifests(tmp_path) for t in pod_templates(m)]
    assert templates, "main.build() produced no pod template to check"
    for template in templates:
        assert restricted_violations(template) == [], template.where


def compliant_pod(chart: Chart) -> PodTemplate:
    StatelessApp(chart, "web", name="web", image="ghcr.io/example/web:1.0.0", run_as_user=1000)
    (deployment,) = [m for m in synth_manifests(chart) if m["kind"] == "Deployment"]
    (template,) = pod_templates(deployment)
    return template


def with_init_container(spec: Json) -> None:
    init = copy.deepcopy(spec["containers"][0])
    init["name"] = "init"
    init["securityContext"]["allowPrivilegeEscalation"] = True
    spec["initContainers"] = [init]


def container_context(spec: Json) -> Json:
    context: Json = spec["containers"][0]["securityContext"]
    return context


MUTATIONS: list[tuple[str, Callable[[Json], object]]] = [
    ("hostProcess", lambda s: s["securityContext"].update(windowsOptions={"hostProcess": True})),
    ("hostNamespaces", lambda s: s.update(hostNetwork=True)),
    ("hostNamespaces", lambda s: s.update(hostPID=True)),
    ("hostNamespaces", lambda s: s.update(hostIPC=True)),
    ("privileged", lambda s: container_context(s).update(privileged=True)),
    (
        "capabilities_baseline",
        lambda s: container_context(s)["capabilities"].update(add=["NET_RAW"]),
    ),
    ("hostPathVolumes", lambda s: s["volumes"].append({"name": "h", "hostPath": {"path": "/"}})),
    ("hostPorts", lambda s: s["containers"][0]["ports"][0].update(hostPort=80)),
    (
        "appArmorProfile",
        lambda s: container_context(s).update(appArmorProfile={"type": "Unconfined"}),
    ),
    ("seLinuxOptions", lambda s: container_context(s).update(seLinuxOptions={"type": "spc_t"})),
    ("seLinuxOptions", lambda s: s["securityContext"].update(seLinuxOptions={"user": "root"})),
    ("procMount", lambda s: container_context(s).update(procMount="Unmasked")),
    (
        "seccompProfile_baseline",
        lambda s: s["securityContext"].update(seccompProfile={"type": "Unconfined"}),
    ),
    (
        "sysctls",
        lambda s: s["securityContext"].update(sysctls=[{"name": "kernel.msgmax", "value": "1"}]),
    ),
    (
        "hostProbesAndHostLifecycle",
        lambda s: s["containers"][0]["livenessProbe"]["httpGet"].update(host="10.0.0.1"),
    ),
    (
        "restrictedVolumes",
        lambda s: s["volumes"].append({"name": "n", "nfs": {"server": "x", "path": "/"}}),
    ),
    ("allowPrivilegeEscalation", lambda s: container_context(s).pop("allowPrivilegeEscalation")),
    ("allowPrivilegeEscalation", with_init_container),
    ("runAsNonRoot", lambda s: container_context(s).update(runAsNonRoot=False)),
    (
        "runAsNonRoot",
        lambda s: (
            s["securityContext"].pop("runAsNonRoot"),
            container_context(s).pop("runAsNonRoot"),
        ),
    ),
    ("runAsUser", lambda s: container_context(s).update(runAsUser=0)),
    ("runAsUser", lambda s: s["securityContext"].update(runAsUser=0)),
    (
        "seccompProfile_restricted",
        lambda s: (
            s["securityContext"].pop("seccompProfile"),
            container_context(s).pop("seccompProfile"),
        ),
    ),
    (
        "capabilities_restricted",
        lambda s: container_context(s)["capabilities"].update(drop=["NET_RAW"]),
    ),
    (
        "capabilities_restricted",
        lambda s: container_context(s)["capabilities"].update(add=["CHOWN"]),
    ),
]


def test_compliant_pod_has_no_violation(chart: Chart) -> None:
    assert restricted_violations(compliant_pod(chart)) == []


@pytest.mark.parametrize(("check_id", "mutate"), MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_check_detects_violation(
    chart: Chart, check_id: str, mutate: Callable[[Json], object]
) -> None:
    pod = compliant_pod(chart)
    spec = copy.deepcopy(pod.spec)
    mutate(spec)
    violated = RESTRICTED_CHECKS[check_id](PodTemplate(pod.where, pod.metadata, spec))
    assert violated != []


def test_every_check_has_a_violation_case() -> None:
    assert {check_id for check_id, _ in MUTATIONS} == set(RESTRICTED_CHECKS)


def test_apparmor_annotation_detected(chart: Chart) -> None:
    pod = compliant_pod(chart)
    annotations = {"container.apparmor.security.beta.kubernetes.io/web": "unconfined"}
    metadata = {**pod.metadata, "annotations": annotations}
    assert RESTRICTED_CHECKS["appArmorProfile"](PodTemplate(pod.where, metadata, pod.spec)) != []
