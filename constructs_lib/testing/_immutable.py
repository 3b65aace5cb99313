"""Compare the fields that Kubernetes refuses to update with a previous synth output."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

try:
    import yaml
except ImportError as err:  # pragma: no cover - depends on the environment
    raise ImportError(
        "constructs_lib.testing needs PyYAML: pip install 'constructs-lib[testing]'"
    ) from err

Manifest = Mapping[str, Any]
ObjectKey = tuple[str, str, str]

IMMUTABLE_FIELDS: Mapping[str, tuple[str, ...]] = {
    "Deployment": ("spec.selector",),
    "ReplicaSet": ("spec.selector",),
    "DaemonSet": ("spec.selector",),
    # The API server allows updates only to replicas, ordinals, template,
    # updateStrategy, revisionHistoryLimit, persistentVolumeClaimRetentionPolicy
    # and minReadySeconds (ValidateStatefulSetUpdate in
    # pkg/apis/apps/validation/validation.go).
    "StatefulSet": (
        "spec.selector",
        "spec.serviceName",
        "spec.podManagementPolicy",
        "spec.volumeClaimTemplates",
    ),
    # A Job's pod template is immutable apart from scheduling fields of a
    # suspended Job, so a changed template needs a Job with a new name.
    "Job": ("spec.selector", "spec.template"),
    # NOTE: other immutable fields, such as a PersistentVolumeClaim's
    # storageClassName or a Service's clusterIP, are not compared.
}
"""Fields compared by :func:`assert_immutable_fields_unchanged`, by object kind.

Each entry is a dotted path from the top of the object. An update that changes
one of them fails with "field is immutable" or "Forbidden", and ``kubectl
apply`` stops there.
"""

_MISSING = object()


def immutable_field_changes(
    previous_yaml: str,
    current: Iterable[Manifest] | str,
    fields: Mapping[str, tuple[str, ...]] = IMMUTABLE_FIELDS,
) -> list[str]:
    """Return one line per immutable field that differs between two outputs.

    Objects are matched by kind, namespace and name. Objects present in only
    one of the two outputs are ignored, because creating or deleting an object
    is no update.

    Args:
        previous_yaml: Multi-document YAML text of the earlier output, such as
            a stored ``.yaml`` snapshot.
        current: The current output, as YAML text or as manifests.
        fields: Dotted field paths to compare, by kind. Default:
            :data:`IMMUTABLE_FIELDS`.
    """
    before = _index(_load(previous_yaml))
    after = _index(_load(current) if isinstance(current, str) else current)
    changes: list[str] = []
    for key, old in before.items():
        new = after.get(key)
        if new is None:
            continue
        kind, namespace, name = key
        label = f"{kind}/{namespace}/{name}" if namespace else f"{kind}/{name}"
        for path in fields.get(kind, ()):
            old_value = _lookup(old, path)
            new_value = _lookup(new, path)
            changes.extend(f"{label}: {line}" for line in _differences(path, old_value, new_value))
    return changes


def assert_immutable_fields_unchanged(
    previous_yaml: str,
    current: Iterable[Manifest] | str,
    fields: Mapping[str, tuple[str, ...]] = IMMUTABLE_FIELDS,
) -> None:
    """Raise ``AssertionError`` if an immutable field differs from the previous output.

    The message names each object and the exact field that changed, with the
    old and the new value. Pass both outputs as YAML text (``synth_yaml``) so
    that both go through the same YAML reader.

    Args:
        previous_yaml: Multi-document YAML text of the earlier output.
        current: The current output, as YAML text or as manifests.
        fields: Dotted field paths to compare, by kind. Default:
            :data:`IMMUTABLE_FIELDS`.
    """
    changes = immutable_field_changes(previous_yaml, current, fields)
    if changes:
        lines = "\n".join(f"  {change}" for change in changes)
        raise AssertionError(
            f"{len(changes)} immutable field(s) changed, so the API server would reject "
            f"the update:\n{lines}\n"
            "Revert the change, or plan to delete and re-create these objects."
        )


def _load(text: str) -> list[Manifest]:
    return [document for document in yaml.safe_load_all(text) if document is not None]


def _index(manifests: Iterable[Manifest]) -> dict[ObjectKey, Manifest]:
    index: dict[ObjectKey, Manifest] = {}
    for manifest in manifests:
        metadata = manifest.get("metadata") or {}
        key = (
            str(manifest.get("kind")),
            str(metadata.get("namespace") or ""),
            str(metadata.get("name")),
        )
        index[key] = manifest
    return index


def _lookup(manifest: Manifest, path: str) -> Any:
    value: Any = manifest
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return _MISSING
        value = value[part]
    return value


def _differences(path: str, old: Any, new: Any) -> Iterator[str]:
    """Yield ``path: old -> new`` for each leaf that differs, walking maps and lists."""
    if old == new:
        return
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in [*old, *(key for key in new if key not in old)]:
            yield from _differences(
                _child(path, key), old.get(key, _MISSING), new.get(key, _MISSING)
            )
        return
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (old_item, new_item) in enumerate(zip(old, new, strict=True)):
            yield from _differences(f"{path}[{index}]", old_item, new_item)
        return
    if old is _MISSING:
        yield f"{path} was added: {new!r}"
    elif new is _MISSING:
        yield f"{path} was removed (was {old!r})"
    else:
        yield f"{path} changed from {old!r} to {new!r}"


def _child(path: str, key: object) -> str:
    text = str(key)
    if text.isidentifier():
        return f"{path}.{text}"
    return f"{path}[{text!r}]"
