"""Exact parsing of Kubernetes resource quantities such as ``250m`` or ``1.5Gi``.

The grammar and the rounding rules follow ParseQuantity in
k8s.io/apimachinery/pkg/api/resource/quantity.go. Values are returned as
:class:`fractions.Fraction`, so a request and a limit compare exactly, the way
the API server compares them, and never through a binary float.
"""

from __future__ import annotations

import enum
import re
from fractions import Fraction

__all__ = [
    "QUANTITY_MAX",
    "QuantityKind",
    "parse_quantity",
    "quantity_problems",
    "quantity_value_problems",
    "request_limit_problems",
]

QUANTITY_MAX = 2**63 - 1
"""Largest magnitude a quantity may have; quantity.go caps larger values."""

_EXPONENT_LIMIT = 1000
"""Exponents beyond this are rejected before computing ``10**exponent``."""

_DIGIT_LIMIT = 1000
"""Longer numbers are rejected before they are converted to ``int``."""

_BINARY_SUFFIXES = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL_SUFFIXES = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12}
_DECIMAL_SUFFIXES.update({"P": 15, "E": 18})

# <signedNumber><suffix> from quantity.go. The exponent form comes first so
# that "1E3" reads as 1000 and a bare "1E" as one exa.
_QUANTITY = re.compile(
    r"(?P<sign>[+-]?)"
    r"(?P<whole>[0-9]*)(?:\.(?P<fraction>[0-9]*))?"
    r"(?P<suffix>[eE][+-]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?"
)


class QuantityKind(enum.Enum):
    """The resource a quantity measures, which decides its smallest unit."""

    CPU = "cpu"
    """Cores. Kubernetes schedules CPU in whole millicores."""
    MEMORY = "memory"
    """Bytes. Kubernetes warns about fractional bytes and rounds them."""
    STORAGE = "storage"
    """Bytes of a volume or of ephemeral storage, like memory."""


def parse_quantity(text: str) -> Fraction:
    """Parse a quantity into its exact value in base units (cores or bytes).

    Raises:
        ValueError: ``text`` does not follow the quantity grammar, for example
            ``1g`` (lower-case giga), ``6GiB`` (a unit after the suffix) or
            ``1.5.2``.
    """
    match = _QUANTITY.fullmatch(text)
    if match is None or not (match["whole"] or match["fraction"]):
        raise ValueError(
            "must be a number with an optional suffix: one of Ki, Mi, Gi, Ti, Pi, Ei, "
            "or n, u, m, k, M, G, T, P, E, or an exponent such as e3 "
            "(for example '500m', '128Mi', '1Gi')"
        )
    fraction_digits = match["fraction"] or ""
    if len(match["whole"]) + len(fraction_digits) > _DIGIT_LIMIT:
        raise ValueError(f"has more than {_DIGIT_LIMIT} digits")
    mantissa = Fraction(int((match["whole"] or "0") + fraction_digits), 10 ** len(fraction_digits))
    if match["sign"] == "-":
        mantissa = -mantissa
    suffix = match["suffix"] or ""
    if suffix in _BINARY_SUFFIXES:
        return mantissa * Fraction(2) ** _BINARY_SUFFIXES[suffix]
    if suffix in _DECIMAL_SUFFIXES:
        exponent = _DECIMAL_SUFFIXES[suffix]
    else:
        exponent = int(suffix[1:])
        if abs(exponent) > _EXPONENT_LIMIT:
            raise ValueError(f"has an exponent of {exponent}, outside -1000 to 1000")
    return mantissa * Fraction(10) ** exponent


def quantity_value_problems(value: Fraction, kind: QuantityKind) -> list[str]:
    """Check a parsed quantity for a container or volume resource.

    The API server rejects negative resource quantities
    (validateResourceQuantityValue in pkg/apis/core/validation/validation.go).
    Values above 2^63-1 and digits finer than 1n are silently capped or rounded
    up by quantity.go. CPU finer than 1m is rounded up by the scheduler, and
    fractional bytes draw the warning "fractional byte value" in
    pkg/api/pod/warnings.go. This library rejects all of these, so the value in
    the manifest is exactly the value Kubernetes uses.
    """
    if value < 0:
        return ["must not be negative"]
    if value > QUANTITY_MAX:
        return [f"must be no more than {QUANTITY_MAX} (2^63-1), which Kubernetes caps it to"]
    if kind is QuantityKind.CPU and (value * 1000).denominator != 1:
        return ["must be a whole number of millicores, because Kubernetes rounds CPU up to 1m"]
    if kind is not QuantityKind.CPU and value.denominator != 1:
        return [
            "must be a whole number of bytes, because Kubernetes rounds fractional bytes; "
            "'m' means milli, so write 'Mi' or 'M' for mega"
        ]
    return []


def quantity_problems(value: str, kind: QuantityKind = QuantityKind.CPU) -> list[str]:
    """Check a resource quantity such as ``250m``, ``64Mi`` or ``1.5Gi``.

    ``1g`` and ``6GiB`` are invalid. Source: the grammar of ParseQuantity in
    k8s.io/apimachinery/pkg/api/resource/quantity.go. The value rules are those
    of :func:`quantity_value_problems`.
    """
    try:
        parsed = parse_quantity(value)
    except ValueError as err:
        return [str(err)]
    return quantity_value_problems(parsed, kind)


def request_limit_problems(resource: str, request: str, limit: str) -> list[str]:
    """Check that a request is no greater than its limit, comparing exact values.

    Source: ValidateContainerResourceRequirements in
    pkg/apis/core/validation/validation.go ("must be less than or equal to
    cpu limit"). Both values must already be valid quantities.
    """
    request_value: Fraction = parse_quantity(request)
    limit_value: Fraction = parse_quantity(limit)
    if request_value > limit_value:
        return [f"{resource} request {request} must be less than or equal to its limit {limit}"]
    return []
