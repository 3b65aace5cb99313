"""Random props of SecretEnv, StatefulDatabase and OneShotJob: safe manifests or ConstructsLibError.

"Safe" is :func:`tests.properties.check_safe`. SecretEnv also has to put
exactly the expected fake values into its Secret, and no fake value may
appear in an error message or a warning.
"""

from __future__ import annotations

import base64
import tempfile
import warnings
from pathlib import Path
from typing import Any

import pytest
from cdk8s import Chart
from hypothesis import given

from constructs_lib import (
    ConstructsLibError,
    ExistingSecret,
    LocalSecretValues,
    OneShotJob,
    PostgresEngine,
    SecretEnv,
    SecretKey,
    StatefulDatabase,
    StatelessApp,
)
from constructs_lib.engines import MinioEngine
from constructs_lib.env import EnvSource
from constructs_lib.validation import env_var_name_problems
from tests.properties import (
    EXAMPLES,
    PROPERTY_SETTINGS,
    Outcomes,
    check_safe,
    fresh_chart,
    opted_out_checks,
    run_property,
)
from tests.strategies_data import one_shot_job_props, secret_env_props, stateful_database_props

CLIENT_IMAGE = "ghcr.io/example/client:1.0.0"

WORKLOAD_EXAMPLES = 200
"""Examples of the StatefulDatabase and OneShotJob tests, fewer than EXAMPLES
because each example defines two or three workloads."""


def key_of(item: str | SecretKey) -> str:
    return item if isinstance(item, str) else item.key


def placed_values(props: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """Return the fake values of the environment and of the .env file, by variable name."""
    naming = LocalSecretValues(prefix=props["prefix"])
    environ: dict[str, str] = {}
    file: dict[str, str] = {}
    for item, placement, environ_value, file_value in zip(
        props["keys"],
        props["placements"],
        props["environ_values"],
        props["file_values"],
        strict=True,
    ):
        variable = naming.variable_for(props["name"], key_of(item))
        if env_var_name_problems(variable):
            continue
        # The "none" source reads the .env file only.
        if placement in {"environ", "both"} and props["source"] != "none":
            environ[variable] = environ_value
        if placement in {"file", "both"}:
            file[variable] = file_value
        if placement == "empty-environ" and props["source"] != "none":
            environ[variable] = ""
        if placement == "empty-file":
            file[variable] = ""
    return environ, file


def expected_data(
    props: dict[str, Any], environ: dict[str, str], file: dict[str, str]
) -> dict[str, str]:
    """Return the Secret data that the values should give, decoded, as the model of SecretEnv."""
    naming = LocalSecretValues(prefix=props["prefix"])
    data = {}
    for item in props["keys"]:
        variable = naming.variable_for(props["name"], key_of(item))
        value = environ[variable] if variable in environ else file.get(variable)
        if value:
            data[key_of(item)] = value
    return data


def local_source(
    props: dict[str, Any],
    directory: Path,
    environ: dict[str, str],
    file: dict[str, str],
    patch: pytest.MonkeyPatch,
) -> ExistingSecret | LocalSecretValues | None:
    """Write the .env file, set the environment, and return the SecretEnv source."""
    if props["source"] == "existing":
        return ExistingSecret()
    if props["source"] == "default":
        return None
    env_file = directory / ".env"
    written = directory / ".env.example" if props["fallback"] else env_file
    lines = [f'{variable}="{value}"' for variable, value in file.items()]
    written.write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping: dict[str, str] | None = {}
    if props["source"] == "environ":
        mapping = environ
    elif props["source"] == "process":
        mapping = None
        for variable in [*environ, *file]:
            patch.delenv(variable, raising=False)
        for variable, value in environ.items():
            patch.setenv(variable, value)
    return LocalSecretValues(
        env_file=env_file,
        fallback_file=written if props["fallback"] else None,
        prefix=props["prefix"],
        environ=mapping,
    )


def test_secret_env_props(tmp_path: Path) -> None:
    outcomes = Outcomes(tmp_path / "examples")
    outcomes.directory.mkdir()

    @PROPERTY_SETTINGS
    @given(props=secret_env_props())
    def example(props: dict[str, Any]) -> None:
        directory = Path(tempfile.mkdtemp(dir=tmp_path))
        chart = fresh_chart(directory)
        environ, file = placed_values(props)
        error: ConstructsLibError | None = None
        with pytest.MonkeyPatch.context() as patch, warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            source = local_source(props, directory, environ, file, patch)
            try:
                secret = SecretEnv(
                    chart,
                    "secret",
                    name=props["name"],
                    keys=props["keys"],
                    source=source,
                    labels=props["labels"],
                )
            except ConstructsLibError as err:
                error = err
        texts = [str(warning.message) for warning in caught]
        if error is not None:
            texts.append(str(error))
        for value in [*props["environ_values"], *props["file_values"]]:
            for text in texts:
                assert value not in text
        if error is not None:
            outcomes.rejected += 1
            return

        declared = [SecretKey(item) if isinstance(item, str) else item for item in props["keys"]]
        assert [entry["name"] for entry in secret.env_entries()] == [
            key.env_name for key in declared
        ]
        StatelessApp(
            chart,
            "web",
            name="web",
            image=CLIENT_IMAGE,
            env_from=[secret],
            readiness_probe=None,
            liveness_probe=None,
        )
        manifests = chart.to_json()
        check_safe(manifests)
        generated = [m for m in manifests if m["kind"] == "Secret"]
        if isinstance(secret.source, ExistingSecret):
            assert generated == []
        else:
            (manifest,) = generated
            decoded = {
                key: base64.b64decode(value).decode("utf-8")
                for key, value in manifest.get("data", {}).items()
            }
            assert decoded == expected_data(props, environ, file)
        outcomes.record(manifests, set())

    example()
    print(f"SecretEnv: {outcomes.synthesized} synthesized, {outcomes.rejected} rejected")
    assert outcomes.synthesized >= EXAMPLES // 20
    assert outcomes.rejected >= EXAMPLES // 20


def define_database(chart: Chart, props: dict[str, Any]) -> None:
    """Define the database, its credentials, and a client wired to its connection."""
    credentials = SecretEnv(
        chart, "credentials", name="db-credentials", keys=props["credential_keys"]
    )
    database: StatefulDatabase[Any] = StatefulDatabase(
        chart,
        "db",
        name=props["name"],
        engine=props["engine"],
        credentials=credentials,
        replicas=props["replicas"],
        storage=props["storage"],
        resources=props["resources"],
        disruption=props["disruption"],
        part_of=props["part_of"],
        instance=props["instance"],
        labels=props["labels"],
        network_policy=props["network_policy"],
    )
    connection = database.connection()
    env = connection.django_env() if isinstance(props["engine"], PostgresEngine) else None
    env = env or connection.s3_env()
    StatelessApp(
        chart,
        "client",
        name="client-of-the-database",
        image=CLIENT_IMAGE,
        env_from=[env],
        readiness_probe=None,
        liveness_probe=None,
    )


def database_opted_out_checks(props: dict[str, Any]) -> set[str]:
    """Return the probe checks of the client, and the resource checks that the props turn off.

    ``resources=None`` means the engine's defaults, which set every value.
    """
    checks = {"CKV_K8S_8", "CKV_K8S_9"}
    if props["network_policy"] is False:
        checks.add("CKV2_K8S_6")
    if props["resources"] is not None:
        checks |= opted_out_checks(props)
    return checks


def test_stateful_database_props(tmp_path: Path) -> None:
    outcomes = run_property(
        tmp_path,
        stateful_database_props(),
        define_database,
        database_opted_out_checks,
        WORKLOAD_EXAMPLES,
    )
    print(f"StatefulDatabase: {outcomes.synthesized} synthesized, {outcomes.rejected} rejected")
    assert outcomes.synthesized >= WORKLOAD_EXAMPLES // 20
    assert outcomes.rejected >= WORKLOAD_EXAMPLES // 20
    assert outcomes.unexplained_checkov_failures() == []


def define_job(chart: Chart, props: dict[str, Any]) -> None:
    """Define a PostgreSQL and a MinIO server, and the Job with the connections it names."""
    pg_credentials = SecretEnv(chart, "pg-credentials", name="pg", keys=["username", "password"])
    pg = StatefulDatabase(
        chart, "pg", name="pg", engine=PostgresEngine(), credentials=pg_credentials
    ).connection()
    store_credentials = SecretEnv(
        chart, "store-credentials", name="store", keys=["access-key", "secret-key"]
    )
    store = StatefulDatabase(
        chart, "store", name="store", engine=MinioEngine(), credentials=store_credentials
    ).connection()
    prefix = props["django_prefix"]
    sources: dict[str, EnvSource] = {
        "postgres": pg.django_env(prefix),
        "postgres-no-url": pg.django_env(prefix, url=False),
        "secret": pg_credentials,
        "s3": store.s3_env(),
        "mc": store.mc_env(),
        "variables-only": pg.django_env(prefix).variables_only(),
    }
    OneShotJob(
        chart,
        "job",
        name=props["name"],
        image=props["image"],
        command=props["command"],
        args=props["args"],
        env=props["env"],
        env_from=[sources[source] for source in props["sources"]],
        wait_for=[pg.wait_step(name) for name in props["waits"]],
        backoff_limit=props["backoff_limit"],
        active_deadline_seconds=props["active_deadline_seconds"],
        ttl_seconds_after_finished=props["ttl_seconds_after_finished"],
        resources=props["resources"],
        writable_paths=props["writable_paths"],
        run_as_user=props["run_as_user"],
        run_as_group=props["run_as_group"],
        app_name=props["app_name"],
        component=props["component"],
        version=props["version"],
        labels=props["labels"],
        network_policy=props["network_policy"],
    )


def job_opted_out_checks(props: dict[str, Any]) -> set[str]:
    """Return the probe checks, because a Job runs to completion, and the props' opt-outs."""
    return {"CKV_K8S_8", "CKV_K8S_9", *opted_out_checks(props)}


def test_one_shot_job_props(tmp_path: Path) -> None:
    outcomes = run_property(
        tmp_path, one_shot_job_props(), define_job, job_opted_out_checks, WORKLOAD_EXAMPLES
    )
    print(f"OneShotJob: {outcomes.synthesized} synthesized, {outcomes.rejected} rejected")
    assert outcomes.synthesized >= WORKLOAD_EXAMPLES // 20
    assert outcomes.rejected >= WORKLOAD_EXAMPLES // 20
    assert outcomes.unexplained_checkov_failures() == []
