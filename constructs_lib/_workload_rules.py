"""Validation rules for workload fields: integers, user ids, rollouts and mount paths.

Part of :mod:`constructs_lib.validation`, which re-exports every public name.
"""

from __future__ import annotations

import re

__all__ = [
    "INT32_MAX",
    "UID_MAX",
    "int32_problems",
    "int_or_percent_problems",
    "mount_path_problems",
    "rolling_update_problems",
    "run_as_user_problems",
    "text_problems",
    "unix_id_problems",
]

INT32_MAX = 2**31 - 1
UID_MAX = 2**31 - 1
"""Largest UID or GID that Kubernetes 1.30 accepts; later releases allow up to 2^32-1."""

_PERCENT = re.compile(r"[0-9]+%")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def int32_problems(value: int, *, minimum: int = 0) -> list[str]:
    """Check an int32 API field such as replicas or a probe's periodSeconds.

    Source: the int32 fields of k8s.io/api, which reject larger values when
    decoded, and ValidateNonnegativeField in
    k8s.io/apimachinery/pkg/api/validation/generic.go for the minimum of 0.
    Callers pass a higher ``minimum`` where 0 would be replaced by a default.
    """
    if not _is_int(value):
        return [f"must be an integer, not {type(value).__name__}"]
    if not minimum <= value <= INT32_MAX:
        return [f"must be between {minimum} and {INT32_MAX}, inclusive"]
    return []


def unix_id_problems(value: int) -> list[str]:
    """Check a UID or GID for runAsUser, runAsGroup or fsGroup.

    Source: IsValidUserID and IsValidGroupID in
    k8s.io/apimachinery/pkg/util/validation/validation.go, which allow 0 to
    2147483647 in Kubernetes 1.30 (later releases allow up to 4294967295).
    """
    if not _is_int(value):
        return [f"must be an integer, not {type(value).__name__}"]
    if not 0 <= value <= UID_MAX:
        return [f"must be between 0 and {UID_MAX}, inclusive"]
    return []


def run_as_user_problems(value: int) -> list[str]:
    """Check runAsUser for a pod that sets ``runAsNonRoot: true``.

    UID 0 passes the API server, but the kubelet then refuses to start the
    container, and the Pod Security Standards "restricted" profile rejects it
    (check_runAsUser.go in staging/src/k8s.io/pod-security-admission/policy).
    """
    problems = unix_id_problems(value)
    if not problems and value == 0:
        problems.append("must not be 0 (root), because the pod runs as non-root")
    return problems


def int_or_percent_problems(value: int | str) -> list[str]:
    """Check an IntOrString such as maxSurge: a non-negative integer or ``<digits>%``.

    Source: ValidatePositiveIntOrPercent in
    pkg/apis/apps/validation/validation.go and IsValidPercent in
    k8s.io/apimachinery/pkg/util/validation/validation.go.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return int32_problems(value)
    if isinstance(value, str):
        if _PERCENT.fullmatch(value):
            return []
        return ["must be a whole number of pods or a percentage such as '25%'"]
    return [f"must be an integer or a percentage string, not {type(value).__name__}"]


def _int_or_percent_is_zero(value: int | str) -> bool:
    if isinstance(value, str):
        return int(value[:-1]) == 0
    return value == 0


def rolling_update_problems(max_surge: int | str, max_unavailable: int | str) -> list[str]:
    """Check a Deployment's rollingUpdate maxSurge and maxUnavailable together.

    Source: ValidateRollingUpdateDeployment in
    pkg/apis/apps/validation/validation.go: each must be a valid
    IntOrPercent, maxUnavailable must not be more than 100%, and both must not
    be 0, because a rollout could then never make progress.
    """
    problems = [f"max_surge {p}" for p in int_or_percent_problems(max_surge)]
    problems.extend(f"max_unavailable {p}" for p in int_or_percent_problems(max_unavailable))
    if problems:
        return problems
    if isinstance(max_unavailable, str) and int(max_unavailable[:-1]) > 100:
        problems.append("max_unavailable must not be more than 100%")
    if _int_or_percent_is_zero(max_surge) and _int_or_percent_is_zero(max_unavailable):
        problems.append("max_unavailable may not be 0 when max_surge is 0")
    return problems


def mount_path_problems(value: str) -> list[str]:
    """Check a path that the library mounts a volume at.

    ValidateVolumeMounts in pkg/apis/core/validation/validation.go requires a
    non-empty, unique mount path, and older releases rejected ':' in it. This
    library also requires an absolute path. It rejects '..' components, which
    the runtime resolves to another directory than the one written, and '/'
    itself, which would hide the whole image.
    """
    problems = text_problems(value)
    if not value.startswith("/"):
        problems.append("must be an absolute path")
    if ":" in value:
        problems.append("must not contain ':'")
    if ".." in value.split("/"):
        problems.append("must not contain a '..' component")
    if value.strip("/") == "":
        problems.append("must not be '/'")
    return problems


def text_problems(value: str) -> list[str]:
    """Check a string that a container receives: an env value, command or argument.

    This rule is the library's own: ValidateEnv in
    pkg/apis/core/validation/validation.go checks an EnvVar's name and
    valueFrom but not its value. A NUL character cannot pass through execve,
    so the container fails to start. A lone surrogate cannot be encoded as
    UTF-8, so no manifest could carry it.
    """
    problems: list[str] = []
    if "\x00" in value:
        problems.append("must not contain a NUL character")
    if any("\ud800" <= char <= "\udfff" for char in value):
        problems.append("must not contain a lone surrogate, which UTF-8 cannot encode")
    return problems
