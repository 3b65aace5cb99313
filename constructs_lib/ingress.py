"""Ingress settings of an ExposedService: host, paths, TLS and the nginx controller's limits."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from constructs_lib.network import INGRESS_NGINX_CONTROLLER, NetworkPeer

__all__ = ["Ingress", "IngressPath", "IngressTls", "PathType"]


class PathType(enum.StrEnum):
    """Matching rule of an Ingress path, as Kubernetes spells it."""

    PREFIX = "Prefix"
    """Matches the path and everything below it, element by element:
    ``/media`` matches ``/media`` and ``/media/a.png`` but not ``/mediafiles``."""
    EXACT = "Exact"
    """Matches the path only, case-sensitively."""
    IMPLEMENTATION_SPECIFIC = "ImplementationSpecific"
    """Left to the Ingress controller, for example nginx regular expressions."""


@dataclass(frozen=True, slots=True)
class IngressPath:
    """One path of the host, routed to one port of the Service."""

    path: str = "/"
    """Request path, starting with ``/``. Default: ``/``."""
    path_type: PathType = PathType.PREFIX
    """Default: Prefix."""
    port: str | None = None
    """Name of the Service port to route to. Default: the Service's first port."""


@dataclass(frozen=True, slots=True)
class IngressTls:
    """TLS for the Ingress host, with the certificate in a Secret of type ``kubernetes.io/tls``."""

    secret_name: str
    """Secret with ``tls.crt`` and ``tls.key``."""
    cluster_issuer: str | None = None
    """cert-manager ClusterIssuer that creates and renews the Secret, set as the
    ``cert-manager.io/cluster-issuer`` annotation. Default: none, so the Secret
    must exist already."""


@dataclass(frozen=True, slots=True)
class Ingress:
    """An Ingress for an ExposedService: one host, its paths and optional TLS."""

    host: str
    """Host name of the requests to route, such as ``comic.example.com``, or a
    wildcard such as ``*.example.com``."""
    paths: Sequence[IngressPath] = (IngressPath(),)
    """Paths of the host. Default: every path (``/`` as Prefix) to the first port."""
    tls: IngressTls | None = None
    """Default: none, so the host is served over plain HTTP."""
    class_name: str = "nginx"
    """IngressClass that serves the Ingress, as ``spec.ingressClassName``.
    Default: ``nginx``, the class of ingress-nginx and of minikube's ingress addon."""
    proxy_body_size: str | None = None
    """Maximum request body size in nginx syntax, such as ``20m``, or ``0`` for
    no limit, set as ``nginx.ingress.kubernetes.io/proxy-body-size``. Larger
    uploads get a 413 response. Default: unset, so ingress-nginx's 1m applies."""
    name: str | None = None
    """Name of the Ingress object. Default: the Service's name."""
    annotations: Mapping[str, str] = field(default_factory=dict)
    """Further annotations for the Ingress controller."""
    controller: NetworkPeer = INGRESS_NGINX_CONTROLLER
    """Pods of the Ingress controller, which the app's NetworkPolicy admits on
    the backend ports. Default: the ingress-nginx controller in namespace
    ``ingress-nginx``. A controller that runs with ``hostNetwork`` connects
    from its node's address, and whether pod selectors match it then depends
    on the network plugin. A peer with the nodes' ``cidr`` admits it by
    address instead."""
