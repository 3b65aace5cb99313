"""Readiness and liveness probes."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from constructs_lib.errors import InvalidPropError

__all__ = ["DEFAULT_HTTP_PROBE", "Probe", "ProbeAction"]


class ProbeAction(enum.Enum):
    """Kind of check that the kubelet runs against the container."""

    HTTP_GET = "httpGet"
    TCP_SOCKET = "tcpSocket"
    EXEC = "exec"


@dataclass(frozen=True, slots=True)
class Probe:
    """A readiness or liveness probe.

    Build one with :meth:`http`, :meth:`tcp` or :meth:`command_succeeds`. A
    probe without a port checks the construct's first container port, which
    must be a TCP port unless the probe runs a command.
    """

    action: ProbeAction
    """The kind of check."""
    path: str = "/"
    """URL path of an HTTP probe. Default: ``/``."""
    port: str | None = None
    """Name of the container port to check. Default: the first port."""
    command: tuple[str, ...] = field(default_factory=tuple)
    """Command of an exec probe; exit status 0 means healthy."""
    initial_delay_seconds: int = 0
    """Seconds between container start and the first check. Default: 0."""
    period_seconds: int = 10
    """Seconds between checks. Default: 10."""
    timeout_seconds: int = 1
    """Seconds after which one check counts as failed. Default: 1."""
    failure_threshold: int = 3
    """Failed checks in a row before the probe fails. Default: 3."""

    @classmethod
    def http(
        cls,
        path: str = "/",
        *,
        port: str | None = None,
        initial_delay_seconds: int = 0,
        period_seconds: int = 10,
        timeout_seconds: int = 1,
        failure_threshold: int = 3,
    ) -> Probe:
        """Return a probe that sends ``GET path`` and expects a 2xx or 3xx status."""
        return cls(
            ProbeAction.HTTP_GET,
            path=path,
            port=port,
            initial_delay_seconds=initial_delay_seconds,
            period_seconds=period_seconds,
            timeout_seconds=timeout_seconds,
            failure_threshold=failure_threshold,
        )

    @classmethod
    def tcp(
        cls,
        *,
        port: str | None = None,
        initial_delay_seconds: int = 0,
        period_seconds: int = 10,
        timeout_seconds: int = 1,
        failure_threshold: int = 3,
    ) -> Probe:
        """Return a probe that succeeds when the port accepts a connection."""
        return cls(
            ProbeAction.TCP_SOCKET,
            port=port,
            initial_delay_seconds=initial_delay_seconds,
            period_seconds=period_seconds,
            timeout_seconds=timeout_seconds,
            failure_threshold=failure_threshold,
        )

    @classmethod
    def command_succeeds(
        cls,
        command: Sequence[str],
        *,
        initial_delay_seconds: int = 0,
        period_seconds: int = 10,
        timeout_seconds: int = 1,
        failure_threshold: int = 3,
    ) -> Probe:
        """Return a probe that runs ``command`` in the container.

        Raises:
            InvalidPropError: ``command`` is a string instead of a list of words.
        """
        if isinstance(command, str | bytes):
            # A string is a sequence of characters, so "true" would run ['t', 'r', 'u', 'e'].
            raise InvalidPropError(
                "Probe",
                "",
                "command",
                command,
                "must be a list of words, not a string",
                f"Pass a list, for example [{command!r}] or ['sh', '-c', {command!r}].",
            )
        return cls(
            ProbeAction.EXEC,
            command=tuple(command),
            initial_delay_seconds=initial_delay_seconds,
            period_seconds=period_seconds,
            timeout_seconds=timeout_seconds,
            failure_threshold=failure_threshold,
        )

    def timings(self) -> dict[str, int]:
        """Return each timing setting by its prop name, for validation."""
        return {
            "initial_delay_seconds": self.initial_delay_seconds,
            "period_seconds": self.period_seconds,
            "timeout_seconds": self.timeout_seconds,
            "failure_threshold": self.failure_threshold,
        }

    def render(self, default_port: str | None) -> dict[str, Any]:
        """Return the probe as a container field, resolving the default port."""
        rendered: dict[str, Any]
        port = self.port or default_port
        if self.action is ProbeAction.HTTP_GET:
            rendered = {"httpGet": {"path": self.path, "port": port}}
        elif self.action is ProbeAction.TCP_SOCKET:
            rendered = {"tcpSocket": {"port": port}}
        else:
            rendered = {"exec": {"command": list(self.command)}}
        if self.initial_delay_seconds:
            rendered["initialDelaySeconds"] = self.initial_delay_seconds
        rendered["periodSeconds"] = self.period_seconds
        rendered["timeoutSeconds"] = self.timeout_seconds
        rendered["failureThreshold"] = self.failure_threshold
        return rendered


DEFAULT_HTTP_PROBE = Probe.http()
"""``GET /`` on the first container port, every 10 seconds."""
