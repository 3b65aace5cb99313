"""Prop checks that raise :class:`InvalidPropError` with the construct's path."""

from __future__ import annotations

from collections.abc import Callable

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
        """Raise unless ``value`` passes ``rule``; return the value otherwise."""
        if not isinstance(value, str):
            raise self.fail(prop, value, f"must be a string, not {type(value).__name__}", fix)
        problems = rule(value)
        if problems:
            raise self.fail(prop, value, "; ".join(problems), fix)
        return value

    def dns_label(self, prop: str, value: str, *, max_length: int | None = None) -> str:
        """Check an object name that must be an RFC 1123 label."""
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

    def service_name(self, prop: str, value: str) -> str:
        """Check a Service name, which must be an RFC 1035 label."""
        fix = "Start with a letter and use lower case letters, digits and '-', e.g. 'web'."
        return self.rule(prop, value, validation.dns1035_label_problems, fix)

    def port_name(self, prop: str, value: str) -> str:
        fix = "Use at most 15 lower case letters, digits and single '-', e.g. 'http'."
        return self.rule(prop, value, validation.port_name_problems, fix)

    def port_number(self, prop: str, value: int) -> int:
        problems = validation.port_number_problems(value)
        if problems:
            raise self.fail(prop, value, "; ".join(problems), "Use a port from 1 to 65535.")
        return value

    def quantity(self, prop: str, value: str) -> str:
        fix = "Write CPU as cores or millicores ('0.5', '500m') and bytes as '128Mi' or '1Gi'."
        return self.rule(prop, value, validation.quantity_problems, fix)

    def label_value(self, prop: str, value: str) -> str:
        fix = "Use at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric."
        return self.rule(prop, value, validation.label_value_problems, fix)

    def label_key(self, prop: str, value: str) -> str:
        fix = "Use an optional DNS prefix and a name, e.g. 'example.com/team'."
        return self.rule(prop, value, validation.label_key_problems, fix)

    def env_var_name(self, prop: str, value: str) -> str:
        fix = "Rename the variable, for example 'db-password' to 'DB_PASSWORD'."
        return self.rule(prop, value, validation.env_var_name_problems, fix)

    def positive_int(self, prop: str, value: int, *, minimum: int = 1) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(
                prop, value, f"must be an integer of at least {minimum}", "Pass a whole number."
            )
        return value
