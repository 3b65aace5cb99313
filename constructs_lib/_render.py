"""Turn a manifest built as a Python dict into a cdk8s ApiObject.

Constructs build each Kubernetes object as a plain dict, then hand it to
:func:`emit`. That keeps validation and defaults in Python, where errors are
clear, and keeps the number of calls into the jsii runtime per object small.

This is the only module that talks to jsii below the cdk8s Python API. Each
jsii request is a blocking round trip to the Node.js process, and the jsii
kernel decodes a nested argument node by node. ``python -m bench round-trips``
measures both. On the 2-core machine of BENCHMARKS.md, a request that does
nothing took about 0.35 ms, and sending the benchmark's Deployment spec as a
nested value instead of a JSON string added about 0.9 ms. So this module has
two paths that create the same objects:

- The fast path sends the manifest as one JSON string to ``Emitter.emit``, a
  few lines of JavaScript in ``_emitter/`` that this module loads into the
  jsii kernel as a small jsii assembly. That is one request per object, and
  :func:`init_with_object` also creates the object's parent construct in it.
- The portable path uses the cdk8s Python API: ``ApiObject``, one
  ``JsonPatch.add`` per top-level field beyond the metadata and
  ``add_json_patch``, so three requests for a Deployment. It runs when the
  assembly cannot be loaded (with a :class:`RenderFallbackWarning`), or when
  ``CONSTRUCTS_LIB_RENDER=portable``.

Both paths return a real ``cdk8s.ApiObject``, so escape hatches such as
``add_json_patch`` work on every emitted object. The tests check that both
paths synthesize identical YAML.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import tarfile
import tempfile
import warnings
import weakref
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsii
from cdk8s import ApiObject, ApiObjectMetadata, App, Chart, JsonPatch, Yaml
from constructs import Construct
from jsii.errors import JSIIError

from constructs_lib.errors import ConstructsLibError

__all__ = [
    "ChartFile",
    "ChartFiles",
    "Manifest",
    "RenderError",
    "RenderFallbackWarning",
    "chart_files",
    "chart_id",
    "chart_manifests",
    "chart_namespace",
    "child_object",
    "emit",
    "init_with_object",
]

Manifest = dict[str, Any]

RENDER_ENV = "CONSTRUCTS_LIB_RENDER"
"""Set to ``portable`` to skip the fast path, for example to compare the two."""

EMITTER_DIR = Path(__file__).resolve().parent / "_emitter"
EMITTER_NAME = "constructs-lib-emitter"
EMITTER_VERSION = "1.2.0"
"""Name and version of the assembly in ``_emitter/``, as in its package.json."""

_HEADER_KEYS = frozenset({"apiVersion", "kind", "metadata"})

CLUSTER_SCOPED_KINDS = frozenset({"Namespace"})
"""Kinds that the constructs emit without a namespace, even in a namespaced chart."""


class RenderError(ConstructsLibError):
    """The jsii runtime returned something the fast path does not expect.

    This means that a jsii or cdk8s upgrade changed behaviour that this module
    relies on. Set ``CONSTRUCTS_LIB_RENDER=portable`` to keep working.
    """


class RenderFallbackWarning(RuntimeWarning):
    """The fast path could not be loaded, so emitting objects is slower."""


class _Emitter:
    """Python handle of the JavaScript ``Emitter`` class, for ``jsii.sinvoke``."""

    __jsii_type__ = f"{EMITTER_NAME}.Emitter"


class _EmittingConstruct:
    """Python handle of the JavaScript ``EmittingConstruct`` class, for ``jsii.create``."""

    __jsii_type__ = f"{EMITTER_NAME}.EmittingConstruct"


_fast_path: bool | None = None
"""Whether the Emitter assembly is loaded; ``None`` until the first emit."""

_chart_ids: MutableMapping[Construct, str] = weakref.WeakKeyDictionary()
_chart_namespaces: MutableMapping[Construct, str | None] = weakref.WeakKeyDictionary()


def emit(scope: Construct, construct_id: str, manifest: Mapping[str, Any]) -> ApiObject:
    """Add ``manifest`` to the chart of ``scope`` as an ApiObject.

    ``manifest`` needs ``apiVersion``, ``kind`` and ``metadata.name``. Of the
    metadata, only ``name``, ``namespace``, ``labels`` and ``annotations`` are
    used. The chart's namespace applies when the manifest sets none. Every other
    top-level field is added as a JSON patch, so it keeps its key order in the
    YAML, while cdk8s sorts the metadata keys.

    Raises:
        RenderError: the fast path returned something other than an ApiObject.
        TypeError: ``scope`` is not a Construct, ``construct_id`` is not a
            string, or a value in ``manifest`` cannot be written as JSON.
        ValueError: ``manifest`` contains NaN or an infinite float.
    """
    _check_scope(scope, construct_id)
    # Encoded on both paths, so that both reject the same values.
    text = json.dumps(manifest, allow_nan=False, separators=(",", ":"))
    if not _use_fast_path():
        return _emit_portable(scope, construct_id, manifest)
    api_object = jsii.sinvoke(_Emitter, "emit", [scope, construct_id, text])
    if not isinstance(api_object, ApiObject):
        raise RenderError(
            f"Emitter.emit returned {type(api_object).__name__} instead of an ApiObject for "
            f"{construct_id!r}. Set {RENDER_ENV}=portable and report the jsii version."
        )
    if manifest["kind"] in CLUSTER_SCOPED_KINDS and "namespace" not in manifest["metadata"]:
        # As on the portable path; cluster-scoped objects are rare, so the two
        # extra requests are not worth a change to the Emitter assembly.
        api_object.add_json_patch(JsonPatch.remove("/metadata/namespace"))
    return api_object


def init_with_object(
    construct: Construct,
    scope: Construct,
    construct_id: str,
    object_id: str,
    manifest: Mapping[str, Any],
) -> None:
    """Create ``construct`` in the tree with one ApiObject child ``object_id``.

    Call it from a construct's ``__init__`` in place of ``super().__init__``.
    The fast path creates both in one jsii request, as a JavaScript
    ``EmittingConstruct``. The portable path calls ``Construct.__init__`` and
    then :func:`emit`. Fetch the child with :func:`child_object`.

    NOTE: on the fast path, methods of ``constructs.Construct`` that a Python
    subclass overrides are not called from JavaScript.

    Raises:
        TypeError: ``scope`` is not a Construct, ``construct_id`` is not a
            string, or a value in ``manifest`` cannot be written as JSON.
        ValueError: ``manifest`` contains NaN or an infinite float.
    """
    _check_scope(scope, construct_id)
    text = json.dumps(manifest, allow_nan=False, separators=(",", ":"))
    if not _use_fast_path():
        Construct.__init__(construct, scope, construct_id)
        emit(construct, object_id, manifest)
        return
    jsii.create(_EmittingConstruct, construct, [scope, construct_id, object_id, text])


def child_object(construct: Construct, object_id: str) -> ApiObject:
    """Return the ApiObject child ``object_id`` of ``construct``. Costs two jsii requests.

    Raises:
        RenderError: the child is not an ApiObject.
    """
    child = construct.node.find_child(object_id)
    if not isinstance(child, ApiObject):
        raise RenderError(
            f"child {object_id!r} of {construct.node.path!r} is {type(child).__name__}, "
            f"not an ApiObject. Set {RENDER_ENV}=portable and report the jsii version."
        )
    return child


def chart_id(scope: Construct) -> str:
    """Return the id of the chart that contains ``scope``.

    A construct never moves in the tree, so the result is cached per scope and
    costs jsii requests only on the first call.

    Raises:
        TypeError: ``scope`` is not a Construct.
    """
    if not isinstance(scope, Construct):
        raise TypeError(f"scope must be a Construct, not {type(scope).__name__}")
    cached = _chart_ids.get(scope)
    if cached is not None:
        return cached
    if _use_fast_path():
        found = jsii.sinvoke(_Emitter, "chartId", [scope])
        if not isinstance(found, str):
            raise RenderError(
                f"Emitter.chartId returned {type(found).__name__} instead of a string. "
                f"Set {RENDER_ENV}=portable and report the jsii version."
            )
    else:
        found = Chart.of(scope).node.id
    _chart_ids[scope] = found
    return found


def chart_namespace(scope: Construct) -> str | None:
    """Return the namespace of the chart that contains ``scope``, or ``None``.

    Cached per scope like :func:`chart_id`, so it costs jsii requests only on
    the first call.

    Raises:
        TypeError: ``scope`` is not a Construct.
    """
    if not isinstance(scope, Construct):
        raise TypeError(f"scope must be a Construct, not {type(scope).__name__}")
    if scope not in _chart_namespaces:
        _chart_namespaces[scope] = Chart.of(scope).namespace
    return _chart_namespaces[scope]


def chart_manifests(app: App) -> list[tuple[list[Manifest], str]]:
    """Return each chart's documents and the YAML text that ``app.synth()`` writes for them.

    The text is cdk8s's ``Yaml.stringify`` of the chart's documents. The fast
    path gets every chart's in one jsii request, as JSON text. The portable
    path costs two requests per chart, in which the kernel encodes and decodes
    every document node by node.

    Raises:
        RenderError: the fast path returned something other than JSON text.
    """
    if not _use_fast_path():
        # NOTE: jsii drops null fields from to_json() here, so a chart with a null
        # field gets a text unlike its file, and synth_app raises OutputError.
        rendered: list[tuple[list[Manifest], str]] = []
        for chart in app.charts:
            documents: list[Manifest] = list(chart.to_json())
            rendered.append((documents, Yaml.stringify(*documents)))
        return rendered
    text = jsii.sinvoke(_Emitter, "renderCharts", [app])
    if not isinstance(text, str):
        raise RenderError(
            f"Emitter.renderCharts returned {type(text).__name__} instead of a string. "
            f"Set {RENDER_ENV}=portable and report the jsii version."
        )
    return [(chart["documents"], chart["yaml"]) for chart in json.loads(text)]


@dataclass(frozen=True)
class ChartFile:
    """A file that ``app.synth()`` writes for one chart with the default output type."""

    name: str
    """File name inside the app's ``outdir``, such as ``web.k8s.yaml``."""
    documents: list[Manifest]


@dataclass(frozen=True)
class ChartFiles:
    """The outcome of the construct validation of an app, and the files to write if it passed."""

    errors: list[str]
    """Validation errors, each as ``[construct path] message`` like ``app.synth()`` writes it."""
    files: list[ChartFile]
    """One file per chart in ``app.charts`` order, or none if ``errors`` is not empty."""


def chart_files(app: App) -> ChartFiles | None:
    """Validate ``app`` and return each chart's file name and documents, in one jsii request.

    This is the work of ``app.synth()`` in cdk8s 2.70 for the default output
    type, ``FILE_PER_CHART``, without rendering or writing any YAML. It returns
    ``None`` when ``app.synth()`` would write other files, so the caller must
    use ``app.synth()``: another output type, construct metadata recording, a
    chart nested in another chart or a construct that depends on one of
    another chart. It also returns ``None`` on the portable path.

    Raises:
        RenderError: the fast path returned something other than JSON text.
        RuntimeError: cdk8s raised an error, as jsii raises every JavaScript
            error, for example a construct's validation that throws.
    """
    if not _use_fast_path():
        return None
    text = jsii.sinvoke(_Emitter, "chartFiles", [app])
    if not isinstance(text, str):
        raise RenderError(
            f"Emitter.chartFiles returned {type(text).__name__} instead of a string. "
            f"Set {RENDER_ENV}=portable and report the jsii version."
        )
    result = json.loads(text)
    if not result["supported"]:
        return None
    files = [ChartFile(name=file["name"], documents=file["documents"]) for file in result["files"]]
    return ChartFiles(errors=result["errors"], files=files)


def describe_namespace(namespace: str | None) -> str:
    """Return ``namespace`` for an error message, spelling out what ``None`` means."""
    if namespace is None:
        return "no namespace (the namespace that kubectl applies it to)"
    return f"namespace {namespace!r}"


def _check_scope(scope: object, construct_id: object) -> None:
    # The fast path skips the type checks of Construct.__init__, and jsii's
    # errors for these mistakes do not name the argument.
    if not isinstance(scope, Construct):
        raise TypeError(f"scope must be a Construct, not {type(scope).__name__}")
    if not isinstance(construct_id, str):
        raise TypeError(f"construct_id must be a string, not {type(construct_id).__name__}")


def _emit_portable(scope: Construct, construct_id: str, manifest: Mapping[str, Any]) -> ApiObject:
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


def _use_fast_path() -> bool:
    global _fast_path  # noqa: PLW0603 - the assembly is loaded once per process
    if os.environ.get(RENDER_ENV) == "portable":
        return False
    if _fast_path is None:
        _fast_path = _load_emitter()
    return _fast_path


def _load_emitter() -> bool:
    """Load the Emitter assembly into the jsii kernel; warn and return False on failure."""
    try:
        with tempfile.TemporaryDirectory(prefix="constructs-lib-") as scratch:
            tarball = Path(scratch) / "emitter.tgz"
            tarball.write_bytes(pack_emitter())
            # The kernel extracts the tarball during this call, so it may go afterwards.
            jsii.load(EMITTER_NAME, EMITTER_VERSION, str(tarball))
    except (JSIIError, RuntimeError, OSError) as err:
        warnings.warn(
            f"constructs_lib could not load its jsii Emitter assembly, so it falls back to "
            f"the slower cdk8s API path: {err}",
            RenderFallbackWarning,
            stacklevel=4,
        )
        return False
    return True


def pack_emitter() -> bytes:
    """Return ``_emitter/`` as the npm package tarball that ``jsii.load`` expects.

    The tarball is built in memory with fixed timestamps, so it is the same
    bytes on every call. ``assembly.json`` becomes the package's ``.jsii`` file.
    Its homepage, repository and author exist only because the jsii assembly
    schema requires them.
    """
    members = {
        "package/package.json": EMITTER_DIR / "package.json",
        "package/.jsii": EMITTER_DIR / "assembly.json",
        "package/index.js": EMITTER_DIR / "index.js",
    }
    buffer = io.BytesIO()
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as compressed,
        tarfile.open(fileobj=compressed, mode="w", format=tarfile.USTAR_FORMAT) as archive,
    ):
        for name, source in members.items():
            data = source.read_bytes()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()
