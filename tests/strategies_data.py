"""Hypothesis strategies for SecretEnv, StatefulDatabase and OneShotJob props.

Like :mod:`tests.strategies`, each strategy draws a valid value about 19 times
out of 20 and otherwise a value that a user could pass by mistake. Every
secret value drawn here is fake: ``fake-`` and random characters.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from constructs_lib import (
    AccessMode,
    DisruptionPolicy,
    MinioEngine,
    PostgresEngine,
    SecretKey,
    Storage,
)
from tests.strategies import (
    dns_labels,
    images,
    int32s,
    label_keys,
    label_values,
    mostly,
    names,
    paths,
    port_numbers,
    quantities,
    resources,
    text,
    unix_ids,
)
from tests.strategies_network import dns_subdomains, network_policy_props

PLACEMENTS = ("environ", "file", "both", "missing", "empty-environ", "empty-file")
"""Where a key's value is put: the environment, the .env file, both, or nowhere."""

FILE_SAFE = st.characters(
    codec="utf-8", exclude_characters='"\\$\n\r\x00', exclude_categories=("Cs", "Cc")
)
"""Characters that a double-quoted dotenv value carries unchanged."""


def secret_keys() -> st.SearchStrategy[str]:
    """Secret keys: common ones, dotted ones, random valid ones, and invalid ones."""
    common = st.sampled_from(
        ["password", "username", "db-password", "tls.crt", "api_key", "Token", "a.b.c", "_x"]
    )
    generated = st.from_regex(r"[A-Za-z_][-._A-Za-z0-9]{0,20}", fullmatch=True)
    invalid = st.one_of(
        st.sampled_from(["", ".", "..", "pässwort", "a/b", "a b", "1key", "-", "a" * 254]),
        text(),
    )
    return mostly(st.one_of(common, generated), invalid)


def secret_key_items() -> st.SearchStrategy[str | SecretKey]:
    variable = st.one_of(
        st.none(), mostly(st.from_regex(r"[A-Z_][A-Z0-9_]{0,15}", fullmatch=True), text())
    )
    declared = st.builds(SecretKey, secret_keys(), variable, st.booleans())
    return st.one_of(secret_keys(), declared)


def fake_values(*, for_file: bool) -> st.SearchStrategy[str]:
    """Fake secret values: ``fake-`` and 8 to 24 characters, unicode and spaces included.

    Values for the environment are sometimes not UTF-8, which SecretEnv must reject.
    """
    characters = FILE_SAFE if for_file else st.characters(codec="utf-8", exclude_characters="\x00")
    values = st.text(characters, min_size=8, max_size=24).map(lambda value: f"fake-{value}")
    if for_file:
        return values
    # A variable whose bytes are not UTF-8 reaches os.environ with a lone surrogate.
    return mostly(values, values.map(lambda value: f"{value}\udcff"))


@st.composite
def secret_env_props(draw: st.DrawFn) -> dict[str, Any]:
    """SecretEnv props, and where each key's fake value is put for LocalSecretValues.

    ``source`` is ``existing``, ``default`` (no source), ``environ`` (the
    ``environ`` mapping), ``process`` (``os.environ``) or ``none`` (the .env
    file only). ``fallback`` puts the file at the fallback path instead.
    """
    keys = draw(mostly(st.lists(secret_key_items(), min_size=1, max_size=4), st.just([])))
    source = draw(st.sampled_from(["existing", "default", "environ", "process", "none"]))
    return {
        "name": draw(mostly(dns_subdomains(), names())),
        "keys": keys,
        "labels": draw(st.dictionaries(label_keys(), label_values(), max_size=2)),
        "source": source,
        "prefix": draw(
            st.one_of(
                st.none(), mostly(st.from_regex(r"[A-Z][A-Z0-9_]{0,8}_", fullmatch=True), text())
            )
        ),
        "fallback": draw(st.booleans()),
        "placements": draw(
            st.lists(
                mostly(st.sampled_from(PLACEMENTS[:3]), st.sampled_from(PLACEMENTS[3:])),
                min_size=len(keys),
                max_size=len(keys),
            )
        ),
        "environ_values": draw(
            st.lists(fake_values(for_file=False), min_size=len(keys), max_size=len(keys))
        ),
        "file_values": draw(
            st.lists(fake_values(for_file=True), min_size=len(keys), max_size=len(keys))
        ),
    }


def postgres_engines() -> st.SearchStrategy[PostgresEngine]:
    database = mostly(
        st.from_regex(r"[a-z_][a-z0-9_]{0,20}", fullmatch=True),
        st.sampled_from(["", "1db", "Comic", "a-b", "a" * 64]),
    )
    image = mostly(st.just("postgres:17.2-bookworm"), images())
    return st.builds(
        PostgresEngine,
        user_key=secret_keys(),
        password_key=secret_keys(),
        database=database,
        image=image,
        port=port_numbers(),
        shared_memory=quantities(["Mi", "Gi"]),
        run_as_user=mostly(st.integers(1, 70000), st.sampled_from([0, -1])),
    )


def minio_engines() -> st.SearchStrategy[MinioEngine]:
    bucket = mostly(
        st.from_regex(r"[a-z0-9][a-z0-9.-]{1,20}[a-z0-9]", fullmatch=True),
        st.sampled_from(["ab", "Data", "a..b", "-ab", "a" * 64]),
    )
    image = mostly(st.just("minio/minio:RELEASE.2025-04-22T22-12-26Z"), images())
    return st.builds(
        MinioEngine,
        user_key=secret_keys(),
        password_key=secret_keys(),
        bucket=bucket,
        image=image,
        port=mostly(port_numbers(), st.just(9001)),
        run_as_user=mostly(st.integers(1, 70000), st.sampled_from([0, -1])),
    )


def storages() -> st.SearchStrategy[Storage | None]:
    size = mostly(
        st.one_of(
            quantities(["Ki", "Mi", "Gi", "Ti", "M", "G", ""]),
            st.sampled_from(["1.5Gi", "1e9", "500M", "0"]),
        ),
        st.sampled_from(["1GB", "1gi", "0.5", "-1Gi"]),
    )
    claim = mostly(
        st.one_of(st.just("data"), dns_labels()), st.sampled_from(["tmp", "Data", "a" * 64, ""])
    )
    return st.one_of(
        st.none(),
        st.builds(
            Storage,
            size=size,
            storage_class=st.one_of(st.none(), mostly(dns_subdomains(), text())),
            access_mode=mostly(st.sampled_from(list(AccessMode)), st.just("ReadWriteOnce")),
            claim_name=claim,
        ),
    )


@st.composite
def stateful_database_props(draw: st.DrawFn) -> dict[str, Any]:
    """StatefulDatabase props, with the key lists of its credentials SecretEnv.

    ``credential_keys`` names the keys of the SecretEnv that the test creates:
    mostly the engine's two keys, sometimes one is missing or optional.
    """
    engine = draw(st.one_of(postgres_engines(), minio_engines()))
    user_key, password_key = engine.credential_keys
    credential_keys: list[str | SecretKey] = draw(
        mostly(
            st.just([user_key, password_key]),
            st.sampled_from(
                [[user_key], [SecretKey(user_key), SecretKey(password_key, optional=True)]]
            ),
        )
    )
    name = mostly(
        st.one_of(dns_labels(52), st.just("a" * 52)),
        st.one_of(names(), st.just("a" * 53), st.just("1db")),
    )
    return {
        "name": draw(name),
        "engine": engine,
        "credential_keys": credential_keys,
        "replicas": draw(mostly(st.integers(0, 1), st.sampled_from([2, -1, 2**31]))),
        "storage": draw(storages()),
        "resources": draw(resources()),
        "disruption": draw(
            mostly(st.sampled_from(list(DisruptionPolicy)), st.just("block-eviction"))
        ),
        "part_of": draw(st.one_of(st.none(), label_values())),
        "instance": draw(st.one_of(st.none(), label_values())),
        "labels": draw(st.dictionaries(label_keys(), label_values(), max_size=2)),
        "network_policy": draw(network_policy_props()),
        "chart_namespace": draw(st.sampled_from([None, "apps"])),
    }


@st.composite
def one_shot_job_props(draw: st.DrawFn) -> dict[str, Any]:
    """OneShotJob props, except ``env_from`` and ``wait_for``, which need the servers.

    ``sources`` and ``waits`` name which connections the test passes:
    ``postgres``, ``postgres-no-url``, ``secret``, ``s3``, ``mc`` and
    ``variables-only`` for ``env_from``, and wait-step names for ``wait_for``.
    """
    env_names = st.from_regex(r"[A-Z][A-Z0-9_]{0,10}", fullmatch=True)
    sources = st.sampled_from(
        ["postgres", "postgres-no-url", "secret", "s3", "mc", "variables-only"]
    )
    return {
        "name": draw(names()),
        "image": draw(images()),
        "command": draw(mostly(st.lists(text(), min_size=1, max_size=3), st.just([]))),
        "args": draw(st.one_of(st.none(), st.lists(text(), max_size=2))),
        "env": draw(st.dictionaries(mostly(env_names, text()), text(), max_size=2)),
        "sources": draw(st.lists(sources, max_size=3)),
        "django_prefix": draw(mostly(st.sampled_from(["DATABASE_", "DB_", "PG"]), text())),
        "waits": draw(st.lists(mostly(dns_labels(), names()), max_size=2)),
        "backoff_limit": draw(int32s(0)),
        "active_deadline_seconds": draw(int32s(1)),
        "ttl_seconds_after_finished": draw(st.one_of(st.none(), int32s(0))),
        "resources": draw(resources()),
        "writable_paths": draw(st.lists(paths(), max_size=2)),
        "run_as_user": draw(unix_ids()),
        "run_as_group": draw(unix_ids()),
        "app_name": draw(st.one_of(st.none(), names())),
        "component": draw(mostly(st.just("job"), label_values())),
        "version": draw(st.one_of(st.none(), label_values())),
        "labels": draw(st.dictionaries(label_keys(), label_values(), max_size=2)),
        "network_policy": draw(network_policy_props()),
        "chart_namespace": draw(st.sampled_from([None, "apps"])),
    }
