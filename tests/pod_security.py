"""The Pod Security Standards "restricted" profile, as checks on a pod spec.

Every control of the baseline and restricted profiles at
https://kubernetes.io/docs/concepts/security/pod-security-standards/ is one
function here. Each follows the admission plugin's check of the same name in
staging/src/k8s.io/pod-security-admission/policy/ of kubernetes/kubernetes.
Where the allowed values grew between Kubernetes releases (sysctls, SELinux
types), the list of the oldest release is used, so a pod that passes here is
admitted by every release.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from tests.manifests import PodTemplate

Json = dict[str, Any]
Check = Callable[[PodTemplate], list[str]]

BASELINE_CAPABILITIES = frozenset(
    {
        "AUDIT_WRITE",
        "CHOWN",
        "DAC_OVERRIDE",
        "FOWNER",
        "FSETID",
        "KILL",
        "MKNOD",
        "NET_BIND_SERVICE",
        "SETFCAP",
        "SETGID",
        "SETPCAP",
        "SETUID",
        "SYS_CHROOT",
    }
)
SAFE_SYSCTLS = frozenset(
    {
        "kernel.shm_rmid_forced",
        "net.ipv4.ip_local_port_range",
        "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range",
        "net.ipv4.ip_unprivileged_port_start",
    }
)
SELINUX_TYPES = frozenset({"", "container_t", "container_init_t", "container_kvm_t"})
RESTRICTED_VOLUME_SOURCES = frozenset(
    {
        "configMap",
        "csi",
        "downwardAPI",
        "emptyDir",
        "ephemeral",
        "persistentVolumeClaim",
        "projected",
        "secret",
    }
)
CONFINED_PROFILES = frozenset({"RuntimeDefault", "Localhost"})


def containers(pod: PodTemplate) -> Iterator[Json]:
    """Yield containers, init containers and ephemeral containers."""
    for field in ("containers", "initContainers", "ephemeralContainers"):
        yield from pod.spec.get(field) or []


def _pod_context(pod: PodTemplate) -> Json:
    context: Json = pod.spec.get("securityContext") or {}
    return context


def _context(container: Json) -> Json:
    context: Json = container.get("securityContext") or {}
    return context


def host_process(pod: PodTemplate) -> list[str]:
    """check_windowsHostProcess.go: hostProcess must be unset or false."""
    contexts = [("pod", _pod_context(pod))]
    contexts.extend((c["name"], _context(c)) for c in containers(pod))
    return [
        f"{name} sets windowsOptions.hostProcess"
        for name, context in contexts
        if (context.get("windowsOptions") or {}).get("hostProcess")
    ]


def host_namespaces(pod: PodTemplate) -> list[str]:
    """check_hostNamespaces.go: hostNetwork, hostPID and hostIPC must be unset or false."""
    return [
        f"sets {field}" for field in ("hostNetwork", "hostPID", "hostIPC") if pod.spec.get(field)
    ]


def privileged(pod: PodTemplate) -> list[str]:
    """check_privileged.go: privileged must be unset or false."""
    return [f"{c['name']} is privileged" for c in containers(pod) if _context(c).get("privileged")]


def capabilities_baseline(pod: PodTemplate) -> list[str]:
    """check_capabilities_baseline.go: only the default capabilities may be added."""
    problems = []
    for container in containers(pod):
        added = set((_context(container).get("capabilities") or {}).get("add") or [])
        if added - BASELINE_CAPABILITIES:
            problems.append(f"{container['name']} adds {sorted(added - BASELINE_CAPABILITIES)}")
    return problems


def host_path_volumes(pod: PodTemplate) -> list[str]:
    """check_hostPathVolumes.go: no hostPath volumes."""
    return [
        f"volume {v['name']} is a hostPath"
        for v in pod.spec.get("volumes") or []
        if "hostPath" in v
    ]


def host_ports(pod: PodTemplate) -> list[str]:
    """check_hostPorts.go: hostPort must be unset or 0."""
    return [
        f"{c['name']} uses hostPort {p['hostPort']}"
        for c in containers(pod)
        for p in c.get("ports") or []
        if p.get("hostPort")
    ]


def app_armor(pod: PodTemplate) -> list[str]:
    """check_appArmorProfile.go: profiles must be RuntimeDefault or Localhost, if set."""
    contexts = [("pod", _pod_context(pod))]
    contexts.extend((c["name"], _context(c)) for c in containers(pod))
    problems = [
        f"{name} sets appArmorProfile {context['appArmorProfile']}"
        for name, context in contexts
        if "appArmorProfile" in context
        and context["appArmorProfile"].get("type") not in CONFINED_PROFILES
    ]
    prefix = "container.apparmor.security.beta.kubernetes.io/"
    for key, value in (pod.metadata.get("annotations") or {}).items():
        if (
            key.startswith(prefix)
            and value != "runtime/default"
            and not value.startswith("localhost/")
        ):
            problems.append(f"annotation {key} is {value}")
    return problems


def se_linux(pod: PodTemplate) -> list[str]:
    """check_seLinuxOptions.go: only container types, and no user or role."""
    contexts = [("pod", _pod_context(pod))]
    contexts.extend((c["name"], _context(c)) for c in containers(pod))
    problems = []
    for name, context in contexts:
        options = context.get("seLinuxOptions") or {}
        if (
            options.get("type", "") not in SELINUX_TYPES
            or options.get("user")
            or options.get("role")
        ):
            problems.append(f"{name} sets seLinuxOptions {options}")
    return problems


def proc_mount(pod: PodTemplate) -> list[str]:
    """check_procMount.go: procMount must be unset or Default."""
    return [
        f"{c['name']} sets procMount {_context(c)['procMount']}"
        for c in containers(pod)
        if _context(c).get("procMount", "Default") != "Default"
    ]


def seccomp_baseline(pod: PodTemplate) -> list[str]:
    """check_seccompProfile_baseline.go: no Unconfined seccomp profile."""
    contexts = [("pod", _pod_context(pod))]
    contexts.extend((c["name"], _context(c)) for c in containers(pod))
    return [
        f"{name} is Unconfined"
        for name, context in contexts
        if (context.get("seccompProfile") or {}).get("type") == "Unconfined"
    ]


def sysctls(pod: PodTemplate) -> list[str]:
    """check_sysctls.go: only the safe sysctls."""
    return [
        f"sets sysctl {s['name']}"
        for s in _pod_context(pod).get("sysctls") or []
        if s["name"] not in SAFE_SYSCTLS
    ]


def probe_hosts(pod: PodTemplate) -> list[str]:
    """check_hostProbesAndhostLifecycle.go: probes and lifecycle handlers set no host."""
    problems = []
    for container in containers(pod):
        handlers = [container.get(p) for p in ("livenessProbe", "readinessProbe", "startupProbe")]
        lifecycle = container.get("lifecycle") or {}
        handlers.extend(lifecycle.get(h) for h in ("postStart", "preStop"))
        for handler in filter(None, handlers):
            for action in ("httpGet", "tcpSocket"):
                if (handler.get(action) or {}).get("host"):
                    problems.append(f"{container['name']} {action} sets a host")
    return problems


def restricted_volumes(pod: PodTemplate) -> list[str]:
    """check_restrictedVolumes.go: only the listed volume sources."""
    problems = []
    for volume in pod.spec.get("volumes") or []:
        sources = set(volume) - {"name"}
        if not sources <= RESTRICTED_VOLUME_SOURCES:
            problems.append(f"volume {volume['name']} uses {sorted(sources)}")
    return problems


def privilege_escalation(pod: PodTemplate) -> list[str]:
    """check_allowPrivilegeEscalation.go: allowPrivilegeEscalation must be false."""
    return [
        f"{c['name']} does not set allowPrivilegeEscalation: false"
        for c in containers(pod)
        if _context(c).get("allowPrivilegeEscalation") is not False
    ]


def run_as_non_root(pod: PodTemplate) -> list[str]:
    """check_runAsNonRoot.go: runAsNonRoot true on the pod or on every container."""
    pod_value = _pod_context(pod).get("runAsNonRoot")
    problems = []
    for container in containers(pod):
        value = _context(container).get("runAsNonRoot")
        if value is False or (value is None and pod_value is not True):
            problems.append(f"{container['name']} may run as root")
    if pod_value is False:
        problems.append("pod sets runAsNonRoot: false")
    return problems


def run_as_user(pod: PodTemplate) -> list[str]:
    """check_runAsUser.go: runAsUser must not be 0."""
    contexts = [("pod", _pod_context(pod))]
    contexts.extend((c["name"], _context(c)) for c in containers(pod))
    return [f"{name} runs as UID 0" for name, context in contexts if context.get("runAsUser") == 0]


def seccomp_restricted(pod: PodTemplate) -> list[str]:
    """check_seccompProfile_restricted.go: RuntimeDefault or Localhost everywhere."""
    pod_type = (_pod_context(pod).get("seccompProfile") or {}).get("type")
    problems = []
    if pod_type is not None and pod_type not in CONFINED_PROFILES:
        problems.append(f"pod seccomp profile is {pod_type}")
    for container in containers(pod):
        own_type = (_context(container).get("seccompProfile") or {}).get("type")
        effective = own_type if own_type is not None else pod_type
        if effective not in CONFINED_PROFILES:
            problems.append(f"{container['name']} seccomp profile is {effective}")
    return problems


def capabilities_restricted(pod: PodTemplate) -> list[str]:
    """check_capabilities_restricted.go: drop ALL, add at most NET_BIND_SERVICE."""
    problems = []
    for container in containers(pod):
        capabilities = _context(container).get("capabilities") or {}
        if "ALL" not in (capabilities.get("drop") or []):
            problems.append(f"{container['name']} does not drop ALL capabilities")
        if set(capabilities.get("add") or []) - {"NET_BIND_SERVICE"}:
            problems.append(f"{container['name']} adds {capabilities['add']}")
    return problems


RESTRICTED_CHECKS: dict[str, Check] = {
    "hostProcess": host_process,
    "hostNamespaces": host_namespaces,
    "privileged": privileged,
    "capabilities_baseline": capabilities_baseline,
    "hostPathVolumes": host_path_volumes,
    "hostPorts": host_ports,
    "appArmorProfile": app_armor,
    "seLinuxOptions": se_linux,
    "procMount": proc_mount,
    "seccompProfile_baseline": seccomp_baseline,
    "sysctls": sysctls,
    "hostProbesAndHostLifecycle": probe_hosts,
    "restrictedVolumes": restricted_volumes,
    "allowPrivilegeEscalation": privilege_escalation,
    "runAsNonRoot": run_as_non_root,
    "runAsUser": run_as_user,
    "seccompProfile_restricted": seccomp_restricted,
    "capabilities_restricted": capabilities_restricted,
}
"""Every baseline and restricted check, keyed by the admission plugin's check id."""


def restricted_violations(pod: PodTemplate) -> list[str]:
    """Return one line per violated control of the restricted profile."""
    return [
        f"{pod.where}: {check_id}: {problem}"
        for check_id, check in RESTRICTED_CHECKS.items()
        for problem in check(pod)
    ]
