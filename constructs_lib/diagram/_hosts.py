"""Find Service host names in container env values, commands and arguments."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# Kubernetes expands $(VAR) in env values, command and args, and turns $$ into $.
_KUBERNETES_REFERENCE = re.compile(r"\$\$|\$\(([-._a-zA-Z][-._a-zA-Z0-9]*)\)")
# A shell in the container expands $VAR and ${VAR} of a "sh -c" script.
_SHELL_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")
# A host name ends where no further DNS character or dot follows.
_HOST_END = r"(?![-A-Za-z0-9_.])"
_HOST_START = r"(?<![-A-Za-z0-9_.])"


def expand_references(text: str, values: Mapping[str, str]) -> str:
    """Expand ``$(VAR)`` the way the kubelet does: unknown variables stay as written."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return "$"
        return values.get(name, match.group(0))

    return _KUBERNETES_REFERENCE.sub(replace, text)


def expand_shell_references(text: str, values: Mapping[str, str]) -> str:
    """Expand ``$VAR`` and ``${VAR}`` with known values, for scripts run through a shell."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        return values.get(name, match.group(0))

    return _SHELL_REFERENCE.sub(replace, text)


def container_texts(container: Mapping[str, Any]) -> list[str]:
    """Return the container's literal env values, command and args, with variables expanded.

    An env value can refer only to variables defined before it, as in Kubernetes.
    Values that come from a Secret or ConfigMap are unknown and stay as written.
    """
    values: dict[str, str] = {}
    texts: list[str] = []
    for entry in container.get("env") or []:
        if isinstance(entry.get("value"), str) and entry.get("name"):
            expanded = expand_references(entry["value"], values)
            values[entry["name"]] = expanded
            texts.append(expanded)
    for key in ("command", "args"):
        for item in container.get(key) or []:
            if isinstance(item, str):
                texts.append(expand_shell_references(expand_references(item, values), values))
    return texts


def names_host(text: str, service: str, namespace: str, *, same_namespace: bool) -> bool:
    """Return whether ``text`` names the host of Service ``service``.

    Accepted forms are ``service`` (only from ``same_namespace``),
    ``service.ns``, ``service.ns.svc`` and ``service.ns.svc.cluster.local``.
    ``ns`` must be ``namespace`` when it is known. When it is empty, any
    namespace is accepted in the forms that end in ``.svc``, because a bare
    ``service.word`` is more often a module path or an outside domain.
    """
    # NOTE: the match is textual, so a Service named like a plain word that also
    # occurs alone in a value (a Service "web" and MODE=web) gets a false edge.
    name = re.escape(service)
    forms: list[str] = []
    if namespace:
        forms.append(rf"{name}\.{re.escape(namespace)}(?:\.svc(?:\.cluster\.local)?)?")
    else:
        forms.append(rf"{name}\.[a-z0-9]([-a-z0-9]*[a-z0-9])?\.svc(?:\.cluster\.local)?")
    if same_namespace:
        forms.append(name)
    pattern = _HOST_START + "(?:" + "|".join(forms) + ")" + _HOST_END
    return re.search(pattern, text) is not None
