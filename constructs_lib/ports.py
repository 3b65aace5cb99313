"""Named container ports."""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["ContainerPort", "Protocol"]


class Protocol(enum.StrEnum):
    """Transport protocol of a port, as Kubernetes spells it."""

    TCP = "TCP"
    UDP = "UDP"
    SCTP = "SCTP"


@dataclass(frozen=True, slots=True)
class ContainerPort:
    """A port that a container listens on.

    Services and probes refer to the port by ``name``, so renumbering it
    touches one place.
    """

    name: str
    """IANA service name such as ``http``: at most 15 characters."""
    number: int
    """Port the process listens on, from 1 to 65535."""
    protocol: Protocol = Protocol.TCP
    """Transport protocol. Default: TCP."""
