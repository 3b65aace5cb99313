"""Reject synthesized objects that would overwrite each other in a cluster.

Two objects with the same kind, namespace and name are one object to the API
server: ``kubectl apply`` creates the first and then replaces it with the
second. The constructs cannot see each other's names when they are defined,
so the check runs on the synthesized manifests, before they are published.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from constructs_lib.errors import DuplicateObjectError
from constructs_lib.validation import dns1123_label_problems

Manifest = dict[str, Any]


def check_unique_objects(manifests: Iterable[Manifest], where: str) -> None:
    """Raise DuplicateObjectError if two manifests name the same object.

    Objects are the same when their API group, kind, namespace and name are.
    A namespace that is not a valid Namespace name is reported too, because
    the chart's ``namespace`` prop reaches the manifests unchecked.

    Args:
        manifests: The synthesized objects, for example of one app.
        where: What the manifests belong to, for the message, such as
            ``"app dist/dev"``.
    """
    seen: set[tuple[str, str, str, str]] = set()
    for manifest in manifests:
        metadata = manifest.get("metadata", {})
        name = str(metadata.get("name"))
        namespace = metadata.get("namespace")
        kind = str(manifest.get("kind"))
        group = str(manifest.get("apiVersion", "")).rpartition("/")[0]
        if namespace is not None:
            problems = dns1123_label_problems(str(namespace))
            if problems:
                raise DuplicateObjectError(
                    f"{where}: {kind} {name!r} has the invalid namespace {namespace!r}: "
                    f"{'; '.join(problems)}. Fix the namespace prop of its chart."
                )
        key = (group, kind, str(namespace or ""), name)
        if key in seen:
            location = f"namespace {namespace!r}" if namespace else "the default namespace"
            raise DuplicateObjectError(
                f"{where}: two {kind} objects are named {name!r} in {location}, so applying "
                "the second would replace the first. Give one of them another name."
            )
        seen.add(key)
