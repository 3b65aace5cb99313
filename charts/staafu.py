"""staafu: a Vue.js single-page app served by an unprivileged nginx.

Produces a NetworkPolicy, a Deployment, a ClusterIP Service for other pods,
and a LoadBalancer Service for clients outside the cluster. The policy admits
the nginx port from any source, because the LoadBalancer's clients come from
outside the cluster, and allows no egress but DNS.
"""

from __future__ import annotations

from dataclasses import dataclass

from cdk8s import Chart
from constructs import Construct

from constructs_lib import (
    ContainerPort,
    ExposedService,
    ServicePort,
    ServiceType,
    StatelessApp,
)


@dataclass(frozen=True, slots=True)
class StaafuSettings:
    """Settings that differ between installations of staafu."""

    image: str = "nginxinc/nginx-unprivileged:1.27-alpine"
    """The SPA's image: the built Vue.js files inside an unprivileged nginx.
    Default: the plain nginx base image, which serves its welcome page."""
    replicas: int = 2
    """nginx pods. Default: 2, so one can restart while the other serves."""
    public_port: int = 80
    """Port of the LoadBalancer and of the in-cluster Service. Default: 80."""
    network_policy: bool = True
    """Whether the nginx pods get their NetworkPolicy. Default: ``True``. Set
    ``False`` for a cluster whose network plugin does not enforce them."""


class StaafuChart(Chart):
    """The staafu chart: ``staafu`` (ClusterIP) and ``staafu-public`` (LoadBalancer)."""

    def __init__(self, scope: Construct, chart_id: str, settings: StaafuSettings) -> None:
        super().__init__(scope, chart_id, disable_resource_name_hashes=True)
        self.web = StatelessApp(
            self,
            "web",
            name="staafu",
            image=settings.image,
            replicas=settings.replicas,
            # nginx-unprivileged listens on 8080 as UID 101 and writes its pid
            # and temp files under /tmp and its cache under /var/cache/nginx.
            ports=[ContainerPort("http", 8080)],
            run_as_user=101,
            run_as_group=101,
            writable_paths=["/tmp", "/var/cache/nginx"],
            component="frontend",
            network_policy=settings.network_policy,
        )
        self.internal = ExposedService(
            self,
            "internal",
            app=self.web,
            name="staafu",
            ports=[ServicePort("http", port=settings.public_port)],
        )
        self.public = ExposedService(
            self,
            "public",
            app=self.web,
            name="staafu-public",
            service_type=ServiceType.LOAD_BALANCER,
            ports=[ServicePort("http", port=settings.public_port)],
        )
