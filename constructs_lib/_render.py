"""Turn a manifest built as a Python dict into a cdk8s ApiObject.

Constructs build each Kubernetes object as a plain dict, then hand it to
:func:`emit`. That keeps validation and defaults in Python, where errors are
clear, and keeps the number of calls into the jsii runtime per object small.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cdk8s import ApiObject, ApiObjectMetadata, JsonPatch
from constructs import Construct

Manifest = dict[str, Any]

_HEADER_KEYS = frozenset({"apiVersion", "kind", "metadata"})

CLUSTER_SCOPED_KINDS = frozenset({"Namespace"})
"""Kinds that the constructs emit without a namespace, even in a namespaced chart."""


def emit(scope: Construct, construct_id: str, manifest: Mapping[str, Any]) -> ApiObject:
    """Add ``manifest`` to the chart of ``scope`` as an ApiObject.

    ``manifest`` needs ``apiVersion``, ``kind`` and ``metadata.name``. The
    chart's namespace applies when the manifest sets none.
    """
    metadata = manifest["metadata"]
    api_object = ApiObject(
        scope,
        construct_id,
        api_version=manifest["apiVersion"],
        kind=manifest["kind"],
        metadata=ApiObjectMetadata(
            name=metadata["name"],
            namespace=metadata.get("namespace"),
            labels=metadata.get("labels"),
            annotations=metadata.get("annotations"),
        ),
    )
    patches = [
        JsonPatch.add(f"/{key}", value)
        for key, value in manifest.items()
        if key not in _HEADER_KEYS
    ]
    if manifest["kind"] in CLUSTER_SCOPED_KINDS and "namespace" not in metadata:
        # The chart's namespace would otherwise be written into every object.
        patches.append(JsonPatch.remove("/metadata/namespace"))
    if patches:
        api_object.add_json_patch(*patches)
    return api_object
