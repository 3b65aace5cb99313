"""WorkloadNetworkPolicy: the NetworkPolicy that isolates one workload's pods.

StatelessApp, StatefulDatabase and OneShotJob each create one for their pods
unless given ``network_policy=False``. It denies all ingress and, unless
``restrict_egress`` is False, all egress. It then allows DNS, the extra rules
of its :class:`NetworkPolicySettings`, and the rules that the wiring adds:

- A workload that consumes a connection (an :class:`EnvVars` in ``env_from``
  or a :class:`WaitStep` in ``wait_for``) allows egress to the server's pods,
  and the server's policy allows ingress from the workload's pods.
- An :class:`ExposedService` of type NodePort or LoadBalancer admits its
  ports from any source, because that traffic arrives from outside the
  cluster with source addresses that vary by provider and
  ``externalTrafficPolicy``. An Ingress allows its backend ports from the
  Ingress controller's pods.

A consumer gets its connection from the server construct, so the server's
policy has already been emitted when the consumer is wired to it. Rather than
render every policy at synth time, :meth:`WorkloadNetworkPolicy.allow_ingress` appends the rule
to the emitted object with a JSON patch (``add /spec/ingress/-``). The rules
therefore appear in the order the wiring was defined, which keeps the output
deterministic, and each policy is still a single ApiObject built from a dict.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from cdk8s import ApiObject, JsonPatch
from constructs import Construct

from constructs_lib._network import (
    Json,
    Wire,
    check_rule,
    check_settings,
    dns_rule,
    render_rule,
)
from constructs_lib._props import PropChecker, construct_path
from constructs_lib._render import emit
from constructs_lib._typecheck import reports_wrong_types
from constructs_lib._workload import WORKLOAD_LABEL_PROPS, check_labels
from constructs_lib.labels import RecommendedLabels
from constructs_lib.network import NetworkPolicySettings, NetworkRule

__all__ = ["WorkloadNetworkPolicy", "apply_wiring"]

# The policy's ``labels`` prop carries every recommended label.
_LABEL_PROPS = {key: f"labels.{prop}" for key, prop in WORKLOAD_LABEL_PROPS.items()}


class WorkloadNetworkPolicy(Construct):
    """A NetworkPolicy that selects one workload's pods and allows only listed traffic.

    Produces:
        NetworkPolicy: named ``name``, selecting the pods by their identity
        labels (name and instance), with policy types ``Ingress`` and, unless
        ``settings.restrict_egress`` is False, ``Egress``.

    An empty ``ingress`` or ``egress`` list denies all traffic in that
    direction. Policies only take effect with a network plugin that enforces
    them, such as Calico or Cilium.

    Example, for pods that no workload construct of this library defines::

        labels = RecommendedLabels(name="worker", instance="worker",
                                   component="queue", part_of="shop")
        policy = WorkloadNetworkPolicy(chart, "policy", name="worker", labels=labels)
        policy.allow_ingress(NetworkRule(peers=[], ports=[NetworkPolicyPort(8080)]))
    """

    @reports_wrong_types("WorkloadNetworkPolicy")
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        labels: RecommendedLabels,
        settings: NetworkPolicySettings | None = None,
    ) -> None:
        """Define the NetworkPolicy.

        Args:
            scope: Parent construct, usually the workload.
            construct_id: Construct id, unique within ``scope``.
            name: Name of the NetworkPolicy: a DNS label, usually the
                workload's name.
            labels: The workload's labels. The policy selects the pods by
                ``labels.selector`` and carries ``labels.all``.
            settings: DNS, egress restriction and extra rules. Default:
                :class:`NetworkPolicySettings` with its defaults.
        """
        check = PropChecker("WorkloadNetworkPolicy", construct_path(scope, construct_id))

        # Resolve defaults and validate every prop before creating any construct.
        check.dns_label("name", name)
        if not isinstance(labels, RecommendedLabels):
            raise check.fail(
                "labels",
                labels,
                "must be RecommendedLabels",
                "Pass the workload's labels, for example labels=web.labels.",
            )
        check_labels(check, labels, _LABEL_PROPS, extra_prop="labels.extra")
        resolved = settings if settings is not None else NetworkPolicySettings()
        if not isinstance(resolved, NetworkPolicySettings):
            raise check.fail(
                "settings",
                resolved,
                "must be a NetworkPolicySettings",
                "Pass settings=NetworkPolicySettings(...).",
            )
        check_settings(check, "settings", resolved)

        super().__init__(scope, construct_id)
        self._check = check
        self.name = name
        self.labels = labels
        self.settings = resolved
        self.manifest = self._render()
        # A copy, because _append keeps self.manifest up to date and the patches
        # must apply to the manifest as it was emitted.
        self.policy: ApiObject = emit(self, "NetworkPolicy", copy.deepcopy(self.manifest))

    @property
    def restricts_egress(self) -> bool:
        """Whether the pods may connect only where an egress rule allows."""
        return self.settings.restrict_egress

    def _render(self) -> dict[str, Any]:
        ingress = _unique([render_rule(rule, "from") for rule in self.settings.extra_ingress])
        spec: dict[str, Any] = {
            "podSelector": {"matchLabels": self.labels.selector},
            "policyTypes": ["Ingress", "Egress"] if self.restricts_egress else ["Ingress"],
            "ingress": ingress,
        }
        if self.restricts_egress:
            egress_rules = list(self.settings.extra_egress)
            if self.settings.dns is not None:
                egress_rules.insert(0, dns_rule(self.settings.dns))
            spec["egress"] = _unique([render_rule(rule, "to") for rule in egress_rules])
        return {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": self.name, "labels": self.labels.all},
            "spec": spec,
        }

    def allow_ingress(self, rule: NetworkRule) -> None:
        """Append an ingress rule, unless the policy already has the same rule.

        Raises:
            InvalidPropError: ``rule`` is invalid.
        """
        check_rule(self._check, "ingress rule", rule)
        self._append("ingress", render_rule(rule, "from"))

    def allow_egress(self, rule: NetworkRule) -> None:
        """Append an egress rule, unless the policy already has the same rule.

        Does nothing when egress is not restricted, because every destination
        is allowed already.

        Raises:
            InvalidPropError: ``rule`` is invalid.
        """
        check_rule(self._check, "egress rule", rule)
        if self.restricts_egress:
            self._append("egress", render_rule(rule, "to"))

    def _append(self, direction: str, rendered: Json) -> None:
        rules: list[Json] = self.manifest["spec"][direction]
        if rendered in rules:
            return
        rules.append(rendered)
        self.policy.add_json_patch(JsonPatch.add(f"/spec/{direction}/-", rendered))


def apply_wiring(policy: WorkloadNetworkPolicy | None, wires: Sequence[Wire]) -> None:
    """Add each wire's egress rule to the consumer's ``policy`` and its ingress rule to the
    server's policy, where those policies exist."""
    for wire in wires:
        if policy is not None:
            policy.allow_egress(wire.egress)
        if wire.endpoint.policy is not None:
            wire.endpoint.policy.allow_ingress(wire.ingress)


def _unique(rules: list[Json]) -> list[Json]:
    unique: list[Json] = []
    for rule in rules:
        if rule not in unique:
            unique.append(rule)
    return unique
