"""SecretEnv: its env entries, the Secret it generates from local values, and its errors."""

from __future__ import annotations

import base64
import warnings
from pathlib import Path
from typing import Any

import pytest
from cdk8s import Chart

from constructs_lib import (
    ConstructsLibError,
    ExistingSecret,
    InvalidPropError,
    LocalSecretValues,
    NotFoundError,
    PlaceholderSecretWarning,
    SecretEnv,
    SecretInManifestWarning,
    SecretKey,
    SecretKeyRef,
    StatelessApp,
)
from constructs_lib.secret_env import env_name_for_key
from constructs_lib.testing import synth_manifests
from tests.schema import schema_errors

FAKE_PASSWORD = "fake-password-for-tests"


def secrets_of(chart: Chart) -> dict[str, dict[str, Any]]:
    return {m["metadata"]["name"]: m for m in synth_manifests(chart) if m["kind"] == "Secret"}


def decoded(secret: dict[str, Any]) -> dict[str, str]:
    return {key: base64.b64decode(value).decode() for key, value in secret["data"].items()}


def local(environ: dict[str, str], **kwargs: Any) -> LocalSecretValues:
    return LocalSecretValues(env_file=None, environ=environ, **kwargs)


def test_existing_secret_renders_key_refs(chart: Chart) -> None:
    secret = SecretEnv(chart, "db", name="db", keys=["db-password", SecretKey("user", "DB_USER")])
    assert secret.env_entries() == [
        {
            "name": "DB_PASSWORD",
            "valueFrom": {"secretKeyRef": {"name": "db", "key": "db-password"}},
        },
        {"name": "DB_USER", "valueFrom": {"secretKeyRef": {"name": "db", "key": "user"}}},
    ]


def test_existing_secret_emits_nothing(chart: Chart) -> None:
    secret = SecretEnv(chart, "db", name="db", keys=["password"], source=ExistingSecret())
    assert synth_manifests(chart) == []
    assert secret.generated is False


def test_optional_key_sets_optional(chart: Chart) -> None:
    secret = SecretEnv(chart, "db", name="db", keys=[SecretKey("token", optional=True)])
    ref = secret.env_entries()[0]["valueFrom"]["secretKeyRef"]
    assert ref == {"name": "db", "key": "token", "optional": True}


def test_app_gets_explicit_env_never_env_from(chart: Chart) -> None:
    secret = SecretEnv(chart, "db", name="db", keys=["db-password"])
    StatelessApp(chart, "web", name="web", image="ghcr.io/example/web:1.0.0", env_from=[secret])
    deployment = next(m for m in synth_manifests(chart) if m["kind"] == "Deployment")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert "envFrom" not in container
    assert container["env"][0]["name"] == "DB_PASSWORD"
    assert container["env"][0]["valueFrom"]["secretKeyRef"]["key"] == "db-password"


def test_env_name_for_key_replaces_separators() -> None:
    assert env_name_for_key("db-password") == "DB_PASSWORD"
    assert env_name_for_key("tls.crt") == "TLS_CRT"
    assert env_name_for_key("Api_Key") == "API_KEY"


def test_key_ref_and_unknown_key(chart: Chart) -> None:
    secret = SecretEnv(chart, "db", name="db", keys=[SecretKey("password", optional=True)])
    assert secret.key_ref("password") == SecretKeyRef("db", "password", optional=True)
    with pytest.raises(KeyError, match="no key 'user'"):
        secret.key_ref("user")


def test_unknown_key_is_library_error(chart: Chart) -> None:
    secret = SecretEnv(chart, "db", name="db", keys=["username", "password"])
    with pytest.raises(NotFoundError) as caught:
        secret.key_ref("user")
    assert isinstance(caught.value, ConstructsLibError)
    assert (
        str(caught.value) == "SecretEnv 'db' has no key 'user'. Its keys: 'username', 'password'."
    )


def test_local_values_generate_secret(chart: Chart) -> None:
    environ = {"DB_USERNAME": "app", "DB_PASSWORD": FAKE_PASSWORD}
    with pytest.warns(SecretInManifestWarning, match="written into the synthesized manifests"):
        secret = SecretEnv(
            chart, "db", name="db", keys=["username", "password"], source=local(environ)
        )
    generated = secrets_of(chart)["db"]
    assert secret.generated is True
    assert generated["type"] == "Opaque"
    assert decoded(generated) == {"username": "app", "password": FAKE_PASSWORD}
    assert "stringData" not in generated
    assert generated["metadata"]["labels"] == {"app.kubernetes.io/managed-by": "cdk8s"}


def test_local_values_prefix_is_configurable(chart: Chart) -> None:
    source = local({"APP_DB_PASSWORD": FAKE_PASSWORD}, prefix="APP_DB_")
    with pytest.warns(SecretInManifestWarning):
        SecretEnv(chart, "db", name="comic-postgres", keys=["password"], source=source)
    assert decoded(secrets_of(chart)["comic-postgres"]) == {"password": FAKE_PASSWORD}


def test_environment_wins_over_env_file(chart: Chart, tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("DB_USERNAME=from-file\nDB_PASSWORD='file-password'\n")
    source = LocalSecretValues(env_file=env_file, environ={"DB_USERNAME": "from-environment"})
    with pytest.warns(SecretInManifestWarning, match=str(env_file)):
        SecretEnv(chart, "db", name="db", keys=["username", "password"], source=source)
    assert decoded(secrets_of(chart)["db"]) == {
        "username": "from-environment",
        "password": "file-password",
    }


def test_missing_env_file_falls_back_with_warning(chart: Chart, tmp_path: Path) -> None:
    example = tmp_path / ".env.example"
    example.write_text("# placeholders\nDB_PASSWORD=fake-placeholder\n")
    source = LocalSecretValues(env_file=tmp_path / ".env", fallback_file=example, environ={})
    with pytest.warns(PlaceholderSecretWarning, match="placeholder values"):
        SecretEnv(chart, "db", name="db", keys=["password"], source=source)
    assert decoded(secrets_of(chart)["db"]) == {"password": "fake-placeholder"}


def test_existing_env_file_skips_fallback(chart: Chart, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DB_PASSWORD=real-dev-value\n")
    (tmp_path / ".env.example").write_text("DB_PASSWORD=placeholder\n")
    source = LocalSecretValues(
        env_file=tmp_path / ".env", fallback_file=tmp_path / ".env.example", environ={}
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        SecretEnv(chart, "db", name="db", keys=["password"], source=source)
    categories = [warning.category for warning in caught]
    assert categories == [SecretInManifestWarning]
    assert decoded(secrets_of(chart)["db"]) == {"password": "real-dev-value"}


def test_env_file_accepts_str_path(chart: Chart, tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("DB_PASSWORD=file-password\n")
    source = LocalSecretValues(env_file=str(env_file), environ={})
    assert source.env_file == env_file
    with pytest.warns(SecretInManifestWarning, match=str(env_file)):
        SecretEnv(chart, "db", name="db", keys=["password"], source=source)
    assert decoded(secrets_of(chart)["db"]) == {"password": "file-password"}


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (123, "must be a string, not int"),
        ("fake\udcffvalue", "lone surrogate"),
        ("fake\x00value", "NUL"),
    ],
)
def test_bad_local_value_is_hidden(chart: Chart, value: object, fragment: str) -> None:
    source = local({"DB_PASSWORD": value})  # type: ignore[dict-item]
    with pytest.raises(InvalidPropError) as caught:
        SecretEnv(chart, "db", name="db", keys=["password"], source=source)
    message = str(caught.value)
    assert caught.value.prop == "keys[0]"
    assert fragment in message
    assert "DB_PASSWORD" in message
    assert "<hidden>" in message
    assert "fake" not in message
    assert synth_manifests(chart) == []


def test_undecodable_env_file_is_rejected(chart: Chart, tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_bytes(b"DB_PASSWORD=fake\xffvalue\n")
    source = LocalSecretValues(env_file=env_file, environ={})
    with pytest.raises(InvalidPropError) as caught:
        SecretEnv(chart, "db", name="db", keys=["password"], source=source)
    assert caught.value.prop == "source.env_file"
    assert "UnicodeDecodeError" in str(caught.value)
    assert "fake" not in str(caught.value)


def test_optional_key_without_value_is_left_out(chart: Chart) -> None:
    keys: list[SecretKey | str] = ["password", SecretKey("token", optional=True)]
    with pytest.warns(SecretInManifestWarning):
        SecretEnv(chart, "db", name="db", keys=keys, source=local({"DB_PASSWORD": "x"}))
    assert decoded(secrets_of(chart)["db"]) == {"password": "x"}


def test_missing_value_names_variable(chart: Chart) -> None:
    with pytest.raises(InvalidPropError) as caught:
        SecretEnv(chart, "db", name="db", keys=["password"], source=local({}))
    assert caught.value.prop == "keys[0]"
    assert "DB_PASSWORD" in str(caught.value)
    assert "is not set" in str(caught.value)
    assert synth_manifests(chart) == []


def test_missing_value_fix_without_files(chart: Chart) -> None:
    with pytest.raises(InvalidPropError) as caught:
        SecretEnv(chart, "db", name="db", keys=["password"], source=local({}))
    assert caught.value.fix == "Set DB_PASSWORD in the process environment."


def test_missing_value_fix_names_env_file(chart: Chart, tmp_path: Path) -> None:
    env_file = tmp_path / "dev.env"
    env_file.write_text("DB_USERNAME=dev\n")
    source = LocalSecretValues(env_file=env_file, environ={})
    with pytest.raises(InvalidPropError) as caught:
        SecretEnv(chart, "db", name="db", keys=["password"], source=source)
    assert caught.value.fix == f"Set DB_PASSWORD in {env_file} or in the process environment."
    assert ".env.example" not in str(caught.value)


def test_missing_value_fix_names_fallback_file(chart: Chart, tmp_path: Path) -> None:
    env_file = tmp_path / "dev.env"
    fallback = tmp_path / "dev.env.template"
    fallback.write_text("DB_USERNAME=placeholder\n")
    source = LocalSecretValues(env_file=env_file, fallback_file=fallback, environ={})
    with pytest.raises(InvalidPropError) as caught:
        SecretEnv(chart, "db", name="db", keys=["password"], source=source)
    assert str(fallback) in str(caught.value)
    assert caught.value.fix == (
        f"Create {env_file} from {fallback} and set DB_PASSWORD in it, "
        "or set it in the process environment."
    )


def test_empty_value_is_rejected(chart: Chart) -> None:
    with pytest.raises(InvalidPropError, match="is empty"):
        SecretEnv(chart, "db", name="db", keys=["password"], source=local({"DB_PASSWORD": ""}))


def test_errors_and_warnings_never_show_values(chart: Chart) -> None:
    environ = {"DB_PASSWORD": FAKE_PASSWORD}
    with pytest.raises(InvalidPropError) as caught:
        SecretEnv(chart, "db", name="db", keys=["password", "user"], source=local(environ))
    assert FAKE_PASSWORD not in str(caught.value)
    with warnings.catch_warnings(record=True) as recorded:
        warnings.simplefilter("always")
        SecretEnv(chart, "ok", name="ok", keys=["password"], source=local({"OK_PASSWORD": "v1"}))
    assert all("v1" not in str(warning.message) for warning in recorded)
    assert FAKE_PASSWORD not in repr(local(environ))


def test_wrong_types_show_only_type_names(chart: Chart) -> None:
    with pytest.raises(InvalidPropError) as by_source:
        SecretEnv(chart, "db", name="db", keys=["password"], source={"password": FAKE_PASSWORD})  # type: ignore[arg-type]
    with pytest.raises(InvalidPropError) as by_key:
        SecretEnv(chart, "db", name="db", keys=[("password", FAKE_PASSWORD)])  # type: ignore[list-item]
    assert FAKE_PASSWORD not in str(by_source.value)
    assert "'dict'" in str(by_source.value)
    assert FAKE_PASSWORD not in str(by_key.value)
    assert "'tuple'" in str(by_key.value)


def test_generated_secret_passes_strict_schema(chart: Chart) -> None:
    with pytest.warns(SecretInManifestWarning):
        SecretEnv(chart, "db", name="db", keys=["password"], source=local({"DB_PASSWORD": "x"}))
    assert schema_errors(synth_manifests(chart)) == []


@pytest.mark.parametrize(
    ("props", "prop", "fragment"),
    [
        ({"name": "Comic_DB"}, "name", "lower case"),
        ({"keys": []}, "keys", "non-empty"),
        ({"keys": "password"}, "keys", "non-empty"),
        ({"keys": ["bad/key"]}, "keys[0].key", "alphanumeric"),
        ({"keys": [".."]}, "keys[0].key", "'..'"),
        ({"keys": ["1st-key"]}, "keys[0].variable", "derived from key"),
        ({"keys": [SecretKey("password", "db-password")]}, "keys[0].variable", "C identifier"),
        ({"keys": ["password", "password"]}, "keys[1].key", "listed twice"),
        ({"keys": ["db-password", "db_password"]}, "keys[1].variable", "set by two keys"),
        ({"keys": [42]}, "keys[0]", "SecretKey or a string"),
        ({"source": "env"}, "source", "ExistingSecret"),
        ({"source": local({}, prefix="1X_")}, "source.prefix", "invalid variable name"),
        ({"labels": {"team": "a b"}}, "labels['team']", "alphanumeric"),
        ({"labels": {"app.kubernetes.io/managed-by": "helm"}}, "labels", "set by the construct"),
        ({"source": LocalSecretValues(env_file=3, environ={})}, "source.env_file", "path"),  # type: ignore[arg-type]
        (
            {"source": LocalSecretValues(env_file=None, fallback_file=b".env", environ={})},  # type: ignore[arg-type]
            "source.fallback_file",
            "not bytes",
        ),
        ({"source": local({}, prefix=1)}, "source.prefix", "must be a string"),
        (
            {"source": LocalSecretValues(env_file=None, environ=[("DB_PASSWORD", "x")])},  # type: ignore[arg-type]
            "source.environ",
            "must be a mapping",
        ),
    ],
)
def test_bad_prop_raises_clear_error(
    chart: Chart, props: dict[str, Any], prop: str, fragment: str
) -> None:
    arguments: dict[str, Any] = {"name": "db", "keys": ["password"], **props}
    with pytest.raises(InvalidPropError) as caught:
        SecretEnv(chart, "db", **arguments)
    error = caught.value
    assert error.construct == "SecretEnv"
    assert error.path == "test/db"
    assert error.prop == prop
    assert fragment in error.rule
    assert error.fix
    assert synth_manifests(chart) == []


def test_value_not_utf8_is_rejected_hidden(chart: Chart) -> None:
    # Python decodes an environment variable whose bytes are not UTF-8 to a lone surrogate.
    value = FAKE_PASSWORD + "\udcff"
    with pytest.raises(InvalidPropError, match="lone surrogate") as caught:
        SecretEnv(chart, "db", name="db", keys=["password"], source=local({"DB_PASSWORD": value}))
    assert FAKE_PASSWORD not in str(caught.value)
    assert caught.value.prop == "keys[0]"


def test_value_with_nul_is_rejected(chart: Chart) -> None:
    with pytest.raises(InvalidPropError, match="NUL") as caught:
        SecretEnv(
            chart,
            "db",
            name="db",
            keys=["password"],
            source=local({"DB_PASSWORD": FAKE_PASSWORD + "\x00"}),
        )
    assert FAKE_PASSWORD not in str(caught.value)


def test_env_file_not_utf8_is_rejected(chart: Chart, tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_bytes(b'DB_PASSWORD="' + FAKE_PASSWORD.encode() + b'\xff"\n')
    source = LocalSecretValues(env_file=env_file, environ={})
    with pytest.raises(InvalidPropError, match="not UTF-8") as caught:
        SecretEnv(chart, "db", name="db", keys=["password"], source=source)
    assert FAKE_PASSWORD not in str(caught.value)
    assert caught.value.prop == "source.env_file"
