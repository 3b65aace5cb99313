"""Read manifests from YAML files and directories."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from constructs_lib.errors import ConstructsLibError

YAML_SUFFIXES = (".yaml", ".yml")


class ManifestReadError(ConstructsLibError):
    """A manifest file that is missing, unreadable or not YAML."""


def read_manifests(paths: Iterable[Path]) -> list[Mapping[str, Any]]:
    """Return every object in the YAML files, reading directories recursively.

    Files in a directory are read in sorted order, so the result is stable.
    Empty documents are skipped, and a ``List`` object contributes its items.

    Raises:
        ManifestReadError: a path does not exist, a file is not valid YAML,
            or a document is not a mapping.
    """
    try:
        import yaml  # noqa: PLC0415 - PyYAML is an optional dependency
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ManifestReadError(
            "reading manifests needs PyYAML: pip install 'constructs-lib[diagram]'"
        ) from err

    manifests: list[Mapping[str, Any]] = []
    for path in _files(paths):
        try:
            documents = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
            raise ManifestReadError(f"cannot read manifests from {path}: {err}") from err
        for index, document in enumerate(documents):
            if document is None:
                continue
            if not isinstance(document, dict):
                raise ManifestReadError(
                    f"{path}: document {index + 1} is a {type(document).__name__}, "
                    "not a Kubernetes object"
                )
            if document.get("kind") == "List":
                manifests.extend(document.get("items") or [])
            else:
                manifests.append(document)
    return manifests


def _files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(child for child in path.rglob("*") if child.suffix in YAML_SUFFIXES)
            )
        elif path.is_file():
            files.append(path)
        else:
            raise ManifestReadError(f"manifest path not found: {path}")
    return files
