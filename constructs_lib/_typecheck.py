"""Turn a construct's crash on a wrongly typed prop into an InvalidPropError.

The constructs validate the values of their props, and trust the annotations
for their types, so ``ports=None`` or ``resources={"cpu_request": "1"}`` fails
deep inside with a TypeError or AttributeError that names no prop. Checking
every annotation on every call would cost each construct time on the happy
path, so :func:`reports_wrong_types` checks the annotations only after the
construct raised something other than a :class:`ConstructsLibError`. It also
turns the construct tree's errors for a duplicate or empty construct id into
an InvalidPropError.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from constructs import Construct

from constructs_lib._props import construct_path
from constructs_lib.errors import ConstructsLibError, InvalidPropError

Init = TypeVar("Init", bound=Callable[..., None])

_DUPLICATE_ID = "There is already a Construct with name"
_EMPTY_ID = "Only root constructs may have an empty ID"
_MAX_DEPTH = 4
"""Maximum nesting of containers and dataclass fields that the check descends into."""


def reports_wrong_types(construct: str) -> Callable[[Init], Init]:
    """Decorate a construct's ``__init__(self, scope, construct_id, **props)``.

    When the ``__init__`` raises anything but a ConstructsLibError, the props
    are checked against its annotations. The first prop of the wrong type
    raises an InvalidPropError, chained to the original error; otherwise the
    original error propagates unchanged.
    """

    def decorate(init: Init) -> Init:
        @functools.wraps(init)
        def wrapper(self: Construct, scope: Any, construct_id: Any, **props: Any) -> None:
            try:
                init(self, scope, construct_id, **props)
            except ConstructsLibError:
                raise
            except Exception as err:
                converted = _explain(construct, init, scope, construct_id, props, err)
                if converted is None:
                    raise
                raise converted from err

        return typing.cast(Init, wrapper)

    return decorate


def _explain(  # noqa: PLR0911 - one return per kind of explanation
    construct: str,
    init: Callable[..., None],
    scope: Any,
    construct_id: Any,
    props: Mapping[str, Any],
    err: Exception,
) -> InvalidPropError | None:
    if not isinstance(scope, Construct):
        return InvalidPropError(
            construct,
            "",
            "scope",
            scope,
            f"must be a Construct, not {type(scope).__name__}",
            "Pass the chart or construct that contains this one.",
        )
    if not isinstance(construct_id, str):
        return InvalidPropError(
            construct,
            scope.node.path,
            "construct_id",
            construct_id,
            f"must be a string, not {type(construct_id).__name__}",
            "Pass an id such as 'web'.",
        )
    path = construct_path(scope, construct_id)
    message = str(err)
    if _DUPLICATE_ID in message:
        return InvalidPropError(
            construct,
            path,
            "construct_id",
            construct_id,
            "is already the id of another construct in the same scope",
            "Give each construct a unique id within its parent.",
        )
    if _EMPTY_ID in message:
        return InvalidPropError(
            construct, path, "construct_id", construct_id, "must not be empty", "Pass an id."
        )
    try:
        hints = typing.get_type_hints(init)
    except Exception:
        return None
    for prop, value in props.items():
        expected = hints.get(prop)
        if expected is None:
            continue
        mismatch = find_mismatch(value, expected)
        if mismatch is not None:
            return InvalidPropError(
                construct,
                path,
                prop + mismatch.location,
                mismatch.value,
                f"must be {_describe(mismatch.expected)}, not {type(mismatch.value).__name__}",
                f"Pass {_describe(mismatch.expected)}.",
                show_value=not _may_be_secret(prop),
            )
    return None


@dataclasses.dataclass(frozen=True, slots=True)
class Mismatch:
    """A value found where an annotation expects another type."""

    location: str
    """Position inside the prop, such as ``[0]`` or ``.paths``. Empty for the prop itself."""
    value: Any
    expected: Any


def find_mismatch(value: Any, expected: Any, depth: int = 0) -> Mismatch | None:  # noqa: PLR0911
    """Return where ``value`` does not match the annotation ``expected``, or ``None``.

    Covers the annotations the constructs use: classes, enums, unions,
    ``Sequence``, ``Mapping``, ``tuple``, ``Literal``, runtime-checkable
    protocols and dataclasses, whose fields are checked too. Anything else,
    such as a TypeVar or a plain Protocol, is accepted.
    """
    if depth > _MAX_DEPTH or expected is Any:
        return None
    origin = typing.get_origin(expected)
    arguments = typing.get_args(expected)
    if origin in (typing.Union, types.UnionType):
        mismatches = [find_mismatch(value, option, depth) for option in arguments]
        if any(mismatch is None for mismatch in mismatches):
            return None
        for option, mismatch in zip(arguments, mismatches, strict=True):
            # The value has the right class but a wrong field, so report the field.
            if isinstance(option, type) and isinstance(value, option):
                return mismatch
        return Mismatch("", value, expected)
    if origin is typing.Literal:
        return None if value in arguments else Mismatch("", value, expected)
    if origin in (Sequence, list, tuple, typing.Sequence):
        return _sequence_mismatch(value, expected, origin, arguments, depth)
    if origin in (Mapping, dict, typing.Mapping):
        return _mapping_mismatch(value, expected, arguments, depth)
    if expected is None or expected is type(None):
        return None if value is None else Mismatch("", value, expected)
    cls = origin if origin is not None else expected
    if not isinstance(cls, type):
        return None
    if getattr(cls, "_is_protocol", False) and not getattr(cls, "_is_runtime_protocol", False):
        return None
    if cls is float and isinstance(value, int) and not isinstance(value, bool):
        return None
    if (cls is int and isinstance(value, bool)) or not isinstance(value, cls):
        return Mismatch("", value, expected)
    if dataclasses.is_dataclass(value) and not isinstance(value, enum.Enum):
        return _dataclass_mismatch(value, depth)
    return None


def _sequence_mismatch(
    value: Any, expected: Any, origin: Any, arguments: tuple[Any, ...], depth: int
) -> Mismatch | None:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        return Mismatch("", value, expected)
    if origin is tuple and not isinstance(value, tuple):
        return Mismatch("", value, expected)
    if not arguments:
        return None
    for index, item in enumerate(value):
        mismatch = find_mismatch(item, arguments[0], depth + 1)
        if mismatch is not None:
            return dataclasses.replace(mismatch, location=f"[{index}]{mismatch.location}")
    return None


def _mapping_mismatch(
    value: Any, expected: Any, arguments: tuple[Any, ...], depth: int
) -> Mismatch | None:
    if not isinstance(value, Mapping):
        return Mismatch("", value, expected)
    if len(arguments) != 2:
        return None
    key_type, value_type = arguments
    for key, item in value.items():
        mismatch = find_mismatch(key, key_type, depth + 1)
        if mismatch is None:
            mismatch = find_mismatch(item, value_type, depth + 1)
        if mismatch is not None:
            return dataclasses.replace(mismatch, location=f"[{key!r}]{mismatch.location}")
    return None


def _dataclass_mismatch(value: Any, depth: int) -> Mismatch | None:
    try:
        hints = typing.get_type_hints(type(value))
    except Exception:
        return None
    for field in dataclasses.fields(value):
        expected = hints.get(field.name)
        if expected is None:
            continue
        mismatch = find_mismatch(getattr(value, field.name), expected, depth + 1)
        if mismatch is not None:
            return dataclasses.replace(mismatch, location=f".{field.name}{mismatch.location}")
    return None


def _describe(expected: Any) -> str:  # noqa: PLR0911 - one return per kind of annotation
    origin = typing.get_origin(expected)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_describe(option) for option in typing.get_args(expected))
    if expected is None or expected is type(None):
        return "None"
    if origin in (Sequence, list, tuple, typing.Sequence):
        arguments = typing.get_args(expected)
        return f"list of {_describe(arguments[0])}" if arguments else "list"
    if origin in (Mapping, dict, typing.Mapping):
        return "dict"
    if isinstance(expected, type):
        return expected.__name__
    if isinstance(origin, type):
        return origin.__name__
    return str(expected)


def _may_be_secret(prop: str) -> bool:
    # Env values and secret sources may hold secret values, so errors hide them.
    return prop in {"env", "env_from", "source", "values"} or "secret" in prop
