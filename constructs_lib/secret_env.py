"""SecretEnv: container environment variables from the keys of a Kubernetes Secret.

Every key becomes one explicit ``env`` entry with a ``secretKeyRef``, never an
``envFrom``: ``envFrom`` silently skips keys that are not valid variable names,
such as ``db-password``, and gives no way to rename them.

Where the values come from is the ``source``:

- :class:`ExistingSecret` (the default) references a Secret that already
  exists in the cluster. No secret value is written to the manifests.
- :class:`LocalSecretValues` reads the values at synth time from the process
  environment and a ``.env`` file, and writes them into a Secret in the
  manifests. It is meant for development clusters and warns with
  :class:`~constructs_lib.errors.SecretInManifestWarning`.
"""

from __future__ import annotations

import base64
import os
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cdk8s import ApiObject
from constructs import Construct
from dotenv import dotenv_values

from constructs_lib import validation
from constructs_lib._props import PropChecker
from constructs_lib._render import chart_namespace, child_object, init_with_object
from constructs_lib._typecheck import reports_wrong_types
from constructs_lib.errors import (
    InvalidPropError,
    NotFoundError,
    PlaceholderSecretWarning,
    SecretInManifestWarning,
)
from constructs_lib.labels import MANAGED_BY, MANAGED_BY_KEY

__all__ = [
    "ExistingSecret",
    "LocalSecretValues",
    "SecretEnv",
    "SecretKey",
    "SecretKeyRef",
    "env_name_for_key",
]


def env_name_for_key(key: str) -> str:
    """Return the default variable name for a Secret key: ``db-password`` becomes ``DB_PASSWORD``.

    Characters other than letters, digits and ``_`` become ``_``. The result
    can still be invalid, for example when the key starts with a digit, and
    :class:`SecretEnv` then rejects it.
    """
    return re.sub(r"[^A-Za-z0-9_]", "_", key).upper()


@dataclass(frozen=True, slots=True)
class SecretKey:
    """One key of a Secret and the environment variable it becomes."""

    key: str
    """Key in the Secret's ``data``, such as ``db-password``."""
    variable: str | None = None
    """Environment variable name. Default: :func:`env_name_for_key` of ``key``."""
    optional: bool = False
    """Whether the container may start without the key. Default: ``False``, so a
    missing Secret or key keeps the pod in ``CreateContainerConfigError``."""

    @property
    def env_name(self) -> str:
        """The environment variable name, after applying the default."""
        return self.variable if self.variable is not None else env_name_for_key(self.key)


@dataclass(frozen=True, slots=True)
class SecretKeyRef:
    """A reference to one key of one Secret, as an ``EnvVar``'s ``secretKeyRef`` holds it."""

    secret: str
    """Name of the Secret, in the pod's namespace."""
    key: str
    """Key in the Secret's ``data``."""
    optional: bool = False
    """Whether the container may start without the key."""

    def env_var(self, name: str) -> dict[str, Any]:
        """Return an ``EnvVar`` object that sets ``name`` from this key."""
        ref: dict[str, Any] = {"name": self.secret, "key": self.key}
        if self.optional:
            ref["optional"] = True
        return {"name": name, "valueFrom": {"secretKeyRef": ref}}


@dataclass(frozen=True, slots=True)
class ExistingSecret:
    """A Secret that already exists in the cluster, created outside these manifests.

    Create it before the pods start, for example with
    ``kubectl create secret generic NAME --from-literal=KEY=VALUE``.
    """


@dataclass(frozen=True, slots=True)
class LocalSecretValues:
    """Secret values read at synth time, for development clusters only.

    Each key ``k`` of Secret ``s`` is looked up as the variable
    ``<prefix><env_name_for_key(k)>``, first in the process environment and
    then in ``env_file``. When ``env_file`` does not exist, ``fallback_file``
    is read instead, with a :class:`~constructs_lib.errors.PlaceholderSecretWarning`,
    so that a fresh clone without ``.env`` still synthesizes with placeholder
    values. The values are written into the manifests, readable by anyone who
    can read ``dist/``.
    """

    env_file: str | os.PathLike[str] | None = Path(".env")
    """Dotenv file with the development values, as a path or a string.
    Default: ``.env`` in the working directory. ``None`` reads only the process
    environment."""
    fallback_file: str | os.PathLike[str] | None = None
    """Dotenv file read when ``env_file`` does not exist, such as
    ``.env.example``. Default: none, so a missing ``.env`` is not an error only
    if the process environment has every required value."""
    prefix: str | None = None
    """Prefix of the variable names. Default: the Secret name as a variable
    name plus ``_``, so key ``password`` of Secret ``comic-postgres`` is read
    from ``COMIC_POSTGRES_PASSWORD``."""
    environ: Mapping[str, str] | None = field(default=None, repr=False)
    """Process environment to read. Default: ``os.environ`` at synth time."""

    def __post_init__(self) -> None:
        # Store str paths as Path, so that read_files and the warnings can rely on it.
        for attribute in ("env_file", "fallback_file"):
            value = getattr(self, attribute)
            if isinstance(value, str | os.PathLike) and not isinstance(value, Path):
                object.__setattr__(self, attribute, Path(value))

    def variable_for(self, secret: str, key: str) -> str:
        """Return the name of the variable that contains ``key`` of Secret ``secret``."""
        prefix = self.prefix if self.prefix is not None else env_name_for_key(secret) + "_"
        return prefix + env_name_for_key(key)

    def file_to_read(self) -> tuple[Path | None, bool]:
        """Return the dotenv file that :meth:`read_files` reads, and whether it is the fallback."""
        for file, is_fallback in ((self.env_file, False), (self.fallback_file, True)):
            path = Path(file) if file is not None else None
            if path is not None and path.is_file():
                return path, is_fallback
        return None, False

    def read_files(self) -> tuple[dict[str, str], Path | None, bool]:
        """Return the dotenv file's variables, the file read, and whether it was the fallback.

        Raises:
            UnicodeDecodeError: the file is not UTF-8 text.
        """
        path, is_fallback = self.file_to_read()
        if path is None:
            return {}, None, False
        # NOTE: python-dotenv expands ${NAME} inside values, quoted or not, so a
        # value that contains "${" reaches the Secret changed.
        values = {name: value for name, value in dotenv_values(path).items() if value is not None}
        return values, path, is_fallback


SecretSource = ExistingSecret | LocalSecretValues


class SecretEnv(Construct):
    """Environment variables from the keys of one Kubernetes Secret.

    Produces:
        Secret: only when ``source`` is :class:`LocalSecretValues`, of type
        ``Opaque`` with one ``data`` entry per key that has a value. With
        :class:`ExistingSecret`, nothing.

    Example::

        db_secret = SecretEnv(chart, "db-secret", name="comic-postgres",
                              keys=["username", SecretKey("password", "DB_PASSWORD")])
        StatelessApp(chart, "web", ..., env_from=[db_secret])
    """

    @reports_wrong_types("SecretEnv")
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        keys: Sequence[SecretKey | str],
        source: SecretSource | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> None:
        """Define the Secret's keys, and the Secret itself for local values.

        Args:
            scope: Parent construct, usually a chart.
            construct_id: Construct id, unique within ``scope``.
            name: Secret name: a DNS subdomain.
            keys: The keys to expose, as :class:`SecretKey` or as a bare key
                whose variable name is derived with :func:`env_name_for_key`.
            source: Where the values come from. Default: :class:`ExistingSecret`.
            labels: Extra labels of the generated Secret.

        Raises:
            InvalidPropError: a name, key or variable is invalid or duplicated,
                or a required key has no local value. Messages never contain a
                secret value.
        """
        check = PropChecker.for_child("SecretEnv", scope, construct_id)

        # Resolve defaults and validate every prop before creating any construct.
        check.rule(
            "name",
            name,
            validation.dns1123_subdomain_problems,
            "Use lower case letters, digits, '-' and '.', for example 'comic-postgres'.",
        )
        resolved_source: SecretSource = source if source is not None else ExistingSecret()
        if not isinstance(resolved_source, ExistingSecret | LocalSecretValues):
            # Only the type is shown: a wrong source may be a mapping of secret values.
            raise check.fail(
                "source",
                type(resolved_source).__name__,
                "must be ExistingSecret() or LocalSecretValues(...)",
                "Pass source=ExistingSecret() for production clusters.",
            )
        resolved_keys = _check_keys(check, keys)
        for key, value in (labels or {}).items():
            check.label_key("labels", key)
            if key == MANAGED_BY_KEY:
                raise check.fail(
                    "labels",
                    key,
                    "is set by the construct, so this value would be replaced",
                    f"Remove it: the Secret gets {key}: {MANAGED_BY}.",
                )
            check.label_value(f"labels[{key!r}]", value)
        values: dict[str, str] = {}
        if isinstance(resolved_source, LocalSecretValues):
            values = _read_local_values(check, name, resolved_keys, resolved_source)

        self.name = name
        self.namespace = chart_namespace(scope)
        """Namespace of the chart, where the pods that read the Secret must run."""
        self.keys: tuple[SecretKey, ...] = resolved_keys
        self.source = resolved_source
        self._secret: ApiObject | None = None
        if isinstance(resolved_source, LocalSecretValues):
            # Replaces super().__init__: creates this construct and its Secret.
            manifest = _render_secret(name, values, labels)
            init_with_object(self, scope, construct_id, "Secret", manifest)
        else:
            super().__init__(scope, construct_id)

    @property
    def secret(self) -> ApiObject | None:
        """The generated Secret's ApiObject, or ``None`` for an existing Secret."""
        if self._secret is None and isinstance(self.source, LocalSecretValues):
            self._secret = child_object(self, "Secret")
        return self._secret

    def env_entries(self) -> list[dict[str, Any]]:
        """Return one ``secretKeyRef`` EnvVar object per key, in the order given."""
        return [self.key_ref(key.key).env_var(key.env_name) for key in self.keys]

    def key_ref(self, key: str) -> SecretKeyRef:
        """Return the reference to ``key``, for consumers that choose their own variable name.

        Raises:
            NotFoundError: ``key`` is not one of this SecretEnv's keys. It
                is a KeyError too.
        """
        for declared in self.keys:
            if declared.key == key:
                return SecretKeyRef(self.name, declared.key, declared.optional)
        known = ", ".join(repr(declared.key) for declared in self.keys)
        raise NotFoundError(f"SecretEnv {self.name!r} has no key {key!r}. Its keys: {known}.")

    @property
    def generated(self) -> bool:
        """Whether the manifests contain this Secret with its values."""
        return isinstance(self.source, LocalSecretValues)


def _check_keys(check: PropChecker, keys: Sequence[SecretKey | str]) -> tuple[SecretKey, ...]:
    if isinstance(keys, str) or not keys:
        raise check.fail(
            "keys", keys, "must be a non-empty list of keys", "Pass keys=['username', 'password']."
        )
    resolved: list[SecretKey] = []
    seen_keys: set[str] = set()
    seen_names: set[str] = set()
    for index, item in enumerate(keys):
        key = SecretKey(item) if isinstance(item, str) else item
        if not isinstance(key, SecretKey):
            raise check.fail(
                f"keys[{index}]",
                type(item).__name__,
                "must be a SecretKey or a string",
                "Pass SecretKey('key').",
            )
        check.rule(
            f"keys[{index}].key",
            key.key,
            validation.secret_key_problems,
            "Use letters, digits, '-', '_' and '.', for example 'db-password'.",
        )
        if key.variable is None and validation.env_var_name_problems(key.env_name):
            raise check.fail(
                f"keys[{index}].variable",
                key.env_name,
                f"is derived from key {key.key!r} and is not a valid variable name",
                f"Pass SecretKey({key.key!r}, variable='SOME_NAME').",
            )
        check.env_var_name(f"keys[{index}].variable", key.env_name)
        if key.key in seen_keys:
            raise check.fail(
                f"keys[{index}].key", key.key, "is listed twice", "List each key once."
            )
        if key.env_name in seen_names:
            raise check.fail(
                f"keys[{index}].variable",
                key.env_name,
                "is set by two keys, and Kubernetes would keep only the last",
                "Give each key its own variable name.",
            )
        seen_keys.add(key.key)
        seen_names.add(key.env_name)
        resolved.append(key)
    return tuple(resolved)


def _read_local_values(
    check: PropChecker, secret: str, keys: Sequence[SecretKey], source: LocalSecretValues
) -> dict[str, str]:
    """Return each key's value, warning that they land in the manifests."""
    _check_local_source(check, source)
    environ = source.environ if source.environ is not None else os.environ
    try:
        file_values, file_read, is_fallback = source.read_files()
    except (OSError, UnicodeDecodeError) as err:
        # The message names only the error type, and ``from None`` drops the
        # cause, because a decoding error quotes the file's bytes and secrets.
        path, is_fallback_file = source.file_to_read()
        problem = "is not UTF-8 text" if isinstance(err, UnicodeDecodeError) else "is unreadable"
        raise check.fail(
            "source.fallback_file" if is_fallback_file else "source.env_file",
            str(path),
            f"{problem} ({type(err).__name__})",
            "Check that the file is readable and saved as UTF-8.",
        ) from None

    searched = ["the process environment"]
    if file_read is not None:
        searched.append(str(file_read))
    values: dict[str, str] = {}
    for index, key in enumerate(keys):
        variable = source.variable_for(secret, key.key)
        if validation.env_var_name_problems(variable):
            raise check.fail(
                "source.prefix",
                variable,
                f"gives key {key.key!r} an invalid variable name",
                "Pass a prefix of letters, digits and '_', such as 'COMIC_DB_'.",
            )
        value = environ.get(variable, file_values.get(variable))
        if value is None or value == "":
            if key.optional:
                continue
            problem = "is empty" if value == "" else "is not set"
            raise check.fail(
                f"keys[{index}]",
                variable,
                f"{problem} in {' or '.join(searched)}, and key {key.key!r} is required",
                _missing_value_fix(source, variable),
            )
        _check_local_value(check, f"keys[{index}]", variable, value)
        values[key.key] = value

    where = "the process environment" if file_read is None else f"the environment and {file_read}"
    # stacklevel 5 points at the caller of SecretEnv(...), past this function,
    # __init__, the reports_wrong_types wrapper and jsii's metaclass __call__.
    if is_fallback:
        warnings.warn(
            f"Secret {secret!r} is generated with the placeholder values of {file_read}, "
            f"because {source.env_file} does not exist, and they are written into the "
            f"synthesized manifests. Copy it to {source.env_file} and set your own values.",
            PlaceholderSecretWarning,
            stacklevel=5,
        )
    else:
        warnings.warn(
            f"Secret {secret!r} is generated with values read from {where}, and they are "
            "written into the synthesized manifests. Use ExistingSecret() outside development.",
            SecretInManifestWarning,
            stacklevel=5,
        )
    return values


def _missing_value_fix(source: LocalSecretValues, variable: str) -> str:
    """Return the fix for a missing value, naming only the files that ``source`` reads."""
    if source.env_file is None:
        return f"Set {variable} in the process environment."
    if source.fallback_file is not None and not Path(source.env_file).is_file():
        return (
            f"Create {source.env_file} from {source.fallback_file} and set {variable} in it, "
            "or set it in the process environment."
        )
    return f"Set {variable} in {source.env_file} or in the process environment."


def _check_local_source(check: PropChecker, source: LocalSecretValues) -> None:
    for prop in ("env_file", "fallback_file"):
        value = getattr(source, prop)
        if value is not None and not isinstance(value, str | os.PathLike):
            raise check.fail(
                f"source.{prop}",
                value,
                f"must be a path or a string, not {type(value).__name__}",
                "Pass a path such as Path('.env') or '.env', or None.",
            )
    if source.prefix is not None and not isinstance(source.prefix, str):
        raise check.fail(
            "source.prefix",
            source.prefix,
            f"must be a string, not {type(source.prefix).__name__}",
            "Pass a prefix such as 'COMIC_DB_', or None for the default.",
        )
    if source.environ is not None and not isinstance(source.environ, Mapping):
        # The message shows only the type, because the object may contain secret values.
        raise check.fail(
            "source.environ",
            type(source.environ).__name__,
            "must be a mapping of variable names to values",
            "Pass a dict, or None to read os.environ.",
        )


def _check_local_value(check: PropChecker, prop: str, variable: str, value: object) -> None:
    """Raise if a secret value cannot be written into a Secret, never showing the value."""
    if not isinstance(value, str):
        problems = [f"must be a string, not {type(value).__name__}"]
        fix = f"Set {variable} to a string, for example str(value)."
    else:
        problems = validation.text_problems(value)
        fix = f"Set {variable} to a value without NUL characters or lone surrogates."
    if problems:
        raise InvalidPropError(
            check.construct,
            check.path,
            prop,
            None,
            f"the value of {variable} " + "; ".join(problems),
            fix,
            show_value=False,
        )


def _render_secret(
    name: str, values: Mapping[str, str], labels: Mapping[str, str] | None
) -> dict[str, Any]:
    # base64 ``data`` rather than ``stringData``: the API server stores only
    # ``data``, so ``kubectl diff`` against stringData never comes out clean.
    data = {key: base64.b64encode(value.encode()).decode("ascii") for key, value in values.items()}
    metadata_labels = {**(labels or {}), MANAGED_BY_KEY: MANAGED_BY}
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": name, "labels": metadata_labels},
        "type": "Opaque",
        "data": data,
    }
