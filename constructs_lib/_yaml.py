"""Write manifests as YAML that every common Kubernetes YAML reader reads back unchanged.

cdk8s's own writer (``Yaml.stringify``, npm ``yaml`` with the YAML 1.1 schema)
quotes ``yes`` or ``0777`` but leaves ``=``, ``<<``, ``0o17`` and some control
and line-separator characters unquoted or raw. PyYAML then fails to load the
file or reads another value, and Go YAML readers such as kubectl's read
``0o17`` as the number 15. :func:`dump_manifests` double-quotes every string
that a YAML 1.1 reader (PyYAML, kubectl's sigs.k8s.io/yaml) or a YAML 1.2
reader would resolve to anything other than that string, and escapes every
character that YAML does not allow raw.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import yaml

__all__ = ["dump_manifests", "needs_quotes"]

# Plain scalars that some YAML reader resolves to a bool or null without
# PyYAML's resolver doing so: YAML 1.1 also has y/n, which go-yaml v2 honours.
_EXTRA_NON_STRINGS = frozenset({"y", "Y", "n", "N"})

# Anything that starts like a number (an optional sign, then a digit or a dot
# and a digit) may be an int, float, octal, hex, binary or sexagesimal number
# in one YAML version or another, so it is always quoted.
_NUMBER_LIKE = re.compile(r"[-+]?\.?[0-9]")


def needs_quotes(value: str) -> bool:
    """Return whether ``value`` must be quoted to load back as the same string.

    PyYAML's own resolver catches the YAML 1.1 forms. This adds the forms that
    only other readers resolve, quoting generously: quoting a string that did
    not need it changes nothing for any reader.
    """
    if value in _EXTRA_NON_STRINGS or _NUMBER_LIKE.match(value):
        return True
    resolved: str = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    return resolved != "tag:yaml.org,2002:str"


class _ManifestDumper(yaml.SafeDumper):
    """A SafeDumper that indents list items under their key, as cdk8s does."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_RESOLVER = yaml.resolver.Resolver()
"""PyYAML's YAML 1.1 resolver, the one its dumper consults for plain scalars."""


# Line breaks other than "\n": a plain or block scalar would turn them into
# "\n" or a space, so only an escape in double quotes keeps them.
_OTHER_LINE_BREAKS = frozenset("\r\x85\u2028\u2029")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style: str | None = None
    if needs_quotes(value) or not _OTHER_LINE_BREAKS.isdisjoint(value):
        style = '"'
    elif "\n" in value:
        # PyYAML falls back to double quotes when a literal block cannot hold
        # the value exactly, for example with trailing spaces on a line.
        style = "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_ManifestDumper.add_representer(str, _represent_str)


def dump_manifests(documents: Iterable[Mapping[str, Any]]) -> str:
    """Return the documents as multi-document YAML, separated by ``---`` lines.

    Keys keep their order, lines are never folded, and the output is the same
    for the same input.
    """
    texts = [
        yaml.dump(
            document,
            Dumper=_ManifestDumper,
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=False,
            width=2**31 - 1,
        )
        for document in documents
    ]
    return "---\n".join(texts)
