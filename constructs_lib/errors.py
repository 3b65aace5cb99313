"""The exceptions that constructs_lib raises.

Every error derives from :class:`ConstructsLibError`, so callers can catch the
library's failures in one place. Errors are raised while a construct is being
defined, before any manifest is written.
"""

from __future__ import annotations

__all__ = [
    "ConstructsLibError",
    "ConstructsLibWarning",
    "DuplicateObjectError",
    "InvalidPropError",
    "NotFoundError",
    "OutputError",
    "PlaceholderSecretWarning",
    "SecretInManifestWarning",
    "WiringError",
]


class ConstructsLibError(Exception):
    """Base class of every error that constructs_lib raises on bad input."""


class InvalidPropError(ConstructsLibError, ValueError):
    """A prop value that Kubernetes or the construct would reject.

    The message names the construct and its path in the construct tree, the
    prop, the value, the rule it breaks and what to do instead.
    """

    def __init__(
        self,
        construct: str,
        path: str,
        prop: str,
        value: object,
        rule: str,
        fix: str,
        *,
        show_value: bool = True,
    ) -> None:
        self.construct = construct
        self.path = path
        self.prop = prop
        self.rule = rule
        self.fix = fix
        shown = repr(value) if show_value else "<hidden>"
        location = f"{construct} {path!r}" if path else construct
        super().__init__(f"{location}: invalid {prop} {shown}: {rule}. {fix}")


class WiringError(ConstructsLibError, ValueError):
    """Constructs that are connected in a way that cannot work.

    For example, a Service that targets a port the app does not declare.
    """


class NotFoundError(ConstructsLibError, KeyError):
    """A lookup by name, such as a port or a Secret key, that matches nothing.

    It is a :class:`KeyError` too, so ``except KeyError`` keeps working. The
    message names what does exist.
    """

    def __str__(self) -> str:
        # KeyError.__str__ shows the repr of its argument, quotes included.
        return str(self.args[0]) if self.args else ""


class ConstructsLibWarning(UserWarning):
    """Base class of every warning that constructs_lib emits."""


class SecretInManifestWarning(ConstructsLibWarning):
    """Secret values were read at synth time and are written into the manifests.

    Only :class:`~constructs_lib.secret_env.LocalSecretValues` does this. It is
    meant for development clusters: anyone who can read ``dist/`` can read the
    values.
    """


class PlaceholderSecretWarning(SecretInManifestWarning):
    """Secret values came from the placeholder file, because the ``.env`` file is missing."""


class DuplicateObjectError(ConstructsLibError, ValueError):
    """Two synthesized objects with the same kind, namespace and name.

    The API server keeps one object per kind, namespace and name, so the
    second would replace the first when applied.
    """


class OutputError(ConstructsLibError):
    """Synthesized manifests that could not be written or published safely."""
