"""Validation rules: each one at its boundaries, valid and invalid."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import pytest

from constructs_lib import validation as v
from constructs_lib.validation import QuantityKind

StrRule = Callable[[str], list[str]]


def case_id(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:20]}...len={len(str(value))}"


def check_valid(rule: Callable[..., list[str]], *args: object) -> None:
    assert rule(*args) == [], f"{rule.__name__}{args!r} should be valid"


def check_invalid(rule: Callable[..., list[str]], *args: object) -> None:
    assert rule(*args) != [], f"{rule.__name__}{args!r} should be invalid"


NAME_CASES: list[tuple[StrRule, str, bool]] = [
    # DNS-1123 label: 63 characters, lower case alphanumerics and '-'.
    (v.dns1123_label_problems, "a", True),
    (v.dns1123_label_problems, "a" * 63, True),
    (v.dns1123_label_problems, "a" * 64, False),
    (v.dns1123_label_problems, "1abc", True),
    (v.dns1123_label_problems, "a-b", True),
    (v.dns1123_label_problems, "", False),
    (v.dns1123_label_problems, "-a", False),
    (v.dns1123_label_problems, "a-", False),
    (v.dns1123_label_problems, "A", False),
    (v.dns1123_label_problems, "a.b", False),
    (v.dns1123_label_problems, "a_b", False),
    # DNS-1123 subdomain: 253 characters, dot-separated labels.
    (v.dns1123_subdomain_problems, "a.b", True),
    (v.dns1123_subdomain_problems, ("a" * 63 + ".") * 3 + "a" * 61, True),
    (v.dns1123_subdomain_problems, ("a" * 63 + ".") * 3 + "a" * 62, False),
    (v.dns1123_subdomain_problems, "a..b", False),
    (v.dns1123_subdomain_problems, ".a", False),
    (v.dns1123_subdomain_problems, "a.", False),
    (v.dns1123_subdomain_problems, "a-.b", False),
    # DNS-1035 label, for Services: must start with a letter.
    (v.dns1035_label_problems, "a", True),
    (v.dns1035_label_problems, "a" * 63, True),
    (v.dns1035_label_problems, "a" * 64, False),
    (v.dns1035_label_problems, "1a", False),
    (v.dns1035_label_problems, "a1", True),
    (v.dns1035_label_problems, "a.b", False),
    # StatefulSet: a DNS label of at most 52 characters.
    (v.statefulset_name_problems, "a" * 52, True),
    (v.statefulset_name_problems, "a" * 53, False),
    (v.statefulset_name_problems, "db.main", False),
    (v.statefulset_name_problems, "Db", False),
]


@pytest.mark.parametrize(("rule", "value", "valid"), NAME_CASES, ids=case_id)
def test_name_rules(rule: StrRule, value: str, valid: bool) -> None:
    if valid:
        check_valid(rule, value)
    else:
        check_invalid(rule, value)


def test_statefulset_limit_leaves_room_for_hash() -> None:
    assert v.STATEFULSET_NAME_MAX_LENGTH + len("-") + len("4294967295") == 63


LABEL_CASES: list[tuple[StrRule, str, bool]] = [
    (v.label_value_problems, "", True),
    (v.label_value_problems, "a" * 63, True),
    (v.label_value_problems, "a" * 64, False),
    (v.label_value_problems, "1.2.3", True),
    (v.label_value_problems, "1.2.3+build", False),
    (v.label_value_problems, "v1_2-3.x", True),
    (v.label_value_problems, "-a", False),
    (v.label_value_problems, "a.", False),
    (v.label_value_problems, "A", True),
    (v.label_value_problems, "a b", False),
    (v.label_key_problems, "team", True),
    (v.label_key_problems, "example.com/team", True),
    (v.label_key_problems, "a" * 63, True),
    (v.label_key_problems, "a" * 64, False),
    (v.label_key_problems, "a" * 253 + "/b", True),
    (v.label_key_problems, "a" * 254 + "/b", False),
    (v.label_key_problems, "/b", False),
    (v.label_key_problems, "example.com/", False),
    (v.label_key_problems, "a/b/c", False),
    (v.label_key_problems, "Example.com/b", False),
    (v.label_key_problems, "example.com/B_b.1", True),
    (v.label_key_problems, "", False),
]


@pytest.mark.parametrize(("rule", "value", "valid"), LABEL_CASES, ids=case_id)
def test_label_rules(rule: StrRule, value: str, valid: bool) -> None:
    if valid:
        check_valid(rule, value)
    else:
        check_invalid(rule, value)


def test_annotations_size_boundary() -> None:
    key = "k"
    at_limit = {key: "x" * (v.ANNOTATIONS_MAX_BYTES - len(key))}
    over_limit = {key: "x" * (v.ANNOTATIONS_MAX_BYTES - len(key) + 1)}
    check_valid(v.annotations_problems, at_limit)
    check_invalid(v.annotations_problems, over_limit)


def test_annotations_keys_and_values() -> None:
    check_valid(v.annotations_problems, {"example.com/Owner": "team a", "x": ""})
    check_invalid(v.annotations_problems, {"a/b/c": "x"})
    check_invalid(v.annotations_problems, {"ok": 1})
    check_invalid(v.annotations_problems, {"ok": "a\x00b"})


PORT_NAME_CASES = [
    ("http", True),
    ("a" * 15, True),
    ("a" * 16, False),
    ("h2c-web", True),
    ("8080", False),
    ("a1", True),
    ("HTTP", False),
    ("a--b", False),
    ("-http", False),
    ("http-", False),
    ("http_web", False),
    ("", False),
]


@pytest.mark.parametrize(("value", "valid"), PORT_NAME_CASES, ids=case_id)
def test_port_name_rule(value: str, valid: bool) -> None:
    if valid:
        check_valid(v.port_name_problems, value)
    else:
        check_invalid(v.port_name_problems, value)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        (1, True),
        (65535, True),
        (0, False),
        (65536, False),
        (-1, False),
        (True, False),
        ("80", False),
    ],
    ids=case_id,
)
def test_port_number_rule(value: int, valid: bool) -> None:
    if valid:
        check_valid(v.port_number_problems, value)
    else:
        check_invalid(v.port_number_problems, value)


@pytest.mark.parametrize(
    ("value", "valid"),
    [(30000, True), (32767, True), (29999, False), (32768, False), (True, False)],
    ids=case_id,
)
def test_node_port_rule(value: int, valid: bool) -> None:
    if valid:
        check_valid(v.node_port_problems, value)
    else:
        check_invalid(v.node_port_problems, value)


QUANTITY_CASES: list[tuple[str, QuantityKind, Fraction | None]] = [
    ("0", QuantityKind.CPU, Fraction(0)),
    ("1", QuantityKind.CPU, Fraction(1)),
    ("500m", QuantityKind.CPU, Fraction(1, 2)),
    ("0.5", QuantityKind.CPU, Fraction(1, 2)),
    (".5", QuantityKind.CPU, Fraction(1, 2)),
    ("5.", QuantityKind.CPU, Fraction(5)),
    ("+1", QuantityKind.CPU, Fraction(1)),
    ("1e3", QuantityKind.CPU, Fraction(1000)),
    ("1E3", QuantityKind.CPU, Fraction(1000)),
    ("1e-3", QuantityKind.CPU, Fraction(1, 1000)),
    ("1k", QuantityKind.CPU, Fraction(1000)),
    ("64Mi", QuantityKind.MEMORY, Fraction(64 * 2**20)),
    ("1.5Gi", QuantityKind.MEMORY, Fraction(3 * 2**29)),
    ("1G", QuantityKind.MEMORY, Fraction(10**9)),
    ("1E", QuantityKind.MEMORY, Fraction(10**18)),
    ("7Ei", QuantityKind.STORAGE, Fraction(7 * 2**60)),
    ("9223372036854775807", QuantityKind.STORAGE, Fraction(2**63 - 1)),
    # Invalid: grammar.
    ("1g", QuantityKind.MEMORY, None),
    ("6GiB", QuantityKind.MEMORY, None),
    ("1Mb", QuantityKind.MEMORY, None),
    ("", QuantityKind.CPU, None),
    (".", QuantityKind.CPU, None),
    ("-", QuantityKind.CPU, None),
    ("1.5.2", QuantityKind.CPU, None),
    ("1 Gi", QuantityKind.MEMORY, None),
    (" 1", QuantityKind.CPU, None),
    ("1e", QuantityKind.CPU, None),
    ("0x10", QuantityKind.CPU, None),
    ("1e1001", QuantityKind.CPU, None),
    ("1" * 1001, QuantityKind.CPU, None),
    # Invalid: value rules.
    ("-1", QuantityKind.CPU, None),
    ("-0.1", QuantityKind.MEMORY, None),
    ("9223372036854775808", QuantityKind.STORAGE, None),
    ("8Ei", QuantityKind.MEMORY, None),
    ("0.0001", QuantityKind.CPU, None),
    ("1500u", QuantityKind.CPU, None),
    ("100m", QuantityKind.MEMORY, None),
    ("1.5", QuantityKind.MEMORY, None),
    ("0.5Ki", QuantityKind.MEMORY, Fraction(512)),
]


@pytest.mark.parametrize(("text", "kind", "value"), QUANTITY_CASES, ids=case_id)
def test_quantity_rule(text: str, kind: QuantityKind, value: Fraction | None) -> None:
    if value is None:
        check_invalid(v.quantity_problems, text, kind)
    else:
        check_valid(v.quantity_problems, text, kind)
        assert v.parse_quantity(text) == value


def test_cpu_millicore_boundary() -> None:
    check_valid(v.quantity_problems, "0.001", QuantityKind.CPU)
    check_invalid(v.quantity_problems, "0.0015", QuantityKind.CPU)
    check_valid(v.quantity_problems, "1000000n", QuantityKind.CPU)
    check_invalid(v.quantity_problems, "1000001n", QuantityKind.CPU)


@pytest.mark.parametrize(
    ("request_text", "limit_text", "valid"),
    [
        ("500m", "500m", True),
        ("0.5", "500m", True),
        ("501m", "0.5", False),
        ("1Gi", "1024Mi", True),
        ("1Gi", "1G", False),
        ("1G", "1Gi", True),
        ("1073741825", "1Gi", False),
        ("1e3", "1k", True),
    ],
    ids=case_id,
)
def test_request_limit_rule(request_text: str, limit_text: str, valid: bool) -> None:
    if valid:
        check_valid(v.request_limit_problems, "cpu", request_text, limit_text)
    else:
        check_invalid(v.request_limit_problems, "cpu", request_text, limit_text)


ENV_NAME_CASES = [
    ("A", True),
    ("_A1", True),
    ("DB_PASSWORD", True),
    ("lower_case", True),
    ("1A", False),
    ("db-password", False),
    ("a.b", False),
    ("", False),
    ("A=B", False),
    ("Ä", False),
]


@pytest.mark.parametrize(("value", "valid"), ENV_NAME_CASES, ids=case_id)
def test_env_var_name_rule(value: str, valid: bool) -> None:
    if valid:
        check_valid(v.env_var_name_problems, value)
    else:
        check_invalid(v.env_var_name_problems, value)


@pytest.mark.parametrize(
    ("value", "valid"),
    [("", True), ("a b\n\t", True), ("ü😀", True), ("a\x00b", False), ("a\ud800", False)],
    ids=case_id,
)
def test_text_rule(value: str, valid: bool) -> None:
    if valid:
        check_valid(v.text_problems, value)
    else:
        check_invalid(v.text_problems, value)


@pytest.mark.parametrize(
    ("value", "minimum", "valid"),
    [
        (0, 0, True),
        (-1, 0, False),
        (1, 1, True),
        (0, 1, False),
        (2**31 - 1, 0, True),
        (2**31, 0, False),
        (True, 0, False),
        (1.0, 0, False),
    ],
    ids=case_id,
)
def test_int32_rule(value: int, minimum: int, valid: bool) -> None:
    if valid:
        check_valid(lambda x: v.int32_problems(x, minimum=minimum), value)
    else:
        check_invalid(lambda x: v.int32_problems(x, minimum=minimum), value)


@pytest.mark.parametrize(
    ("value", "valid"),
    [(0, True), (2**31 - 1, True), (2**31, False), (-1, False), (False, False)],
    ids=case_id,
)
def test_unix_id_rule(value: int, valid: bool) -> None:
    if valid:
        check_valid(v.unix_id_problems, value)
    else:
        check_invalid(v.unix_id_problems, value)


def test_run_as_user_rejects_root() -> None:
    check_invalid(v.run_as_user_problems, 0)
    check_valid(v.run_as_user_problems, 1)
    check_invalid(v.run_as_user_problems, -1)


@pytest.mark.parametrize(
    ("max_surge", "max_unavailable", "valid"),
    [
        ("25%", 0, True),
        (0, 1, True),
        (1, 0, True),
        (0, "1%", True),
        (0, "100%", True),
        (0, "101%", False),
        ("101%", 0, True),
        (0, 0, False),
        ("0%", 0, False),
        (0, "0%", False),
        ("0%", "00%", False),
        (-1, 1, False),
        (1, -1, False),
        ("ten", 1, False),
        ("25", 1, False),
        ("2.5%", 1, False),
        ("\u0662%", 1, False),
        (" 25%", 1, False),
        (True, 1, False),
        (2**31, 1, False),
    ],
    ids=case_id,
)
def test_rolling_update_rule(max_surge: int | str, max_unavailable: int | str, valid: bool) -> None:
    if valid:
        check_valid(v.rolling_update_problems, max_surge, max_unavailable)
    else:
        check_invalid(v.rolling_update_problems, max_surge, max_unavailable)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("/tmp", True),
        ("/var/cache/nginx", True),
        ("/tmp/", True),
        ("tmp", False),
        ("/", False),
        ("//", False),
        ("/a:b", False),
        ("/a/../b", False),
        ("/a/..", False),
        ("/a..b", True),
        ("/a\x00", False),
        ("", False),
    ],
    ids=case_id,
)
def test_mount_path_rule(value: str, valid: bool) -> None:
    if valid:
        check_valid(v.mount_path_problems, value)
    else:
        check_invalid(v.mount_path_problems, value)


INGRESS_PATH_CASES = [
    ("/", "Prefix", True),
    ("/api", "Prefix", True),
    ("/api/v1", "Exact", True),
    ("api", "Prefix", False),
    ("", "Prefix", False),
    ("/a//b", "Prefix", False),
    ("/a/./b", "Exact", False),
    ("/a/../b", "Prefix", False),
    ("/a%2fb", "Prefix", False),
    ("/a%2Fb", "Exact", False),
    ("/a/..", "Prefix", False),
    ("/a/.", "Prefix", False),
    ("/a.", "Prefix", True),
    ("", "ImplementationSpecific", True),
    ("/a//b", "ImplementationSpecific", True),
    ("a", "ImplementationSpecific", False),
    ("/", "Regex", False),
]


@pytest.mark.parametrize(("path", "path_type", "valid"), INGRESS_PATH_CASES, ids=case_id)
def test_ingress_path_rule(path: str, path_type: str, valid: bool) -> None:
    if valid:
        check_valid(v.ingress_path_problems, path, path_type)
    else:
        check_invalid(v.ingress_path_problems, path, path_type)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("nginx", True),
        ("example.com.nginx", True),
        ("Nginx", False),
        ("", False),
        ("a" * 254, False),
    ],
    ids=case_id,
)
def test_ingress_class_name_rule(value: str, valid: bool) -> None:
    if valid:
        check_valid(v.ingress_class_name_problems, value)
    else:
        check_invalid(v.ingress_class_name_problems, value)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("shop.example.com", True),
        ("*.example.com", True),
        ("localhost", True),
        ("*", False),
        ("*.*.example.com", False),
        ("a.*.example.com", False),
        ("*example.com", False),
        ("10.0.0.1", False),
        ("::1", False),
        ("Shop.example.com", False),
        ("shop.example.com:8080", False),
    ],
    ids=case_id,
)
def test_ingress_host_rule(value: str, valid: bool) -> None:
    if valid:
        check_valid(v.ingress_host_problems, value)
    else:
        check_invalid(v.ingress_host_problems, value)


RULES = [name for name in v.__all__ if name.endswith("_problems")]


@pytest.mark.parametrize("name", RULES)
def test_rule_names_its_source(name: str) -> None:
    doc = getattr(v, name).__doc__ or ""
    names_source = any(marker in doc for marker in ("pkg/", "k8s.io/", "library's own"))
    assert names_source, f"{name} names no Kubernetes source"
