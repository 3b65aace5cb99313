"""Prop checks that raise :class:`InvalidPropError` with the construct's path.

Each method applies one rule from :mod:`constructs_lib.validation` and, on the
first invalid value, raises an error that names the construct, its path, the
prop, the value, the rule and a fix.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from constructs import Construct

from constructs_lib import validation
from constructs_lib.errors import InvalidPropError

Rule = Callable[[str], list[str]]


def construct_path(scope: Construct, construct_id: str) -> str:
    """Return the path that a child ``construct_id`` of ``scope`` will have."""
    parent = scope.node.path
    return f"{parent}/{construct_id}" if parent else construct_id


class PropChecker:
    """Validates the props of one construct and raises on the first invalid one."""

    def __init__(self, construct: str, path: str | Callable[[], str]) -> None:
        self.construct = construct
        self._path = path

    @classmethod
    def for_child(cls, construct: str, scope: Construct, construct_id: str) -> PropChecker:
        """Return a checker for child ``construct_id`` of ``scope``, not yet created.

        The path costs two jsii requests, so it is looked up only when a prop fails.
        """
        return cls(construct, lambda: construct_path(scope, construct_id))

    @property
    def path(self) -> str:
        """The construct's path in the construct tree, such as ``app/chart/web``."""
        if callable(self._path):
            self._path = self._path()
        return self._path

    def fail(self, prop: str, value: object, rule: str, fix: str) -> InvalidPropError:
        """Return the error for ``prop``, for the caller to raise."""
        return InvalidPropError(self.construct, self.path, prop, value, rule, fix)

    def rule(self, prop: str, value: str, rule: Rule, fix: str) -> str:
        """Raise unless ``value`` is a string that passes ``rule``; return the value."""
        if not isinstance(value, str):
            raise self.fail(prop, value, f"must be a string, not {type(value).__name__}", fix)
        problems = rule(value)
        if problems:
            raise self.fail(prop, value, "; ".join(problems), fix)
        return value

    def problems(self, prop: str, value: object, problems: list[str], fix: str) -> None:
        """Raise if ``problems``, the result of a rule applied to ``value``, is not empty."""
        if problems:
            raise self.fail(prop, value, "; ".join(problems), fix)

    # Names ------------------------------------------------------------------

    def dns_label(self, prop: str, value: str, *, max_length: int | None = None) -> str:
        """Check an object name that must be an RFC 1123 label.

        ``max_length`` lowers the limit of 63 for a name that the library
        extends with a suffix.
        """
        fix = "Use lower case letters, digits and '-', for example 'my-app'."
        self.rule(prop, value, validation.dns1123_label_problems, fix)
        if max_length is not None and len(value) > max_length:
            raise self.fail(
                prop,
                value,
                f"must be no more than {max_length} characters, not {len(value)}, "
                "because Kubernetes derives longer names from it",
                "Choose a shorter name.",
            )
        return value

    def dns_subdomain(self, prop: str, value: str) -> str:
        """Check a name that must be an RFC 1123 subdomain, such as a Secret's."""
        fix = "Use lower case letters, digits, '-' and '.', for example 'my-app.tls'."
        return self.rule(prop, value, validation.dns1123_subdomain_problems, fix)

    def statefulset_name(self, prop: str, value: str) -> str:
        """Check a StatefulSet name: a DNS label of at most 52 characters."""
        fix = "Use at most 52 lower case letters, digits and '-', for example 'db'."
        return self.rule(prop, value, validation.statefulset_name_problems, fix)

    def service_name(self, prop: str, value: str) -> str:
        """Check a Service name, which must be an RFC 1035 label."""
        fix = "Start with a letter and use lower case letters, digits and '-', e.g. 'web'."
        return self.rule(prop, value, validation.dns1035_label_problems, fix)

    def derived_name(self, prop: str, value: str, derived: str, rule: Rule) -> str:
        """Check a name that the library derives from ``value``, such as ``<name>-headless``.

        The error names the prop the user set and shows the derived name.
        """
        problems = rule(derived)
        if problems:
            raise self.fail(
                prop,
                value,
                f"derives the name {derived!r}, which " + "; ".join(problems),
                "Choose a shorter or simpler name.",
            )
        return value

    # Ports ------------------------------------------------------------------

    def port_name(self, prop: str, value: str) -> str:
        """Check a port name against the IANA service-name rule."""
        fix = "Use at most 15 lower case letters, digits and single '-', e.g. 'http'."
        return self.rule(prop, value, validation.port_name_problems, fix)

    def port_number(self, prop: str, value: int) -> int:
        """Check a port number: 1 to 65535."""
        problems = validation.port_number_problems(value)
        self.problems(prop, value, problems, "Use a port from 1 to 65535.")
        return value

    def node_port(self, prop: str, value: int) -> int:
        """Check a node port against the default range 30000-32767."""
        problems = validation.node_port_problems(value)
        self.problems(prop, value, problems, "Pick a port in that range, or leave it unset.")
        return value

    # Values -----------------------------------------------------------------

    def quantity(
        self,
        prop: str,
        value: str,
        kind: validation.QuantityKind,
    ) -> str:
        """Check a resource quantity of ``kind``."""
        fix = "Write CPU as cores or millicores ('0.5', '500m') and bytes as '128Mi' or '1Gi'."
        return self.rule(prop, value, lambda text: validation.quantity_problems(text, kind), fix)

    def label_value(self, prop: str, value: str) -> str:
        """Check a label value."""
        fix = "Use at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric."
        return self.rule(prop, value, validation.label_value_problems, fix)

    def label_key(self, prop: str, value: str) -> str:
        """Check a label key."""
        fix = "Use an optional DNS prefix and a name, e.g. 'example.com/team'."
        return self.rule(prop, value, validation.label_key_problems, fix)

    def annotations(self, prop: str, value: Mapping[str, str]) -> Mapping[str, str]:
        """Check annotation keys, values and their total size."""
        for key in value:
            if not isinstance(key, str):
                raise self.fail(prop, key, "keys must be strings", "Use string keys.")
        problems = validation.annotations_problems(dict(value))
        fix = "Use keys such as 'example.com/owner', string values, and 256 KiB in total."
        self.problems(prop, dict(value), problems, fix)
        return value

    def env_var_name(self, prop: str, value: str) -> str:
        """Check an environment variable name."""
        fix = "Rename the variable, for example 'db-password' to 'DB_PASSWORD'."
        return self.rule(prop, value, validation.env_var_name_problems, fix)

    def text(self, prop: str, value: str, *, show_value: bool = True) -> str:
        """Check a string that a container receives, such as an env value.

        ``show_value=False`` keeps the value out of the error message, for
        values that may be secret.
        """
        fix = "Remove NUL characters and unpaired surrogates from the string."
        if not isinstance(value, str):
            rule = f"must be a string, not {type(value).__name__}"
            raise InvalidPropError(
                self.construct,
                self.path,
                prop,
                value,
                rule,
                "Quote the value, e.g. '8080'.",
                show_value=show_value,
            )
        problems = validation.text_problems(value)
        if problems:
            raise InvalidPropError(
                self.construct,
                self.path,
                prop,
                value,
                "; ".join(problems),
                fix,
                show_value=show_value,
            )
        return value

    def mount_path(self, prop: str, value: str) -> str:
        """Check an absolute path that the library mounts a volume at."""
        fix = "Pass absolute paths such as '/tmp' or '/var/cache/nginx'."
        return self.rule(prop, value, validation.mount_path_problems, fix)

    # Numbers ----------------------------------------------------------------

    def positive_int(self, prop: str, value: int, *, minimum: int = 1) -> int:
        """Check an int32 field of at least ``minimum``."""
        problems = validation.int32_problems(value, minimum=minimum)
        self.problems(prop, value, problems, "Pass a whole number in that range.")
        return value

    def unix_id(self, prop: str, value: int) -> int:
        """Check a UID or GID."""
        problems = validation.unix_id_problems(value)
        self.problems(prop, value, problems, "Pass a numeric id, such as the image's user.")
        return value

    def run_as_user(self, prop: str, value: int) -> int:
        """Check the UID of a pod that must not run as root."""
        problems = validation.run_as_user_problems(value)
        fix = "Pass the image's unprivileged UID, or leave it unset to use the image's user."
        self.problems(prop, value, problems, fix)
        return value

    def rolling_update(self, max_surge: int | str, max_unavailable: int | str) -> None:
        """Check maxSurge and maxUnavailable together."""
        problems = validation.rolling_update_problems(max_surge, max_unavailable)
        fix = "Pass a whole number of pods or a percentage such as '25%', and not both 0."
        if problems and problems[0].startswith("max_surge"):
            self.problems("max_surge", max_surge, problems, fix)
        self.problems("max_unavailable", max_unavailable, problems, fix)

    # Ingress ----------------------------------------------------------------

    def ingress_path(self, prop: str, path: str, path_type: str) -> str:
        """Check an Ingress path for its path type."""
        fix = "Use an absolute path without '//', '/./' or '/../', for example '/api'."
        return self.rule(
            prop, path, lambda text: validation.ingress_path_problems(text, path_type), fix
        )

    def ingress_class_name(self, prop: str, value: str) -> str:
        """Check spec.ingressClassName."""
        fix = "Name an IngressClass of the cluster, for example 'nginx'."
        return self.rule(prop, value, validation.ingress_class_name_problems, fix)

    def ingress_host(self, prop: str, value: str) -> str:
        """Check an Ingress rule host."""
        fix = "Use a DNS name such as 'shop.example.com' or '*.example.com'."
        return self.rule(prop, value, validation.ingress_host_problems, fix)
