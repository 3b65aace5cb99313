"""Hypothesis strategies for NetworkPolicy settings and Ingress props.

Like :mod:`tests.strategies`, each strategy draws a valid value about 19 times
out of 20 and otherwise a value that a user could pass by mistake.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from hypothesis import strategies as st

from constructs_lib import (
    Ingress,
    IngressPath,
    IngressTls,
    NetworkPeer,
    NetworkPolicyPort,
    NetworkPolicySettings,
    NetworkRule,
    PathType,
    Protocol,
)
from constructs_lib.network import INGRESS_NGINX_CONTROLLER, KUBE_DNS
from tests.strategies import (
    TRICKY_TEXT,
    dns_labels,
    label_keys,
    label_values,
    mostly,
    names,
    port_numbers,
    text,
)

INVALID_CIDRS = [
    *("10.1.2.3/8", "10.0.0.0", "10.0.0.0/33", "::/129", "300.0.0.0/8", "10.0.0.0/-1"),
    *("2001:db8::1/32", "fe80::/10%eth0", " 10.0.0.0/8", "10.0.0.0/8 ", "0/0", ""),
]
"""Blocks with host bits, no prefix length, a bad prefix or bad syntax."""


@st.composite
def networks(draw: st.DrawFn) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """A valid IPv4 or IPv6 block, from /0 to a single address."""
    address = draw(st.ip_addresses())
    prefix = draw(st.integers(0, address.max_prefixlen))
    return ipaddress.ip_network(f"{address}/{prefix}", strict=False)


@st.composite
def inner_cidrs(draw: st.DrawFn, outer: ipaddress.IPv4Network | ipaddress.IPv6Network) -> str:
    """A block strictly inside ``outer``, or one that is not, now and then."""
    if outer.prefixlen < outer.max_prefixlen and draw(st.integers(0, 19)) != 0:
        prefix = draw(st.integers(outer.prefixlen + 1, outer.max_prefixlen))
        offset = draw(st.integers(0, outer.num_addresses - 1))
        address = outer.network_address + offset
        return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))
    return draw(st.one_of(st.just(str(outer)), networks().map(str), st.sampled_from(INVALID_CIDRS)))


def pod_label_maps() -> st.SearchStrategy[dict[str, str]]:
    return st.dictionaries(label_keys(), label_values(), max_size=3)


@st.composite
def ip_block_peers(draw: st.DrawFn) -> NetworkPeer:
    if draw(st.integers(0, 19)) == 0:
        return NetworkPeer(cidr=draw(st.one_of(st.sampled_from(INVALID_CIDRS), text())))
    outer = draw(networks())
    excepted = draw(st.lists(inner_cidrs(outer), max_size=2))
    return NetworkPeer(cidr=str(outer), except_cidrs=tuple(excepted))


def pod_peers() -> st.SearchStrategy[NetworkPeer]:
    namespace = st.one_of(st.none(), mostly(dns_labels(), names()))
    return st.builds(
        NetworkPeer, pod_labels=st.one_of(st.none(), pod_label_maps()), namespace=namespace
    )


def invalid_peers() -> st.SearchStrategy[NetworkPeer]:
    """Peers that Kubernetes rejects or that select nothing."""
    return st.sampled_from(
        [
            NetworkPeer(),
            NetworkPeer(cidr="10.0.0.0/8", namespace="monitoring"),
            NetworkPeer(cidr="10.0.0.0/8", pod_labels={}),
            NetworkPeer(namespace="monitoring", except_cidrs=("10.0.0.0/16",)),
        ]
    )


def peers() -> st.SearchStrategy[NetworkPeer]:
    return mostly(st.one_of(pod_peers(), ip_block_peers()), invalid_peers())


def policy_ports() -> st.SearchStrategy[NetworkPolicyPort]:
    return st.builds(NetworkPolicyPort, port_numbers(), st.sampled_from(list(Protocol)))


def rules() -> st.SearchStrategy[NetworkRule]:
    return st.builds(
        NetworkRule,
        st.lists(peers(), max_size=3).map(tuple),
        st.lists(policy_ports(), max_size=3).map(tuple),
    )


def policy_settings() -> st.SearchStrategy[NetworkPolicySettings]:
    dns = st.one_of(st.just(KUBE_DNS), st.none(), peers())
    valid = st.builds(
        NetworkPolicySettings,
        extra_ingress=st.lists(rules(), max_size=2).map(tuple),
        extra_egress=st.lists(rules(), max_size=2).map(tuple),
        restrict_egress=st.booleans(),
        dns=dns,
    )
    invalid = st.sampled_from(
        [
            NetworkPolicySettings(extra_ingress=NetworkRule((), ())),  # type: ignore[arg-type]
            NetworkPolicySettings(extra_egress="10.0.0.0/8"),  # type: ignore[arg-type]
            NetworkPolicySettings(restrict_egress="yes"),  # type: ignore[arg-type]
        ]
    )
    return mostly(valid, invalid)


def network_policy_props() -> st.SearchStrategy[bool | NetworkPolicySettings]:
    """A workload's ``network_policy`` prop."""
    return st.one_of(st.booleans(), policy_settings())


def dns_subdomains() -> st.SearchStrategy[str]:
    """Valid DNS-1123 subdomains of one to three labels."""
    return st.lists(dns_labels(20), min_size=1, max_size=3).map(".".join)


INVALID_HOSTS = [
    *("10.0.0.1", "::1", "2001:db8::1", "Example.com", "*", "*.", "a.*.com", "**.example.com"),
    *("*example.com", "example.com.", "-a.example.com", "a_b.example.com", "a" * 254),
]
"""Hosts that the API server rejects: IP addresses, bad wildcards, bad labels."""


def hosts() -> st.SearchStrategy[str]:
    wildcard = dns_subdomains().map(lambda name: f"*.{name}")
    invalid = st.one_of(st.sampled_from(INVALID_HOSTS), text())
    return mostly(st.one_of(dns_subdomains(), wildcard), invalid)


def ingress_paths(port_names: list[str]) -> st.SearchStrategy[IngressPath]:
    """Paths of each type, mostly of the characters ingress-nginx allows, with a port."""
    strict = st.from_regex(r"(/[A-Za-z0-9._~-]{0,8}){1,3}", fullmatch=True)
    tricky = st.sampled_from(
        [
            *("/", "/a//b", "/a/./b", "/a/../b", "/a/..", "/a/.", "/%2F", "/a b", ""),
            *("/api(/|$)(.*)", "/a\x00", "/\ud800", "/a\nb", "/\x85"),
        ]
    )
    path = st.one_of(strict, strict, tricky, text())
    known = st.sampled_from(port_names) if port_names else st.none()
    port = st.one_of(st.none(), mostly(known, st.just("no-such-port")))
    return st.builds(IngressPath, path, st.sampled_from(list(PathType)), port)


def body_sizes() -> st.SearchStrategy[str | None]:
    valid = st.builds(
        lambda number, unit: f"{number}{unit}",
        st.integers(0, 4096),
        st.sampled_from(["", "k", "K", "m", "M", "g", "G"]),
    )
    invalid = st.one_of(text(), st.sampled_from(["1.5m", "20mb", "-1", "01m", "1t"]))
    return st.one_of(st.none(), mostly(valid, invalid))


def ingress_annotations() -> st.SearchStrategy[dict[str, str]]:
    keys = st.one_of(label_keys(), st.sampled_from(["nginx.ingress.kubernetes.io/ssl-redirect"]))
    invalid = st.one_of(st.sampled_from(TRICKY_TEXT), st.integers(), text())
    values = mostly(st.sampled_from(["true", "false", "60", ""]), invalid)
    return st.dictionaries(keys, values, max_size=2)


@st.composite
def ingresses(draw: st.DrawFn, port_names: list[str]) -> Ingress:
    """An Ingress for a Service whose ports are called ``port_names``."""
    subdomain = mostly(dns_subdomains(), names())
    tls = st.builds(IngressTls, subdomain, st.one_of(st.none(), mostly(dns_labels(), text())))
    props: dict[str, Any] = {
        "host": draw(hosts()),
        "paths": tuple(
            draw(mostly(st.lists(ingress_paths(port_names), min_size=1, max_size=3), st.just([])))
        ),
        "tls": draw(st.one_of(st.none(), tls)),
        "class_name": draw(mostly(st.sampled_from(["nginx", "traefik", "internal.nginx"]), text())),
        "proxy_body_size": draw(body_sizes()),
        "name": draw(st.one_of(st.none(), subdomain)),
        "annotations": draw(ingress_annotations()),
        "controller": draw(st.one_of(st.just(INGRESS_NGINX_CONTROLLER), peers())),
    }
    return Ingress(**props)
