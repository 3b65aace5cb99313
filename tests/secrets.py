"""Fake secret values used by the tests, and an EnvSource that references them safely.

Every secret-like value a test passes to a construct comes from here, so
tests/test_secret_safety.py can check that none of them reaches a manifest
or a snapshot. The values are random-looking but fake.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

FAKE_SECRETS: dict[str, str] = {
    "database password": "fake-db-pass-Qv7Lr2Zt",
    "api token": "fake-api-token-8KfPw3Mx",
    "env value in an error": "fake-env-secret-Jd5Hs9Rb",
}
"""Fake secret values by what they stand for."""


@dataclass(frozen=True)
class SecretKeyEnv:
    """Env vars read from keys of an existing Secret, as a SecretEnv construct would emit them.

    The values stay in the cluster's Secret; the manifest holds only references.
    """

    secret_name: str
    keys: Mapping[str, str]
    """Env var name to Secret key."""

    def env_entries(self) -> Sequence[Mapping[str, Any]]:
        return [
            {"name": name, "valueFrom": {"secretKeyRef": {"name": self.secret_name, "key": key}}}
            for name, key in self.keys.items()
        ]
