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

import functools
import io
import re
from collections.abc import Iterable, Mapping
from typing import Any

import yaml
from yaml.emitter import Emitter, ScalarAnalysis

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
    return _resolve_scalar(value, (True, False)) != "tag:yaml.org,2002:str"


_RESOLVER = yaml.resolver.Resolver()
"""PyYAML's YAML 1.1 resolver, the one its dumper consults for plain scalars."""

# Manifests repeat the same keys and many values in every object, and PyYAML's
# pure-Python emitter spends most of its time on per-scalar work that depends
# only on the scalar's text. The caches below memoize that work. Each cached
# function is pure given the dumper's settings, which dump_manifests fixes.
_CACHE_SIZE = 2**16


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _resolve_scalar(value: str, implicit: tuple[bool, bool]) -> str:
    tag: str = _RESOLVER.resolve(yaml.ScalarNode, value, implicit)  # type: ignore[no-untyped-call]
    return tag


_ANALYZER = Emitter(io.StringIO(), allow_unicode=True)
"""An emitter with the dumper's settings, used only for ``analyze_scalar``."""


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _analyze_scalar(scalar: str) -> ScalarAnalysis:
    # PyYAML's emitter reads a ScalarAnalysis but never changes it, so one can be shared.
    analysis: ScalarAnalysis = _ANALYZER.analyze_scalar(scalar)
    return analysis


# Characters at which PyYAML's write_plain may break or split a plain scalar.
_PLAIN_SPLITTERS = frozenset(" \n\x85\u2028\u2029")


class _ManifestDumper(yaml.SafeDumper):
    """A SafeDumper that indents list items under their key, as cdk8s does.

    It also memoizes per-scalar work, with output identical to SafeDumper's.
    """

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and not self.yaml_path_resolvers:
            return _resolve_scalar(value, implicit)
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]

    def analyze_scalar(self, scalar: str) -> ScalarAnalysis:
        return _analyze_scalar(scalar)

    def prepare_tag(self, tag: str) -> str:
        if self.tag_prefixes == Emitter.DEFAULT_TAG_PREFIXES:
            return _prepare_default_tag(tag)
        prepared: str = super().prepare_tag(tag)
        return prepared

    def write_plain(self, text: str, split: bool = True) -> None:
        if not text or not _PLAIN_SPLITTERS.isdisjoint(text):
            super().write_plain(text, split)
            return
        # Without spaces or line breaks, PyYAML writes the text in one piece.
        if self.root_context:
            self.open_ended = True
        data = text if self.whitespace else " " + text
        self.whitespace = False
        self.indention = False
        self.column += len(data)
        self.stream.write(data.encode(self.encoding) if self.encoding else data)


_TAG_PREPARER = Emitter(io.StringIO())
_TAG_PREPARER.tag_prefixes = dict(Emitter.DEFAULT_TAG_PREFIXES)


@functools.lru_cache(maxsize=256)
def _prepare_default_tag(tag: str) -> str:
    prepared: str = _TAG_PREPARER.prepare_tag(tag)
    return prepared


# Line breaks other than "\n": a plain or block scalar would turn them into
# "\n" or a space, so only an escape in double quotes keeps them.
_OTHER_LINE_BREAKS = frozenset("\r\x85\u2028\u2029")


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _string_style(value: str) -> str | None:
    if needs_quotes(value) or not _OTHER_LINE_BREAKS.isdisjoint(value):
        return '"'
    if "\n" in value:
        # PyYAML falls back to double quotes when a literal block cannot hold
        # the value exactly, for example with trailing spaces on a line.
        return "|"
    return None


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=_string_style(value))


_ManifestDumper.add_representer(str, _represent_str)


def dump_manifests(documents: Iterable[Mapping[str, Any]]) -> str:
    """Return the documents as multi-document YAML, separated by ``---`` lines.

    Keys keep their order, lines are never folded, and the output is the same
    for the same input. Each document is written by :func:`_dump_simple` when
    it can be, else by PyYAML, and both give the same text.
    """
    texts = []
    for document in documents:
        text = _dump_simple(document)
        if text is None:
            text = yaml.dump(
                document,
                Dumper=_ManifestDumper,
                sort_keys=False,
                allow_unicode=True,
                default_flow_style=False,
                width=2**31 - 1,
            )
        texts.append(text)
    return "---\n".join(texts)


# The direct writer below covers what Kubernetes manifests are made of and
# gives up on anything else, which PyYAML then writes. It reproduces
# _ManifestDumper's layout: two spaces of indent, list items indented under
# their key, empty collections as {} and [].

# PyYAML writes an empty key, or one longer than this, as an explicit "? " key.
# Its simple-key limit is 128 characters, including the 5 of the "!!str" tag.
_MAX_SIMPLE_KEY = 122

# Printable ASCII other than '"' and backslash, which PyYAML writes unescaped
# between double quotes.
_PLAIN_DOUBLE_QUOTED = re.compile(r"[\x20\x21\x23-\x5b\x5d-\x7e]*")


class _UnsupportedValueError(Exception):
    """A value that the direct writer leaves to PyYAML."""


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _simple_string(value: str) -> str | None:
    """Return ``value`` as _ManifestDumper writes it, or ``None`` if that takes PyYAML."""
    style = _string_style(value)
    if style is None:
        analysis = _analyze_scalar(value)
        if analysis.empty or analysis.multiline or not analysis.allow_block_plain:
            return None
        return value
    if style == '"' and _PLAIN_DOUBLE_QUOTED.fullmatch(value):
        return f'"{value}"'
    return None


def _scalar_text(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return str(value)
    if type(value) is str:
        text = _simple_string(value)
        if text is not None:
            return text
    # Floats, strings that need escapes or a block, and any other type.
    raise _UnsupportedValueError


def _write_mapping(mapping: Mapping[Any, Any], indent: int, out: list[str], inline: bool) -> None:
    for position, (key, value) in enumerate(mapping.items()):
        if type(key) is not str or not key or len(key) > _MAX_SIMPLE_KEY:
            raise _UnsupportedValueError
        if position > 0 or not inline:
            out.append(" " * indent)
        out.append(_scalar_text(key))
        out.append(":")
        if type(value) is dict and value:
            out.append("\n")
            _write_mapping(value, indent + 2, out, inline=False)
        elif type(value) is list and value:
            out.append("\n")
            _write_sequence(value, indent + 2, out, inline=False)
        else:
            out.append(" ")
            _write_leaf(value, out)


def _write_sequence(items: list[Any], indent: int, out: list[str], inline: bool) -> None:
    for position, item in enumerate(items):
        if position > 0 or not inline:
            out.append(" " * indent)
        out.append("- ")
        if type(item) is dict and item:
            _write_mapping(item, indent + 2, out, inline=True)
        elif type(item) is list and item:
            _write_sequence(item, indent + 2, out, inline=True)
        else:
            _write_leaf(item, out)


def _write_leaf(value: Any, out: list[str]) -> None:
    if type(value) is dict:  # Only empty collections reach here.
        out.append("{}\n")
    elif type(value) is list:
        out.append("[]\n")
    else:
        out.append(_scalar_text(value))
        out.append("\n")


def _dump_simple(document: Mapping[str, Any]) -> str | None:
    """Return ``document`` as _ManifestDumper writes it, or ``None`` if that takes PyYAML."""
    if type(document) is not dict or not document:
        return None
    out: list[str] = []
    try:
        _write_mapping(document, 0, out, inline=False)
    except _UnsupportedValueError:
        return None
    return "".join(out)
